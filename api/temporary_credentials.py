"""Temporary credentials of assumed-role sessions (sts:AssumeRole), kept in the session token itself.

The token is signed by the server, so nothing is stored: it names the account, the role, the session
and its expiry; the secret is derived from it with the server's key. A role deleted, or an account
closed, since the token was issued ends the session at once.
"""

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone

from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from iam.models import Role

from .errors import AuthenticationFailure

_SALT = "console-sandbox.api.session-token"
DEFAULT_DURATION = timedelta(hours=1)
EXPIRED = "The security token included in the request is expired"
INVALID = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Session:
    role: Role
    session_name: str
    access_key_id: str
    secret: str
    expiration: datetime


def _secret(access_key_id: str, expires: int) -> str:
    digest = salted_hmac(_SALT, f"{access_key_id}:{expires}", algorithm="sha256").digest()
    return base64.b64encode(digest).decode()[:40]


def issue(role: Role, session_name: str, duration: timedelta, *, now: datetime | None = None) -> tuple[Session, str]:
    """A new session of `role` and its session token."""
    expires = int(((now or timezone.now()) + duration).timestamp())
    access_key_id = "ASIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    token = signing.dumps({"k": access_key_id, "r": role.pk, "n": session_name, "e": expires}, salt=_SALT, compress=True)
    expiration = datetime.fromtimestamp(expires, tz=dt_timezone.utc)
    return Session(role, session_name, access_key_id, _secret(access_key_id, expires), expiration), token


def resolve(token: str, access_key_id: str, *, now: datetime | None = None) -> Session:
    """The session a token names, or AuthenticationFailure (unknown, tampered with, expired, role gone)."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID) from None
    if payload.get("k") != access_key_id:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID)
    if payload["e"] <= (now or timezone.now()).timestamp():
        raise AuthenticationFailure(AuthenticationFailure.EXPIRED, EXPIRED)
    role = Role.objects.select_related("account").filter(pk=payload["r"]).first()
    if role is None or not role.account.is_active:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID)
    expiration = datetime.fromtimestamp(payload["e"], tz=dt_timezone.utc)
    return Session(role, payload["n"], access_key_id, _secret(access_key_id, payload["e"]), expiration)
