"""AWS-style unique IDs: a four-letter prefix naming the kind, then 17 characters."""

import secrets
import string

_ALPHABET = string.ascii_uppercase + string.digits

USER_PREFIX = "AIDA"
GROUP_PREFIX = "AGPA"
ROLE_PREFIX = "AROA"
POLICY_PREFIX = "ANPA"
ACCESS_KEY_PREFIX = "AKIA"
INSTANCE_PROFILE_PREFIX = "AIPA"
SSH_PUBLIC_KEY_PREFIX = "APKA"
SERVER_CERTIFICATE_PREFIX = "ASCA"
SERVICE_CREDENTIAL_PREFIX = "ACCA"


def unique_id(prefix: str, length: int = 17) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def secret_access_key() -> str:
    """40 characters of base64 alphabet, the shape of an AWS secret access key."""
    alphabet = string.ascii_letters + string.digits + "+/"
    return "".join(secrets.choice(alphabet) for _ in range(40))
