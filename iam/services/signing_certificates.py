"""X.509 signing certificates of IAM users and of the root user (two each, as IAM's quota)."""

import secrets
import string

from cryptography.hazmat.primitives import serialization
from django.db import transaction

from accounts.models import Account

from ..exceptions import DuplicateCertificate, LimitExceeded, NoSuchEntity
from ..models import IAMUser, SigningCertificate
from .pem import parse_certificate

SIGNING_CERTIFICATES_PER_USER = 2
_ID_ALPHABET = string.ascii_uppercase + string.digits


def _owner_name(user: IAMUser | None) -> str:
    return user.name if user else "root"


@transaction.atomic
def upload_signing_certificate(account: Account, user: IAMUser | None, body: str) -> SigningCertificate:
    """A certificate for an IAM user, or for the root user when user is None."""
    certificate = parse_certificate(body)
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    if user is not None:
        IAMUser.objects.select_for_update().get(pk=user.pk)
    else:
        Account.objects.select_for_update().get(pk=account.pk)
    owned = SigningCertificate.objects.filter(account=account, user=user)
    if owned.filter(body=pem).exists():
        raise DuplicateCertificate(f"The Certificate is already associated with the user {_owner_name(user)}.")
    if owned.count() >= SIGNING_CERTIFICATES_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for SigningCertificatesPerUser: {SIGNING_CERTIFICATES_PER_USER}")
    return SigningCertificate.objects.create(
        account=account, user=user, body=pem,
        certificate_id="".join(secrets.choice(_ID_ALPHABET) for _ in range(32)),
    )


def find_signing_certificate(account: Account, user: IAMUser | None, certificate_id: str) -> SigningCertificate:
    certificate = SigningCertificate.objects.filter(account=account, user=user, certificate_id=certificate_id).first()
    if certificate is None:
        raise NoSuchEntity(
            f"The Certificate with id {certificate_id} cannot be found for user {_owner_name(user)}.")
    return certificate
