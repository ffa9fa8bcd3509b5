"""Closing, the post-closure period, reopening and termination, with time travel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import signals
from accounts.exceptions import AccessDeniedException, ConflictException, ValidationException
from accounts.models import Account, AccountStatus
from accounts.selectors import get_account_information
from accounts.services import close_account, reopen_account, request_reopen, terminate_expired_accounts
from iam.principals import Principal
from tests.factories import allow

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signals.account_closed.connect(receiver)
    signals.account_reopen_requested.connect(receiver)
    yield calls
    signals.account_closed.disconnect(receiver)
    signals.account_reopen_requested.disconnect(receiver)


def test_close_needs_the_typed_account_id(account, root):
    with pytest.raises(ValidationException) as refusal:
        close_account(root, "not the id")
    assert refusal.value.field_list[0].field == "confirmation"
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_only_the_root_user_closes_the_account(account, iam_principal):
    admin = iam_principal(account, allow("*"))
    with pytest.raises(AccessDeniedException, match="Only the root user can close the account"):
        close_account(admin, account.account_id)
    account.refresh_from_db()
    assert account.is_active


def test_close_marks_the_account_and_tells_other_apps(account, root, received):
    close_account(root, account.account_id)
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED and account.closed_at is not None
    assert received == [{"signal": signals.account_closed, "account": account}]
    assert get_account_information(root).account_state == "SUSPENDED"
    assert account.root_may_sign_in


def test_closing_twice_is_refused(account, root, received):
    close_account(root, account.account_id)
    with pytest.raises(ConflictException, match="already closed"):
        close_account(root, account.account_id)
    assert len(received) == 1


def test_reopen_request_is_sent_only_for_a_closed_account(account, root, received):
    with pytest.raises(ConflictException):
        request_reopen(root)
    close_account(root, account.account_id)
    received.clear()
    request_reopen(root)
    assert received == [{"signal": signals.account_reopen_requested, "account": root.account, "principal": root}]


def test_staff_reopen_within_the_post_closure_period(account, root):
    close_account(root, account.account_id, now=timezone.now() - timedelta(days=89))
    reopen_account(account)
    account.refresh_from_db()
    assert account.is_active and account.closed_at is None


def test_timeline_after_ninety_days(account, root):
    closed_at = timezone.now() - timedelta(days=100)
    close_account(root, account.account_id, now=closed_at)
    account.refresh_from_db()
    assert not account.root_may_sign_in  # the post-closure period is over
    with pytest.raises(ConflictException):
        reopen_account(account)
    assert terminate_expired_accounts(now=closed_at + timedelta(days=89)) == 0
    assert terminate_expired_accounts(now=closed_at + timedelta(days=90)) == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.TERMINATED and not account.root_may_sign_in
    with pytest.raises(ConflictException, match="can no longer be reopened"):
        reopen_account(account)
    assert get_account_information(Principal(account=account)).account_state == "CLOSED"


def test_termination_leaves_recent_closures_and_open_accounts(account, other_account, root):
    close_account(root, account.account_id)
    assert terminate_expired_accounts() == 0
    assert set(Account.objects.values_list("status", flat=True)) == {AccountStatus.CLOSED, AccountStatus.ACTIVE}


def test_a_terminated_accounts_alias_and_email_stay_taken(account, root, other_account):
    from accounts.services import create_account_alias
    from iam.exceptions import EntityAlreadyExists

    create_account_alias(root, "gone")
    close_account(root, account.account_id, now=timezone.now() - timedelta(days=91))
    terminate_expired_accounts()
    with pytest.raises(EntityAlreadyExists):
        create_account_alias(Principal(account=other_account), "gone")
