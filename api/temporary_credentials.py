"""Temporary credentials (sts:AssumeRole*, sts:GetSessionToken, sts:GetFederationToken), kept in the session token itself.

The token is signed by the server, so nothing is stored: it names the account, the role (or the user, for
GetSessionToken), the session, its expiry, when MFA was proven and any session policies; the secret is derived
from it with the server's key. A role or user deleted, or an account closed, since the token was issued ends
the session at once.
"""

import base64
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import Account
from iam.models import IAMUser, Role

from .errors import AuthenticationFailure

_SALT = "console-sandbox.api.session-token"
DEFAULT_DURATION = timedelta(hours=1)
EXPIRED = "The security token included in the request is expired"
INVALID = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Session:
    account: Account
    role: Role | None  # an assumed-role session
    user: IAMUser | None  # a GetSessionToken session of an IAM user (both None: of the root user)
    session_name: str
    access_key_id: str
    secret: str
    expiration: datetime
    mfa_authenticated_at: datetime | None = None
    policy: str | None = None  # the inline session policy (AssumeRole Policy)
    policy_arns: tuple[str, ...] = ()  # managed session policies (AssumeRole PolicyArns)
    federated_user_name: str = ""  # a GetFederationToken session of `user` (or of the root user)
    session_tags: dict = field(default_factory=dict)
    scope_policies: tuple[str, ...] = ()  # GetScopedCredentials' scope-down policies, one layer each

    @property
    def has_session_policies(self) -> bool:
        return self.policy is not None or bool(self.policy_arns)


def _secret(access_key_id: str, expires: int) -> str:
    digest = salted_hmac(_SALT, f"{access_key_id}:{expires}", algorithm="sha256").digest()
    return base64.b64encode(digest).decode()[:40]


def _stamp(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def _moment(stamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, tz=dt_timezone.utc) if stamp is not None else None


def issue(
    account: Account,
    duration: timedelta,
    *,
    role: Role | None = None,
    user: IAMUser | None = None,
    session_name: str = "",
    mfa_authenticated_at: datetime | None = None,
    policy: str | None = None,
    policy_arns: tuple[str, ...] = (),
    federated_user_name: str = "",
    session_tags: dict | None = None,
    scope_policies: tuple[str, ...] = (),
    now: datetime | None = None,
    expires_at: datetime | None = None,
    minimum_token_size: int = 0,
) -> tuple[Session, str]:
    """A new session and its session token, expiring after `duration` (or at `expires_at`), the token at least
    `minimum_token_size` bytes long."""
    expires = int(expires_at.timestamp()) if expires_at else int(((now or timezone.now()) + duration).timestamp())
    access_key_id = "ASIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    payload = {"k": access_key_id, "a": account.pk, "r": role.pk if role else None, "u": user.pk if user else None,
               "n": session_name, "e": expires, "m": _stamp(mfa_authenticated_at), "p": policy, "pa": list(policy_arns),
               "f": federated_user_name, "t": session_tags or {}, "s": list(scope_policies)}
    token = signing.dumps(payload, salt=_SALT, compress=True)
    if len(token) < minimum_token_size:  # padded inside the signed payload, uncompressed so the padding counts
        payload["z"] = "0" * (minimum_token_size - len(token))
        token = signing.dumps(payload, salt=_SALT)
    session = Session(account, role, user, session_name, access_key_id, _secret(access_key_id, expires),
                      _moment(expires), _moment(payload["m"]), policy, tuple(policy_arns), federated_user_name,
                      session_tags or {}, tuple(scope_policies))
    return session, token


def _holder(payload: dict):
    """(account, role, user) the token names, or None when any of them is gone or closed."""
    if payload.get("r") is not None:
        role = Role.objects.select_related("account").filter(pk=payload["r"]).first()
        return (role.account, role, None) if role is not None else None
    if payload.get("u") is not None:
        user = IAMUser.objects.select_related("account").filter(pk=payload["u"], enabled=True).first()
        return (user.account, None, user) if user is not None else None
    account = Account.objects.filter(pk=payload.get("a")).first()
    return (account, None, None) if account is not None else None


def resolve(token: str, access_key_id: str, *, now: datetime | None = None) -> Session:
    """The session a token names, or AuthenticationFailure (unknown, tampered with, expired, holder gone)."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID) from None
    if payload.get("k") != access_key_id:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID)
    if payload["e"] <= (now or timezone.now()).timestamp():
        raise AuthenticationFailure(AuthenticationFailure.EXPIRED, EXPIRED)
    holder = _holder(payload)
    if holder is None or not holder[0].is_active:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID)
    account, role, user = holder
    return Session(account, role, user, payload["n"], access_key_id, _secret(access_key_id, payload["e"]),
                   _moment(payload["e"]), _moment(payload.get("m")), payload.get("p"), tuple(payload.get("pa") or ()),
                   payload.get("f", ""), payload.get("t") or {}, tuple(payload.get("s") or ()))
