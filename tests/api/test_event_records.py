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


def test_a_record_carries_every_cloudtrail_field(account, keys, client_for):
    import uuid

    key_id, secret = keys(account)
    response = client_for("iam", key_id, secret).create_group(GroupName="ops")
    record = Event.objects.get(account=account, event_name="CreateGroup").as_record()
    assert record["requestID"] == response["ResponseMetadata"]["RequestId"]
    assert uuid.UUID(record["eventID"])
    assert record["eventTime"].endswith("Z") and record["eventType"] == "AwsApiCall"
    assert record["sourceIPAddress"] == "127.0.0.1"
    assert record["recipientAccountId"] == account.account_id
    assert record["userIdentity"]["accessKeyId"] == key_id


@pytest.mark.usefixtures("support_catalog")
def test_attachment_data_never_reaches_the_history(account, keys, client_for):
    support = client_for("support", *keys(account))
    data = b"%PDF-1.4 secret report"
    support.add_attachments_to_set(attachments=[{"fileName": "report.pdf", "data": data}])
    event = Event.objects.get(account=account, event_name="AddAttachmentsToSet")
    assert event.event_source == "support.amazonaws.com"
    assert event.request_parameters == {"attachments": [{"fileName": "report.pdf"}]}
    assert event.response_elements["attachmentSetId"].startswith("as-")
    with pytest.raises(ClientError):
        support.describe_cases(caseIdList=["case-nope"])
    failed = Event.objects.get(account=account, event_name="DescribeCases")
    assert (failed.error_code, failed.error_message) == ("CaseIdNotFound", "Invalid case ID: case-nope")


def test_passwords_mfa_seeds_and_codes_are_hidden(account, keys, client_for):
    import time

    import pyotp

    iam = client_for("iam", *keys(account))
    iam.create_user(UserName="gus")
    iam.create_login_profile(UserName="gus", Password="Correct-Horse-9!")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="gus")["VirtualMFADevice"]
    app = pyotp.TOTP(device["Base32StringSeed"].decode())
    now = time.time()
    codes = [app.at(now - 30), app.at(now)]
    iam.enable_mfa_device(UserName="gus", SerialNumber=device["SerialNumber"], AuthenticationCode1=codes[0],
                          AuthenticationCode2=codes[1])
    history = str([event.as_record() for event in Event.objects.filter(account=account)])
    assert "Correct-Horse-9!" not in history
    assert device["Base32StringSeed"].decode() not in history
    assert codes[0] not in history and codes[1] not in history
    created = Event.objects.get(account=account, event_name="CreateVirtualMFADevice")
    assert created.response_elements == {"virtualMFADevice": {"serialNumber": device["SerialNumber"]}}
    enabled = Event.objects.get(account=account, event_name="EnableMFADevice")
    assert enabled.request_parameters["authenticationCode1"] == "HIDDEN_DUE_TO_SECURITY_REASONS"


def test_account_calls_are_recorded_under_their_source(account, keys, client_for):
    client_for("account", *keys(account)).put_account_name(AccountName="Renamed")
    event = Event.objects.get(account=account, event_name="PutAccountName")
    assert (event.event_source, event.read_only, event.error_code) == ("account.amazonaws.com", False, "")


def test_each_account_sees_only_its_own_api_calls(account, other_account, keys, client_for):
    client_for("iam", *keys(account)).create_group(GroupName="mine")
    client_for("iam", *keys(other_account)).create_group(GroupName="theirs")
    assert [event.request_parameters["groupName"] for event in Event.objects.filter(account=account)] == ["mine"]
