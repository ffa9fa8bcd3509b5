"""The Trusted Advisor console: dashboard, live refresh status, flagged resources, permissions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SupportPlan
from advisor.models import CheckState, FlaggedResource
from iam.services import create_access_key, set_trusted_advisor_enabled
from tests.factories import IAMUserFactory, allow

pytestmark = pytest.mark.django_db

ROOT_KEYS, IAM_USE = "Ro0tAkEy01", "zXCkfM1nI3"


def test_dashboard_counts_checks_per_status_and_category(account, root, root_client, refresh_now):
    create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    IAMUserFactory(account=account)
    refresh_now(root, IAM_USE)
    response = root_client.get("/trusted-advisor/")
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["error"] == 1 and totals["ok"] == 1 and totals["warning"] == 0
    security = dict((value, counts) for value, _, counts in response.context["categories"])["security"]
    assert security["error"] == 1 and security["ok"] == 1
    page = response.content.decode()
    assert "Root User Access Keys" in page and "Action recommended" in page and "Last refreshed" in page


def test_refresh_button_enqueues_and_the_status_line_polls_until_done(account, root_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = root_client.post(f"/trusted-advisor/checks/{IAM_USE}/refresh/", HTTP_HX_REQUEST="true")
    line = response.content.decode()
    assert 'data-refresh-status="enqueued"' in line and "every 2s" in line and "Refresh enqueued" in line
    assert "HX-Trigger" not in response  # nothing settled yet
    queued[0]()  # the worker runs the refresh
    response = root_client.get(f"/trusted-advisor/checks/{IAM_USE}/", HTTP_HX_REQUEST="true")
    done = response.content.decode()
    assert 'data-refresh-status="success"' in done and "every 2s" not in done
    assert "Refresh in 5 min" in done  # throttled: the button says when it comes back
    assert response["HX-Trigger"] == "advisor-changed"  # the summary counts re-fetch themselves


def test_the_summary_counts_follow_an_exclusion(account, root, root_client, refresh_now):
    key, _ = create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    summary = root_client.get("/trusted-advisor/summary/", HTTP_HX_REQUEST="true")
    assert summary.context["totals"]["error"] == 1 and 'hx-trigger="advisor-changed from:body"' in summary.content.decode()
    resource = FlaggedResource.objects.get(resource_id=key.access_key_id)
    root_client.post(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/{resource.pk}/exclude/", HTTP_HX_REQUEST="true")
    totals = root_client.get("/trusted-advisor/summary/", HTTP_HX_REQUEST="true").context["totals"]
    assert totals["error"] == 0 and totals["ok"] == 1


def test_automatic_checks_have_no_refresh_button(root_client):
    line = root_client.get("/trusted-advisor/checks/eW7HH0l7J9/", HTTP_HX_REQUEST="true").content.decode()
    assert "Refreshed automatically" in line and "<button" not in line


def test_flagged_resources_table_and_exclusion(account, root, root_client, refresh_now):
    key, _ = create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    table = root_client.get(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/", HTTP_HX_REQUEST="true").content.decode()
    assert key.access_key_id in table and "Access Key ID" in table and ">Exclude<" in table
    resource = FlaggedResource.objects.get(resource_id=key.access_key_id)
    response = root_client.post(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/{resource.pk}/exclude/", HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == f"check-changed-{ROOT_KEYS}"
    assert ">Include<" in response.content.decode()
    assert CheckState.objects.get(check_id=ROOT_KEYS).status == "ok"


def test_another_accounts_resource_is_not_found(account, other_account, root_client):
    state = CheckState.objects.create(account=other_account, check_id=ROOT_KEYS)
    resource = FlaggedResource.objects.create(check_state=state, resource_id="AKIAOTHER", status="error")
    response = root_client.post(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/{resource.pk}/exclude/")
    assert response.status_code == 404
    assert not FlaggedResource.objects.get(pk=resource.pk).is_suppressed


def test_refresh_all_from_the_console(account, root_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = root_client.post("/trusted-advisor/refresh-all/", follow=True)
    assert "Refreshing" in response.content.decode()
    assert CheckState.objects.filter(account=account, refresh_status="success").count() > 10


def test_basic_plan_sees_the_five_core_checks(account, root_client):
    account.support_plan = SupportPlan.BASIC
    account.save()
    response = root_client.get("/trusted-advisor/")
    shown = [row.check.name for _, _, rows in response.context["groups"] for row in rows]
    assert sorted(shown) == ["IAM Password Policy", "IAM Use", "MFA on Root Account", "Root User Access Keys", "Service Limits"]
    assert "More checks with Business or Enterprise support" in response.content.decode()
    assert root_client.get("/trusted-advisor/checks/DqdJqYeRm5/resources/").status_code == 404


def test_read_only_users_see_results_but_no_refresh_or_exclude(account, user_client, refresh_now, root):
    create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    client = user_client(account, allow("trustedadvisor:Describe*"))
    page = client.get("/trusted-advisor/").content.decode()
    assert "Root User Access Keys" in page and ">Refresh<" not in page and "Refresh all" not in page
    table = client.get(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/", HTTP_HX_REQUEST="true").content.decode()
    assert ">Exclude<" not in table
    assert client.post(f"/trusted-advisor/checks/{IAM_USE}/refresh/").status_code == 403


def test_support_permissions_do_not_open_the_console(account, user_client):
    client = user_client(account, allow("support:*"))
    response = client.get("/trusted-advisor/")
    assert response.status_code == 403
    assert "trustedadvisor:DescribeChecks" in response.content.decode()


def test_disabled_trusted_advisor_shows_only_the_banner(account, root_client):
    set_trusted_advisor_enabled(account, False)
    for url in ["/trusted-advisor/", "/trusted-advisor/preferences/", f"/trusted-advisor/checks/{ROOT_KEYS}/resources/"]:
        page = root_client.get(url).content.decode()
        assert "Disabled Trusted Advisor" in page and "Enable Trusted Advisor Role" in page
        assert "Root User Access Keys" not in page


def test_dashboard_query_count_does_not_grow_with_checks_or_resources(account, root, root_client, refresh_now):
    with CaptureQueriesContext(connection) as few:
        root_client.get("/trusted-advisor/")
    for _ in range(2):
        create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    refresh_now(root, IAM_USE)
    with CaptureQueriesContext(connection) as many:
        root_client.get("/trusted-advisor/")
    assert len(many) == len(few)


def test_resources_page_query_count_is_constant(account, root, root_client, refresh_now):
    create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    url = f"/trusted-advisor/checks/{ROOT_KEYS}/resources/"
    with CaptureQueriesContext(connection) as few:
        root_client.get(url)
    create_access_key(account)
    refresh_now(root, ROOT_KEYS, now=timezone.now() + timedelta(minutes=5))
    with CaptureQueriesContext(connection) as many:
        root_client.get(url)
    assert len(many) == len(few)


def test_per_check_refresh_and_exclusions_are_recorded_in_the_event_history(account, root, root_client, refresh_now):
    from events.models import Event

    key, _ = create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    root_client.post(f"/trusted-advisor/checks/{IAM_USE}/refresh/", HTTP_HX_REQUEST="true")
    root_client.post(f"/trusted-advisor/checks/{IAM_USE}/refresh/")  # without JavaScript: a redirect, recorded once too
    root_client.post("/trusted-advisor/checks/eW7HH0l7J9/refresh/", HTTP_HX_REQUEST="true")  # refused: refreshed automatically
    resource = FlaggedResource.objects.get(resource_id=key.access_key_id)
    root_client.post(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/{resource.pk}/exclude/", HTTP_HX_REQUEST="true")
    root_client.post(f"/trusted-advisor/checks/{ROOT_KEYS}/resources/{resource.pk}/include/", HTTP_HX_REQUEST="true")
    events = Event.objects.filter(account=account).order_by("event_time", "pk")
    assert [(e.event_source, e.event_name, e.error_code, e.request_parameters) for e in events] == [
        ("trustedadvisor.amazonaws.com", "RefreshCheck", "", {"checkId": IAM_USE}),
        ("trustedadvisor.amazonaws.com", "RefreshCheck", "", {"checkId": IAM_USE}),
        ("trustedadvisor.amazonaws.com", "RefreshCheck", "InvalidParameterValue", {"checkId": "eW7HH0l7J9"}),
        ("trustedadvisor.amazonaws.com", "ExcludeCheckItems", "", {"checkId": ROOT_KEYS, "resourceIds": [key.access_key_id]}),
        ("trustedadvisor.amazonaws.com", "IncludeCheckItems", "", {"checkId": ROOT_KEYS, "resourceIds": [key.access_key_id]}),
    ]
    assert all(e.event_type == "AwsConsoleAction" and e.user_identity["type"] == "Root" for e in events)
