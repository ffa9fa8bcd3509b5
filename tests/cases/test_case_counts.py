"""PostgreSQL keeps each account's number of cases per status (cases_accountcasecount, by triggers), and the
Support Center list takes its total from there instead of counting every case on every page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account
from cases import jobs, lifecycle
from cases.models import AccountCaseCount, Case, CaseStatus

from .factories import CaseFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the counts are kept by PostgreSQL triggers"),
]


def kept(account) -> dict[str, int]:
    return dict(AccountCaseCount.objects.filter(account=account).values_list("status", "cases"))


def actual(account) -> dict[str, int]:
    counted = {}
    for status in Case.objects.filter(account=account).values_list("status", flat=True):
        counted[status] = counted.get(status, 0) + 1
    return counted


def test_the_counts_follow_every_kind_of_write(account, other_account, staff_user):
    cases = CaseFactory.create_batch(4, account=account)
    CaseFactory(account=other_account)
    assert kept(account) == actual(account) == {"unassigned": 4}

    lifecycle.transition(cases[0], CaseStatus.WORK_IN_PROGRESS, actor=lifecycle.Actor.engineer(staff_user))
    Case.objects.filter(pk=cases[1].pk).update(status=CaseStatus.PENDING_CUSTOMER_ACTION,
                                                status_changed_at=timezone.now() - timedelta(days=30))
    Case.objects.filter(pk=cases[2].pk).update(subject="Only the subject changes")
    assert kept(account) == actual(account)

    assert jobs.auto_resolve_stale_cases() == 1
    cases[3].delete()
    assert kept(account) == actual(account) == {"work-in-progress": 1, "resolved": 1, "unassigned": 1}
    assert kept(other_account) == {"unassigned": 1}

    Account.objects.filter(pk=account.pk).delete()
    assert kept(account) == {}
    assert kept(other_account) == {"unassigned": 1}


@pytest.mark.parametrize("status", ["", "all", "resolved", "unassigned"])
def test_the_list_total_is_what_it_lists_without_counting_the_cases(account, root_client, status):
    CaseFactory.create_batch(3, account=account)
    CaseFactory(account=account, status=CaseStatus.RESOLVED)
    CaseFactory(account=account, time_created=timezone.now() - timedelta(days=400))  # out of the 12-month history
    with CaptureQueriesContext(connection) as captured:
        page = root_client.get("/support/", {"status": status, "per_page": 100}).context["table"].page
    assert page.paginator.count == len(page.object_list) == {"": 3, "all": 4, "resolved": 1, "unassigned": 3}[status]
    counts_of_cases = [query["sql"] for query in captured if query["sql"].startswith("SELECT COUNT(*)")
                       and 'FROM "cases_case"' in query["sql"] and '"time_created" >=' in query["sql"]]
    assert counts_of_cases == []


def test_a_search_is_counted_by_its_rows(account, root_client):
    CaseFactory(account=account, subject="Throttled calls")
    CaseFactory(account=account, subject="Billing")
    assert root_client.get("/support/", {"q": "throttled"}).context["table"].page.paginator.count == 1
