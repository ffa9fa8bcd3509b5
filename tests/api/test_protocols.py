"""Bad input gets AWS's error shape and status: never an HTML page, never a bare 500."""

import json
from xml.etree import ElementTree

import pytest
from botocore.exceptions import ClientError

from portal.after_response import wait_until_settled

from .wire import send_signed, signed_headers

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


@pytest.mark.parametrize("service, body, headers", [
    ("iam", b"Action=ListUsers&Version=2010-05-08", FORM),
    ("iam", b"Action=MakeCoffee&Version=2010-05-08", FORM),
    ("support", b"{}", support_target("DescribeServices")),
    ("support", b"{", support_target("DescribeServices")),
])
def test_every_answer_says_its_length_as_aws_does(client, root_keys, service, body, headers):
    # Without it the production server (gunicorn) sends the answer in chunks, which every client then has to
    # reassemble. Django's test client, unlike the live test server, adds no header of its own.
    url = f"http://testserver/api/{service}/"
    signed = signed_headers(url, service, *root_keys, body, headers)
    response = client.post(url, body, content_type=signed.pop("Content-Type"), headers=signed)
    wait_until_settled()
    assert response["Content-Length"] == str(len(response.content))


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


def test_json_nested_too_deep_to_read(endpoint, root_keys):
    body = b"[" * 100_000 + b"]" * 100_000
    response = send_signed(endpoint("support"), "support", *root_keys, body, support_target("DescribeCases"))
    assert (response.status, json.loads(response.body)["__type"]) == (400, "SerializationException")


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


@pytest.mark.parametrize("service, path, headers, error_code", [
    ("support", "", support_target("CreateCase"), lambda response: json.loads(response.body)["__type"]),
    ("account", "putContactInformation", {"Content-Type": "application/json"},
     lambda response: json.loads(response.body)["__type"]),
    ("iam", "", FORM, lambda response: iam_error(response)[0]),
])
def test_an_oversized_body_is_refused_before_anything_else(endpoint, root_keys, settings, service, path, headers,
                                                           error_code):
    settings.API_MAX_BODY_BYTES = 1024
    body = b"Action=CreateUser&UserName=" + b"x" * 2048 if service == "iam" else json.dumps({"subject": "x" * 2048}).encode()
    response = send_signed(endpoint(service) + path, service, *root_keys, body, headers)
    assert response.status == 413
    assert error_code(response) == "RequestEntityTooLargeException"


@pytest.mark.parametrize("service, operation, headers, body, code", [
    ("iam", "ListUsers", FORM, b"Action=ListUsers&Version=2010-05-08", "ServiceFailure"),
    ("support", "DescribeSeverityLevels", support_target("DescribeSeverityLevels"), b"{}", "InternalServerError"),
    ("account", "GetAccountInformation", {"Content-Type": "application/json"}, b"{}", "InternalServerException"),
])
def test_an_unexpected_failure_is_the_models_internal_error_not_a_page(endpoint, root_keys, monkeypatch, service,
                                                                       operation, headers, body, code):
    from importlib import import_module

    def broken(call):
        raise RuntimeError("boom")

    monkeypatch.setitem(import_module(f"api.operations.{service}").operations._handlers, operation, broken)
    url = endpoint(service) + ("getAccountInformation" if service == "account" else "")
    response = send_signed(url, service, *root_keys, body, headers)
    assert response.status == 500
    if service == "iam":
        assert iam_error(response)[0] == code and "<Type>Receiver</Type>" in response.text
    else:
        assert json.loads(response.body)["__type"] == code
    assert "boom" not in response.text


def test_support_wrong_types_and_missing_members_are_validation_exceptions(endpoint, root_keys):
    body = json.dumps({"subject": 7, "maxResults": "ten"}).encode()
    response = send_signed(endpoint("support"), "support", *root_keys, body, support_target("CreateCase"))
    payload = json.loads(response.body)
    assert (response.status, payload["__type"]) == (400, "ValidationException")
    assert payload["message"].startswith("2 validation errors detected: ")
    assert "Value '7' at 'subject' failed to satisfy constraint: Member must be of type String" in payload["message"]
    assert "Value null at 'communicationBody' failed to satisfy constraint: Member must not be null" in payload["message"]


def test_account_json_that_does_not_parse_or_has_wrong_types(endpoint, root_keys):
    url = endpoint("account") + "putAccountName"
    response = send_signed(url, "account", *root_keys, b"{nope", {"Content-Type": "application/json"})
    assert (response.status, json.loads(response.body)["__type"]) == (400, "SerializationException")
    response = send_signed(url, "account", *root_keys, b'{"AccountName": ["x"]}', {"Content-Type": "application/json"})
    payload = json.loads(response.body)
    assert (response.status, payload["__type"]) == (400, "ValidationException")
    assert payload["fieldList"] == [  # AccountName is sensitive in the model: its value is not echoed
        {"name": "AccountName", "message": "Value at 'AccountName' failed to satisfy constraint: Member must be of type String"}]


@pytest.mark.parametrize("path", ["/api/ec2/", "/api/account/a/b/c", "/api/"])
def test_paths_no_operation_answers_are_aws_errors_not_pages(live_server, path):
    from .wire import send

    response = send(live_server.url + path, b"{}")
    assert response.status in (400, 403, 404)
    assert "<html" not in response.text.lower()
    assert json.loads(response.body)["__type"] in ("UnknownOperationException", "MissingAuthenticationTokenException")
