"""What the IAM handlers share: finding the caller's own entities, paging, and the wire shapes."""

from urllib.parse import quote

from iam.exceptions import NoSuchEntity
from iam.identity_kinds import USER, IdentityKind
from iam.models import IAMGroup, IAMUser, Policy, Role
from iam.selectors import find_named, find_policy_by_arn

from ...paging import page
from .. import Call

DEFAULT_MAX_ITEMS = 100


def arn(call: Call, kind: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{call.principal.account.account_id}:{kind}{path}{name}"


def find_identity(call: Call, kind: IdentityKind, name: str):
    """A user, group or role of the caller's own account; another account's does not exist here."""
    identity = find_named(kind.model, call.principal.account, name)
    if identity is None:
        raise NoSuchEntity(f"The {kind.key} with name {name} cannot be found.")
    return identity


def find_user(call: Call, name: str) -> IAMUser:
    return find_identity(call, USER, name)


def user_or_caller(call: Call) -> IAMUser | None:
    """The UserName given, else the calling user (None for the root user), as AWS defaults it."""
    name = call.params.get("UserName")
    if name:
        return find_user(call, name)
    return call.principal.user


def find_policy(call: Call, policy_arn: str) -> Policy:
    policy = find_policy_by_arn(call.principal.account, policy_arn)
    if policy is None:
        raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")
    return policy


def paged(call: Call, items, scope: str) -> tuple[list, dict]:
    """IAM's Marker/MaxItems paging: the page and the IsTruncated/Marker members of the result."""
    rows, marker = page(
        items, limit=call.params.get("MaxItems", DEFAULT_MAX_ITEMS), token=call.params.get("Marker"),
        scope=f"iam:{scope}:{call.principal.account.pk}", error_code="ValidationError",
    )
    return rows, {"IsTruncated": marker is not None, "Marker": marker}


def tags(stored: dict) -> list[dict] | None:
    return [{"Key": key, "Value": value} for key, value in stored.items()] or None


def policy_document(document: str) -> str:
    """IAM returns policy documents URL-encoded (the SDKs decode them)."""
    return quote(document, safe="")


def user_shape(user: IAMUser) -> dict:
    return {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": user.created_at,
        "PasswordLastUsed": user.password_last_used,
        "Tags": tags(user.tags),
    }


def group_shape(group: IAMGroup) -> dict:
    return {"Path": group.path, "GroupName": group.name, "GroupId": group.group_id, "Arn": group.arn,
            "CreateDate": group.created_at}


def role_shape(role: Role) -> dict:
    return {
        "Path": role.path,
        "RoleName": role.name,
        "RoleId": role.role_id,
        "Arn": role.arn,
        "CreateDate": role.created_at,
        "AssumeRolePolicyDocument": policy_document(role.trust_policy),
        "Description": role.description or None,
        "MaxSessionDuration": role.max_session_duration,
        "Tags": tags(role.tags),
        "RoleLastUsed": {"LastUsedDate": role.last_used_at, "Region": role.last_used_region or None},
    }
