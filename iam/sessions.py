"""Customer console sessions, kept apart from Django's staff authentication.

The session stores who signed in and a fingerprint of their password hash, so
changing a password (or disabling the user, or closing the account) ends
every other session on the next request.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import Account

from .models import IAMUser, Role
from .principals import Principal

SESSION_KEY = "console_principal"
# A sign-in that passed the password but still owes an MFA code or a new password.
PENDING_KEY = "console_pending_sign_in"


def _fingerprint(password_hash: str) -> str:
    return salted_hmac("console-sandbox.session", password_hash, algorithm="sha256").hexdigest()


def session_payload(principal: Principal) -> dict:
    password_hash = principal.account.root_password if principal.is_root else principal.user.password
    return {
        "account": principal.account.pk,
        "user": None if principal.is_root else principal.user.pk,
        "fingerprint": _fingerprint(password_hash),
        "mfa_at": principal.mfa_authenticated_at.isoformat() if principal.mfa_authenticated_at else None,
        "signed_in_at": timezone.now().isoformat(),
    }


def start_console_session(request, principal: Principal) -> None:
    request.session.cycle_key()
    request.session.pop(PENDING_KEY, None)
    request.session[SESSION_KEY] = session_payload(principal)


def switch_console_role(request, role: Role | None) -> None:
    """Act in the console as `role` (a role session named after the signed-in IAM user), or as the
    user again with None. The user's own sign-in stays in the session, checked on every request."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {**request.session[SESSION_KEY], "role": role.pk if role else None}


def end_console_session(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def start_pending_sign_in(request, principal: Principal, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {**session_payload(principal), "next": next_url}


def pending_sign_in(request) -> tuple[Principal, str] | None:
    """The half-signed-in principal and where it was going, or None."""
    stored = request.session.get(PENDING_KEY)
    principal = _principal_from(request, stored, PENDING_KEY) if stored else None
    return (principal, stored["next"]) if principal else None


def end_pending_sign_in(request) -> None:
    request.session.pop(PENDING_KEY, None)


def principal_from_session(request) -> Principal | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return _principal_from(request, stored, SESSION_KEY)


def _principal_from(request, stored: dict, key: str) -> Principal | None:
    if stored["user"] is None:
        account = Account.objects.filter(pk=stored["account"]).first()
        user, password_hash = None, account.root_password if account else ""
        still_valid = account is not None and account.root_may_sign_in
    else:
        user = IAMUser.objects.select_related("account").filter(pk=stored["user"], account_id=stored["account"]).first()
        account, password_hash = (user.account, user.password) if user else (None, "")
        still_valid = user is not None and user.enabled and account.is_active
    if not still_valid or not constant_time_compare(stored["fingerprint"], _fingerprint(password_hash)):
        request.session.pop(key, None)
        return None
    role = Role.objects.filter(pk=stored["role"], account=account).first() if stored.get("role") and user else None
    return Principal(
        account=account,
        # A switched role acts with the role's policies only, as an assumed-role session named after the user.
        user=None if role else user,
        role=role,
        role_session_name=user.name if role else "",
        mfa_authenticated_at=datetime.fromisoformat(stored["mfa_at"]) if stored.get("mfa_at") else None,
        source_ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:256],
    )
