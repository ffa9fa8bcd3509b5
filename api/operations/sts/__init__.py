"""STS over the Query protocol: AssumeRole, GetSessionToken and the federation operations (temporary credentials),
GetCallerIdentity."""

from datetime import timedelta

from django.utils import timezone

from iam.authorization import authorize
from iam.exceptions import AccessDenied, InvalidAuthenticationCode, MalformedPolicyDocument, ValidationError
from iam.policy_language import parse_policy, policy_size
from iam.selectors import access_key_account_id, find_mfa_device, find_role_by_arn, session_policies, trust_allows
from iam.services import verify_mfa_code

from ... import temporary_credentials
from ...errors import ApiError
from ...service_models import STS
from .. import Call, Operations

# What credentials from GetSessionToken and GetFederationToken may call in STS (STS API Reference).
SESSION_TOKEN_OPERATIONS = {"AssumeRole", "GetCallerIdentity", "GetScopedCredentials"}
FEDERATED_SESSION_OPERATIONS = {"GetCallerIdentity", "GetScopedCredentials"}


def session_token_limits(call: Call) -> None:
    principal = call.principal
    if principal is None:  # AssumeRoleWithSAML and AssumeRoleWithWebIdentity are not signed
        return
    if principal.is_federated_session:
        allowed = FEDERATED_SESSION_OPERATIONS
    elif principal.via_session_token:
        allowed = SESSION_TOKEN_OPERATIONS
    else:
        return
    if call.operation.name not in allowed:
        raise AccessDenied(
            f"Cannot call {call.operation.name} with session credentials",
            action=call.action, resource="*",
        )


operations = Operations(STS, precondition=session_token_limits)

# "Role chaining limits your session to a maximum of one hour." (IAM User Guide)
CHAINED_SESSION_LIMIT = timedelta(hours=1)
# GetSessionToken: 12 hours unless asked; the root user's sessions last at most one hour.
SESSION_TOKEN_DEFAULT = timedelta(hours=12)
ROOT_SESSION_LIMIT = timedelta(hours=1)
# "The plaintext that you use for both inline and managed session policies can't exceed 2,048 characters."
SESSION_POLICY_SIZE = 2048


def _denied(call, resource: str) -> AccessDenied:
    return AccessDenied(
        f"User: {call.principal.arn} is not authorized to perform: {call.action} on resource: {resource}",
        action=call.action, resource=resource,
    )


def _mfa_failure(call, message: str) -> AccessDenied:
    return AccessDenied(f"MultiFactorAuthentication failed{message}", action=call.action, resource="*")


def prove_mfa(call):
    """SerialNumber and TokenCode, when given, checked against the caller's own assigned device: when MFA was proven."""
    serial, code = call.params.get("SerialNumber"), call.params.get("TokenCode")
    if serial is None and code is None:
        return None
    if serial is None or code is None:
        raise _mfa_failure(call, ", must provide both MFA serial number and one time pass code.")
    principal = call.principal
    device = find_mfa_device(principal.account, serial)
    holder = principal.user if not principal.is_role_session else None
    owned = device is not None and device.is_enabled and (
        device.user_id == holder.pk if holder is not None else device.root and principal.is_root
    )
    if not owned:
        raise _mfa_failure(call, ", unable to validate MFA code. Please verify your MFA serial number is valid and "
                                 "associated with this user.")
    try:
        verify_mfa_code(device, code)
    except InvalidAuthenticationCode:
        raise _mfa_failure(call, " with invalid MFA one time pass code.") from None
    return timezone.now()


def _credentials(session, token: str) -> dict:
    return {"AccessKeyId": session.access_key_id, "SecretAccessKey": session.secret, "SessionToken": token,
            "Expiration": session.expiration}


def _session_policies(call, account) -> tuple[str | None, tuple[str, ...], int]:
    """AssumeRole's Policy and PolicyArns, validated; and PackedPolicySize (percent of the allowed size)."""
    policy = call.params.get("Policy")
    arns = tuple(dict.fromkeys(item["arn"] for item in call.params.get("PolicyArns", ())))
    size = policy_size(policy) if policy else 0
    if policy is not None:
        parse_policy(policy)
    if arns:
        found = session_policies(account, None, arns)
        if len(found) != len(arns):
            known = {item.source for item in found}
            missing = next(arn for arn in arns if arn not in known)
            raise MalformedPolicyDocument(f"Policy {missing} does not exist or is not attachable.")
        size += sum(len(arn) for arn in arns)
    if size > SESSION_POLICY_SIZE:
        raise ApiError("PackedPolicyTooLarge", f"Packed size of session policies exceeds {SESSION_POLICY_SIZE} "
                                               f"characters by {size - SESSION_POLICY_SIZE}.")
    return policy, arns, size * 100 // SESSION_POLICY_SIZE


def _mfa_context(moment) -> dict:
    if moment is None:
        return {}
    return {"aws:MultiFactorAuthPresent": True,
            "aws:MultiFactorAuthAge": int((timezone.now() - moment).total_seconds())}


@operations("AssumeRole")
def assume_role(call):
    """The trust policy (with its conditions) and the caller's identity policies must both allow it; the role may
    be in another sandbox account. Session policies limit the session to what they and the role both allow."""
    params, principal = call.params, call.principal
    role_arn = params["RoleArn"]
    if principal.is_root:  # "You cannot use AWS account root user credentials to call AssumeRole."
        raise _denied(call, role_arn)
    mfa_at = prove_mfa(call) or principal.mfa_authenticated_at
    role = find_role_by_arn(role_arn)
    context = _mfa_context(mfa_at)
    if "ExternalId" in params:
        context["sts:ExternalId"] = params["ExternalId"]
    if role is None or not trust_allows(role, principal, context):
        raise _denied(call, role_arn)
    authorize(principal, call.action, role_arn, context, resource_policy_allows=True)
    return role_session(call, role, params["RoleSessionName"], mfa_at=mfa_at, chained=principal.is_role_session)


def role_session(call, role, session_name: str, *, mfa_at=None, chained: bool = False) -> dict:
    """A session of the role with the call's session policies and DurationSeconds (within the role's maximum, one
    hour when role chaining): AssumeRole's and the federated AssumeRoleWith* operations' common output."""
    params = call.params
    policy, policy_arns, packed = _session_policies(call, role.account)
    duration = timedelta(seconds=params.get("DurationSeconds", int(temporary_credentials.DEFAULT_DURATION.total_seconds())))
    limit = CHAINED_SESSION_LIMIT if chained else timedelta(seconds=role.max_session_duration)
    if duration > limit:
        raise ValidationError(
            f"The requested DurationSeconds exceeds the MaxSessionDuration set for this role ({int(limit.total_seconds())})."
        )
    session, token = temporary_credentials.issue(
        role.account, duration, role=role, session_name=session_name, mfa_authenticated_at=mfa_at,
        policy=policy, policy_arns=policy_arns,
    )
    output = {
        "Credentials": _credentials(session, token),
        "AssumedRoleUser": {
            "AssumedRoleId": f"{role.role_id}:{session.session_name}",
            "Arn": f"arn:aws:sts::{role.account.account_id}:assumed-role/{role.name}/{session.session_name}",
        },
    }
    if policy is not None or policy_arns:
        output["PackedPolicySize"] = packed
    return output


@operations("GetSessionToken")
def get_session_token(call):
    """Temporary credentials of the calling user (or root user), with MFA proven when SerialNumber and TokenCode
    are given: policies then see aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge. Needs no permission."""
    principal = call.principal
    if principal.is_role_session:
        raise AccessDenied("Cannot call GetSessionToken with session credentials", action=call.action, resource="*")
    mfa_at = prove_mfa(call)
    duration = timedelta(seconds=call.params["DurationSeconds"]) if "DurationSeconds" in call.params else SESSION_TOKEN_DEFAULT
    if principal.is_root:
        duration = min(duration, ROOT_SESSION_LIMIT)  # "defaults to one hour" for the account owner
    session, token = temporary_credentials.issue(principal.account, duration, user=principal.user,
                                                 mfa_authenticated_at=mfa_at)
    return {"Credentials": _credentials(session, token)}


@operations("GetAccessKeyInfo")
def get_access_key_info(call):
    """The account a long-term access key (AKIA...) of any sandbox account belongs to. Session keys (ASIA...) are
    kept nowhere (their token says everything), so they cannot be looked up. Needs sts:GetAccessKeyInfo."""
    call.authorize()
    key_id = call.params["AccessKeyId"]
    account_id = access_key_account_id(key_id)
    if account_id is None:
        raise ValidationError(f"The access key {key_id} is not a valid access key of any account.")
    return {"Account": account_id}


@operations("GetCallerIdentity")
def get_caller_identity(call):
    """Needs no permission, as in AWS."""
    principal = call.principal
    if principal.is_role_session:
        user_id = f"{principal.role.role_id}:{principal.role_session_name}"
    elif principal.is_federated_session:
        user_id = f"{principal.account.account_id}:{principal.federated_user_name}"
    else:
        user_id = principal.account.account_id if principal.is_root else principal.user.user_id
    return {"UserId": user_id, "Account": principal.account.account_id, "Arn": principal.arn}


from . import federation, identity_providers, scoped  # noqa: E402,F401  (they register their handlers)
