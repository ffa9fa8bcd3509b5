"""Virtual MFA devices: enrolment with two consecutive codes, one-time codes, resync, deactivation.

Codes are RFC 6238 TOTP (30-second steps, six digits), so any authenticator app works.
"""

from datetime import datetime

import pyotp
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account

from .. import secrets
from ..exceptions import DeleteConflict, EntityAlreadyExists, InvalidAuthenticationCode, LimitExceeded, NoSuchEntity
from ..models import IAMUser, MFADevice
from .common import validated
from .tags import TAGS_PER_IDENTITY, merge_tags, remove_tags, validate_tag

STEP_SECONDS = 30
ISSUER = "Console Sandbox"
ROOT_DEVICE_NAME = "root-account-mfa-device"
# "You can register up to 8 MFA devices of any combination of the currently supported MFA types with your
# AWS account root user and IAM user." (IAM User Guide)
DEVICES_PER_IDENTITY = 8
# How far (in steps) a code may be from the server's clock: at sign-in, at activation, at resync.
SIGN_IN_WINDOW = 1
ACTIVATION_WINDOW = 10
RESYNC_WINDOW = 240

INVALID_CODE = "Authentication code for device is not valid."
REUSED_CODE = "This MFA code has already been used. Wait for the next code and try again."


def _totp(device: MFADevice) -> pyotp.TOTP:
    return pyotp.TOTP(secrets.decrypt(device.encrypted_seed), interval=STEP_SECONDS)


def _step(now: datetime | None) -> int:
    return int((now or timezone.now()).timestamp()) // STEP_SECONDS


def _code_at(totp: pyotp.TOTP, step: int) -> str:
    return totp.at(step * STEP_SECONDS)


def seed_of(device: MFADevice) -> str:
    """The Base32 seed, shown on request while enrolling (for manual entry into an app)."""
    return secrets.decrypt(device.encrypted_seed)


def provisioning_uri(device: MFADevice) -> str:
    holder = device.user.name if device.user else ("root" if device.root else device.name)
    return _totp(device).provisioning_uri(name=f"{holder}@{device.account.sign_in_reference}", issuer_name=ISSUER)


def _holder(user: IAMUser | None) -> dict:
    return {"user": user} if user is not None else {"root": True}


def mfa_device_of(account: Account, user: IAMUser | None) -> MFADevice | None:
    """The root user's (user None) or an IAM user's device: the assigned one, else an enrolment under way."""
    devices = MFADevice.objects.select_related("account", "user").filter(account=account, **_holder(user))
    return devices.order_by(F("enabled_at").asc(nulls_last=True), "pk").first()


def _new_device(account: Account, name: str, path: str, tags: dict | None = None, **holder) -> MFADevice:
    device = validated(MFADevice(account=account, name=name, path=path, tags=tags or {}, **holder),
                       exclude=["encrypted_seed", "user"])
    if MFADevice.objects.filter(account=account, path=path, name__lower=name.lower()).exists():
        raise EntityAlreadyExists("MFADevice entity at the same path and name already exists.", field="name")
    device.encrypted_seed = secrets.encrypt(pyotp.random_base32(32))
    device.save()
    return device


@transaction.atomic
def create_virtual_mfa_device(account: Account, user: IAMUser | None = None) -> MFADevice:
    """The console's enrolment: a new device for this holder (root when user is None), named after it.

    An earlier unfinished enrolment of the same holder is replaced."""
    existing = mfa_device_of(account, user)
    if existing is not None and existing.is_enabled:
        raise EntityAlreadyExists("MFA device already exists. Deactivate it before you assign a new one.")
    if existing is not None:
        existing.delete()
    return _new_device(account, user.name if user else ROOT_DEVICE_NAME, "/", **_holder(user))


@transaction.atomic
def create_unassigned_mfa_device(account: Account, name: str, *, path: str = "/", tags: dict | None = None) -> MFADevice:
    """CreateVirtualMFADevice: any name and path; EnableMFADevice assigns it to a user later."""
    for key, value in (tags or {}).items():
        validate_tag(key, value)
    if len(tags or {}) > TAGS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for TagsPerMFADevice: {TAGS_PER_IDENTITY}")
    return _new_device(account, name, path, tags)


def _consecutive_step(device: MFADevice, first: str, second: str, centre: int, window: int) -> int:
    """The step of `second` when first/second are codes of two consecutive steps near `centre`."""
    totp = _totp(device)
    first, second = (first or "").strip(), (second or "").strip()
    if first == second:
        raise InvalidAuthenticationCode("Enter two consecutive codes: wait for the next code after the first.")
    for step in range(centre - window, centre + window + 1):
        if step > device.last_used_step and _code_at(totp, step) == first and _code_at(totp, step + 1) == second:
            return step + 1
    raise InvalidAuthenticationCode(INVALID_CODE)


@transaction.atomic
def enable_mfa_device(
    device: MFADevice, first_code: str, second_code: str, *, user: IAMUser | None = None, now: datetime | None = None
) -> MFADevice:
    """Assign the device with two consecutive codes: to `user` when given (EnableMFADevice), else to the holder
    the console's enrolment named."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    if device.is_enabled:
        raise EntityAlreadyExists("MFA device is already in use.")
    if user is not None:
        IAMUser.objects.select_for_update().get(pk=user.pk)
        if MFADevice.objects.filter(user=user, enabled_at__isnull=False).count() >= DEVICES_PER_IDENTITY:
            raise LimitExceeded(f"Cannot exceed quota for MFADevicesPerUser: {DEVICES_PER_IDENTITY}")
        device.user, device.root = user, False
    device.last_used_step = _consecutive_step(device, first_code, second_code, _step(now), ACTIVATION_WINDOW)
    device.enabled_at = now or timezone.now()
    device.save(update_fields=["last_used_step", "enabled_at", "user", "root"])
    return device


@transaction.atomic
def resync_mfa_device(device: MFADevice, first_code: str, second_code: str, *, now: datetime | None = None) -> MFADevice:
    """Measure how far the device's clock drifted from two consecutive codes, and follow it."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    current = _step(now)
    accepted = _consecutive_step(device, first_code, second_code, current, RESYNC_WINDOW)
    device.last_used_step = accepted
    device.drift_steps = accepted - current
    device.save(update_fields=["last_used_step", "drift_steps"])
    return device


@transaction.atomic
def verify_mfa_code(device: MFADevice, code: str, *, now: datetime | None = None) -> None:
    """Accept a code once; raise InvalidAuthenticationCode for a wrong or already used one."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    if not device.is_enabled:
        raise NoSuchEntity("MFA device is not enabled.")
    totp, centre, code = _totp(device), _step(now) + device.drift_steps, (code or "").strip()
    for step in range(centre - SIGN_IN_WINDOW, centre + SIGN_IN_WINDOW + 1):
        if _code_at(totp, step) == code:
            if step <= device.last_used_step:
                raise InvalidAuthenticationCode(REUSED_CODE)
            MFADevice.objects.filter(pk=device.pk).update(last_used_step=step)
            return
    raise InvalidAuthenticationCode(INVALID_CODE)


@transaction.atomic
def deactivate_mfa_device(device: MFADevice) -> MFADevice:
    """DeactivateMFADevice: the device stays, unassigned, until DeleteVirtualMFADevice."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    device.enabled_at, device.user, device.root, device.drift_steps = None, None, False, 0
    device.save(update_fields=["enabled_at", "user", "root", "drift_steps"])
    return device


@transaction.atomic
def remove_mfa_device(device: MFADevice) -> None:
    """The console's "Remove": deactivate the virtual device and delete it, as AWS's console does."""
    delete_virtual_mfa_device(deactivate_mfa_device(device))


@transaction.atomic
def tag_mfa_device(device: MFADevice, tags: dict[str, str]) -> dict[str, str]:
    return merge_tags(device, tags, "TagsPerMFADevice")


@transaction.atomic
def untag_mfa_device(device: MFADevice, keys: list[str]) -> dict[str, str]:
    return remove_tags(device, keys)


@transaction.atomic
def delete_virtual_mfa_device(device: MFADevice) -> None:
    """Delete a device nobody uses yet (an unfinished enrolment); one in use must be deactivated first."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    if device.is_enabled:
        raise DeleteConflict("MFA device is in use. Deactivate it before deleting it.")
    device.delete()
