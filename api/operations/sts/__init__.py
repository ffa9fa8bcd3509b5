"""STS over the Query protocol: AssumeRole (role sessions with temporary credentials) and GetCallerIdentity."""

from datetime import timedelta

from iam.exceptions import AccessDenied, ValidationError
from iam.models import Role
from iam.selectors import find_identity_by_arn, trust_allows

from ... import temporary_credentials
from ...service_models import STS
from .. import Operations

operations = Operations(STS)

# "Role chaining limits your session to a maximum of one hour." (IAM User Guide)
CHAINED_SESSION_LIMIT = timedelta(hours=1)


def _denied(call, role_arn: str) -> AccessDenied:
    return AccessDenied(
        f"User: {call.principal.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
        action="sts:AssumeRole", resource=role_arn,
    )


@operations("AssumeRole")
def assume_role(call):
    params, principal = call.params, call.principal
    role_arn = params["RoleArn"]
    if principal.is_root:  # "You cannot use AWS account root user credentials to call AssumeRole."
        raise _denied(call, role_arn)
    call.authorize(role_arn)
    role = find_identity_by_arn(principal.account, role_arn)
    if not isinstance(role, Role) or not trust_allows(
        role, principal.arn, principal.account.account_id
    ):
        raise _denied(call, role_arn)
    duration = timedelta(seconds=params.get("DurationSeconds", int(temporary_credentials.DEFAULT_DURATION.total_seconds())))
    limit = CHAINED_SESSION_LIMIT if principal.is_role_session else timedelta(seconds=role.max_session_duration)
    if duration > limit:
        raise ValidationError(
            f"The requested DurationSeconds exceeds the MaxSessionDuration set for this role ({int(limit.total_seconds())})."
        )
    session, token = temporary_credentials.issue(role, params["RoleSessionName"], duration)
    return {
        "Credentials": {
            "AccessKeyId": session.access_key_id,
            "SecretAccessKey": session.secret,
            "SessionToken": token,
            "Expiration": session.expiration,
        },
        "AssumedRoleUser": {
            "AssumedRoleId": f"{role.role_id}:{session.session_name}",
            "Arn": f"arn:aws:sts::{principal.account.account_id}:assumed-role/{role.name}/{session.session_name}",
        },
    }


@operations("GetCallerIdentity")
def get_caller_identity(call):
    """Needs no permission, as in AWS."""
    principal = call.principal
    if principal.is_role_session:
        user_id = f"{principal.role.role_id}:{principal.role_session_name}"
    else:
        user_id = principal.account.account_id if principal.is_root else principal.user.user_id
    return {"UserId": user_id, "Account": principal.account.account_id, "Arn": principal.arn}
