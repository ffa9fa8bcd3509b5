"""The event history: console changes recorded, the page with its filters, 90 days of retention."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, EventType
from events.services import purge_expired_events, record_event
from events.tasks import purge_expired_events as purge_task
from iam.principals import Principal
from tests.factories import IAMUserFactory, allow

pytestmark = pytest.mark.django_db


def make_event(account, name="CreateUser", *, source="iam.amazonaws.com", user=None, age=timedelta(0), error=""):
    return record_event(
        Principal(account=account, user=user), event_source=source, event_name=name,
        request_parameters={"userName": "x", "password": "hunter2"}, error_code=error,
        error_message="denied" if error else "", now=timezone.now() - age,
    )


@pytest.mark.urls("tests.events.urls")
def test_a_console_change_that_redirects_is_recorded(account, root_client):
    root_client.post("/create-group/", {"name": "admins", "password": "s3cret"}, REMOTE_ADDR="203.0.113.9")
    event = Event.objects.get(account=account)
    assert (event.event_type, event.event_source, event.event_name) == (
        EventType.CONSOLE_ACTION, "iam.amazonaws.com", "CreateGroup")
    assert event.request_parameters == {"name": "admins", "password": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    assert event.source_ip_address == "203.0.113.9" and event.read_only is False


@pytest.mark.urls("tests.events.urls")
def test_views_that_authorize_themselves_name_their_event(account, root_client):
    root_client.post("/delete-user/", {"name": "bob"})
    assert Event.objects.get(account=account).event_name == "DeleteUser"


@pytest.mark.urls("tests.events.urls")
def test_failed_forms_reads_and_gets_are_not_recorded(account, root_client):
    root_client.post("/create-group/", {"name": "bad"})
    root_client.post("/list-users/")
    root_client.get("/create-group/")
    assert not Event.objects.exists()


def test_history_needs_lookup_events(account, user_client):
    assert user_client(account).get("/cloudtrail/").status_code == 403
    assert user_client(account, allow("cloudtrail:LookupEvents")).get("/cloudtrail/").status_code == 200


def test_history_shows_only_this_account(account, other_account, root_client):
    mine = make_event(account, "CreateUser")
    theirs = make_event(other_account, "DeleteBucketOfSecrets")
    page = root_client.get("/cloudtrail/").content.decode()
    assert "CreateUser" in page and "DeleteBucketOfSecrets" not in page
    assert root_client.get(f"/cloudtrail/events/{mine.event_id}/").status_code == 200
    assert root_client.get(f"/cloudtrail/events/{theirs.event_id}/").status_code == 404


def test_the_detail_page_shows_the_record_without_secrets(account, root_client):
    event = make_event(account, error="AccessDenied")
    page = html.unescape(root_client.get(f"/cloudtrail/events/{event.event_id}/").content.decode())
    assert '"eventName": "CreateUser"' in page and '"errorCode": "AccessDenied"' in page
    assert "hunter2" not in page and "HIDDEN_DUE_TO_SECURITY_REASONS" in page


def test_filters(account, root_client):
    alice = IAMUserFactory(account=account, name="alice")
    make_event(account, "CreateUser", user=alice)
    make_event(account, "ListUsers")
    make_event(account, "CreateCase", source="support.amazonaws.com")
    make_event(account, "DeleteUser", age=timedelta(days=3))

    def names(query):
        response = root_client.get(f"/cloudtrail/?{query}")
        assert response.status_code == 200
        return sorted(event.event_name for event in response.context["table"].page)

    assert names("event_name=createuser") == ["CreateUser"]
    assert names("event_source=support.amazonaws.com") == ["CreateCase"]
    assert names("user_name=alice") == ["CreateUser"]
    assert names("read_only=true") == ["ListUsers"]
    assert names("read_only=false") == ["CreateCase", "CreateUser", "DeleteUser"]
    keyed = make_event(account, "UpdateAccessKey")
    Event.objects.filter(pk=keyed.pk).update(access_key_id="AKIAFILTERME00000000")
    assert names("access_key_id=akiafilterme00000000") == ["UpdateAccessKey"]
    assert names(f"event_id={keyed.event_id}") == ["UpdateAccessKey"]
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert "DeleteUser" not in names(f"start={since}")


def test_an_inverted_time_range_is_explained(account, root_client):
    response = root_client.get("/cloudtrail/?start=2026-02-01T00:00&end=2026-01-01T00:00")
    assert response.status_code == 200
    assert "The end of the time range must be after its start." in response.content.decode()
    assert response.context["form"]["start"].value() == "2026-02-01T00:00"


def test_sorting_and_paging(account, root_client):
    for age, name in enumerate(["Charlie", "Alpha", "Bravo"]):
        make_event(account, name, age=timedelta(minutes=age))
    newest_first = root_client.get("/cloudtrail/").context["table"].page
    assert [event.event_name for event in newest_first] == ["Charlie", "Alpha", "Bravo"]
    by_name = root_client.get("/cloudtrail/?sort=name").context["table"].page
    assert [event.event_name for event in by_name] == ["Alpha", "Bravo", "Charlie"]
    for _ in range(10):
        make_event(account, "Filler")
    paged = root_client.get("/cloudtrail/?per_page=10&page=2").context["table"].page
    assert paged.number == 2 and len(paged) == 3


def test_query_count_does_not_grow_with_events(account, root_client):
    make_event(account)
    with CaptureQueriesContext(connection) as few:
        root_client.get("/cloudtrail/")
    for _ in range(20):
        make_event(account)
    with CaptureQueriesContext(connection) as many:
        root_client.get("/cloudtrail/")
    assert len(many) == len(few)


def test_events_are_kept_90_days(account):
    make_event(account, "Recent", age=timedelta(days=89))
    make_event(account, "Expired", age=timedelta(days=91))
    assert purge_expired_events() == 1
    assert list(Event.objects.values_list("event_name", flat=True)) == ["Recent"]
    make_event(account, "AlsoExpired", age=timedelta(days=100))
    assert purge_task.apply().get() == 1


def test_an_assumed_role_session_is_recorded_as_cloudtrail_shows_it(account):
    from iam.services import create_role

    trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
    role = create_role(account, "deployer", trust)
    event = record_event(Principal(account=account, role=role, role_session_name="ci"), event_source="iam.amazonaws.com",
                         event_name="CreateUser")
    assert event.user_name == "deployer/ci"
    assert event.user_identity == {
        "type": "AssumedRole", "principalId": f"{role.role_id}:ci",
        "arn": f"arn:aws:sts::{account.account_id}:assumed-role/deployer/ci", "accountId": account.account_id,
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role.role_id, "arn": role.arn,
                                             "accountId": account.account_id, "userName": "deployer"}},
    }
