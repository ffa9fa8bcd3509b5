"""GetFederationToken: a federated user session of the calling IAM user (or root user), allowed only what both the
user's policies and the session policies allow (nothing, without session policies), with optional session tags."""

from datetime import timedelta

from iam.authorization import authorize
from iam.exceptions import AccessDenied
from iam.services.tags import validate_tag

from ... import temporary_credentials
from ..iam.tags import request_tag_context
from . import ROOT_SESSION_LIMIT, _credentials, _session_policies, operations

FEDERATION_DEFAULT = timedelta(hours=12)


@operations("GetFederationToken")
def get_federation_token(call):
    principal, params = call.principal, call.params
    if not principal.via_access_key:
        raise AccessDenied("Cannot call GetFederationToken with session credentials", action=call.action, resource="*")
    account_id, name = principal.account.account_id, params["Name"]
    federated_arn = f"arn:aws:sts::{account_id}:federated-user/{name}"
    call.authorize(federated_arn)
    tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags", ())}
    for key, value in tags.items():
        validate_tag(key, value)
    if tags:
        authorize(principal, "sts:TagSession", federated_arn, request_tag_context(tags))
    policy, policy_arns, packed = _session_policies(call, principal.account)
    duration = timedelta(seconds=params["DurationSeconds"]) if "DurationSeconds" in params else FEDERATION_DEFAULT
    if principal.is_root:
        duration = min(duration, ROOT_SESSION_LIMIT)
    session, token = temporary_credentials.issue(
        principal.account, duration, user=principal.user, session_name=name, policy=policy, policy_arns=policy_arns,
        federated_user_name=name, session_tags=tags,
    )
    return {
        "Credentials": _credentials(session, token),
        "FederatedUser": {"FederatedUserId": f"{account_id}:{name}", "Arn": federated_arn},
        "PackedPolicySize": packed,
    }
