"""The closure timeline with time travel, end to end: closing on the page, the 90-day post-closure
period, the reopen case, the termination beat job.

The guide: "for the 90 days after you close your account (known as the Post-Closure Period), you can
view the past billing information for your AWS account and access AWS Support"; "You can reopen your
AWS account by contacting AWS Support"; "After the Post-Closure Period, AWS permanently closes your
AWS account, and you can no longer reopen it."
"""

from datetime import timedelta

import pytest

from accounts.exceptions import ConflictException
from accounts.models import AccountStatus
from accounts.services import close_account, reopen_account, request_reopen
from accounts.tasks import terminate_expired_accounts
from cases.models import Case, CaseStatus
from cases.services import create_case
from iam.authentication import authenticate_iam_user, authenticate_root
from iam.exceptions import SignInRefused
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import ROOT_PASSWORD, USER_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_on_the_page(account, root, root_client, make_user):
    """An account with an IAM user and an open case, closed through the Close account page."""
    user = make_user(account)
    case = create_case(
        root, subject="Can't sign in", communication_body="Help", service_code="customer-account",
        category_code="sign-in-issues", severity_code="low",
    )
    user_session = console_client_for(Principal(account=account, user=user))
    assert user_session.get("/account/").status_code in (200, 403)  # signed in before the closure
    response = root_client.post("/account/close/", {"confirmation": account.account_id}, follow=True)
    assert "Your account is closed" in response.content.decode()
    return {"user": user, "case": case, "user_session": user_session}


def test_closing_resolves_open_cases_and_shuts_out_iam_users(account, closed_on_the_page):
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    closed_on_the_page["case"].refresh_from_db()
    assert closed_on_the_page["case"].status == CaseStatus.RESOLVED
    with pytest.raises(SignInRefused):
        authenticate_iam_user(account.account_id, closed_on_the_page["user"].name, USER_PASSWORD)
    assert closed_on_the_page["user_session"].get("/account/").status_code == 302  # signed out
    assert authenticate_root(account.root_email, ROOT_PASSWORD).account == account


def test_post_closure_period_then_termination(account, closed_on_the_page, travel):
    travel(timedelta(days=89, hours=23))
    root = authenticate_root(account.root_email, ROOT_PASSWORD)  # still inside the 90 days
    root_client = console_client_for(root)
    details = root_client.get("/account/").content.decode()
    assert "This account is closed" in details and "Contact support to reopen" in details
    root_client.post("/account/reopen/")
    request = Case.objects.get(account=account, category__code="reopen-closed-account")
    assert request.service.code == "customer-account" and request.case_type == "account-and-billing"
    details = root_client.get("/account/").content.decode()
    assert "You asked AWS Support to reopen the account" in details and "Contact support to reopen" not in details
    again = root_client.post("/account/reopen/", follow=True).content.decode()
    assert "You already asked AWS Support to reopen this account" in again
    assert Case.objects.filter(account=account, category__code="reopen-closed-account").count() == 1
    assert terminate_expired_accounts.apply().get() == 0

    travel(timedelta(hours=1))  # day 90: the post-closure period is over
    with pytest.raises(SignInRefused):
        authenticate_root(account.root_email, ROOT_PASSWORD)
    assert root_client.get("/account/").status_code == 302  # the root session ends too
    assert terminate_expired_accounts.apply().get() == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.TERMINATED
    with pytest.raises(ConflictException, match="can no longer be reopened"):
        reopen_account(account)
    assert terminate_expired_accounts.apply().get() == 0  # terminated once


def test_support_reopens_within_the_period_and_iam_users_return(account, closed_on_the_page, travel):
    travel(timedelta(days=60))
    root = Principal(account=account)
    request_reopen(root)
    reopen_account(account)
    account.refresh_from_db()
    assert account.is_active and account.closed_at is None and account.reopen_requested_at is None
    assert authenticate_iam_user(account.account_id, closed_on_the_page["user"].name, USER_PASSWORD)
    travel(timedelta(days=400))
    assert terminate_expired_accounts.apply().get() == 0  # a reopened account is never terminated
    close_account(root, account.account_id)  # closed again: a new reopen request is possible
    request_reopen(root)
    assert Case.objects.filter(account=account, category__code="reopen-closed-account").count() == 2


def test_reopen_is_refused_after_the_period_even_before_the_beat_job_runs(account, closed_on_the_page, travel):
    travel(timedelta(days=90))
    with pytest.raises(ConflictException, match="can no longer be reopened"):
        reopen_account(account)
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
