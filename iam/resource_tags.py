"""aws:ResourceTag/<key> and iam:ResourceTag/<key>: the tags of the IAM resource a request targets.

The evaluator asks for them only when a statement covering the action names such a key, so requests
whose policies never mention resource tags cost no extra query; when asked, it is one query by ARN.
"""

from collections.abc import Iterable

from .models import IAMUser, InstanceProfile, MFADevice, Policy, Role, ServerCertificate

# The IAM resource types that carry tags and have a path, by the resource type word of their ARN.
TAGGED_RESOURCES = {"user": IAMUser, "role": Role, "instance-profile": InstanceProfile, "mfa": MFADevice,
                    "policy": Policy, "server-certificate": ServerCertificate}
_PREFIXES = ("aws:resourcetag/", "iam:resourcetag/")


def names_resource_tags(statements: Iterable) -> bool:
    """Whether any statement's condition reads a resource tag."""
    return any(
        key.lower().startswith(_PREFIXES)
        for statement in statements
        for keys in statement.condition.values()
        for key in keys
    )


def _split_arn(arn: str) -> tuple[str, str, str, str] | None:
    """arn:aws:iam::<account>:<type><path><name> -> (account, type, path, name)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "iam"] or not parts[4].isdigit():
        return None
    kind, slash, rest = parts[5].partition("/")
    if not slash or not rest:
        return None
    path, _, name = f"/{rest}".rpartition("/")
    return parts[4], kind, f"{path}/", name


def resource_tags(arn: str) -> dict[str, str]:
    """The tags of the user, role, instance profile, MFA device, customer managed policy or server certificate an
    ARN names; {} for anything else."""
    parsed = _split_arn(arn)
    if parsed is None or parsed[1] not in TAGGED_RESOURCES or not parsed[3] or "*" in arn:
        return {}
    account_id, kind, path, name = parsed
    row = (
        TAGGED_RESOURCES[kind].objects
        .filter(account__account_id=account_id, name__lower=name.lower(), path=path)
        .values_list("tags", flat=True)
        .first()
    )
    return row or {}


def resource_tag_context(arn: str) -> dict[str, str]:
    tags = resource_tags(arn)
    return {
        f"{prefix}{key}": value for key, value in tags.items() for prefix in ("aws:ResourceTag/", "iam:ResourceTag/")
    }
