"""Service-specific credentials: Git credentials for CodeCommit, passwords for Amazon Keyspaces and long-term API
keys for Amazon Bedrock, two per user per service. The password (or key) is shown once, at creation or reset, and
never kept: nothing in the sandbox authenticates with it."""

import base64
import secrets
import string
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import identifiers
from ..exceptions import LimitExceeded, NoSuchEntity, ServiceNotSupported, ValidationError
from ..models import IAMUser, ServiceSpecificCredential

CREDENTIALS_PER_USER_PER_SERVICE = 2
PASSWORD_SERVICES = ("codecommit.amazonaws.com", "cassandra.amazonaws.com")
API_KEY_SERVICES = ("bedrock.amazonaws.com",)
SUPPORTED_SERVICES = PASSWORD_SERVICES + API_KEY_SERVICES
_PASSWORD_ALPHABET = string.ascii_letters + string.digits + "+/="


def check_service(service_name: str) -> None:
    if service_name not in SUPPORTED_SERVICES:
        raise ServiceNotSupported(
            f"The specified service {service_name} is not supported for service-specific credentials. "
            f"Supported services: {', '.join(SUPPORTED_SERVICES)}."
        )


def is_api_key(credential: ServiceSpecificCredential) -> bool:
    return credential.service_name in API_KEY_SERVICES


def _new_secret(credential: ServiceSpecificCredential) -> str:
    if is_api_key(credential):  # Bedrock's keys carry their alias, base64-encoded after "ABSK"
        raw = f"{credential.service_user_name}:{secrets.token_urlsafe(60)}"
        return "ABSK" + base64.b64encode(raw.encode()).decode()
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(44))



@transaction.atomic
def create_service_specific_credential(user: IAMUser, service_name: str,
                                       age_days: int | None = None) -> tuple[ServiceSpecificCredential, str]:
    """The new credential and its password (API key for Bedrock), which is never shown again."""
    check_service(service_name)
    if age_days is not None and service_name not in API_KEY_SERVICES:
        raise ValidationError("CredentialAgeDays is only valid for services that support long-term API keys "
                              f"({', '.join(API_KEY_SERVICES)}).", field="CredentialAgeDays")
    IAMUser.objects.select_for_update().get(pk=user.pk)
    if ServiceSpecificCredential.objects.filter(user=user, service_name=service_name).count() \
            >= CREDENTIALS_PER_USER_PER_SERVICE:
        raise LimitExceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: "
                            f"{CREDENTIALS_PER_USER_PER_SERVICE}")
    account_id = user.account.account_id
    name = f"{user.name}-at-{account_id}"
    if service_name in API_KEY_SERVICES:
        name = f"BedrockAPIKey-{secrets.token_hex(2)}-at-{account_id}"
    credential = ServiceSpecificCredential(
        account_id=user.account_id, user=user, service_name=service_name, service_user_name=name,
        credential_id=identifiers.unique_id(identifiers.SERVICE_CREDENTIAL_PREFIX),
        expires_at=timezone.now() + timedelta(days=age_days) if age_days else None,
    )
    credential.save()
    return credential, _new_secret(credential)


def find_service_specific_credential(user: IAMUser, credential_id: str) -> ServiceSpecificCredential:
    credential = ServiceSpecificCredential.objects.filter(user=user, credential_id=credential_id).first()
    if credential is None:
        raise NoSuchEntity(f"No such credential {credential_id} exists for user {user.name}.")
    return credential


def reset_service_specific_credential(credential: ServiceSpecificCredential) -> str:
    """A new password: the old one stops working at once (there is nothing stored to invalidate)."""
    return _new_secret(credential)
