"""Service-specific credentials over the wire, on iam.services.service_credentials."""

from iam.exceptions import NoSuchEntity
from iam.models import ServiceSpecificCredential
from iam.services import service_credentials as services
from iam.services.common import delete_credential, set_credential_status

from . import operations
from .common import find_user, paged, user_or_caller


def _metadata(credential: ServiceSpecificCredential) -> dict:
    name = "ServiceCredentialAlias" if services.is_api_key(credential) else "ServiceUserName"
    return {"UserName": credential.user.name, "Status": credential.current_status,
            name: credential.service_user_name, "CreateDate": credential.created_at,
            "ExpirationDate": credential.expires_at, "ServiceSpecificCredentialId": credential.credential_id,
            "ServiceName": credential.service_name}


def _with_secret(credential: ServiceSpecificCredential, secret: str) -> dict:
    name = "ServiceCredentialSecret" if services.is_api_key(credential) else "ServicePassword"
    return {"ServiceSpecificCredential": {**_metadata(credential), name: secret}}


def _credential(call) -> ServiceSpecificCredential:
    user = user_or_caller(call)
    if user is None:  # the root user has no service-specific credentials
        raise NoSuchEntity(f"No such credential {call.params['ServiceSpecificCredentialId']} exists.")
    call.authorize(user.arn)
    return services.find_service_specific_credential(user, call.params["ServiceSpecificCredentialId"])


@operations("CreateServiceSpecificCredential")
def create(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    credential, secret = services.create_service_specific_credential(
        user, call.params["ServiceName"], call.params.get("CredentialAgeDays"))
    return _with_secret(credential, secret)


@operations("ResetServiceSpecificCredential")
def reset(call):
    credential = _credential(call)
    return _with_secret(credential, services.reset_service_specific_credential(credential))


@operations("UpdateServiceSpecificCredential")
def update(call):
    set_credential_status(_credential(call), call.params["Status"])


@operations("DeleteServiceSpecificCredential")
def delete(call):
    delete_credential(_credential(call))


@operations("ListServiceSpecificCredentials")
def list_credentials(call):
    account = call.principal.account
    credentials = ServiceSpecificCredential.objects.select_related("user").filter(account=account)
    if call.params.get("AllUsers"):
        call.authorize(f"arn:aws:iam::{account.account_id}:user/*")
        scope = "all"
    else:
        user = user_or_caller(call)
        call.authorize(user.arn if user else account.root_arn)
        credentials = credentials.filter(user=user)
        scope = user.pk if user else "root"
    service_name = call.params.get("ServiceName")
    if service_name:
        services.check_service(service_name)
        credentials = credentials.filter(service_name=service_name)
    rows, more = paged(call, credentials.order_by("created_at", "pk"),
                       f"ListServiceSpecificCredentials:{scope}:{service_name or ''}")
    return {"ServiceSpecificCredentials": [_metadata(credential) for credential in rows], **more}
