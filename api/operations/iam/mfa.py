"""Virtual MFA devices over the wire, on iam.services.mfa (the console's enrolment uses the same functions).

As in IAM: CreateVirtualMFADevice makes an unassigned device of any name and path, EnableMFADevice assigns
it to a user, DeactivateMFADevice leaves it unassigned, and only an unassigned device can be deleted.
"""

import io

import segno

from iam.exceptions import NoSuchEntity
from iam.models import IAMUser, MFADevice
from iam.selectors import find_mfa_device
from iam.services import mfa

from . import operations
from .common import find_user, paged, tags, user_or_caller, user_shape
from .tags import request_tag_context, tags_page

_DEVICES = MFADevice.objects.select_related("account", "user__account")


def _owner_arn(call, user) -> str:
    return user.arn if user is not None else call.principal.account.root_arn


def _device(call, serial_number: str) -> MFADevice:
    """The caller's account's device with this serial number."""
    device = find_mfa_device(call.principal.account, serial_number)
    if device is None:
        raise NoSuchEntity(f"VirtualMFADevice with serial number {serial_number} doesn't exist.")
    return device


def _assigned_device(call, user: IAMUser | None, serial_number: str) -> MFADevice:
    """A device assigned to this user (the root user when None)."""
    device = _device(call, serial_number)
    holder = device.user_id == user.pk if user is not None else device.root
    if not device.is_enabled or not holder:
        raise NoSuchEntity(f"MFA Device with serial number {serial_number} is not assigned to this user.")
    return device


def _holder_shape(device: MFADevice) -> dict:
    if device.user is not None:
        return user_shape(device.user)
    account = device.account
    return {"Path": "/", "UserName": "", "UserId": account.account_id, "Arn": account.root_arn,
            "CreateDate": account.created_at}


def _virtual_device_shape(device: MFADevice) -> dict:
    shape = {"SerialNumber": device.serial_number, "Tags": tags(device.tags)}
    if device.is_enabled:
        shape.update(User=_holder_shape(device), EnableDate=device.enabled_at)
    return shape


def _given_tags(call) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in call.params.get("Tags", ())}


@operations("CreateVirtualMFADevice")
def create_virtual_mfa_device(call):
    path, name, given = call.params.get("Path", "/"), call.params["VirtualMFADeviceName"], _given_tags(call)
    call.authorize(f"arn:aws:iam::{call.principal.account.account_id}:mfa{path}{name}", request_tag_context(given))
    device = mfa.create_unassigned_mfa_device(call.principal.account, name, path=path, tags=given)
    qr_code = io.BytesIO()
    segno.make(mfa.provisioning_uri(device), error="m").save(qr_code, kind="png", scale=5)
    created = {"SerialNumber": device.serial_number, "Base32StringSeed": mfa.seed_of(device).encode(),
               "QRCodePNG": qr_code.getvalue()}
    if device.tags:
        created["Tags"] = tags(device.tags)
    return {"VirtualMFADevice": created}


@operations("EnableMFADevice")
def enable_mfa_device(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    device = _device(call, call.params["SerialNumber"])
    mfa.enable_mfa_device(device, call.params["AuthenticationCode1"], call.params["AuthenticationCode2"], user=user)


@operations("ResyncMFADevice")
def resync_mfa_device(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    device = _assigned_device(call, user, call.params["SerialNumber"])
    mfa.resync_mfa_device(device, call.params["AuthenticationCode1"], call.params["AuthenticationCode2"])


@operations("DeactivateMFADevice")
def deactivate_mfa_device(call):
    user = user_or_caller(call)
    call.authorize(_owner_arn(call, user))
    mfa.deactivate_mfa_device(_assigned_device(call, user, call.params["SerialNumber"]))


@operations("DeleteVirtualMFADevice")
def delete_virtual_mfa_device(call):
    device = _device(call, call.params["SerialNumber"])
    call.authorize(device.serial_number)
    mfa.delete_virtual_mfa_device(device)


@operations("GetMFADevice")
def get_mfa_device(call):
    user = user_or_caller(call)
    call.authorize(_owner_arn(call, user))
    device = _assigned_device(call, user, call.params["SerialNumber"])
    return {"UserName": user.name if user else None, "SerialNumber": device.serial_number,
            "EnableDate": device.enabled_at}


@operations("ListMFADevices")
def list_mfa_devices(call):
    user = user_or_caller(call)
    call.authorize(_owner_arn(call, user))
    holder = {"user": user} if user is not None else {"root": True}
    devices = _DEVICES.filter(account=call.principal.account, enabled_at__isnull=False, **holder)
    rows, more = paged(call, devices.order_by("enabled_at", "pk"), f"ListMFADevices:{user.pk if user else 'root'}")
    return {
        "MFADevices": [
            {"UserName": user.name if user else None, "SerialNumber": device.serial_number, "EnableDate": device.enabled_at}
            for device in rows
        ],
        **more,
    }


# AssignmentStatus -> which devices it lists.
ASSIGNMENT = {"Assigned": {"enabled_at__isnull": False}, "Unassigned": {"enabled_at__isnull": True}, "Any": {}}


@operations("ListVirtualMFADevices")
def list_virtual_mfa_devices(call):
    call.authorize()
    devices = _DEVICES.filter(account=call.principal.account, **ASSIGNMENT[call.params.get("AssignmentStatus", "Any")])
    rows, more = paged(call, devices.order_by("path", "name", "pk"), "ListVirtualMFADevices")
    return {"VirtualMFADevices": [_virtual_device_shape(device) for device in rows], **more}


@operations("TagMFADevice")
def tag_mfa_device(call):
    device = _device(call, call.params["SerialNumber"])
    given = _given_tags(call)
    call.authorize(device.serial_number, request_tag_context(given))
    mfa.tag_mfa_device(device, given)


@operations("UntagMFADevice")
def untag_mfa_device(call):
    device = _device(call, call.params["SerialNumber"])
    call.authorize(device.serial_number, {"aws:TagKeys": call.params["TagKeys"]})
    mfa.untag_mfa_device(device, call.params["TagKeys"])


@operations("ListMFADeviceTags")
def list_mfa_device_tags(call):
    device = _device(call, call.params["SerialNumber"])
    call.authorize(device.serial_number)
    return tags_page(call, device.tags, f"ListMFADeviceTags:{device.pk}")
