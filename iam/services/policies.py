"""Managed policies (customer managed, with versions), attachments and inline policies."""

from django.db import transaction

from ..exceptions import (
    DeleteConflict,
    EntityAlreadyExists,
    LimitExceeded,
    NoSuchEntity,
    PolicyNotAttachable,
    UnmodifiableEntity,
)
from ..identity_kinds import MANAGED_POLICIES_PER_IDENTITY, kind_of
from ..models import Policy, PolicyVersion
from ..policy_language import PolicyDocument, parse_policy, policy_size
from .common import ensure_modifiable, validated
from .tags import merge_tags, remove_tags

MANAGED_POLICY_SIZE = 6144
VERSIONS_PER_POLICY = 5
CUSTOMER_MANAGED_POLICIES_PER_ACCOUNT = 1500


def validate_managed_policy_document(document: str) -> PolicyDocument:
    parsed = parse_policy(document)
    if policy_size(document) > MANAGED_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for PolicySize: {MANAGED_POLICY_SIZE}", field="document")
    return parsed


def _ensure_customer_managed(policy: Policy) -> None:
    if policy.is_aws_managed:
        raise UnmodifiableEntity(f"Policy {policy.arn} is an AWS managed policy and cannot be changed.")


@transaction.atomic
def create_customer_managed_policy(account, name: str, document: str, *, path: str = "/", description: str = "") -> Policy:
    policy = validated(Policy(account=account, name=name, path=path, description=description), exclude=["policy_id"])
    validate_managed_policy_document(document)
    if Policy.objects.filter(account=account, name__lower=name.lower()).exists():
        raise EntityAlreadyExists(
            f"A policy called {name} already exists. Duplicate names are not allowed.", field="name"
        )
    if Policy.objects.filter(account=account).count() >= CUSTOMER_MANAGED_POLICIES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for PoliciesPerAccount: {CUSTOMER_MANAGED_POLICIES_PER_ACCOUNT}")
    policy.save()
    PolicyVersion.objects.create(policy=policy, version_id="v1", document=document, is_default=True)
    return policy


@transaction.atomic
def create_policy_version(policy: Policy, document: str, *, set_as_default: bool = False) -> PolicyVersion:
    _ensure_customer_managed(policy)
    validate_managed_policy_document(document)
    Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.versions.count() >= VERSIONS_PER_POLICY:
        raise LimitExceeded(
            f"A managed policy can have up to {VERSIONS_PER_POLICY} versions. "
            "Before you create a new version, you must delete an existing version."
        )
    # Version numbers only grow, as in AWS: a deleted v2 is never issued again.
    highest = max((int(v[1:]) for v in policy.versions.values_list("version_id", flat=True)), default=0)
    if set_as_default:
        policy.versions.update(is_default=False)
    version = PolicyVersion.objects.create(
        policy=policy, version_id=f"v{highest + 1}", document=document, is_default=set_as_default
    )
    policy.save(update_fields=["updated_at"])
    return version


def _version(policy: Policy, version_id: str) -> PolicyVersion:
    version = policy.versions.filter(version_id=version_id).first()
    if version is None:
        raise NoSuchEntity(f"Policy {policy.arn} version {version_id} does not exist or is not attachable.")
    return version


@transaction.atomic
def set_default_policy_version(policy: Policy, version_id: str) -> None:
    _ensure_customer_managed(policy)
    Policy.objects.select_for_update().get(pk=policy.pk)
    version = _version(policy, version_id)
    policy.versions.exclude(pk=version.pk).update(is_default=False)
    PolicyVersion.objects.filter(pk=version.pk).update(is_default=True)
    policy.save(update_fields=["updated_at"])


@transaction.atomic
def delete_policy_version(policy: Policy, version_id: str) -> None:
    _ensure_customer_managed(policy)
    Policy.objects.select_for_update().get(pk=policy.pk)
    version = _version(policy, version_id)
    if version.is_default:
        raise DeleteConflict("Cannot delete the default version of a policy.")
    version.delete()


def attachment_count(policy: Policy) -> int:
    return policy.attached_users.count() + policy.attached_groups.count() + policy.attached_roles.count()


@transaction.atomic
def delete_policy(policy: Policy) -> None:
    _ensure_customer_managed(policy)
    Policy.objects.select_for_update().get(pk=policy.pk)
    if attachment_count(policy):
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    if policy.bounded_users.exists() or policy.bounded_roles.exists():
        raise DeleteConflict("Cannot delete a policy used as a permissions boundary.")
    policy.delete()


def _lock(identity):
    return type(identity).objects.select_for_update().get(pk=identity.pk)


def _ensure_attachable(identity, policy: Policy) -> None:
    """Another account's policy does not exist here; a service-linked role's policy belongs to that role alone."""
    from .identities import SERVICE_LINKED_ROLES

    if policy.account_id not in (None, identity.account_id):
        raise NoSuchEntity(f"Policy {policy.arn} does not exist or is not attachable.")
    linked = {policy_name: role_name for role_name, (_, policy_name, _) in SERVICE_LINKED_ROLES.items()}
    if policy.is_aws_managed and policy.name in linked and getattr(identity, "name", None) != linked[policy.name]:
        raise PolicyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")


@transaction.atomic
def attach_policy(identity, policy: Policy) -> None:
    """Attach a managed policy to a user, group or role (at most 10 each)."""
    kind = kind_of(identity)
    _ensure_attachable(identity, policy)
    ensure_modifiable(identity)
    _lock(identity)
    attached = identity.attached_policies
    if attached.filter(pk=policy.pk).exists():
        return
    if attached.count() >= MANAGED_POLICIES_PER_IDENTITY:
        raise LimitExceeded(f"Cannot exceed quota for {kind.managed_quota}: {MANAGED_POLICIES_PER_IDENTITY}")
    attached.add(policy)


@transaction.atomic
def attach_policies(identity, policies: list[Policy]) -> None:
    """Attach several at once: all of them or, when one is refused (the quota), none."""
    for policy in policies:
        attach_policy(identity, policy)


@transaction.atomic
def detach_policy(identity, policy: Policy) -> None:
    ensure_modifiable(identity)
    _lock(identity)
    if not identity.attached_policies.filter(pk=policy.pk).exists():
        raise NoSuchEntity(f"Policy {policy.arn} was not found.")
    identity.attached_policies.remove(policy)


@transaction.atomic
def put_inline_policy(identity, name: str, document: str):
    """Create or replace an inline policy; all of the identity's inline policies share one size quota."""
    kind = kind_of(identity)
    ensure_modifiable(identity)
    inline = validated(kind.inline_model(name=name, document=document, **{kind.owner_field: identity}),
                       exclude=[kind.owner_field])
    parse_policy(document)
    _lock(identity)
    others = identity.inline_policies.exclude(name__lower=name.lower()).values_list("document", flat=True)
    if sum(policy_size(text) for text in others) + policy_size(document) > kind.inline_size_limit:
        raise LimitExceeded(
            f"Maximum policy size of {kind.inline_size_limit} bytes exceeded for {kind.key} {identity.name}",
            field="document",
        )
    existing = identity.inline_policies.filter(name__lower=name.lower()).first()
    if existing is not None:
        existing.document = document
        existing.save(update_fields=["document"])
        return existing
    inline.save()
    return inline


@transaction.atomic
def delete_inline_policy(identity, name: str) -> None:
    kind = kind_of(identity)
    ensure_modifiable(identity)
    deleted, _ = identity.inline_policies.filter(name__lower=name.lower()).delete()
    if not deleted:
        raise NoSuchEntity(f"The {kind.key} policy with name {name} cannot be found.")


@transaction.atomic
def put_permissions_boundary(identity, policy: Policy) -> None:
    """Put{User,Role}PermissionsBoundary: the managed policy that caps what the identity's policies grant."""
    _ensure_attachable(identity, policy)
    ensure_modifiable(identity)
    locked = _lock(identity)
    locked.permissions_boundary = policy
    locked.save(update_fields=["permissions_boundary"])
    identity.permissions_boundary = policy


@transaction.atomic
def delete_permissions_boundary(identity) -> None:
    ensure_modifiable(identity)
    locked = _lock(identity)
    if locked.permissions_boundary_id is None:
        raise NoSuchEntity(f"The {kind_of(identity).key} with name {identity.name} has no permissions boundary.")
    locked.permissions_boundary = None
    locked.save(update_fields=["permissions_boundary"])
    identity.permissions_boundary = None


# The foundation's names, kept for callers that attach to users only.
attach_user_policy = attach_policy


@transaction.atomic
def tag_policy(policy: Policy, tags: dict[str, str]) -> dict[str, str]:
    _ensure_customer_managed(policy)
    return merge_tags(policy, tags, "TagsPerPolicy")


@transaction.atomic
def untag_policy(policy: Policy, keys: list[str]) -> dict[str, str]:
    _ensure_customer_managed(policy)
    return remove_tags(policy, keys)
