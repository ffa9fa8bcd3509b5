"""portal.inserts writes the row Model.save() would, from a statement built once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from portal.inserts import insert, insert_counting_alike, insert_unless_taken
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

COMPARED = ("account_id", "event_id", "event_time", "event_type", "event_source", "event_name", "aws_region",
            "read_only", "user_identity", "user_name", "request_parameters", "response_elements",
            "additional_event_data", "error_message")


WHEN = timezone.now() - timedelta(minutes=1)


def event(account, name: str) -> Event:
    return Event(account=account, event_time=WHEN, event_source="iam.amazonaws.com",
                 event_name=name, user_identity={"type": "Root", "arn": "arn:aws:iam::1:root"},
                 request_parameters={"userName": "ünïcode", "tags": [{"key": "a", "value": None}]},
                 response_elements=None, error_message="it's \"quoted\"")


def test_the_row_is_the_one_save_writes_and_each_insert_is_one_statement():
    account = AccountFactory()
    saved = event(account, "CreateUser")
    saved.save()
    with CaptureQueriesContext(connection) as captured:
        inserted = insert(event(account, "CreateUser"))
        again = insert(event(account, "DeleteUser"))
    assert len(captured) == 2
    assert inserted.pk and again.pk not in (inserted.pk, saved.pk)
    stored = Event.objects.get(pk=inserted.pk)
    original = Event.objects.get(pk=saved.pk)
    assert {name: getattr(stored, name) for name in COMPARED if name != "event_id"} == {
        name: getattr(original, name) for name in COMPARED if name != "event_id"
    }
    assert stored.event_id == inserted.event_id != original.event_id
    assert Event.objects.get(pk=again.pk).event_name == "DeleteUser"


def test_a_row_whose_unique_value_is_taken_is_not_written_and_the_transaction_goes_on():
    account = AccountFactory()
    first = insert(event(account, "CreateUser"))
    clash = event(account, "DeleteUser")
    clash.event_id = first.event_id
    assert insert_unless_taken(clash) is None
    assert list(Event.objects.filter(account=account).values_list("event_name", flat=True)) == ["CreateUser"]


def test_a_row_can_be_written_and_its_table_s_rows_alike_counted_in_one_statement():
    from iam.models import IAMUser

    account, other = AccountFactory(), AccountFactory()
    IAMUser(account=other, name="elsewhere").identify().save()
    counted = []
    with CaptureQueriesContext(connection) as captured:
        for name in ("alice", "bob", "carol"):
            row, alike = insert_counting_alike(IAMUser(account=account, name=name).identify(), alike="account")
            counted.append((row.name, alike))
    assert counted == [("alice", 0), ("bob", 1), ("carol", 2)]  # the account's users before each, not the other's
    assert len(captured) == 3
    assert insert_counting_alike(IAMUser(account=account, name="ALICE").identify(), alike="account") == (None, 0)
    assert IAMUser.objects.filter(account=account).count() == 3
