"""Identity-provider documents for tests: SAML metadata, SAML assertions and OpenID Connect tokens."""

import base64
import json
from datetime import datetime, timedelta, timezone

CERTIFICATE = "MIIC" + "A" * 900  # the KeyDescriptor's certificate: present, as in real metadata, never checked


def saml_metadata(entity_id: str = "https://idp.example.com/saml") -> str:
    """An md:EntityDescriptor of at least 1,000 characters, CreateSAMLProvider's minimum."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}" '
        'validUntil="2036-01-01T00:00:00Z">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>'
        f'<ds:X509Certificate>{CERTIFICATE}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>'
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        'Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )


def saml_assertion(issuer: str, role_arn: str, provider_arn: str, *, subject: str = "alice@example.com",
                   session_name: str = "alice", audience: str = "https://signin.aws.amazon.com/saml",
                   lifetime: timedelta = timedelta(minutes=5)) -> str:
    """A base64-encoded samlp:Response as an IdP posts it to AWS (unsigned: the sandbox does not check signatures)."""
    expiry = (datetime.now(timezone.utc) + lifetime).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1" Version="2.0">'
        f'<saml:Issuer>{issuer}</saml:Issuer><saml:Assertion ID="a1" Version="2.0">'
        f'<saml:Issuer>{issuer}</saml:Issuer>'
        f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{subject}'
        '</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{expiry}" Recipient="https://signin.aws.amazon.com/saml"/>'
        f'</saml:SubjectConfirmation></saml:Subject><saml:Conditions NotOnOrAfter="{expiry}">'
        f'<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>'
        '</saml:Conditions><saml:AttributeStatement>'
        '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">'
        f'<saml:AttributeValue>{role_arn},{provider_arn}</saml:AttributeValue></saml:Attribute>'
        '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">'
        f'<saml:AttributeValue>{session_name}</saml:AttributeValue></saml:Attribute>'
        '</saml:AttributeStatement></saml:Assertion></samlp:Response>'
    )
    return base64.b64encode(document.encode()).decode()


def _segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def web_identity_token(issuer: str, audience: str, subject: str = "repo:octo/app:ref:refs/heads/main", *,
                       lifetime: timedelta = timedelta(minutes=5)) -> str:
    """A JWT as an OpenID Connect provider issues it (its signature is not checked in the sandbox)."""
    now = datetime.now(timezone.utc)
    claims = {"iss": issuer, "aud": audience, "sub": subject, "iat": int(now.timestamp()),
              "exp": int((now + lifetime).timestamp())}
    return f"{_segment({'alg': 'RS256', 'typ': 'JWT', 'kid': 'k1'})}.{_segment(claims)}.c2lnbmF0dXJl"
