"""Opening, closing, reopening and terminating accounts."""

import secrets
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from iam.principals import Principal

from ..exceptions import ConflictException, FieldProblem, ValidationException
from ..models import POST_CLOSURE_PERIOD, Account, AccountStatus, SupportPlan
from ..permissions import require_root
from ..signals import account_closed, account_opened, account_reopen_requested


def _new_account_id() -> str:
    while True:
        # AWS account IDs never start with 0 in the console's examples; keep 12 digits.
        candidate = str(secrets.randbelow(9 * 10**11) + 10**11)
        if not Account.objects.filter(account_id=candidate).exists():
            return candidate


def _new_canonical_user_id() -> str:
    return secrets.token_hex(32)


@transaction.atomic
def create_account(
    *,
    name: str,
    root_email: str,
    root_password: str | None = None,
    root_password_hash: str | None = None,
    support_plan: str = SupportPlan.BASIC,
    account_id: str | None = None,
    canonical_user_id: str | None = None,
) -> Account:
    """Open an account with its root user. Pass either a password or an existing hash."""
    if (root_password is None) == (root_password_hash is None):
        raise ValueError("Give exactly one of root_password and root_password_hash.")
    account = Account.objects.create(
        account_id=account_id or _new_account_id(),
        canonical_user_id=canonical_user_id or _new_canonical_user_id(),
        name=name,
        root_email=root_email.strip().lower(),
        root_password=root_password_hash or make_password(root_password),
        support_plan=support_plan,
    )
    # Other apps (IAM's service-linked roles, ...) add their per-account defaults.
    account_opened.send(sender=Account, account=account)
    return account


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update().get(pk=account.pk)


def _refresh(stale: Account, fresh: Account) -> Account:
    """Copy the committed state onto the caller's instance (the principal keeps using it)."""
    for field in ("status", "closed_at", "terminated_at", "reopen_requested_at"):
        setattr(stale, field, getattr(fresh, field))
    return stale


@transaction.atomic
def close_account(principal: Principal, confirmation: str, *, now: datetime | None = None) -> Account:
    """Close the account: typed confirmation of its ID, root user only, once."""
    require_root(principal, "close the account")
    account = _locked(principal.account)
    if account.status != AccountStatus.ACTIVE:
        raise ConflictException("This account is already closed.")
    if (confirmation or "").strip() != account.account_id:
        problem = FieldProblem("Confirmation", "Type the account ID exactly as shown to confirm.", "confirmation")
        raise ValidationException(problem.message, field_list=[problem])
    account.status = AccountStatus.CLOSED
    account.closed_at = now or timezone.now()
    account.reopen_requested_at = None
    account.save(update_fields=["status", "closed_at", "reopen_requested_at"])
    # Receivers (the Support Center resolves open cases) act in this same transaction.
    account_closed.send(sender=Account, account=account)
    return _refresh(principal.account, account)


@transaction.atomic
def request_reopen(principal: Principal, *, now: datetime | None = None) -> Account:
    """The root user of a closed account asks support to reopen it (post-closure period only, once:
    "You can reopen your AWS account by contacting AWS Support")."""
    require_root(principal, "ask to reopen the account")
    account = _locked(principal.account)
    if not account.in_post_closure_period:
        raise ConflictException("Only an account in its post-closure period can be reopened.")
    if account.reopen_requested_at is not None:
        raise ConflictException(
            f"You already asked AWS Support to reopen this account on {account.reopen_requested_at:%d %B %Y}. "
            "Support will contact you by email."
        )
    account.reopen_requested_at = now or timezone.now()
    account.save(update_fields=["reopen_requested_at"])
    account_reopen_requested.send(sender=Account, account=account, principal=principal)
    return _refresh(principal.account, account)


@transaction.atomic
def reopen_account(account: Account, *, now: datetime | None = None) -> Account:
    """Staff reopen a closed account within the post-closure period; a terminated one stays closed."""
    now = now or timezone.now()
    locked = _locked(account)
    if locked.status == AccountStatus.ACTIVE:
        raise ConflictException("The account is not closed.")
    if locked.status == AccountStatus.TERMINATED or now >= locked.closed_at + POST_CLOSURE_PERIOD:
        raise ConflictException("The post-closure period has ended; the account can no longer be reopened.")
    locked.status = AccountStatus.ACTIVE
    locked.closed_at = locked.reopen_requested_at = None
    locked.save(update_fields=["status", "closed_at", "reopen_requested_at"])
    return _refresh(account, locked)


@transaction.atomic
def terminate_expired_accounts(*, now: datetime | None = None) -> int:
    """Beat job: close for good every account whose post-closure period has passed."""
    now = now or timezone.now()
    return Account.objects.filter(status=AccountStatus.CLOSED, closed_at__lte=now - POST_CLOSURE_PERIOD).update(
        status=AccountStatus.TERMINATED, terminated_at=now
    )
