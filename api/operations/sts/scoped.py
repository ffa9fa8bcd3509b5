"""GetScopedCredentials: the caller's own temporary credentials narrowed by a scope-down policy (at most three
layers in all) and/or given a shorter life; the identity, its session policies and MFA context stay as they were."""

from datetime import timedelta

from django.utils import timezone

from iam.exceptions import AccessDenied, ValidationError
from iam.policy_language import parse_policy

from ... import temporary_credentials
from ...errors import ApiError
from . import _credentials, operations

MAX_SCOPE_LAYERS = 3
# The largest session token STS issues (MinimumSessionTokenSize's maximum): SessionTokenUtilization is of this.
MAX_TOKEN_SIZE = 4096


@operations("GetScopedCredentials")
def get_scoped_credentials(call):
    session, params = call.session, call.params
    if session is None:
        raise ApiError("InvalidSubjectCredentials", "GetScopedCredentials must be called with temporary security "
                       "credentials, not with an IAM user's or the root user's access key.")
    policy, seconds = params.get("Policy"), params.get("DurationSeconds")
    if policy is None and seconds is None:
        raise ValidationError("A request must provide at least one of Policy or DurationSeconds.")
    scopes = session.scope_policies
    if policy is not None:
        parse_policy(policy)
        if len(scopes) >= MAX_SCOPE_LAYERS:
            raise AccessDenied(f"The session already has {MAX_SCOPE_LAYERS} scope-down policies, the most allowed.",
                               action=call.action, resource="*")
        scopes = (*scopes, policy)
    expires_at = session.expiration
    if seconds is not None:
        wanted = timezone.now() + timedelta(seconds=seconds)
        if wanted > expires_at:
            raise ApiError("InsufficientSessionLifetime", f"The requested DurationSeconds ({seconds}) is greater than "
                           "the remaining lifetime of the calling session.")
        expires_at = wanted
    scoped, token = temporary_credentials.issue(
        session.account, timedelta(0), role=session.role, user=session.user, session_name=session.session_name,
        mfa_authenticated_at=session.mfa_authenticated_at, policy=session.policy, policy_arns=session.policy_arns,
        federated_user_name=session.federated_user_name, session_tags=session.session_tags, scope_policies=scopes,
        expires_at=expires_at, minimum_token_size=params.get("MinimumSessionTokenSize", 0),
    )
    if len(token) > MAX_TOKEN_SIZE:
        raise ApiError("PackedPolicyTooLarge", f"The session token would be {len(token)} bytes; the most allowed is "
                       f"{MAX_TOKEN_SIZE}.")
    return {
        "Credentials": _credentials(scoped, token),
        "SessionInfo": {"ScopedSessionId": scoped.access_key_id, "Arn": call.principal.arn},
        "SessionTokenSize": len(token),
        "SessionTokenUtilization": min(100, len(token) * 100 // MAX_TOKEN_SIZE),
        "ScopedPoliciesCount": len(scopes),
    }
