"""SSH public keys of IAM users (what CodeCommit authenticates with): RSA of 2048 bits or more, or Ed25519."""

import base64
import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.db import transaction

from .. import identifiers
from ..exceptions import DuplicateSSHPublicKey, InvalidPublicKey, LimitExceeded, NoSuchEntity, UnrecognizedPublicKeyEncoding
from ..models import IAMUser, SSHPublicKey

SSH_PUBLIC_KEYS_PER_USER = 5
MINIMUM_RSA_BITS = 2048


def _load(body: str):
    """The key in an OpenSSH line ("ssh-rsa AAAA... comment") or PEM; UnrecognizedPublicKeyEncoding if neither."""
    text = body.strip()
    try:
        if text.startswith("-----BEGIN"):
            return serialization.load_pem_public_key(text.encode())
        return serialization.load_ssh_public_key(" ".join(text.split()[:2]).encode())
    except (ValueError, UnsupportedAlgorithm, IndexError) as error:
        raise UnrecognizedPublicKeyEncoding(
            "The request was rejected because the public key encoding format is unsupported or unrecognized: "
            "use an OpenSSH (ssh-rsa, ssh-ed25519) or PEM public key."
        ) from error


def parse_public_key(body: str) -> tuple[str, str]:
    """(the key in OpenSSH form, its MD5 fingerprint as IAM shows it) of an uploaded key."""
    key = _load(body)
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MINIMUM_RSA_BITS:
            raise InvalidPublicKey(
                f"The request was rejected because the public key is malformed or otherwise invalid: an RSA key "
                f"must be at least {MINIMUM_RSA_BITS} bits long (this one has {key.key_size})."
            )
    elif not isinstance(key, ed25519.Ed25519PublicKey):
        raise InvalidPublicKey(
            "The request was rejected because the public key is malformed or otherwise invalid: only RSA and "
            "Ed25519 keys are accepted."
        )
    openssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    # IAM's fingerprint is the MD5 of the key's SSH wire blob (`ssh-keygen -l -E md5`), in colon-separated hex.
    digest = hashlib.md5(base64.b64decode(openssh.split()[1])).hexdigest()  # noqa: S324
    return openssh, ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def encoded(key: SSHPublicKey, encoding: str) -> str:
    """GetSSHPublicKey's body: the OpenSSH line (SSH) or the SubjectPublicKeyInfo PEM (PEM)."""
    if encoding == "SSH":
        return key.body
    public = serialization.load_ssh_public_key(key.body.encode())
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@transaction.atomic
def upload_ssh_public_key(user: IAMUser, body: str) -> SSHPublicKey:
    openssh, fingerprint = parse_public_key(body)
    IAMUser.objects.select_for_update().get(pk=user.pk)
    keys = SSHPublicKey.objects.filter(user=user)
    if keys.filter(fingerprint=fingerprint).exists():
        raise DuplicateSSHPublicKey("The request was rejected because the SSH public key is already associated "
                                    f"with the user {user.name}.")
    if keys.count() >= SSH_PUBLIC_KEYS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for PublicKeysPerUser: {SSH_PUBLIC_KEYS_PER_USER}")
    return SSHPublicKey.objects.create(
        account_id=user.account_id, user=user, key_id=identifiers.unique_id(identifiers.SSH_PUBLIC_KEY_PREFIX),
        body=openssh, fingerprint=fingerprint,
    )


def find_ssh_public_key(user: IAMUser, key_id: str) -> SSHPublicKey:
    key = SSHPublicKey.objects.filter(user=user, key_id=key_id).first()
    if key is None:
        raise NoSuchEntity(f"The Public Key with id {key_id} cannot be found.")
    return key
