"""Virtual MFA devices: enrolment with two consecutive codes, one-time codes, resync, deactivation.

Codes are RFC 6238 TOTP (30-second steps, six digits), so any authenticator app works.
"""

from datetime import datetime

import pyotp
from django.db import transaction
from django.utils import timezone

from accounts.models import Account

from .. import secrets
from ..exceptions import DeleteConflict, EntityAlreadyExists, InvalidAuthenticationCode, NoSuchEntity
from ..models import IAMUser, MFADevice

STEP_SECONDS = 30
ISSUER = "Console Sandbox"
ROOT_DEVICE_NAME = "root-account-mfa-device"
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
    holder = device.user.name if device.user else "root"
    return _totp(device).provisioning_uri(name=f"{holder}@{device.account.sign_in_reference}", issuer_name=ISSUER)


def mfa_device_of(account: Account, user: IAMUser | None) -> MFADevice | None:
    return MFADevice.objects.select_related("account", "user").filter(account=account, user=user).first()


@transaction.atomic
def create_virtual_mfa_device(account: Account, user: IAMUser | None = None) -> MFADevice:
    """A new, not yet enabled device with a fresh seed; an earlier unfinished enrolment is replaced."""
    existing = mfa_device_of(account, user)
    if existing is not None and existing.is_enabled:
        raise EntityAlreadyExists("MFA device already exists. Deactivate it before you assign a new one.")
    if existing is not None:
        existing.delete()
    return MFADevice.objects.create(
        account=account,
        user=user,
        name=user.name if user else ROOT_DEVICE_NAME,
        encrypted_seed=secrets.encrypt(pyotp.random_base32(32)),
    )


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
def enable_mfa_device(device: MFADevice, first_code: str, second_code: str, *, now: datetime | None = None) -> MFADevice:
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    if device.is_enabled:
        raise EntityAlreadyExists("MFA device is already in use.")
    device.last_used_step = _consecutive_step(device, first_code, second_code, _step(now), ACTIVATION_WINDOW)
    device.enabled_at = now or timezone.now()
    device.save(update_fields=["last_used_step", "enabled_at"])
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
def deactivate_mfa_device(device: MFADevice) -> None:
    device.delete()


@transaction.atomic
def delete_virtual_mfa_device(device: MFADevice) -> None:
    """Delete a device nobody uses yet (an unfinished enrolment); one in use must be deactivated first."""
    device = MFADevice.objects.select_for_update().get(pk=device.pk)
    if device.is_enabled:
        raise DeleteConflict("MFA device is in use. Deactivate it before deleting it.")
    device.delete()
