"""Console sign-in for root users and IAM users, with failure counting and lockout (iam.throttle).

A password is only the first step: `next_sign_in_step` says whether an MFA code
and then (for IAM users) a new password are needed before a console session starts.
"""

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from accounts.selectors import find_account_by_reference, find_account_by_root_email

from .exceptions import InvalidAuthenticationCode, SignInRefused
from .models import IAMUser, SignInFailure
from .principals import Principal
from .throttle import clear_failures, password_check, record_failure, root_sign_in_name, user_sign_in_name
from .services.mfa import mfa_device_of, verify_mfa_code
from .services.passwords import locked_by_hard_expiry, password_change_required

MFA_STEP = "mfa"
NEW_PASSWORD_STEP = "new-password"
HARD_EXPIRED = "Your password has expired and only your administrator can reset it. Contact your administrator."

INCORRECT = "Your authentication information is incorrect. Please try again."


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return make_password("decoy password that matches nothing")


def _password_matches(password: str, stored_hash: str | None) -> bool:
    # Always spend the hashing time, so an unknown name answers as slowly as a wrong password.
    if not stored_hash:
        check_password(password, _decoy_hash())
        return False
    return check_password(password, stored_hash)


def authenticate_root(email: str, password: str, client_address: str | None = None) -> Principal:
    sign_in_name = root_sign_in_name(email)
    with password_check(sign_in_name, client_address):
        account = find_account_by_root_email(email)
        valid = _password_matches(password, account.root_password if account else None)
        if not valid or not account.root_may_sign_in:
            record_failure(sign_in_name, client_address)
            # Whose sign-in failed goes into that account's event history (never shown to the caller).
            raise SignInRefused(INCORRECT, account=account)
    clear_failures(sign_in_name)
    return Principal(account=account, source_ip=client_address or "")


def authenticate_iam_user(
    account_reference: str, user_name: str, password: str, client_address: str | None = None
) -> Principal:
    account = find_account_by_reference(account_reference)
    # Count failures against the account a reference resolves to, so ID and alias share one budget.
    account_key = account.account_id if account else (account_reference or "").strip().lower()
    sign_in_name = user_sign_in_name(account_key, user_name)
    with password_check(sign_in_name, client_address):
        user = (
            IAMUser.objects.select_related("account").filter(account=account, name__lower=(user_name or "").strip().lower()).first()
            if account
            else None
        )
        valid = _password_matches(password, user.password if user else None)
        if not valid or not user.enabled or not user.account.is_active:
            record_failure(sign_in_name, client_address)
            raise SignInRefused(INCORRECT, account=account, user=user, user_name=(user_name or "").strip())
    if locked_by_hard_expiry(user):
        raise SignInRefused(HARD_EXPIRED)
    clear_failures(sign_in_name)
    return Principal(account=user.account, user=user, source_ip=client_address or "")


def _sign_in_name(principal: Principal) -> str:
    if principal.is_root:
        return root_sign_in_name(principal.account.root_email)
    return user_sign_in_name(principal.account.account_id, principal.user.name)


def next_sign_in_step(principal: Principal) -> str | None:
    """What the console still needs after a correct password: an MFA code, a new password, or nothing."""
    device = mfa_device_of(principal.account, principal.user)
    if device is not None and device.is_enabled and principal.mfa_authenticated_at is None:
        return MFA_STEP
    if not principal.is_root and password_change_required(principal.user):
        return NEW_PASSWORD_STEP
    return None


def complete_sign_in(principal: Principal) -> None:
    """Every step is done and the console session starts: an IAM user's "last console sign-in" is now.

    Not earlier: a correct password followed by no (or a wrong) MFA code is no sign-in."""
    if principal.user is not None:
        IAMUser.objects.filter(pk=principal.user.pk).update(password_last_used=timezone.now())


def authenticate_mfa(principal: Principal, code: str, client_address: str | None = None) -> Principal:
    """Second step: the code from the principal's MFA device. Wrong codes count towards the lockout."""
    sign_in_name = _sign_in_name(principal)
    with password_check(sign_in_name, client_address):
        device = mfa_device_of(principal.account, principal.user)
        try:
            verify_mfa_code(device, code)
        except InvalidAuthenticationCode as refusal:
            record_failure(sign_in_name, client_address)
            raise SignInRefused(
                refusal.message, account=principal.account, user=principal.user, user_name=principal.name
            ) from refusal
    clear_failures(sign_in_name)
    principal.mfa_authenticated_at = timezone.now()
    return principal


def purge_sign_in_failures(now: datetime | None = None) -> int:
    """Forget failures older than the lockout window; they no longer count."""
    cutoff = (now or timezone.now()) - settings.SIGN_IN_FAILURE_WINDOW
    deleted, _ = SignInFailure.objects.filter(failed_at__lt=cutoff).delete()
    return deleted

