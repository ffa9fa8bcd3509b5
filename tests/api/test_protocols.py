"""Bad input gets AWS's error shape and status: never an HTML page, never a bare 500."""

import json
from xml.etree import ElementTree

import pytest
from botocore.exceptions import ClientError

from .wire import send_signed

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
IAM_NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/"}


def support_target(operation: str) -> dict:
    return {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AWSSupport_20130415.{operation}"}


@pytest.fixture
def root_keys(account, keys):
    return keys(account)


def iam_error(response) -> tuple[str, str]:
    root = ElementTree.fromstring(response.body)
    return root.findtext("iam:Error/iam:Code", namespaces=IAM_NS), root.findtext("iam:Error/iam:Message", namespaces=IAM_NS)


def test_iam_answers_in_xml_with_a_request_id(endpoint, root_keys):
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Action=ListUsers&Version=2010-05-08", FORM)
    root = ElementTree.fromstring(response.body)
    assert root.tag == "{https://iam.amazonaws.com/doc/2010-05-08/}ListUsersResponse"
    assert root.findtext("iam:ListUsersResult/iam:IsTruncated", namespaces=IAM_NS) == "false"
    assert root.findtext("iam:ResponseMetadata/iam:RequestId", namespaces=IAM_NS) == response.headers["x-amzn-requestid"]


def test_an_unknown_iam_action_is_invalid(endpoint, root_keys):
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Action=MakeCoffee&Version=2010-05-08", FORM)
    assert response.status == 400
    assert iam_error(response) == ("InvalidAction", "Could not find operation MakeCoffee for version 2010-05-08")
    assert ElementTree.fromstring(response.body).findtext("iam:RequestId", namespaces=IAM_NS)


def test_an_iam_request_without_action(endpoint, root_keys):
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Version=2010-05-08", FORM)
    assert (response.status, iam_error(response)[0]) == (400, "MissingAction")


def test_a_malformed_query_string(endpoint, root_keys):
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Action=ListUsers&%zz&&=", FORM)
    assert (response.status, iam_error(response)[0]) == (400, "MalformedQueryString")


def test_iam_validation_lists_every_problem_like_aws(endpoint, root_keys):
    body = b"Action=ListUsers&Version=2010-05-08&MaxItems=0&PathPrefix=nope"
    response = send_signed(endpoint("iam"), "iam", *root_keys, body, FORM)
    code, message = iam_error(response)
    assert (response.status, code) == (400, "ValidationError")
    assert message.startswith("2 validation errors detected: ")
    assert "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1" in message
    assert "Value 'nope' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern" in message


def test_iam_wrong_types_are_validation_errors(endpoint, root_keys):
    body = b"Action=ListUsers&Version=2010-05-08&MaxItems=many"
    response = send_signed(endpoint("iam"), "iam", *root_keys, body, FORM)
    assert iam_error(response) == (
        "ValidationError",
        "1 validation error detected: Value 'many' at 'maxItems' failed to satisfy constraint: Member must be of type Integer",
    )


def test_a_missing_required_member(endpoint, root_keys):
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Action=CreateUser&Version=2010-05-08", FORM)
    assert iam_error(response) == (
        "ValidationError",
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    )


def test_json_that_does_not_parse(endpoint, root_keys):
    response = send_signed(endpoint("support"), "support", *root_keys, b"{not json", support_target("DescribeCases"))
    assert response.status == 400
    assert json.loads(response.body)["__type"] == "SerializationException"


def test_json_of_the_wrong_shape(endpoint, root_keys):
    response = send_signed(endpoint("support"), "support", *root_keys, b"[1, 2]", support_target("DescribeCases"))
    assert json.loads(response.body)["__type"] == "SerializationException"


def test_an_unknown_json_operation(endpoint, root_keys):
    response = send_signed(endpoint("support"), "support", *root_keys, b"{}", support_target("BrewTea"))
    assert response.status == 400
    assert json.loads(response.body)["__type"] == "UnknownOperationException"


def test_a_json_target_of_another_service(endpoint, root_keys):
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "DynamoDB_20120810.ListTables"}
    response = send_signed(endpoint("support"), "support", *root_keys, b"{}", headers)
    assert json.loads(response.body)["__type"] == "UnknownOperationException"


def test_an_unknown_rest_json_route(endpoint, root_keys):
    url = endpoint("account") + "brewTea"
    response = send_signed(url, "account", *root_keys, b"{}", {"Content-Type": "application/json"})
    assert response.status == 400
    assert response.headers["x-amzn-errortype"] == "UnknownOperationException"


def test_an_oversized_body_is_refused_before_anything_else(endpoint, root_keys, settings):
    settings.API_MAX_BODY_BYTES = 1024
    body = json.dumps({"subject": "x" * 2048}).encode()
    response = send_signed(endpoint("support"), "support", *root_keys, body, support_target("CreateCase"))
    assert response.status == 413
    assert json.loads(response.body)["__type"] == "RequestEntityTooLargeException"


def test_an_unexpected_failure_is_an_internal_error_not_a_page(endpoint, root_keys, monkeypatch):
    from api.operations import iam

    def broken(call):
        raise RuntimeError("boom")

    monkeypatch.setitem(iam.operations._handlers, "ListUsers", broken)
    response = send_signed(endpoint("iam"), "iam", *root_keys, b"Action=ListUsers&Version=2010-05-08", FORM)
    assert response.status == 500
    assert iam_error(response)[0] == "InternalFailure"
    assert "<Type>Receiver</Type>" in response.text
