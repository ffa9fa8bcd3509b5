"""Reads on IAM: the policies that apply to an identity, lookups, and what the dashboard
and Trusted Advisor report about an account's security."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import Account
from portal.compiled import Compiled

from . import secrets
from .evaluator import SourcedPolicy
from .identity_kinds import kind_of
from .models import (
    AccessKey,
    GroupInlinePolicy,
    IAMGroup,
    IAMUser,
    MFADevice,
    OpenIDConnectProvider,
    PasswordPolicy,
    Policy,
    PolicyVersion,
    Role,
    SAMLProvider,
    UserInlinePolicy,
)
from .policy_language import parse_stored_policy
from .principals import Principal

OLD_ACCESS_KEY_AGE = timedelta(days=90)
UNUSED_ROLE_AGE = timedelta(days=90)


def _default_versions() -> Prefetch:
    return Prefetch("versions", queryset=PolicyVersion.objects.filter(is_default=True), to_attr="default_versions")


def _with_default_versions(policies):
    return policies.select_related("account").prefetch_related(_default_versions())


def _sourced_managed(policies) -> list[SourcedPolicy]:
    """Managed policies loaded with their default version (see _with_default_versions)."""
    return [
        SourcedPolicy(policy.arn, parse_stored_policy(version.document))
        for policy in policies
        for version in policy.default_versions
    ]


def _managed(policies) -> list[SourcedPolicy]:
    return _sourced_managed(_with_default_versions(policies))


def _inline(policies, label) -> list[SourcedPolicy]:
    return [SourcedPolicy(label(inline), parse_stored_policy(inline.document)) for inline in policies]


def _user_inline_label(inline) -> str:
    return f"{inline.user.name}/{inline.name}"


def _group_inline_label(inline) -> str:
    return f"group {inline.group.name}/{inline.name}"


def identity_policies(user: IAMUser) -> list[SourcedPolicy]:
    """The user's own and its groups' managed (default version) and inline policies, in four queries."""
    managed = Policy.objects.filter(Q(attached_users=user) | Q(attached_groups__members=user)).distinct()
    group_inline = GroupInlinePolicy.objects.filter(group__members=user).select_related("group")
    return (
        _managed(managed)
        + _inline(user.inline_policies.all(), _user_inline_label)
        + _inline(group_inline, _group_inline_label)
    )


def _by_first(pairs) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for first, second in pairs:
        grouped.setdefault(first, []).append(second)
    return grouped


def user_principals(users) -> list[Principal]:
    """A principal for each of the users (a queryset), every identity policy loaded for all of them at once:
    the same number of queries for 2 users or 5,000, each policy parsed once however many users carry it
    (identity_policies() would answer the same for each user, in four queries per user)."""
    loaded = list(users.select_related("account"))
    keys = users.values("pk")
    groups_of = _by_first(IAMGroup.members.through.objects.filter(iamuser_id__in=keys).values_list("iamuser_id", "iamgroup_id"))
    group_keys = {group for groups in groups_of.values() for group in groups}
    user_managed = _by_first(
        IAMUser.attached_policies.through.objects.filter(iamuser_id__in=keys).values_list("iamuser_id", "policy_id")
    )
    group_managed = _by_first(
        IAMGroup.attached_policies.through.objects.filter(iamgroup_id__in=group_keys).values_list("iamgroup_id", "policy_id")
    )
    policy_keys = {policy for policies in [*user_managed.values(), *group_managed.values()] for policy in policies}
    managed = {policy.pk: policy for policy in _with_default_versions(Policy.objects.filter(pk__in=policy_keys))}
    parsed_managed = {pk: _sourced_managed([policy]) for pk, policy in managed.items()}
    user_inline = _by_first(
        (inline.user_id, inline) for inline in UserInlinePolicy.objects.filter(user_id__in=keys).select_related("user")
    )
    group_inline = _by_first(
        (inline.group_id, inline)
        for inline in GroupInlinePolicy.objects.filter(group_id__in=group_keys).select_related("group")
        .order_by("group__name", "name")
    )
    parsed_group_inline = {group: _inline(inlines, _group_inline_label) for group, inlines in group_inline.items()}

    def policies(user: IAMUser) -> list[SourcedPolicy]:
        groups = set(groups_of.get(user.pk, []))
        attached = set(user_managed.get(user.pk, []))
        attached.update(policy for group in groups for policy in group_managed.get(group, []))
        return (
            [sourced for pk in sorted(attached, key=lambda pk: managed[pk].name) for sourced in parsed_managed[pk]]
            + _inline(user_inline.get(user.pk, []), _user_inline_label)
            + [sourced for group, inline in parsed_group_inline.items() if group in groups for sourced in inline]
        )

    return [Principal(account=user.account, user=user, loaded_identity_policies=policies(user)) for user in loaded]


def policies_of(identity) -> list[SourcedPolicy]:
    """The policies one identity carries itself: a user (with its groups'), a group or a role."""
    if isinstance(identity, IAMUser):
        return identity_policies(identity)
    kind = kind_of(identity)
    return _managed(identity.attached_policies.all()) + _inline(
        identity.inline_policies.all(), lambda inline: f"{kind.key} {identity.name}/{inline.name}"
    )


def boundary_policies(entity) -> list[SourcedPolicy]:
    """The permissions boundary of a user or role (empty when it has none)."""
    if entity.permissions_boundary_id is None:
        return []
    return _managed(Policy.objects.filter(pk=entity.permissions_boundary_id))


def session_policies(account, policy: str | None, policy_arns) -> list[SourcedPolicy]:
    """AssumeRole's session policies: the inline document and the managed policies named by ARN, in one query."""
    documents = [SourcedPolicy("session policy", parse_stored_policy(policy))] if policy else []
    if policy_arns:
        names = {arn.rsplit("/", 1)[-1] for arn in policy_arns}
        candidates = _with_default_versions(Policy.objects.filter(Q(account=None) | Q(account=account), name__in=names))
        documents += _sourced_managed(policy for policy in candidates if policy.arn in policy_arns)
    return documents


def scope_policies(documents) -> list[SourcedPolicy]:
    """GetScopedCredentials' scope-down policies of a session, parsed."""
    return [SourcedPolicy("scope-down policy", parse_stored_policy(document)) for document in documents]


def current_policies_of(identity, account: Account) -> list[SourcedPolicy]:
    """policies_of(identity), parsed once per process for each of the account's policy versions.

    `account` must have been read in this request (the API reads it with the access key), so its
    `iam_policy_version` says which version is current (see iam.policy_versions)."""
    from .policy_versions import memoized_policies

    return memoized_policies(identity, account, policies_of)


@cache
def _by_name(model) -> Compiled:
    # Every IAM call that names a user, group or role asks this: built once (portal.compiled).
    return Compiled(lambda account_id, name: model.objects.filter(account_id=account_id, name__lower=name).order_by(),
                    -1, "\x00probe")


def find_named(model, account: Account, name: str):
    """The account's user, group or role of that name, whatever its case; None when there is none."""
    identity = _by_name(model).first(account.pk, name.lower())
    if identity is not None:
        identity.account = account  # the caller's, loaded already
    return identity


def find_role(account: Account, name: str) -> Role | None:
    return find_named(Role, account, name)


def find_policy_by_arn(account, arn: str) -> Policy | None:
    """A policy ARN names either an AWS managed policy or one of this account's own."""
    owner, _, rest = arn.removeprefix("arn:aws:iam::").partition(":policy")
    name = rest.rsplit("/", 1)[-1]
    if owner == "aws":
        candidates = Policy.objects.filter(account=None, name=name)
    elif owner == account.account_id:
        candidates = Policy.objects.filter(account=account, name=name)
    else:
        return None
    return next((policy for policy in candidates.select_related("account") if policy.arn == arn), None)


def find_identity_by_arn(account, arn: str):
    """The user, group or role an ARN names in this account (for SimulatePrincipalPolicy), or None."""
    prefix = f"arn:aws:iam::{account.account_id}:"
    if not arn.startswith(prefix):
        return None
    kind, _, rest = arn[len(prefix):].partition("/")
    name = rest.rsplit("/", 1)[-1]
    models = {"user": IAMUser, "group": IAMGroup, "role": Role}
    identity = find_named(models[kind], account, name) if kind in models else None
    return identity if identity is not None and identity.arn == arn else None


def find_role_by_arn(arn: str) -> Role | None:
    """A role of any sandbox account, by ARN (cross-account sts:AssumeRole)."""
    account = Account.objects.filter(account_id=arn.removeprefix("arn:aws:iam::").partition(":")[0]).first()
    role = find_identity_by_arn(account, arn) if account is not None else None
    return role if isinstance(role, Role) else None


def find_mfa_device(account, serial_number: str) -> MFADevice | None:
    """The account's MFA device with this serial number (arn:aws:iam::<account>:mfa<path><name>)."""
    prefix, _, rest = serial_number.partition(":mfa/")
    path, _, name = f"/{rest}".rpartition("/")
    if prefix != f"arn:aws:iam::{account.account_id}" or not name:
        return None
    return (
        MFADevice.objects.select_related("account", "user__account")
        .filter(account=account, path=f"{path}/", name__lower=name.lower())
        .first()
    )


def trust_allows(role: Role, principal: Principal, context: dict | None = None) -> bool:
    """Whether the role's trust policy lets this principal call sts:AssumeRole.

    A statement applies when it names the caller ("*", its account ID, `arn:aws:iam::<account>:root`, its own
    ARN or, for a role session, its role's ARN) and its conditions hold in the request context (with
    sts:ExternalId and the caller's aws:MultiFactorAuthPresent); a matching Deny wins, as in any policy.
    """
    from .patterns import resource_matches

    account_id = principal.account.account_id
    caller_arns = [principal.arn] + ([principal.role.arn] if principal.is_role_session else [])

    def names_caller(principals) -> bool:
        names = ["*"] if principals == "*" else principals.get("AWS", ())
        return any(
            name == "*" or name in (account_id, f"arn:aws:iam::{account_id}:root")
            or any(resource_matches(name, arn) for arn in caller_arns)
            for name in names
        )

    return _trusts(role, "sts:AssumeRole", names_caller, {**principal.request_context(), **(context or {})})


def federated_trust_allows(role: Role, action: str, provider_arn: str, context: dict) -> bool:
    """Whether the role's trust policy lets users of this identity provider (Principal {"Federated": arn}) call
    sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity, with the provider's claims as condition keys."""
    now = timezone.now()
    request = {"aws:FederatedProvider": provider_arn, "aws:CurrentTime": now.isoformat(),
               "aws:EpochTime": int(now.timestamp()), **context}
    return _trusts(role, action, lambda principals: principals == "*" or provider_arn in principals.get("Federated", ()),
                   request)


def _trusts(role: Role, action: str, names_principal, context: dict) -> bool:
    from .conditions import conditions_match

    request = {key.lower(): value for key, value in context.items()}
    decisions = {
        statement.effect for statement in parse_stored_policy(role.trust_policy, trust=True).statements
        if statement.covers_action(action) and names_principal(statement.principals)
        and conditions_match(statement.condition, request)
    }
    return decisions == {"Allow"}


def account_summary(account) -> dict[str, int]:
    """Resource counts for the dashboard, in one query."""
    return Account.objects.filter(pk=account.pk).aggregate(
        users=Count("iam_users", distinct=True),
        groups=Count("iam_groups", distinct=True),
        roles=Count("iam_roles", distinct=True),
        policies=Count("policies", distinct=True),
        mfa_devices=Count("mfa_devices", filter=Q(mfa_devices__enabled_at__isnull=False), distinct=True),
    )


def access_key_account_id(access_key_id: str) -> str | None:
    return AccessKey.objects.filter(access_key_id=access_key_id).values_list("account__account_id", flat=True).first()


def access_key_with_secret(access_key_id: str) -> tuple[AccessKey, str] | None:
    """The key (with its account and user) and its decrypted secret, for verifying a SigV4 signature."""
    key = AccessKey.objects.select_related("account", "user").filter(access_key_id=access_key_id).first()
    if key is None:
        return None
    if key.user is not None:
        key.user.account = key.account  # the same row: no second copy of it in the query
    return key, _decrypted(key.encrypted_secret)


@lru_cache(maxsize=4096)
def _decrypted(encrypted_secret: str) -> str:
    """Decrypting costs more than the rest of a signature check; a key's ciphertext never changes."""
    return secrets.decrypt(encrypted_secret)


# --- security posture (IAM dashboard, Trusted Advisor) ------------------------------------------


def root_mfa_enabled(account: Account) -> bool:
    return MFADevice.objects.filter(account=account, root=True, enabled_at__isnull=False).exists()


def root_access_keys(account: Account) -> list[AccessKey]:
    return list(AccessKey.objects.filter(account=account, user=None))


def account_password_policy(account: Account) -> PasswordPolicy | None:
    return PasswordPolicy.objects.filter(account=account).first()


def users_without_mfa(account: Account) -> list[IAMUser]:
    """Users with a console password and no enabled MFA device."""
    return list(
        IAMUser.objects.filter(account=account)
        .exclude(password="")
        .exclude(mfa_device__enabled_at__isnull=False)
        .select_related("account")
    )


@dataclass(frozen=True)
class AccessKeyAge:
    key: AccessKey
    owner: str  # user name, or "root"
    age: timedelta
    last_used_at: datetime | None

    @property
    def is_old(self) -> bool:
        return self.age >= OLD_ACCESS_KEY_AGE


def access_key_ages(account: Account, *, now: datetime | None = None) -> list[AccessKeyAge]:
    now = now or timezone.now()
    return [
        AccessKeyAge(key, key.user.name if key.user else "root", now - key.created_at, key.last_used_at)
        for key in AccessKey.objects.filter(account=account).select_related("user").order_by("created_at")
    ]


def unused_roles(account: Account, *, now: datetime | None = None) -> list[Role]:
    """Customer roles not used (or never used) in the last 90 days."""
    cutoff = (now or timezone.now()) - UNUSED_ROLE_AGE
    return list(
        Role.objects.filter(account=account, linked_service="", created_at__lt=cutoff)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=cutoff))
        .select_related("account")
    )


def _grants_everything(document) -> bool:
    return any(
        statement.effect == "Allow" and "*" in statement.actions and "*" in statement.resources and not statement.condition
        for statement in document.statements
    )


def policies_allowing_everything(account: Account) -> list[Policy]:
    """Customer managed policies whose default version allows "*" on "*" (full administrator access)."""
    policies = Policy.objects.filter(account=account).select_related("account").prefetch_related(_default_versions())
    return [
        policy
        for policy in policies
        if any(_grants_everything(parse_stored_policy(version.document)) for version in policy.default_versions)
    ]


@dataclass(frozen=True)
class Recommendation:
    key: str
    ok: bool
    title: str
    detail: str


def security_recommendations(account: Account, *, now: datetime | None = None) -> list[Recommendation]:
    """What the IAM dashboard's security recommendations panel lists."""
    without_mfa = users_without_mfa(account)
    old_keys = [age for age in access_key_ages(account, now=now) if age.is_old and age.key.is_active]
    root_keys = root_access_keys(account)
    return [
        Recommendation(
            "root-mfa",
            root_mfa_enabled(account),
            "Add MFA for root user",
            "Add MFA for the root user: a second factor protects the identity that can do everything.",
        ),
        Recommendation(
            "root-access-keys",
            not root_keys,
            "Root user has no active access keys" if not root_keys else "Deactivate or delete access keys for root user",
            "Use access keys of IAM users or roles instead; root access keys cannot be limited by policies.",
        ),
        Recommendation(
            "users-mfa",
            not without_mfa,
            "Every IAM user with a console password has MFA"
            if not without_mfa
            else f"{len(without_mfa)} IAM user(s) without MFA: " + ", ".join(user.name for user in without_mfa[:5]),
            "Require MFA for every human user who signs in to the console.",
        ),
        Recommendation(
            "old-access-keys",
            not old_keys,
            "No active access keys older than 90 days"
            if not old_keys
            else f"{len(old_keys)} active access key(s) older than 90 days",
            "Rotate access keys regularly: create a new key, switch to it, then deactivate and delete the old one.",
        ),
    ]


def roles_to_switch_to(principal: Principal) -> list[Role]:
    """The roles an IAM user may switch to in the console: the role trusts the user, and the user's
    policies allow sts:AssumeRole on it (the same two checks as the API's AssumeRole).

    The root user cannot assume roles, and a role session switches back before it switches again.
    """
    from .authorization import is_allowed

    if principal.user is None or principal.is_role_session:
        return []
    return [
        role
        for role in Role.objects.filter(account=principal.account).order_by("name")
        if trust_allows(role, principal) and is_allowed(principal, "sts:AssumeRole", role.arn)
    ]

def attachable_policies(account, *, exclude=()):
    """Managed policies an identity of the account may attach, by name: AWS managed ones (but not those
    reserved for service-linked roles) and the account's own; `exclude`: policies already attached."""
    return (
        Policy.objects.filter(Q(account=None) | Q(account=account))
        .exclude(pk__in=[policy.pk for policy in exclude])
        .exclude(path__startswith="/aws-service-role/")
        .select_related("account")
        .order_by("name")
    )


_PROVIDER_ARN = re.compile(r"arn:aws:iam::(\d{12}):(saml-provider|oidc-provider)/(.+)")


def identity_provider_by_arn(arn: str, *, account: Account | None = None):
    """The SAML or OpenID Connect provider an ARN names (in `account` only, when given), or None."""
    match = _PROVIDER_ARN.fullmatch(arn)
    if match is None or (account is not None and match[1] != account.account_id):
        return None
    account_id, kind, name = match.groups()
    if kind == "saml-provider":
        return SAMLProvider.objects.select_related("account").filter(account__account_id=account_id, name=name).first()
    return OpenIDConnectProvider.objects.select_related("account").filter(account__account_id=account_id, url=name).first()
