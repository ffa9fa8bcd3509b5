"""What an identity provider's token says, checked against the provider the account registered.

Sandbox rule: the portal reaches no identity provider, so it cannot fetch an OpenID Connect provider's JWKS, and it
does not check XML signatures of SAML responses either. Everything else AWS checks is checked: the token's shape,
its issuer against a registered provider, its audience, its expiry, the role the SAML assertion grants, and the
role's trust policy with the provider's claims as condition keys. A trainee can mint a token for any registered
provider; that is the point of a sandbox, and it is why no real account's trust hangs on these providers.
"""

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .exceptions import IAMError
from .models import OpenIDConnectProvider, SAMLProvider
from .services.identity_providers import parse_xml

SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"
_REGIONAL_SAML_AUDIENCE = re.compile(r"https://[a-z0-9-]+\.signin\.aws\.amazon\.com/saml")
SAML_ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")


class InvalidIdentityToken(IAMError):
    code = "InvalidIdentityToken"


class ExpiredToken(IAMError):
    code = "ExpiredTokenException"


class IDPCommunicationError(IAMError):
    code = "IDPCommunicationError"


def _expired(expiry: datetime) -> ExpiredToken:
    now = timezone.now()
    return ExpiredToken(f"Token expired: current date/time {now:%Y-%m-%dT%H:%M:%SZ} must be before the expiration "
                        f"date/time {expiry:%Y-%m-%dT%H:%M:%SZ}")


@dataclass(frozen=True)
class WebIdentity:
    issuer: str  # host and path, as the provider's ARN and condition keys name it
    audience: str  # the token's audience that is one of the provider's client IDs
    subject: str
    claims: dict

    def condition_keys(self) -> dict:
        keys = {f"{self.issuer}:aud": self.audience, f"{self.issuer}:sub": self.subject}
        if "amr" in self.claims:
            keys[f"{self.issuer}:amr"] = self.claims["amr"]
        return keys


def _jwt_segment(segment: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidIdentityToken("The ID Token provided is not a valid JWT.") from None
    if not isinstance(value, dict):
        raise InvalidIdentityToken("The ID Token provided is not a valid JWT.")
    return value


def read_web_identity(token: str, providers) -> tuple[OpenIDConnectProvider, WebIdentity]:
    """The provider (one of `providers`, the role's account's) that issued this JWT, and what the token says."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an "
                                   "Access Token)")
    _jwt_segment(parts[0])
    claims = _jwt_segment(parts[1])
    issuer = str(claims.get("iss", ""))
    if not issuer:
        raise InvalidIdentityToken("The ID Token provided does not contain the iss claim.")
    name = issuer.removeprefix("https://").rstrip("/")
    provider = next((p for p in providers if p.url.lower() == name.lower()), None)
    if provider is None:
        raise InvalidIdentityToken(f"No OpenIDConnect provider found in your account for {issuer}")
    audiences = claims.get("aud", [])
    audiences = [audiences] if isinstance(audiences, str) else [str(item) for item in audiences]
    audience = next((item for item in audiences if item in provider.client_ids), None)
    if audience is None:
        raise InvalidIdentityToken("Incorrect token audience")
    try:
        expiry = datetime.fromtimestamp(float(claims["exp"]), tz=dt_timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError):
        raise InvalidIdentityToken("The ID Token provided does not contain a valid exp claim.") from None
    if expiry <= timezone.now():
        raise _expired(expiry)
    return provider, WebIdentity(provider.url, audience, str(claims.get("sub", "")), claims)


@dataclass(frozen=True)
class SAMLIdentity:
    issuer: str
    audience: str
    subject: str
    subject_type: str
    session_name: str
    role_pairs: tuple[tuple[str, str], ...]  # (role ARN, provider ARN) pairs the Role attribute grants

    def name_qualifier(self, provider: SAMLProvider) -> str:
        """AWS's NameQualifier: base64(SHA-1(issuer + account ID + "/" + provider name))."""
        text = f"{self.issuer}{provider.account.account_id}/{provider.name}"
        return base64.b64encode(hashlib.sha1(text.encode(), usedforsecurity=False).digest()).decode()

    def condition_keys(self, provider: SAMLProvider) -> dict:
        return {"saml:aud": self.audience, "saml:iss": self.issuer, "saml:sub": self.subject,
                "saml:sub_type": self.subject_type, "saml:namequalifier": self.name_qualifier(provider)}


def _text(element, path: str) -> str:
    found = element.find(path, {"saml": SAML_ASSERTION_NS})
    return (found.text or "").strip() if found is not None else ""


def _not_after(assertion) -> datetime | None:
    moments = [node.get("NotOnOrAfter") for node in assertion.iter()
               if node.tag in (f"{{{SAML_ASSERTION_NS}}}Conditions", f"{{{SAML_ASSERTION_NS}}}SubjectConfirmationData")]
    parsed = [parse_datetime(moment.replace("Z", "+00:00")) for moment in moments if moment]
    parsed = [moment for moment in parsed if moment is not None]
    return min(parsed) if parsed else None


def _role_pairs(values: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        first, _, second = (item.strip() for item in value.partition(","))
        pairs.append((second, first) if ":saml-provider/" in first else (first, second))
    return tuple(pairs)


def read_saml_assertion(encoded: str, provider: SAMLProvider) -> SAMLIdentity:
    """What a base64-encoded SAML response from this provider says (its XML signature is not checked)."""
    try:
        document = base64.b64decode(encoded, validate=False).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidIdentityToken("Invalid base64 SAMLResponse") from None
    root = parse_xml(document)
    assertion = None if root is None else (
        root if root.tag == f"{{{SAML_ASSERTION_NS}}}Assertion" else root.find(f"{{{SAML_ASSERTION_NS}}}Assertion"))
    if assertion is None:
        raise InvalidIdentityToken("Unable to parse SAMLResponse: it holds no saml:Assertion")
    issuer = _text(assertion, "saml:Issuer") or _text(root, "saml:Issuer")
    if issuer != provider.entity_id:
        raise InvalidIdentityToken("Issuer of the SAML response does not match the issuer in the metadata of the "
                                   "SAML provider")
    audiences = [node.text.strip() for node in assertion.iter(f"{{{SAML_ASSERTION_NS}}}Audience") if node.text]
    audience = next((item for item in audiences if item == SAML_AUDIENCE or _REGIONAL_SAML_AUDIENCE.fullmatch(item)), None)
    if audience is None:
        raise InvalidIdentityToken(f"SAML response audience does not include {SAML_AUDIENCE}")
    expiry = _not_after(assertion)
    if expiry is not None and expiry <= timezone.now():
        raise _expired(expiry)
    attributes = {node.get("Name"): [value.text.strip() for value in node if value.text]
                  for node in assertion.iter(f"{{{SAML_ASSERTION_NS}}}Attribute")}
    session_names = attributes.get(SESSION_NAME_ATTRIBUTE, [])
    if len(session_names) != 1 or not _SESSION_NAME.fullmatch(session_names[0]):
        raise InvalidIdentityToken("RoleSessionName in AuthnResponse must match [\\w+=,.@-]{2,64} and appear once")
    name_id = assertion.find("saml:Subject/saml:NameID", {"saml": SAML_ASSERTION_NS})
    subject_format = (name_id.get("Format", "") if name_id is not None else "").rsplit(":", 1)[-1]
    return SAMLIdentity(issuer, audience, _text(assertion, "saml:Subject/saml:NameID"),
                        subject_format or "unspecified", session_names[0],
                        _role_pairs(attributes.get(ROLE_ATTRIBUTE, [])))
