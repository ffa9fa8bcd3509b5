"""Server certificates: a PEM certificate whose private key must match it, an optional chain, a name and a path.

The private key is checked against the certificate and then dropped: the sandbox never stores it, so no
operation can return it (IAM never returns it either)."""

from django.db import transaction

from accounts.models import Account

from ..exceptions import EntityAlreadyExists, KeyPairMismatch, LimitExceeded, NoSuchEntity
from ..models import ServerCertificate
from .common import validated
from .pem import parse_certificate, parse_chain, parse_private_key, public_key_bytes
from .tags import merge_tags, remove_tags, validate_new_tags

SERVER_CERTIFICATES_PER_ACCOUNT = 20


def _ensure_name_free(account: Account, name: str, but=None) -> None:
    clashes = ServerCertificate.objects.filter(account=account, name__lower=name.lower()).exclude(pk=getattr(but, "pk", None))
    if clashes.exists():
        raise EntityAlreadyExists(f"The Server Certificate with name {name} already exists.", field="name")


@transaction.atomic
def upload_server_certificate(account: Account, name: str, body: str, private_key: str, *, chain: str = "",
                              path: str = "/", tags: dict | None = None) -> ServerCertificate:
    certificate = parse_certificate(body)
    key = parse_private_key(private_key)
    if public_key_bytes(key.public_key()) != public_key_bytes(certificate.public_key()):
        raise KeyPairMismatch("The private key does not match the public key in the certificate.")
    if chain:
        parse_chain(chain)
    validate_new_tags(tags or {}, "TagsPerServerCertificate")
    stored = validated(ServerCertificate(
        account=account, name=name, path=path, body=body.strip(), chain=chain.strip(), tags=tags or {},
        expires_at=certificate.not_valid_after_utc,
    ), exclude=["server_certificate_id"])
    Account.objects.select_for_update().get(pk=account.pk)
    _ensure_name_free(account, name)
    if ServerCertificate.objects.filter(account=account).count() >= SERVER_CERTIFICATES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for ServerCertificatesPerAccount: {SERVER_CERTIFICATES_PER_ACCOUNT}")
    stored.save()
    return stored


@transaction.atomic
def update_server_certificate(certificate: ServerCertificate, *, new_name: str | None = None,
                              new_path: str | None = None) -> ServerCertificate:
    certificate.name = new_name or certificate.name
    certificate.path = new_path or certificate.path
    validated(certificate, exclude=["server_certificate_id"])
    Account.objects.select_for_update().get(pk=certificate.account_id)
    _ensure_name_free(certificate.account, certificate.name, but=certificate)
    certificate.save(update_fields=["name", "path"])
    return certificate


@transaction.atomic
def delete_server_certificate(certificate: ServerCertificate) -> None:
    certificate.delete()


@transaction.atomic
def tag_server_certificate(certificate: ServerCertificate, tags: dict[str, str]) -> dict[str, str]:
    return merge_tags(certificate, tags, "TagsPerServerCertificate")


@transaction.atomic
def untag_server_certificate(certificate: ServerCertificate, keys: list[str]) -> dict[str, str]:
    return remove_tags(certificate, keys)


def find_server_certificate(account: Account, name: str) -> ServerCertificate:
    certificate = ServerCertificate.objects.select_related("account").filter(account=account, name__lower=name.lower()).first()
    if certificate is None:
        raise NoSuchEntity(f"The Server Certificate with name {name} cannot be found.")
    return certificate
