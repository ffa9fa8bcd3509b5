"""The MFA device lifecycle and the account summary through boto3, as IAM answers them."""

import time

import pyotp
import pytest
from botocore.exceptions import ClientError

from api import service_models
from tests.factories import AccountFactory, IAMUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, *args, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(root_api):
    return root_api("iam")


def codes(device, offset: int = 0) -> dict:
    app, now = pyotp.TOTP(device["Base32StringSeed"].decode()), time.time() + offset
    return {"AuthenticationCode1": app.at(now - 30), "AuthenticationCode2": app.at(now)}


def test_a_device_of_any_name_and_path_is_created_assigned_deactivated_and_deleted(account, iam):
    iam.create_user(UserName="alice")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone", Path="/phones/")["VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{account.account_id}:mfa/phones/alice-phone"
    assert device["QRCodePNG"].startswith(b"\x89PNG")
    assert error(iam.create_virtual_mfa_device, VirtualMFADeviceName="ALICE-PHONE", Path="/phones/") == (
        "EntityAlreadyExists", 409)
    [listed] = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert listed["SerialNumber"] == serial and "User" not in listed
    assert error(iam.get_mfa_device, SerialNumber=serial, UserName="alice") == ("NoSuchEntity", 404)

    assert error(iam.enable_mfa_device, UserName="alice", SerialNumber=serial, AuthenticationCode1="123456",
                 AuthenticationCode2="654321") == ("InvalidAuthenticationCode", 403)
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial, **codes(device))
    assert error(iam.enable_mfa_device, UserName="alice", SerialNumber=serial, **codes(device, 60)) == (
        "EntityAlreadyExists", 409)
    got = iam.get_mfa_device(SerialNumber=serial, UserName="alice")
    assert (got["UserName"], got["SerialNumber"]) == ("alice", serial) and got["EnableDate"]
    [assigned] = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned["User"]["UserName"] == "alice"
    assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName="alice")["MFADevices"]] == [serial]
    assert error(iam.delete_virtual_mfa_device, SerialNumber=serial) == ("DeleteConflict", 409)
    assert error(iam.delete_user, UserName="alice") == ("DeleteConflict", 409)

    iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"] == []
    [unassigned] = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert unassigned["SerialNumber"] == serial
    assert error(iam.deactivate_mfa_device, UserName="alice", SerialNumber=serial) == ("NoSuchEntity", 404)
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    assert error(iam.delete_virtual_mfa_device, SerialNumber=serial) == ("NoSuchEntity", 404)


def test_device_names_are_validated_by_the_model(iam):
    assert error(iam.create_virtual_mfa_device, VirtualMFADeviceName="no spaces") == ("ValidationError", 400)
    assert error(iam.create_virtual_mfa_device, VirtualMFADeviceName="x", Path="no-slash") == ("ValidationError", 400)


def test_mfa_device_tags(iam):
    serial = iam.create_virtual_mfa_device(
        VirtualMFADeviceName="token", Tags=[{"Key": "owner", "Value": "ops"}])["VirtualMFADevice"]["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": f"k{n}", "Value": str(n)} for n in range(3)])
    first = iam.list_mfa_device_tags(SerialNumber=serial, MaxItems=3)
    assert first["IsTruncated"] and len(first["Tags"]) == 3
    rest = iam.list_mfa_device_tags(SerialNumber=serial, Marker=first["Marker"])
    assert [tag["Key"] for tag in first["Tags"] + rest["Tags"]] == ["k0", "k1", "k2", "owner"]
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["OWNER"])
    assert [tag["Key"] for tag in iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]] == ["k0", "k1", "k2"]
    assert error(iam.tag_mfa_device, SerialNumber=serial, Tags=[{"Key": "aws:x", "Value": "y"}])[0] == "ValidationError"
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"][0]["Tags"]


def test_mfa_devices_page(iam):
    for number in range(3):
        iam.create_virtual_mfa_device(VirtualMFADeviceName=f"token-{number}")
    first = iam.list_virtual_mfa_devices(MaxItems=2)
    rest = iam.list_virtual_mfa_devices(Marker=first["Marker"])
    assert [d["SerialNumber"][-7:] for d in first["VirtualMFADevices"] + rest["VirtualMFADevices"]] == [
        "token-0", "token-1", "token-2"]


def test_the_account_summary_has_every_key_iam_returns(account, iam):
    IAMUserFactory.create_batch(2, account=account)
    IAMUserFactory.create_batch(3, account=AccountFactory())
    iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")
    summary = iam.get_account_summary()["SummaryMap"]
    assert set(summary) == set(service_models.IAM.model.shape_for("summaryKeyType").enum)
    assert summary["Users"] == 2 and summary["UsersQuota"] == 5000
    assert (summary["MFADevices"], summary["MFADevicesInUse"]) == (1, 0)
    assert (summary["PolicySizeQuota"], summary["VersionsPerPolicyQuota"], summary["RolesQuota"]) == (6144, 5, 1000)
    assert summary["AccountAccessKeysPresent"] == 1  # the root key this client signs with
    assert summary["AccountPasswordPresent"] == 1
