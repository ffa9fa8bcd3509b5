"""PostgreSQL only: every query of the Support Center list and of the staff queue can be served by an index
(EXPLAIN shows no sequential scan on the cases table), whatever the filter, the sort or the page, so the lists
stay fast as accounts and cases multiply. Sequential scans are priced out, so a plan that still has one
means no index matches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.services import create_case
from iam.principals import Principal

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]

CUSTOMER_LISTS = [
    "/support/",
    "/support/?page=2&per_page=10",
    "/support/?status=all&sort=created",
    "/support/?status=resolved",
    "/support/?status=unassigned&sort=-created&page=2&per_page=10",
]
STAFF_QUEUES = [
    "/staff/cases/case/",
    "/staff/cases/case/?queue=open",
    "/staff/cases/case/?queue=open&p=1",
    "/staff/cases/case/?queue=all",
    "/staff/cases/case/?queue=all&q=throttled",
    "/staff/cases/case/?q=case+5",
    "/staff/cases/case/?queue=open&q=123456789012",
    "/staff/cases/case/?queue=all&q=case-000000000000-test",
]


def _cases(account, count):
    root = Principal(account=account)
    for i in range(count):
        create_case(root, subject=f"case {i}", communication_body="b", service_code="general-info",
                    category_code="using-aws", severity_code="low")


def _case_queries(client, url) -> list[tuple[str, tuple]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries if 'FROM "cases_case"' in query["sql"]]


def _sequential_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = [row[0] for row in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = on")
    return [line for line in plan if "Seq Scan on cases_case" in line]


@pytest.mark.parametrize("url", CUSTOMER_LISTS)
def test_the_support_center_list_reads_cases_through_an_index(account, other_account, root_client, url):
    _cases(account, 25)
    _cases(other_account, 5)
    queries = _case_queries(root_client, url)
    assert queries, "the page read no cases"
    for sql in queries:
        assert _sequential_scans(sql) == [], sql


@pytest.mark.parametrize("url", STAFF_QUEUES)
def test_the_staff_queue_reads_cases_through_an_index(account, other_account, staff_client, url):
    _cases(account, 25)
    _cases(other_account, 5)
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:5]).update(status="resolved")
    queries = _case_queries(staff_client, url)
    assert queries, "the page read no cases"
    for sql in queries:
        assert _sequential_scans(sql) == [], sql
