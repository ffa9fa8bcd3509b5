"""Users, groups, roles and the service-linked roles every account starts with."""

import json
import uuid
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Account
from portal.compiled import Compiled
from portal.inserts import insert, insert_counting_alike, insert_unless_taken, provided
from portal.transactions import atomic

from ..exceptions import (
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from ..models import (
    AccessKey,
    IAMAccountSettings,
    IAMGroup,
    IAMUser,
    MFADevice,
    PasswordHistory,
    Policy,
    Role,
    ServiceLinkedRoleDeletion,
)
from ..policy_language import parse_policy, policy_size
from .common import ensure_modifiable, validated

GROUPS_PER_USER = 10
# IAM's default account quotas (IAM User Guide, "IAM object quotas").
USERS_PER_ACCOUNT = 5000
GROUPS_PER_ACCOUNT = 300
ROLES_PER_ACCOUNT = 1000
TRUST_POLICY_SIZE = 2048
MIN_SESSION_DURATION = 3600
MAX_SESSION_DURATION = 43200

SUPPORT_ROLE = "AWSServiceRoleForSupport"
TRUSTED_ADVISOR_ROLE = "AWSServiceRoleForTrustedAdvisor"
# name -> (service principal, AWS managed policy attached, description)
SERVICE_LINKED_ROLES = {
    SUPPORT_ROLE: (
        "support.amazonaws.com",
        "AWSSupportServiceRolePolicy",
        "Enables resource access for AWS to provide billing, administrative and support services",
    ),
    TRUSTED_ADVISOR_ROLE: (
        "trustedadvisor.amazonaws.com",
        "AWSTrustedAdvisorServiceRolePolicy",
        "Access for the AWS Trusted Advisor Service to help reduce cost, increase performance, and improve security of your AWS environment.",
    ),
}


def _name_taken(label: str, name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"{label} with name {name} already exists.", field="name")


def _quota_reached(quota_name: str, quota: int) -> LimitExceeded:
    return LimitExceeded(f"Cannot exceed quota for {quota_name}: {quota}")


def _ensure_unique(model, account, name: str, label: str) -> None:
    if model.objects.filter(account=account, name__lower=name.lower()).exists():
        raise _name_taken(label, name)


def _ensure_below_quota(model, account, quota: int, name: str) -> None:
    if model.objects.filter(account=account).count() >= quota:
        raise _quota_reached(name, quota)


def _ensure_new_and_below_quota(model, account, name: str, label: str, quota: int, quota_name: str) -> None:
    """_ensure_unique and _ensure_below_quota in one query (both are asked on every create)."""
    [total, same_name] = next(iter(_count_and_same_name(model).rows(account.pk, name.lower())), [0, 0])
    if same_name:
        raise _name_taken(label, name)
    if total >= quota:
        raise _quota_reached(quota_name, quota)


def _insert_new_below_quota(row, label: str, quota: int, quota_name: str, *, defer: bool = False):
    """What _ensure_new_and_below_quota refuses, asked by the INSERT of the new user (group) itself: one
    statement built once (portal.inserts; nobody listens for their save). Over the quota, the error rolls the
    new row back with the caller's transaction.

    `defer`, in an API call's writes: the row waits to be written with the call's event, provided the account is
    still below the quota then. A name taken or the quota reached writes nothing, and the call runs again,
    writing at once, which meets the refusal here."""
    if defer and provided(_below_quota(type(row)), [row.account_id, quota]):
        return insert_unless_taken(row.identify(), defer=True)
    inserted, others = insert_counting_alike(row.identify(), alike="account")
    if inserted is None:
        raise _name_taken(label, row.name)
    if others >= quota:
        raise _quota_reached(quota_name, quota)
    return inserted


@cache
def _below_quota(model) -> str:
    quote = connection.ops.quote_name
    return f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)} WHERE account_id = %s) < %s"


@cache
def _count_and_same_name(model) -> Compiled:
    """The account's number of users (groups, roles) and how many have the name: no row for an account with none."""
    return Compiled(
        lambda account_id, name: model.objects.filter(account_id=account_id).order_by().values("account_id")
        .annotate(total=Count("pk"), same_name=Count("pk", filter=Q(name__lower=name))).values_list("total", "same_name"),
        -1, "\x00probe",
    )


# --- users -------------------------------------------------------------------------------------


def check_new_user(account: Account, name: str, *, path: str = "/", password: str | None = None) -> None:
    """Everything create_user refuses, without creating anything: the create wizard asks at its first step."""
    _check_user_fields(account, name, path=path, password=password)
    _ensure_new_and_below_quota(IAMUser, account, name, "User", USERS_PER_ACCOUNT, "UsersPerAccount")


def _check_user_fields(account: Account, name: str, *, path: str, password: str | None) -> None:
    from .passwords import validate_new_password

    validated(IAMUser(account=account, name=name, path=path), exclude=["user_id", "password"])
    if password is not None:
        validate_new_password(account, password, user=None)


@atomic
def create_user(
    account: Account,
    name: str,
    *,
    path: str = "/",
    password: str | None = None,
    password_hash: str | None = None,
    password_reset_required: bool = False,
    defer: bool = False,
) -> IAMUser:
    """A new IAM user; a password (checked against the account's password policy) gives console access.
    `defer`: the user may wait to be written with the API call's event (portal.inserts), for a call that does
    nothing more with it or writes what waits first (portal.inserts.write_waiting)."""
    _check_user_fields(account, name, path=path, password=password)
    user = IAMUser(account=account, name=name, path=path)
    if password is not None:
        password_hash = make_password(password)
    if password_hash is not None:
        user.password = password_hash
        user.password_changed_at = timezone.now()
        user.password_reset_required = password_reset_required
    _insert_new_below_quota(user, "User", USERS_PER_ACCOUNT, "UsersPerAccount", defer=defer and not user.password)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password, set_at=user.password_changed_at)
    return user


@transaction.atomic
def delete_user(user: IAMUser, *, force: bool = False) -> None:
    """Delete a user. The API refuses while credentials or policies remain (DeleteConflict);
    the console passes force=True and removes them first, as AWS's console does."""
    if not force:
        obstacles = (
            (user.has_console_password, "must delete login profile first"),
            (AccessKey.objects.filter(user=user).exists(), "must delete access keys first"),
            (user.signing_certificates.exists(), "must delete signing certificates first"),
            (user.ssh_public_keys.exists(), "must delete SSH public keys first"),
            (user.service_specific_credentials.exists(), "must delete service-specific credentials first"),
            (MFADevice.objects.filter(user=user, enabled_at__isnull=False).exists(), "must delete MFA device first"),
            (user.inline_policies.exists(), "must delete policies first"),
            (user.attached_policies.exists(), "must detach all policies first"),
            (user.groups.exists(), "must remove users from group first"),
        )
        for present, what in obstacles:
            if present:
                raise DeleteConflict(f"Cannot delete entity, {what}.")
    user.delete()


# --- groups ------------------------------------------------------------------------------------


@transaction.atomic
def create_group(account: Account, name: str, *, path: str = "/") -> IAMGroup:
    group = validated(IAMGroup(account=account, name=name, path=path), exclude=["group_id"])
    return _insert_new_below_quota(group, "Group", GROUPS_PER_ACCOUNT, "GroupsPerAccount")


@transaction.atomic
def add_user_to_group(group: IAMGroup, user: IAMUser) -> None:
    if user.account_id != group.account_id:
        raise NoSuchEntity(f"The user with name {user.name} cannot be found.")
    IAMUser.objects.select_for_update().get(pk=user.pk)
    if user.groups.filter(pk=group.pk).exists():
        return
    if user.groups.count() >= GROUPS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}")
    group.members.add(user)


@transaction.atomic
def remove_user_from_group(group: IAMGroup, user: IAMUser) -> None:
    if not group.members.filter(pk=user.pk).exists():
        raise NoSuchEntity(f"The user with name {user.name} cannot be found in group {group.name}.")
    group.members.remove(user)


@transaction.atomic
def delete_group(group: IAMGroup, *, force: bool = False) -> None:
    """Members always block deletion; policies too unless force (the console detaches them)."""
    IAMGroup.objects.select_for_update().get(pk=group.pk)
    if group.members.exists():
        raise DeleteConflict("Cannot delete entity, must remove users from group first.")
    if not force and group.inline_policies.exists():
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    if not force and group.attached_policies.exists():
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    group.delete()


@transaction.atomic
def rename_identity(identity, *, new_name: str | None = None, new_path: str | None = None):
    """UpdateUser / UpdateGroup: a new name and/or path. The ID stays, so memberships and attached
    policies follow; policies that name the old ARN do not (as in IAM)."""
    model = type(identity)
    locked = model.objects.select_for_update().get(pk=identity.pk)
    if new_name is not None and new_name.lower() != locked.name.lower():
        _ensure_unique(model, locked.account, new_name, "User" if model is IAMUser else "Group")
    locked.name = locked.name if new_name is None else new_name
    locked.path = locked.path if new_path is None else new_path
    validated(locked, exclude=["user_id", "group_id", "password"])
    locked.save(update_fields=["name", "path"])
    return locked


# --- roles -------------------------------------------------------------------------------------


def validate_trust_policy(document: str) -> None:
    parse_policy(document, trust=True)
    if policy_size(document) > TRUST_POLICY_SIZE:
        raise LimitExceeded(f"Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_SIZE}", field="trust_policy")


def validate_max_session_duration(seconds: int) -> None:
    if not MIN_SESSION_DURATION <= seconds <= MAX_SESSION_DURATION:
        bound = "greater than or equal to 3600" if seconds < MIN_SESSION_DURATION else "less than or equal to 43200"
        raise ValidationError(
            f"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' "
            f"failed to satisfy constraint: Member must have value {bound}",
            field="max_session_duration",
        )


def check_new_role(
    account: Account, name: str, trust_policy: str, *, path: str = "/", description: str = "",
    max_session_duration: int = MIN_SESSION_DURATION, linked_service: str = "",
) -> Role:
    """Everything create_role refuses except the account's role quota, without saving: the wizard asks early."""
    role = validated(
        Role(
            account=account,
            name=name,
            path=path,
            description=description,
            trust_policy=trust_policy,
            max_session_duration=max_session_duration,
            linked_service=linked_service,
        ),
        exclude=["role_id"],
    )
    validate_trust_policy(trust_policy)
    validate_max_session_duration(max_session_duration)
    _ensure_unique(Role, account, name, "Role")
    return role


@transaction.atomic
def create_role(
    account: Account,
    name: str,
    trust_policy: str,
    *,
    path: str = "/",
    description: str = "",
    max_session_duration: int = MIN_SESSION_DURATION,
    linked_service: str = "",
) -> Role:
    Account.objects.select_for_update().get(pk=account.pk)
    role = check_new_role(account, name, trust_policy, path=path, description=description,
                          max_session_duration=max_session_duration, linked_service=linked_service)
    _ensure_below_quota(Role, account, ROLES_PER_ACCOUNT, "RolesPerAccount")
    insert(role.identify())  # one statement built once (portal.inserts); nobody listens for a role's save
    return role


@transaction.atomic
def update_role(role: Role, *, description: str | None = None, max_session_duration: int | None = None) -> Role:
    """Service-linked roles accept only a new description."""
    if max_session_duration is not None:
        ensure_modifiable(role)
        validate_max_session_duration(max_session_duration)
        role.max_session_duration = max_session_duration
    if description is not None:
        role.description = description
        validated(role, exclude=["role_id"])
    role.save(update_fields=["description", "max_session_duration"])
    return role


@transaction.atomic
def update_trust_policy(role: Role, trust_policy: str) -> Role:
    ensure_modifiable(role)
    validate_trust_policy(trust_policy)
    role.trust_policy = trust_policy
    role.save(update_fields=["trust_policy"])
    return role


def trusted_advisor_enabled(account: Account) -> bool:
    settings = IAMAccountSettings.objects.filter(account=account).first()
    return settings.trusted_advisor_enabled if settings else True


@transaction.atomic
def set_trusted_advisor_enabled(account: Account, enabled: bool) -> None:
    """For the Trusted Advisor app: while enabled, its service-linked role cannot be deleted."""
    IAMAccountSettings.objects.update_or_create(account=account, defaults={"trusted_advisor_enabled": enabled})


def _ensure_deletable(role: Role) -> None:
    """The console deletes the Trusted Advisor role once Trusted Advisor is disabled; DeleteRole never deletes a
    service-linked role (DeleteServiceLinkedRole does)."""
    if role.name == TRUSTED_ADVISOR_ROLE and role.is_service_linked:
        refusal = linked_role_deletion_refusal(role)
        if refusal:
            raise DeleteConflict(f"Deletion of service-linked role {role.name} failed: {refusal}")
        return
    ensure_modifiable(role)


@transaction.atomic
def delete_role(role: Role, *, force: bool = False) -> None:
    _ensure_deletable(role)
    if not force and role.inline_policies.exists():
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    if not force and role.attached_policies.exists():
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    if not force and role.instance_profiles.exists():
        raise DeleteConflict("Cannot delete entity, must remove roles from instance profile first.")
    role.delete()


def trust_policy_for(principal_type: str, principal: str) -> str:
    """The trust policy letting one principal assume a role: ("AWS", "arn:aws:iam::123456789012:root") for an
    account's users and roles, ("Service", "support.amazonaws.com") for a service."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {principal_type: principal}, "Action": "sts:AssumeRole"}],
        },
        indent=4,
    )


def _service_trust_policy(service: str) -> str:
    return trust_policy_for("Service", service)


def _create_linked_role(account: Account, name: str, description: str | None = None) -> Role:
    service, policy_name, default_description = SERVICE_LINKED_ROLES[name]
    role = Role.objects.create(
        account=account,
        name=name,
        path=f"/aws-service-role/{service}/",
        description=default_description if description is None else description,
        trust_policy=_service_trust_policy(service),
        linked_service=service,
    )
    policy = Policy.objects.filter(account=None, name=policy_name).first()
    if policy is not None:
        role.attached_policies.add(policy)
    return role


@transaction.atomic
def create_service_linked_roles(account: Account) -> list[Role]:
    """The service-linked roles every account has; missing ones are created, existing ones kept."""
    return [
        _create_linked_role(account, name)
        for name in SERVICE_LINKED_ROLES
        if not Role.objects.filter(account=account, name=name).exists()
    ]


def _linked_role_name(service: str) -> str:
    for name, (principal, _, _) in SERVICE_LINKED_ROLES.items():
        if principal == service:
            return name
    raise InvalidInput(f"Service principal {service} is not supported for service-linked roles in this account.")


@transaction.atomic
def create_service_linked_role(account: Account, service: str, *, description: str | None = None,
                               custom_suffix: str | None = None) -> Role:
    """CreateServiceLinkedRole, and the console's step before enabling Trusted Advisor again."""
    name = _linked_role_name(service)
    if custom_suffix:
        raise InvalidInput(f"Custom suffix is not allowed for {service}.")
    Account.objects.select_for_update().get(pk=account.pk)
    if Role.objects.filter(account=account, name__lower=name.lower()).exists():
        raise InvalidInput(f"Service role name {name} has been taken in this account, please try a different suffix.")
    _ensure_below_quota(Role, account, ROLES_PER_ACCOUNT, "RolesPerAccount")
    return _create_linked_role(account, name, description)


def linked_role_deletion_refusal(role: Role) -> str | None:
    """Why AWS refuses to delete this service-linked role now (None: it may go). From the AWS Support User Guide."""
    if role.name == SUPPORT_ROLE:
        return (f"{SUPPORT_ROLE} is necessary for AWS Support to provide administrative, operational, and technical "
                "support for your account; it can't be deleted through the IAM console, API, or CLI.")
    if role.name == TRUSTED_ADVISOR_ROLE and trusted_advisor_enabled(role.account):
        return ("AWS Trusted Advisor is enabled in this account and uses the role. You can delete the role only "
                "after you first disable Trusted Advisor.")
    return None


@transaction.atomic
def delete_service_linked_role(role: Role) -> ServiceLinkedRoleDeletion:
    """DeleteServiceLinkedRole: a deletion task that succeeds (the role is gone) or fails with AWS's reason."""
    if not role.is_service_linked:
        raise InvalidInput(f"Role {role.name} is not a service-linked role.")
    refusal = linked_role_deletion_refusal(role)
    task = ServiceLinkedRoleDeletion.objects.create(
        account=role.account,
        task_id=f"task{role.path}{role.name}/{uuid.uuid4()}",
        status=ServiceLinkedRoleDeletion.Status.FAILED if refusal else ServiceLinkedRoleDeletion.Status.SUCCEEDED,
        reason=refusal or "",
    )
    if refusal is None:
        role.delete()
    return task
