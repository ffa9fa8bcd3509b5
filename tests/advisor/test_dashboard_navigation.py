"""Trusted Advisor dashboard: category navigation, status filter, a recommended action linking to the fix,
and a CSV of a check's flagged resources."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor.checks import CATALOGUE
from advisor.recommendations import RECOMMENDATIONS
from datetime import timedelta

from django.utils import timezone

from iam.principals import Principal
from iam.services import create_user
from tests.factories import AccountFactory, allow

pytestmark = pytest.mark.django_db


def test_every_check_has_a_recommended_action_on_a_real_page():
    assert set(RECOMMENDATIONS) == set(CATALOGUE)
    for recommendation in RECOMMENDATIONS.values():
        assert recommendation.url.startswith("/")


def checks_shown(response):
    return [row.check.id for _, _, rows in response.context["groups"] for row in rows]


def test_category_navigation_and_status_filter(account, root, root_client, refresh_now):
    refresh_now(root, "7DAFEmoDos")  # MFA on Root Account: red without a root MFA device
    everything = root_client.get("/trusted-advisor/")
    assert len(checks_shown(everything)) == everything.context["total_count"]
    security = root_client.get("/trusted-advisor/?category=security")
    assert checks_shown(security) and all(CATALOGUE[check].category == "security" for check in checks_shown(security))
    assert 'aria-current="page">Security' in security.content.decode()
    red = root_client.get("/trusted-advisor/?status=error")
    assert "7DAFEmoDos" in checks_shown(red) and all(row.status == "error" for _, _, rows in red.context["groups"] for row in rows)
    page = red.content.decode()
    assert "Recommended action:" in page and reverse("iam:security-credentials") in page


def test_bad_filters_are_explained_and_show_everything(account, root, root_client, refresh_now):
    response = root_client.get("/trusted-advisor/?category=nonsense&status=purple")
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert len(checks_shown(response)) == response.context["total_count"]


def test_a_filter_matching_nothing_says_so(account, root, root_client, refresh_now):
    response = root_client.get("/trusted-advisor/?status=error")
    assert 'data-testid="no-checks"' in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_users(account, root, root_client, refresh_now):
    refresh_now(root, "MfAcOnUs01")
    with CaptureQueriesContext(connection) as few:
        root_client.get("/trusted-advisor/?category=security")
    for number in range(10):
        create_user(account, f"user{number}", password="Passw0rd!Passw0rd")
    refresh_now(root, "MfAcOnUs01", now=timezone.now() + timedelta(minutes=10))
    with CaptureQueriesContext(connection) as many:
        root_client.get("/trusted-advisor/?category=security")
    assert len(many) == len(few)


def test_flagged_resources_download_as_csv(account, root, root_client, refresh_now):
    for number in range(3):
        create_user(account, f"nomfa{number}", password="Passw0rd!Passw0rd")
    refresh_now(root, "MfAcOnUs01")
    response = root_client.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="trusted-advisor-MfAcOnUs01.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Status", "Resource", "Region", "Excluded"] and rows[0][4:] == list(CATALOGUE["MfAcOnUs01"].metadata)
    assert len(rows) == 4 and all(row[0] == "Action recommended" for row in rows[1:])
    assert 'data-testid="resources-csv"' in root_client.get("/trusted-advisor/checks/MfAcOnUs01/resources/").content.decode()


def test_csv_query_count_does_not_grow(account, root, root_client, refresh_now):
    create_user(account, "one", password="Passw0rd!Passw0rd")
    refresh_now(root, "MfAcOnUs01")
    with CaptureQueriesContext(connection) as few:
        b"".join(root_client.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv").streaming_content)
    for number in range(12):
        create_user(account, f"more{number}", password="Passw0rd!Passw0rd")
    refresh_now(root, "MfAcOnUs01", now=timezone.now() + timedelta(minutes=10))
    with CaptureQueriesContext(connection) as many:
        body = b"".join(root_client.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv").streaming_content)
    assert len(many) == len(few) and body.count(b"\n") == 14


def test_csv_needs_the_check_items_permission_and_a_known_check(account, user_client):
    allowed = user_client(account, allow("trustedadvisor:DescribeCheckItems"))
    assert allowed.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv").status_code == 200
    assert allowed.get("/trusted-advisor/checks/NoSuchCheck/resources.csv").status_code == 404
    denied = user_client(account, allow("trustedadvisor:DescribeChecks"))
    assert denied.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv").status_code == 403


def test_csv_holds_only_this_accounts_resources(account, root, root_client, refresh_now):
    other = AccountFactory()
    create_user(other, "theirs", password="Passw0rd!Passw0rd")
    refresh_now(Principal(account=other), "MfAcOnUs01")
    body = b"".join(root_client.get("/trusted-advisor/checks/MfAcOnUs01/resources.csv").streaming_content).decode()
    assert "theirs" not in body
