"""Event history: the event name opens the record; the filtered events download as JSON and CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import IAMUserFactory, allow

from .test_event_history import make_event

pytestmark = pytest.mark.django_db


def download(client, file_format, query=""):
    response = client.get(f"/cloudtrail/download.{file_format}{query}")
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return response, body


def test_the_event_name_links_to_its_record(account, root_client):
    event = make_event(account, "CreateUser")
    page = root_client.get("/cloudtrail/").content.decode()
    assert f'<a href="/cloudtrail/events/{event.event_id}/">CreateUser</a>' in page


def test_json_download_holds_the_filtered_records(account, other_account, root_client):
    alice = IAMUserFactory(account=account, name="alice")
    make_event(account, "CreateUser", user=alice)
    make_event(account, "ListUsers")
    make_event(account, "Older", user=alice, age=timedelta(minutes=5))
    make_event(other_account, "TheirCreateUser", user=IAMUserFactory(account=other_account, name="alice"))
    response, body = download(root_client, "json", "?user_name=alice&page=2")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="event_history.json"'
    records = json.loads(body)["Records"]
    assert [record["eventName"] for record in records] == ["CreateUser", "Older"]  # newest first, paging ignored
    assert {record["recipientAccountId"] for record in records} == {account.account_id}
    assert "hunter2" not in body and records[0]["requestParameters"]["password"] == "HIDDEN_DUE_TO_SECURITY_REASONS"


def test_csv_download_has_a_header_and_one_row_per_event(account, root_client):
    make_event(account, "CreateCase", source="support.amazonaws.com", error="AccessDenied")
    make_event(account, "CreateUser")
    response, body = download(root_client, "csv", "?event_source=support.amazonaws.com")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(row["Event name"], row["Event source"], row["Error code"]) for row in rows] == [
        ("CreateCase", "support.amazonaws.com", "AccessDenied")]


def test_empty_download_is_still_a_valid_file(account, root_client):
    assert json.loads(download(root_client, "json")[1]) == {"Records": []}
    assert download(root_client, "csv")[1].splitlines()[0].startswith("Event ID,Event time")


def test_download_needs_lookup_events(account, user_client, client):
    make_event(account)
    assert user_client(account, allow("iam:ListUsers")).get("/cloudtrail/download.json").status_code == 403
    assert user_client(account, allow("cloudtrail:LookupEvents")).get("/cloudtrail/download.csv").status_code == 200
    assert client.get("/cloudtrail/download.csv").status_code == 302


def test_bad_filters_and_formats_get_clear_answers(account, root_client):
    response = root_client.get("/cloudtrail/download.csv?start=2026-02-01T00:00&end=2026-01-01T00:00")
    assert response.status_code == 400 and "The end of the time range must be after its start." in response.content.decode()
    assert root_client.get("/cloudtrail/download.csv?event_id=not-a-uuid").status_code == 400
    assert root_client.get("/cloudtrail/download.xml").status_code == 404


def test_download_links_carry_the_filters_but_not_the_page(account, root_client):
    page = root_client.get("/cloudtrail/?event_name=CreateUser&page=1&per_page=10").content.decode()
    assert 'href="/cloudtrail/download.json?event_name=CreateUser"' in page
    assert 'href="/cloudtrail/download.csv?event_name=CreateUser"' in page


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_download_query_count_does_not_grow_with_events(account, root_client, file_format):
    make_event(account)
    with CaptureQueriesContext(connection) as few:
        download(root_client, file_format)
    for _ in range(30):
        make_event(account)
    with CaptureQueriesContext(connection) as many:
        _, body = download(root_client, file_format)
    assert len(many) == len(few)
    assert body.count("CreateUser") == 31
