"""Findings 3, 4 and 9: NUL and control characters, deep JSON, and login profiles without UserName.

Every refusal is the protocol's validation error (never a 500), errors that echo input stay
well-formed XML, and the refused call is still in the event history.
"""

import base64
import json

import pytest

from api.service_models import ACCOUNT, IAM, SUPPORT
from events.models import Event
from tests.factories import policy_document

pytestmark = pytest.mark.django_db

NUL = "bad\x00value"

REFUSED_WITH_NUL = [
    (SUPPORT, "CreateCase", {"subject": NUL, "communicationBody": "body"}, "ValidationException"),
    (SUPPORT, "AddAttachmentsToSet", {"attachments": [{"fileName": "a\x00.txt", "data": b"hello"}]}, "ValidationException"),
    (SUPPORT, "DescribeCases", {"caseIdList": [NUL]}, "ValidationException"),
    (SUPPORT, "DescribeAttachment", {"attachmentId": NUL}, "ValidationException"),
    (IAM, "CreatePolicy", {"PolicyName": "p", "PolicyDocument": policy_document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}), "Description": NUL}, "ValidationError"),
    (ACCOUNT, "PutContactInformation", {"ContactInformation": {"AddressLine1": NUL, "City": "Lisbon", "CountryCode": "PT", "FullName": "A", "PhoneNumber": "+351000000000", "PostalCode": "1000"}}, "ValidationException"),
    (ACCOUNT, "PutAlternateContact", {"AlternateContactType": "BILLING", "EmailAddress": "a@example.com", "Name": NUL, "PhoneNumber": "+1 555", "Title": "t"}, "ValidationException"),
    (IAM, "GetUser", {"UserName": NUL}, "ValidationError"),
    (IAM, "CreateUser", {"UserName": "ok", "Path": "/\x00/"}, "ValidationError"),
    (IAM, "TagUser", {"UserName": "ok", "Tags": [{"Key": "k\x00", "Value": "v"}]}, "ValidationError"),
    (IAM, "CreateUser", {"UserName": "ok", "Tags": [{"Key": "k", "Value": "v\x01"}]}, "ValidationError"),
]


@pytest.mark.parametrize(("service", "operation", "params", "code"), REFUSED_WITH_NUL, ids=lambda v: getattr(v, "name", None))
def test_control_characters_are_refused_with_the_validation_error_and_recorded(account, wire, service, operation, params, code):
    answer = wire(account)(service, operation, params)
    assert answer.status == 400
    assert answer.error_code == code  # parses the XML as boto3 does: well-formed even when it echoes input
    assert b"\x00" not in answer.body
    recorded = Event.objects.get(account=account, event_name=operation)
    assert recorded.error_code == code


def deep_object(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def test_a_deeply_nested_policy_is_a_malformed_policy_document(account, wire):
    call = wire(account)
    answer = call(IAM, "CreatePolicy", {"PolicyName": "deep", "PolicyDocument": deep_object(3000)})
    assert (answer.status, answer.error_code) == (400, "MalformedPolicyDocument")


def test_a_deeply_nested_condition_value_is_a_malformed_policy_document(account, wire):
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "X"}}}
    document = policy_document(statement).replace('"X"', "[" * 5000 + '"x"' + "]" * 5000)
    answer = wire(account)(IAM, "CreatePolicy", {"PolicyName": "deep", "PolicyDocument": document})
    assert (answer.status, answer.error_code) == (400, "MalformedPolicyDocument")


def test_a_deeply_nested_json_body_is_refused_cleanly(account, client):
    body = json.dumps({"caseIdList": []})[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}"
    response = client.post(
        "/api/support/", body, content_type="application/x-amz-json-1.1", HTTP_X_AMZ_TARGET="AWSSupport_20130415.DescribeCases"
    )
    assert response.status_code < 500


def test_login_profile_calls_without_user_name_apply_to_the_calling_user(account, wire, make_user):
    """GetLoginProfile and DeleteLoginProfile default to the caller; UpdateLoginProfile's model requires UserName."""
    user = make_user(account, {"Effect": "Allow", "Action": "iam:*LoginProfile", "Resource": "*"})
    call = wire(account, user)
    got = call(IAM, "GetLoginProfile", {})
    assert got.status == 200 and f"<UserName>{user.name}</UserName>".encode() in got.body
    assert call(IAM, "UpdateLoginProfile", {"PasswordResetRequired": True}).error_code == "ValidationError"
    assert call(IAM, "DeleteLoginProfile", {}).status == 200
    assert call(IAM, "GetLoginProfile", {}).error_code == "NoSuchEntity"


def test_login_profile_calls_without_user_name_from_the_root_user_are_validation_errors(account, wire):
    call = wire(account)
    for operation in ("GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile"):
        answer = call(IAM, operation, {})
        assert (answer.status, answer.error_code) == (400, "ValidationError"), operation


@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "a\x1bb"])
def test_console_forms_refuse_control_characters_with_a_form_error(root_client, account, text):
    response = root_client.post("/account/", {"panel": "name", "name": text})
    assert response.status_code == 200
    assert "control character" in response.content.decode()
    account.refresh_from_db()
    assert account.name != text


def test_console_uploads_refuse_control_characters_in_file_names(account):
    from cases.exceptions import CaseValidationError
    from cases.services import store_attachments

    with pytest.raises(CaseValidationError, match="control character"):
        store_attachments(account, [("evil\x00.txt", base64.b64decode("aGk="))])
