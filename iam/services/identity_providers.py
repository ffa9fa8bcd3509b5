"""Identity providers the account trusts: SAML 2.0 providers (a metadata document) and OpenID Connect providers
(an issuer URL, its audiences and certificate thumbprints), with IAM's quotas and wording."""

import re
import secrets
import string
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Account

from ..exceptions import EntityAlreadyExists, InvalidInput, LimitExceeded, ValidationError
from ..models import OpenIDConnectProvider, SAMLProvider
from .tags import TAGS_PER_IDENTITY, merge_tags, remove_tags, validate_tag

# IAM and AWS STS quotas (IAM User Guide).
SAML_PROVIDERS_PER_ACCOUNT = 100
OIDC_PROVIDERS_PER_ACCOUNT = 100
CLIENT_IDS_PER_OIDC_PROVIDER = 100
THUMBPRINTS_PER_OIDC_PROVIDER = 5
PRIVATE_KEYS_PER_SAML_PROVIDER = 2
ENCRYPTION_MODES = ("Allowed", "Required")

SAML_METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
_THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")
_PRIVATE_KEY = re.compile(r"-----BEGIN (RSA )?PRIVATE KEY-----.+-----END (RSA )?PRIVATE KEY-----\s*", re.DOTALL)


def parse_xml(document: str) -> ElementTree.Element | None:
    """The document's root element, or None when it is not well-formed XML. Documents with a DTD are refused
    (no entity expansion from a stranger's document)."""
    if "<!DOCTYPE" in document or "<!ENTITY" in document:
        return None
    try:
        return ElementTree.fromstring(document)
    except ElementTree.ParseError:
        return None


def read_metadata(document: str) -> tuple[str, datetime | None]:
    """(entityID, validUntil) of a SAML metadata document whose root is an md:EntityDescriptor."""
    root = parse_xml(document)
    if root is None or root.tag != f"{{{SAML_METADATA_NS}}}EntityDescriptor" or not root.get("entityID"):
        raise InvalidInput("Could not parse metadata")
    valid_until = root.get("validUntil")
    moment = parse_datetime(valid_until.replace("Z", "+00:00")) if valid_until else None
    if valid_until and moment is None:
        raise InvalidInput("Could not parse metadata")
    return root.get("entityID")[:1024], moment


def _private_key_entry(key: str) -> dict:
    if not _PRIVATE_KEY.fullmatch(key):
        raise InvalidInput("The private key is not a PEM-encoded RSA private key.")
    key_id = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(26))
    return {"KeyId": key_id, "Timestamp": timezone.now().isoformat()}


def _check_tags(tags: dict, quota: str) -> None:
    for key, value in tags.items():
        validate_tag(key, value)
    if len(tags) > TAGS_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for {quota}: {TAGS_PER_IDENTITY}")


def _check_encryption(mode: str | None, keys: list) -> None:
    if mode is not None and mode not in ENCRYPTION_MODES:
        raise ValidationError(f"Value '{mode}' at 'assertionEncryptionMode' failed to satisfy constraint: "
                              f"Member must satisfy enum value set: [{', '.join(ENCRYPTION_MODES)}]")
    if len(keys) > PRIVATE_KEYS_PER_SAML_PROVIDER:
        raise LimitExceeded(f"Cannot exceed quota for PrivateKeysPerSamlProvider: {PRIVATE_KEYS_PER_SAML_PROVIDER}")
    if mode == "Required" and not keys:
        raise InvalidInput("A private key is required when the assertion encryption mode is Required.")


@transaction.atomic
def create_saml_provider(account: Account, name: str, metadata: str, *, tags: dict | None = None,
                         encryption_mode: str | None = None, private_key: str | None = None) -> SAMLProvider:
    entity_id, valid_until = read_metadata(metadata)
    tags = tags or {}
    _check_tags(tags, "TagsPerSamlProvider")
    keys = [_private_key_entry(private_key)] if private_key else []
    _check_encryption(encryption_mode, keys)
    Account.objects.select_for_update().get(pk=account.pk)
    if SAMLProvider.objects.filter(account=account, name=name).exists():
        raise EntityAlreadyExists(f"SAMLProvider named {name} already exists")
    if SAMLProvider.objects.filter(account=account).count() >= SAML_PROVIDERS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for SamlProvidersPerAccount: {SAML_PROVIDERS_PER_ACCOUNT}")
    return SAMLProvider.objects.create(
        account=account, name=name, metadata_document=metadata, entity_id=entity_id, valid_until=valid_until,
        assertion_encryption_mode=encryption_mode or "Allowed", private_keys=keys, tags=tags,
    )


@transaction.atomic
def update_saml_provider(provider: SAMLProvider, *, metadata: str | None = None, encryption_mode: str | None = None,
                         add_private_key: str | None = None, remove_private_key: str | None = None) -> SAMLProvider:
    provider = SAMLProvider.objects.select_for_update().select_related("account").get(pk=provider.pk)
    if metadata is not None:
        provider.entity_id, provider.valid_until = read_metadata(metadata)
        provider.metadata_document = metadata
    keys = list(provider.private_keys)
    if remove_private_key is not None:
        if not any(entry["KeyId"] == remove_private_key for entry in keys):
            raise InvalidInput(f"The private key {remove_private_key} does not exist for this SAML provider.")
        keys = [entry for entry in keys if entry["KeyId"] != remove_private_key]
    if add_private_key is not None:
        keys.append(_private_key_entry(add_private_key))
    mode = encryption_mode or provider.assertion_encryption_mode
    _check_encryption(mode, keys)
    provider.assertion_encryption_mode, provider.private_keys = mode, keys
    provider.save()
    return provider


def oidc_issuer(url: str) -> str:
    """The provider's identity (host and path, without https://) from the URL given to CreateOpenIDConnectProvider."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValidationError("Invalid Open ID Connect Provider URL")
    if parts.scheme != "https":
        raise InvalidInput("Invalid Open ID Connect Provider URL. The URL must begin with https://.")
    if parts.query or parts.fragment or "@" in parts.netloc or parts.port is not None:
        raise InvalidInput("Invalid Open ID Connect Provider URL.")
    return (parts.netloc.lower() + parts.path).rstrip("/")


def _check_thumbprints(thumbprints: list[str]) -> None:
    if len(thumbprints) > THUMBPRINTS_PER_OIDC_PROVIDER:
        raise InvalidInput(f"Thumbprint list must contain fewer than {THUMBPRINTS_PER_OIDC_PROVIDER} entries.")
    for thumbprint in thumbprints:
        if not _THUMBPRINT.fullmatch(thumbprint):
            raise ValidationError(
                f"1 validation error detected: Value '{thumbprint}' at 'thumbprintList' failed to satisfy "
                "constraint: Member must have length of 40 hexadecimal characters"
            )


def _check_client_ids(client_ids: list[str]) -> None:
    if len(client_ids) > CLIENT_IDS_PER_OIDC_PROVIDER:
        raise LimitExceeded(f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_OIDC_PROVIDER}")
    for client_id in client_ids:
        if not 1 <= len(client_id) <= 255:
            raise ValidationError(f"1 validation error detected: Value '{client_id}' at 'clientIDList' failed to "
                                  "satisfy constraint: Member must have length between 1 and 255")


@transaction.atomic
def create_oidc_provider(account: Account, url: str, *, client_ids: list[str] = (), thumbprints: list[str] = (),
                         tags: dict | None = None) -> OpenIDConnectProvider:
    issuer = oidc_issuer(url)
    client_ids, thumbprints, tags = list(dict.fromkeys(client_ids)), list(dict.fromkeys(thumbprints)), tags or {}
    _check_thumbprints(thumbprints)
    _check_client_ids(client_ids)
    _check_tags(tags, "TagsPerOpenIdConnectProvider")
    Account.objects.select_for_update().get(pk=account.pk)
    if OpenIDConnectProvider.objects.filter(account=account, url=issuer).exists():
        raise EntityAlreadyExists(f"Provider with url {url} already exists.")
    if OpenIDConnectProvider.objects.filter(account=account).count() >= OIDC_PROVIDERS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for OpenIdConnectProvidersPerAccount: {OIDC_PROVIDERS_PER_ACCOUNT}")
    return OpenIDConnectProvider.objects.create(account=account, url=issuer, client_ids=client_ids,
                                                thumbprints=thumbprints, tags=tags)


def _locked(provider: OpenIDConnectProvider) -> OpenIDConnectProvider:
    return OpenIDConnectProvider.objects.select_for_update().select_related("account").get(pk=provider.pk)


@transaction.atomic
def add_client_id(provider: OpenIDConnectProvider, client_id: str) -> None:
    """Adding an audience the provider already has changes nothing, as in IAM."""
    provider = _locked(provider)
    if client_id in provider.client_ids:
        return
    _check_client_ids([*provider.client_ids, client_id])
    provider.client_ids = [*provider.client_ids, client_id]
    provider.save(update_fields=["client_ids"])


@transaction.atomic
def remove_client_id(provider: OpenIDConnectProvider, client_id: str) -> None:
    """Removing an audience the provider does not have changes nothing, as in IAM."""
    provider = _locked(provider)
    provider.client_ids = [known for known in provider.client_ids if known != client_id]
    provider.save(update_fields=["client_ids"])


@transaction.atomic
def update_thumbprints(provider: OpenIDConnectProvider, thumbprints: list[str]) -> None:
    """Replaces the whole list."""
    thumbprints = list(dict.fromkeys(thumbprints))
    _check_thumbprints(thumbprints)
    provider = _locked(provider)
    provider.thumbprints = thumbprints
    provider.save(update_fields=["thumbprints"])


@transaction.atomic
def delete_provider(provider: SAMLProvider | OpenIDConnectProvider) -> None:
    """Roles whose trust policies name the provider keep them, as in IAM; nobody can sign in through it any more."""
    provider.delete()


@transaction.atomic
def tag_provider(provider, tags: dict[str, str]) -> dict[str, str]:
    quota = "TagsPerSamlProvider" if isinstance(provider, SAMLProvider) else "TagsPerOpenIdConnectProvider"
    return merge_tags(provider, tags, quota)


@transaction.atomic
def untag_provider(provider, keys: list[str]) -> dict[str, str]:
    return remove_tags(provider, keys)
