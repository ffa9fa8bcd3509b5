"""Every API call lands in the caller's event history, the way CloudTrail records it."""

import pytest
from botocore.exceptions import ClientError

from events.models import Event
from tests.factories import allow

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_successful_write_is_recorded_with_identity_and_response(account, keys, client_for):
    key_id, secret = keys(account)
    client_for("iam", key_id, secret).create_user(UserName="carol", Path="/staff/")
    event = Event.objects.get(account=account, event_name="CreateUser")
    record = event.as_record()
    assert record["eventSource"] == "iam.amazonaws.com"
    assert record["awsRegion"] == "us-east-1"
    assert record["readOnly"] is False
    assert record["userIdentity"] == {
        "type": "Root", "principalId": account.account_id, "arn": f"arn:aws:iam::{account.account_id}:root",
        "accountId": account.account_id, "accessKeyId": key_id,
    }
    assert record["requestParameters"] == {"userName": "carol", "path": "/staff/"}
    assert record["responseElements"]["user"]["userName"] == "carol"
    assert "errorCode" not in record
    assert record["userAgent"].startswith("Boto3/")


def test_a_read_is_marked_read_only_without_response_elements(account, keys, client_for):
    client_for("iam", *keys(account)).list_users()
    event = Event.objects.get(account=account, event_name="ListUsers")
    assert event.read_only is True and event.response_elements is None


def test_a_denied_call_is_recorded_with_its_error(account, make_user, keys, client_for):
    user = make_user(account, allow("iam:GetUser"), name="dora")
    iam = client_for("iam", *keys(account, user))
    with pytest.raises(ClientError):
        iam.create_user(UserName="eve")
    event = Event.objects.get(account=account, event_name="CreateUser")
    assert event.error_code == "AccessDenied"
    assert "is not authorized to perform: iam:CreateUser" in event.error_message
    assert event.user_identity["type"] == "IAMUser" and event.user_identity["userName"] == "dora"
    assert event.user_identity["principalId"] == user.user_id


def test_secrets_never_reach_the_history(account, keys, client_for):
    iam = client_for("iam", *keys(account))
    iam.create_user(UserName="frank")
    created = iam.create_access_key(UserName="frank")["AccessKey"]
    event = Event.objects.get(account=account, event_name="CreateAccessKey")
    assert event.response_elements["accessKey"]["secretAccessKey"] == "HIDDEN_DUE_TO_SECURITY_REASONS"
    assert created["SecretAccessKey"] not in str(event.as_record())


def test_requests_that_fail_authentication_belong_to_no_history(account, client_for):
    with pytest.raises(ClientError):
        client_for("iam", "AKIAUNKNOWNUNKNOWN00", "x" * 40).list_users()
    assert not Event.objects.exists()
