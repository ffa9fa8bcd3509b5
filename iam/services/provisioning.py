"""A new user or role with its permissions and tags in one transaction, as the console's create
wizards make them: if any part is refused (a quota, a tag), nothing is created."""

from django.db import transaction

from ..models import IAMGroup, IAMUser, Policy, Role
from .identities import add_user_to_group, create_role, create_user
from .policies import attach_policies
from .tags import tag_identity


@transaction.atomic
def create_user_with_access(
    account,
    name: str,
    *,
    path: str = "/",
    password_hash: str | None = None,
    password_reset_required: bool = False,
    groups: list[IAMGroup] = (),
    policies: list[Policy] = (),
    tags: dict[str, str] | None = None,
) -> IAMUser:
    """password_hash: the wizard checks the password against the policy at its first step and keeps only its hash."""
    user = create_user(account, name, path=path, password_hash=password_hash, password_reset_required=password_reset_required)
    for group in groups:
        add_user_to_group(group, user)
    attach_policies(user, policies)
    if tags:
        tag_identity(user, tags)
    return user


@transaction.atomic
def create_role_with_access(
    account,
    name: str,
    trust_policy: str,
    *,
    path: str = "/",
    description: str = "",
    max_session_duration: int,
    policies: list[Policy] = (),
    tags: dict[str, str] | None = None,
) -> Role:
    role = create_role(account, name, trust_policy, path=path, description=description,
                       max_session_duration=max_session_duration)
    attach_policies(role, policies)
    if tags:
        tag_identity(role, tags)
    return role
