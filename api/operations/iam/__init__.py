"""IAM over the Query protocol. Each handler checks the IAM action on the resource, then calls iam.services."""

from iam.exceptions import AccessDenied

from ...service_models import IAM
from .. import Call, Operations


def session_limits(call: Call) -> None:
    """"You cannot call any IAM API operations unless MFA authentication information is included in the request"
    with credentials from GetSessionToken, and "You cannot call any IAM operations using the CLI or the API" with
    those from GetFederationToken (STS API Reference)."""
    principal = call.principal
    if principal.is_federated_session:
        raise AccessDenied(f"User: {principal.arn} is not authorized to perform: {call.action} with federated user "
                           "session credentials", action=call.action, resource="*")
    if principal.via_session_token and principal.mfa_authenticated_at is None:
        raise AccessDenied(
            f"User: {principal.arn} is not authorized to perform: {call.action} with session credentials obtained "
            "without MFA",
            action=call.action, resource="*",
        )


operations = Operations(IAM, precondition=session_limits)

from . import (  # noqa: E402,F401  (they register their handlers)
    access_advisor,
    access_keys,
    account,
    authorization_details,
    boundaries,
    credential_report,
    delegation,
    groups,
    identity_policies,
    identity_providers,
    instance_profiles,
    login_profiles,
    mfa,
    policies,
    roles,
    server_certificates,
    service_credentials,
    service_linked_roles,
    signing_certificates,
    simulation,
    ssh_keys,
    tags,
    users,
)
