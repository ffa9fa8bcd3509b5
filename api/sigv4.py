"""Signature Version 4 verification of incoming requests.

The canonical request is rebuilt with botocore's own SigV4Auth, so the server
computes exactly what the SDKs and the CLI sign: only the headers named in
SignedHeaders, the raw query string, and the SHA-256 of the body.
"""

import functools
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone
from hashlib import sha256
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.credentials import Credentials
from django.utils import timezone

from iam.access_key_memo import kept_access_key, verified_access_key

from . import temporary_credentials
from .errors import AuthenticationFailure

ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_AMZ_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", re.ASCII)
MAX_CLOCK_SKEW = timedelta(minutes=15)
_AUTHORIZATION_PARTS = re.compile(r"(Credential|SignedHeaders|Signature)=([^,\s]*)")

INVALID_TOKEN = "The security token included in the request is invalid."
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


@dataclass(frozen=True)
class Signature:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    amz_date: str


@dataclass(frozen=True)
class VerifiedRequest:
    access_key_id: str
    region: str
    access_key: object = None  # iam.models.AccessKey (account and user loaded) for long-term keys
    session: object = None  # temporary_credentials.Session for a session token
    # The versions of the key's rows that the process kept and the call's write is to confirm (None: confirmed).
    unconfirmed: str | None = None

    @property
    def account(self):
        return self.session.account if self.session is not None else self.access_key.account


class _ServerSideSigner(SigV4Auth):
    """SigV4Auth over the headers the client chose to sign (all of the request's headers here), with the signing
    key of a (secret, day, region, service) derived once: four of the five HMACs of every check otherwise."""

    def headers_to_sign(self, request):
        return request.headers

    def signature(self, string_to_sign, request):
        key = _signing_key(self.credentials.secret_key, request.context["timestamp"][0:8], self._region_name,
                           self._service_name)
        return self._sign(key, string_to_sign, hex=True)


@functools.lru_cache(maxsize=4096)
def _signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    """SigV4's derivation (botocore's SigV4Auth.signature, step by step)."""
    key = f"AWS4{secret}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), sha256).digest()
    return key


class _SignedHeaders(dict):
    """The signed headers by lower-case name: what SigV4Auth reads of a request's headers. botocore's own
    HTTPHeaders is an email.message.Message, whose every lookup costs more than the rest of the check."""

    def get_all(self, name: str) -> list[str]:
        return [self[name.lower()]]

    def __contains__(self, name) -> bool:
        return super().__contains__(name.lower())

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())


@dataclass
class _SignedRequest:
    """The parts of a botocore AWSRequest that SigV4Auth's canonical request and string to sign read."""

    method: str
    url: str
    headers: _SignedHeaders
    body: bytes
    context: dict
    params: dict = field(default_factory=dict)


def _meta_header(request, name: str) -> str | None:
    if name == "content-type":
        return request.META.get("CONTENT_TYPE")
    if name == "content-length":
        return request.META.get("CONTENT_LENGTH")
    return request.META.get("HTTP_" + name.upper().replace("-", "_"))


def parse_authorization(request) -> Signature:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        raise AuthenticationFailure(AuthenticationFailure.MISSING, "Missing Authentication Token")
    algorithm, _, rest = header.partition(" ")
    if algorithm != ALGORITHM:
        raise AuthenticationFailure(AuthenticationFailure.INCOMPLETE, f"Unsupported AWS 'algorithm': '{algorithm}'")
    parts = dict(_AUTHORIZATION_PARTS.findall(rest))
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not parts.get(name)]
    if missing:
        required = " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
        raise AuthenticationFailure(AuthenticationFailure.INCOMPLETE, f"{required} Authorization={header}")
    scope = parts["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise AuthenticationFailure(
            AuthenticationFailure.INCOMPLETE,
            f"Credential should be scoped to a valid region, not '{'/'.join(scope[2:3])}'. Credential={parts['Credential']}",
        )
    amz_date = request.META.get("HTTP_X_AMZ_DATE", "")
    if not amz_date:
        raise AuthenticationFailure(
            AuthenticationFailure.INCOMPLETE,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    return Signature(
        access_key_id=scope[0],
        date=scope[1],
        region=scope[2],
        service=scope[3],
        signed_headers=tuple(parts["SignedHeaders"].lower().split(";")),
        signature=parts["Signature"],
        amz_date=amz_date,
    )


def _signed_at(amz_date: str) -> datetime:
    # strptime would take a tenth of the signature check's time, on every call.
    parts = _AMZ_DATE.fullmatch(amz_date)
    if parts is not None:
        try:
            return datetime(*map(int, parts.groups()), tzinfo=dt_timezone.utc)
        except ValueError:  # digits in the right places, but no such date (a 13th month)
            pass
    raise AuthenticationFailure(
        AuthenticationFailure.INCOMPLETE, f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'."
    )


def _check_clock(amz_date: str, now: datetime) -> None:
    signed_at = _signed_at(amz_date)
    if signed_at < now - MAX_CLOCK_SKEW:
        earliest = (now - MAX_CLOCK_SKEW).strftime(AMZ_DATE_FORMAT)
        raise AuthenticationFailure(
            AuthenticationFailure.BAD_SIGNATURE,
            f"Signature expired: {amz_date} is now earlier than {earliest} ({now.strftime(AMZ_DATE_FORMAT)} - 15 min.)",
        )
    if signed_at > now + MAX_CLOCK_SKEW:
        latest = (now + MAX_CLOCK_SKEW).strftime(AMZ_DATE_FORMAT)
        raise AuthenticationFailure(
            AuthenticationFailure.BAD_SIGNATURE,
            f"Signature not yet current: {amz_date} is still later than {latest} ({now.strftime(AMZ_DATE_FORMAT)} + 15 min.)",
        )


def _check_scope(signature: Signature, signing_name: str) -> None:
    if signature.date != signature.amz_date[:8]:
        raise AuthenticationFailure(
            AuthenticationFailure.BAD_SIGNATURE,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{signature.date}' != '{signature.amz_date[:8]}', from ISO-8601 'X-Amz-Date'.",
        )
    if signature.service != signing_name:
        raise AuthenticationFailure(
            AuthenticationFailure.BAD_SIGNATURE, f"Credential should be scoped to correct service: '{signing_name}'."
        )


def _expected_signature(request, body: bytes, signature: Signature, secret: str) -> str:
    headers = _SignedHeaders()
    for name in signature.signed_headers:
        value = _meta_header(request, name)
        if value is not None:
            headers[name] = value
    query = request.META.get("QUERY_STRING", "")
    url = f"http://{request.META.get('HTTP_HOST', '')}{quote(request.path, safe='/~')}" + (f"?{query}" if query else "")
    signed = _SignedRequest(request.method, url, headers, body, {"timestamp": signature.amz_date})
    signer = _ServerSideSigner(Credentials(signature.access_key_id, secret), signature.service, signature.region)
    canonical = signer.canonical_request(signed)
    return signer.signature(signer.string_to_sign(signed, canonical), signed)


def verify(request, body: bytes, signing_name: str, *, now: datetime | None = None, trusting: bool = False) -> VerifiedRequest:
    """The access key that signed this request, or AuthenticationFailure saying why not. `trusting`: a key the
    process keeps may be used without asking the database whether it changed (the caller's write asks:
    iam.access_key_memo.unchanged_condition); the answer then says so in `unconfirmed`."""
    signature = parse_authorization(request)
    _check_clock(signature.amz_date, now or timezone.now())
    _check_scope(signature, signing_name)
    verified, secret = _credentials(request, signature, now, trusting)
    try:
        _check_signature(request, body, signature, secret)
    except AuthenticationFailure:
        if verified.unconfirmed is None:
            raise
        return verify(request, body, signing_name, now=now)  # refused as the key stands now (deleted, say)
    return verified


def _check_signature(request, body: bytes, signature: Signature, secret: str) -> None:
    declared_hash = request.META.get("HTTP_X_AMZ_CONTENT_SHA256")
    if declared_hash is not None and declared_hash != sha256(body).hexdigest():
        raise AuthenticationFailure(
            AuthenticationFailure.BAD_SIGNATURE, "The provided 'x-amz-content-sha256' header does not match what was computed."
        )
    expected = _expected_signature(request, body, signature, secret)
    if not hmac.compare_digest(expected, signature.signature):
        raise AuthenticationFailure(AuthenticationFailure.BAD_SIGNATURE, MISMATCH)


def _credentials(request, signature: Signature, now: datetime | None, trusting: bool) -> tuple[VerifiedRequest, str]:
    """Who holds the key that signed, and its secret: a long-term access key, or a session token's."""
    token = request.META.get("HTTP_X_AMZ_SECURITY_TOKEN")
    if token:
        session = temporary_credentials.resolve(token, signature.access_key_id, now=now)
        return VerifiedRequest(signature.access_key_id, signature.region, session=session), session.secret
    kept = kept_access_key(signature.access_key_id) if trusting else None
    if kept is not None:
        access_key, secret, versions = kept
        return VerifiedRequest(signature.access_key_id, signature.region, access_key=access_key, unconfirmed=versions), secret
    found = verified_access_key(signature.access_key_id)
    if found is None:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID_TOKEN)
    access_key, secret = found
    if not access_key.is_active or not access_key.account.is_active:
        raise AuthenticationFailure(AuthenticationFailure.UNKNOWN_KEY, INVALID_TOKEN)
    return VerifiedRequest(signature.access_key_id, signature.region, access_key=access_key), secret
