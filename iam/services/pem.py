"""Reading the PEM certificates and keys that IAM stores (signing and server certificates)."""

import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..exceptions import MalformedCertificate

_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def parse_certificate(body: str, what: str = "certificate") -> x509.Certificate:
    """The one X.509 certificate of a PEM body; MalformedCertificate for anything else."""
    found = _PEM_CERTIFICATE.findall(body)
    if len(found) != 1 or body.strip() != found[0]:
        raise MalformedCertificate(f"Unable to parse {what}. Please ensure the {what} is in PEM format.")
    try:
        return x509.load_pem_x509_certificate(found[0].encode())
    except ValueError as error:
        raise MalformedCertificate(f"Unable to parse {what}. Please ensure the {what} is in PEM format.") from error


def parse_chain(chain: str) -> list[x509.Certificate]:
    """A certificate chain: PEM certificates one after another."""
    blocks = _PEM_CERTIFICATE.findall(chain)
    if not blocks or "".join(_PEM_CERTIFICATE.split(chain)).strip():
        raise MalformedCertificate("Unable to parse certificate chain. Please ensure the chain is in PEM format.")
    return [parse_certificate(block, "certificate chain") for block in blocks]


def parse_private_key(pem: str):
    try:
        return serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError) as error:  # TypeError: an encrypted key, which IAM refuses too
        raise MalformedCertificate(
            "Unable to parse private key. Please ensure the private key is an unencrypted PEM key."
        ) from error


def public_key_bytes(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
