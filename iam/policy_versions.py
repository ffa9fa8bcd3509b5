"""Parsed identity policies kept per process, valid for one version of an account's IAM policies.

Every signed API call reads its access key together with the key's account in one query; the account row
carries `iam_policy_version`, which the receivers below bump in the same transaction as any change to what
an identity's policies are (a managed policy's versions, an attachment, an inline policy, a group's
members). So a call that sees the change committed also sees a new version number and parses the policies
afresh: a policy change takes effect on the very next call, in every web process, without a shared cache
to invalidate. Calls that see the same version reuse the parsed documents instead of four queries and a
parse each time.
"""

import threading
from collections import OrderedDict

from django.db.models import F, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import Account

from .evaluator import SourcedPolicy
from .models import (
    GroupInlinePolicy,
    IAMGroup,
    IAMUser,
    Policy,
    PolicyVersion,
    Role,
    RoleInlinePolicy,
    UserInlinePolicy,
)

MEMO_SIZE = 4096  # principals whose parsed policies one process keeps (least recently used go first)

_memo: OrderedDict[tuple, list[SourcedPolicy]] = OrderedDict()
_memo_lock = threading.Lock()


def bump(account_ids) -> None:
    """A new policy version for these accounts (None: every account, for an AWS managed policy)."""
    accounts = Account.objects.all() if account_ids is None else Account.objects.filter(pk__in=account_ids)
    accounts.update(iam_policy_version=F("iam_policy_version") + 1)


def memoized_policies(identity, account, load) -> list[SourcedPolicy]:
    """`load(identity)` once per identity and policy version of its account in this process.

    Keyed by the identity's and the account's unique IDs too, not by primary keys alone: a key that a
    rolled-back transaction gave out may be given again (SQLite), to a different identity."""
    unique_id = getattr(identity, "user_id", None) or getattr(identity, "role_id", "")
    key = (type(identity).__name__, identity.pk, unique_id, account.account_id, account.iam_policy_version)
    with _memo_lock:
        policies = _memo.get(key)
        if policies is not None:
            _memo.move_to_end(key)
            return policies
    policies = load(identity)
    with _memo_lock:
        _memo[key] = policies
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return policies


def forget_all() -> None:
    """Empty this process's memo (tests that rewind the database under it)."""
    with _memo_lock:
        _memo.clear()


# --- what changes the policies of an identity ----------------------------------------------------


def _goes_with_its_account(origin) -> bool:
    """A row deleted because its account is: nobody signs in to that account again, so nothing to bump
    (and a sandbox reset would otherwise bump once per user, group, role and policy)."""
    return isinstance(origin, Account) or (isinstance(origin, QuerySet) and origin.model is Account)


def _on_policy(sender, instance, created=False, origin=None, **_):
    # A policy just created is attached to no one yet; an AWS managed policy's own row decides nothing.
    if instance.account_id is not None and not created and not _goes_with_its_account(origin):
        bump([instance.account_id])


def _on_policy_version(sender, instance, origin=None, **_):
    if _goes_with_its_account(origin):
        return
    if PolicyVersion.policy.is_cached(instance):
        account_ids = [instance.policy.account_id]
    else:
        account_ids = list(Policy.objects.filter(pk=instance.policy_id).values_list("account_id", flat=True))
    if account_ids:
        bump(None if account_ids == [None] else account_ids)


def _on_owned(sender, instance, origin=None, **_):
    """Inline policies and the identities themselves (a deleted group drops its members' policies)."""
    if _goes_with_its_account(origin):
        return
    owner = getattr(instance, "user", None) or getattr(instance, "group", None) or getattr(instance, "role", None)
    account_id = getattr(instance, "account_id", None) or getattr(owner, "account_id", None)
    if account_id is not None:
        bump([account_id])


def _on_membership(sender, instance, action, model, pk_set, **_):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    account_id = getattr(instance, "account_id", None)
    if account_id is not None:
        bump([account_id])
    elif pk_set:  # a change made from an AWS managed policy's side: the accounts of the identities
        bump(model.objects.filter(pk__in=pk_set).values("account_id"))


def connect() -> None:
    post_save.connect(_on_policy, sender=Policy, dispatch_uid="iam.policy_versions.save.Policy")
    post_delete.connect(_on_policy, sender=Policy, dispatch_uid="iam.policy_versions.delete.Policy")
    post_save.connect(_on_policy_version, sender=PolicyVersion, dispatch_uid="iam.policy_versions.save.PolicyVersion")
    post_delete.connect(_on_policy_version, sender=PolicyVersion, dispatch_uid="iam.policy_versions.delete.PolicyVersion")
    for model in (UserInlinePolicy, GroupInlinePolicy, RoleInlinePolicy):
        post_save.connect(_on_owned, sender=model, dispatch_uid=f"iam.policy_versions.save.{model.__name__}")
        post_delete.connect(_on_owned, sender=model, dispatch_uid=f"iam.policy_versions.delete.{model.__name__}")
    for model in (IAMUser, IAMGroup, Role):
        post_delete.connect(_on_owned, sender=model, dispatch_uid=f"iam.policy_versions.delete.{model.__name__}")
    for through in (
        IAMUser.attached_policies.through,
        IAMGroup.attached_policies.through,
        IAMGroup.members.through,
        Role.attached_policies.through,
    ):
        m2m_changed.connect(_on_membership, sender=through, dispatch_uid=f"iam.policy_versions.m2m.{through.__name__}")
