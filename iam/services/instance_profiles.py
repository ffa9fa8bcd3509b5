"""Instance profiles: a name, a path and at most one role (IAM's quota)."""

from django.db import transaction

from accounts.models import Account

from ..exceptions import DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity
from ..models import InstanceProfile, Role
from .common import ensure_modifiable, validated
from .tags import merge_tags, remove_tags, validate_new_tags

INSTANCE_PROFILES_PER_ACCOUNT = 1000
ROLES_PER_INSTANCE_PROFILE = 1


@transaction.atomic
def create_instance_profile(account: Account, name: str, *, path: str = "/", tags: dict | None = None) -> InstanceProfile:
    profile = validated(InstanceProfile(account=account, name=name, path=path, tags=tags or {}),
                        exclude=["instance_profile_id"])
    validate_new_tags(tags or {}, "TagsPerInstanceProfile")
    Account.objects.select_for_update().get(pk=account.pk)
    if InstanceProfile.objects.filter(account=account, name__lower=name.lower()).exists():
        raise EntityAlreadyExists(f"Instance Profile {name} already exists.", field="name")
    if InstanceProfile.objects.filter(account=account).count() >= INSTANCE_PROFILES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for InstanceProfilesPerAccount: {INSTANCE_PROFILES_PER_ACCOUNT}")
    profile.save()
    return profile


@transaction.atomic
def delete_instance_profile(profile: InstanceProfile) -> None:
    InstanceProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.roles.exists():
        raise DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
    profile.delete()


@transaction.atomic
def add_role_to_instance_profile(profile: InstanceProfile, role: Role) -> None:
    InstanceProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.roles.filter(pk=role.pk).exists():
        raise EntityAlreadyExists(f"Role {role.name} is already in instance profile {profile.name}.")
    if profile.roles.count() >= ROLES_PER_INSTANCE_PROFILE:
        raise LimitExceeded(f"Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_INSTANCE_PROFILE}")
    profile.roles.add(role)


@transaction.atomic
def remove_role_from_instance_profile(profile: InstanceProfile, role: Role) -> None:
    ensure_modifiable(role)
    if not profile.roles.filter(pk=role.pk).exists():
        raise NoSuchEntity(f"The role with name {role.name} cannot be found in instance profile {profile.name}.")
    profile.roles.remove(role)


@transaction.atomic
def tag_instance_profile(profile: InstanceProfile, tags: dict[str, str]) -> dict[str, str]:
    return merge_tags(profile, tags, "TagsPerInstanceProfile")


@transaction.atomic
def untag_instance_profile(profile: InstanceProfile, keys: list[str]) -> dict[str, str]:
    return remove_tags(profile, keys)
