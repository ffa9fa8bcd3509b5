"""How many passwords may be checked for one sign-in name: at most SIGN_IN_FAILURE_LIMIT wrong ones in
SIGN_IN_FAILURE_WINDOW, even when the guesses arrive in parallel on several web machines.

A check is admitted only while three numbers, each shared by every web machine, add up to no more
than the limit:
- failed sign-ins (passwords and MFA codes): SignInFailure rows in the window;
- failed old-password checks (console and API password changes, the root password change): a cache
  counter, because those checks run inside transactions (the API's) that roll back with the refusal;
- checks in flight: a cache counter raised before the password is hashed (Redis INCR, atomic) and
  lowered after the outcome is recorded.
Because a finished check records its failure before it gives back its in-flight place, a request
can never see fewer than the checks already admitted, so the limit holds exactly under any race
(tests/security/test_sign_in_race.py). A correct password clears the name's failures.
"""

import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.utils import timezone

from .exceptions import LimitExceeded, SignInRefused
from .models import SignInFailure

LOCKED_OUT = "Too many failed sign-in attempts. Wait {minutes} minutes and try again."
# A crashed process must not hold its in-flight place for long; a check takes well under this.
IN_FLIGHT_SECONDS = 60


def root_sign_in_name(email: str) -> str:
    return f"root:{(email or '').strip().lower()}"


def user_sign_in_name(account_key: str, user_name: str) -> str:
    return f"user:{account_key}:{(user_name or '').strip().lower()}"


def lockout_message() -> str:
    return LOCKED_OUT.format(minutes=int(settings.SIGN_IN_FAILURE_WINDOW.total_seconds() // 60))


def _key(kind: str, sign_in_name: str) -> str:
    return f"sign-in:{kind}:{hashlib.sha256(sign_in_name.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"


def _incr(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, timeout)
        return 1


def _release(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:
        pass


def _failures(sign_in_name: str, client_address: str | None) -> tuple[int, int]:
    recent = SignInFailure.objects.filter(failed_at__gte=timezone.now() - settings.SIGN_IN_FAILURE_WINDOW)
    by_name = recent.filter(sign_in_name=sign_in_name).count() + (cache.get(_key("old-password", sign_in_name)) or 0)
    by_address = recent.filter(client_address=client_address).count() if client_address else 0
    return by_name, by_address


@contextmanager
def password_check(sign_in_name: str, client_address: str | None):
    """Around one password (or MFA code) check: SignInRefused(locked out) when the name has no
    attempts left. The caller records a failure (`record_failure` or `record_old_password_failure`)
    inside the block, before the in-flight place is given back."""
    in_flight = _key("in-flight", sign_in_name)
    checks = _incr(in_flight, IN_FLIGHT_SECONDS)
    try:
        by_name, by_address = _failures(sign_in_name, client_address)
        if by_name + checks > settings.SIGN_IN_FAILURE_LIMIT or by_address >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            raise SignInRefused(lockout_message())
        yield
    finally:
        _release(in_flight)


def record_failure(sign_in_name: str, client_address: str | None) -> None:
    SignInFailure.objects.create(sign_in_name=sign_in_name, client_address=client_address, failed_at=timezone.now())


def record_old_password_failure(sign_in_name: str) -> None:
    _incr(_key("old-password", sign_in_name), int(settings.SIGN_IN_FAILURE_WINDOW.total_seconds()))


def clear_failures(sign_in_name: str) -> None:
    SignInFailure.objects.filter(sign_in_name=sign_in_name).delete()
    cache.delete(_key("old-password", sign_in_name))


def old_password_matches(sign_in_name: str, password: str, stored_hash: str | None, client_address: str | None = None) -> bool:
    """The current-password check of a password change, throttled with the name's sign-in attempts
    (a stolen session or access key must not guess around the sign-in lockout). When the name is
    locked out: LimitExceeded, as IAM's ChangePassword names it."""
    try:
        with password_check(sign_in_name, client_address):
            matches = bool(stored_hash) and check_password(password or "", stored_hash)
            if not matches:
                record_old_password_failure(sign_in_name)
    except SignInRefused as refusal:
        raise LimitExceeded(str(refusal), field="old_password") from refusal
    return matches
