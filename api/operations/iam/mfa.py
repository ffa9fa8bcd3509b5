"""Virtual MFA devices over the wire, on iam.services.mfa (the console's enrolment).

The sandbox keeps one virtual device per identity, named after it: CreateVirtualMFADevice
takes the name of the IAM user who will use the device, and EnableMFADevice then assigns it.
"""

import io

import segno

from iam.exceptions import NoSuchEntity, ValidationError
from iam.identity_kinds import USER
from iam.models import IAMUser, MFADevice
from iam.services import mfa

from . import operations
from .common import arn, find_identity, paged, user_or_caller, user_shape


def _owner_arn(call, user) -> str:
    return user.arn if user is not None else call.principal.account.root_arn


def _device(call, serial_number: str) -> MFADevice:
    """The caller's account's device with this serial number (its ARN)."""
    prefix, _, rest = serial_number.partition(":mfa/")
    name = rest.rsplit("/", 1)[-1]
    device = None
    if prefix == f"arn:aws:iam::{call.principal.account.account_id}" and name:
        device = MFADevice.objects.select_related("account", "user").filter(
            account=call.principal.account, name=name
        ).first()
    if device is None:
        raise NoSuchEntity(f"VirtualMFADevice with serial number {serial_number} doesn't exist.")
    return device


def _users_device(call, user: IAMUser | None, serial_number: str) -> MFADevice:
    device = _device(call, serial_number)
    if device.user_id != (user.pk if user else None):
        raise NoSuchEntity(f"MFA Device with serial number {serial_number} is not assigned to this user.")
    return device


def _virtual_device_shape(device: MFADevice) -> dict:
    shape = {"SerialNumber": device.serial_number, "EnableDate": device.enabled_at}
    if device.is_enabled:
        shape["User"] = user_shape(device.user) if device.user else {
            "UserId": device.account.account_id, "Arn": device.account.root_arn, "CreateDate": device.account.created_at,
        }
    return shape


@operations("CreateVirtualMFADevice")
def create_virtual_mfa_device(call):
    name = call.params["VirtualMFADeviceName"]
    call.authorize(arn(call, "mfa", call.params.get("Path", "/"), name))
    user = IAMUser.objects.select_related("account").filter(account=call.principal.account, name__iexact=name).first()
    if user is None:
        raise ValidationError(
            f"No IAM user is named {name}. In this sandbox a virtual MFA device is named after the IAM user who will use it."
        )
    device = mfa.create_virtual_mfa_device(call.principal.account, user)
    qr_code = io.BytesIO()
    segno.make(mfa.provisioning_uri(device), error="m").save(qr_code, kind="png", scale=5)
    return {
        "VirtualMFADevice": {
            "SerialNumber": device.serial_number,
            "Base32StringSeed": mfa.seed_of(device).encode(),
            "QRCodePNG": qr_code.getvalue(),
        }
    }


def _with_two_codes(call, change) -> None:
    """EnableMFADevice and ResyncMFADevice: two consecutive codes from the named user's device."""
    user = find_identity(call, USER, call.params["UserName"])
    call.authorize(user.arn)
    device = _users_device(call, user, call.params["SerialNumber"])
    change(device, call.params["AuthenticationCode1"], call.params["AuthenticationCode2"])


@operations("EnableMFADevice")
def enable_mfa_device(call):
    _with_two_codes(call, mfa.enable_mfa_device)


@operations("ResyncMFADevice")
def resync_mfa_device(call):
    _with_two_codes(call, mfa.resync_mfa_device)


@operations("DeactivateMFADevice")
def deactivate_mfa_device(call):
    user = user_or_caller(call)
    call.authorize(_owner_arn(call, user))
    device = _users_device(call, user, call.params["SerialNumber"])
    if not device.is_enabled:
        raise NoSuchEntity(f"MFA Device with serial number {call.params['SerialNumber']} is not assigned to this user.")
    mfa.deactivate_mfa_device(device)


@operations("DeleteVirtualMFADevice")
def delete_virtual_mfa_device(call):
    device = _device(call, call.params["SerialNumber"])
    call.authorize(device.serial_number)
    mfa.delete_virtual_mfa_device(device)


@operations("ListMFADevices")
def list_mfa_devices(call):
    user = user_or_caller(call)
    call.authorize(_owner_arn(call, user))
    devices = MFADevice.objects.select_related("account").filter(
        account=call.principal.account, user=user, enabled_at__isnull=False
    )
    rows, more = paged(call, devices.order_by("pk"), f"ListMFADevices:{user.pk if user else 'root'}")
    return {
        "MFADevices": [
            {"UserName": user.name if user else None, "SerialNumber": device.serial_number, "EnableDate": device.enabled_at}
            for device in rows
        ],
        **more,
    }


# AssignmentStatus -> which devices it lists: assigned ones are enabled, unassigned ones still enrolling.
ASSIGNMENT = {"Assigned": {"enabled_at__isnull": False}, "Unassigned": {"enabled_at__isnull": True}, "Any": {}}


@operations("ListVirtualMFADevices")
def list_virtual_mfa_devices(call):
    call.authorize()
    devices = MFADevice.objects.select_related("account", "user__account").filter(
        account=call.principal.account, **ASSIGNMENT[call.params.get("AssignmentStatus", "Any")]
    )
    rows, more = paged(call, devices.order_by("name", "pk"), "ListVirtualMFADevices")
    return {"VirtualMFADevices": [_virtual_device_shape(device) for device in rows], **more}
