"""portal.row_values gives the values Model.save() would write, taking as they are only those the field's own
preparation would give back unchanged."""

from datetime import datetime

import pytest
from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from cases.models import Case, CaseStatus, Communication
from events.models import Event
from iam.models import IAMUser
from portal.row_values import insert_fields, prepared_values

pytestmark = pytest.mark.django_db


def as_django_prepares(row) -> list:
    return [field.get_db_prep_save(field.pre_save(row, True), connection) for field in insert_fields(type(row))]


def comparable(values: list) -> list:
    return [(type(value), value.obj if isinstance(value, Jsonb) else value) for value in values]


def rows(account) -> list:
    now = timezone.now()
    case = Case(account=account, case_id="case-1", display_id=12345678901, subject="Ünïcode", service_id=1, category_id=2,
                severity_id=3, case_type="technical", status=CaseStatus.UNASSIGNED, cc_email_addresses=["a@example.com"],
                extra_details={"k": "v"}, submitted_by="root", time_created=now, status_changed_at=now,
                first_response_due=now)
    return [
        case,
        Communication(case=case, body="first", submitted_by="root", time_created=now, cc_email_addresses=[]),
        Event(account=account, event_time=now, event_source="iam.amazonaws.com", event_name="CreateUser",
              user_identity={"type": "Root"}, request_parameters=None, read_only=False),
    ]


def test_every_value_is_the_one_django_prepares(account):
    for row in rows(account):
        first = prepared_values(row, connection)
        assert comparable(first) == comparable(as_django_prepares(row)), type(row).__name__


def test_a_creation_time_is_set_as_save_sets_it(account):
    user = IAMUser(account=account, name="alice", path="/")
    before = timezone.now()
    values = dict(zip((field.attname for field in insert_fields(IAMUser)), prepared_values(user, connection)))
    assert user.created_at >= before
    assert values["created_at"] == connection.ops.adapt_datetimefield_value(user.created_at)


def test_plain_values_are_taken_as_they_are_on_postgresql(account):
    case = rows(account)[0]
    values = dict(zip((field.attname for field in insert_fields(Case)), prepared_values(case, connection)))
    taken = values["subject"] is case.subject and values["time_created"] is case.time_created
    assert taken == (connection.vendor == "postgresql")  # SQLite writes datetimes as text
    assert values["status"] is case.status  # a text choice is a str, as Django passes it


def test_a_naive_datetime_is_made_aware_as_django_does(account):
    event = rows(account)[2]
    event.event_time = datetime(2026, 1, 2, 3, 4, 5)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        prepared = prepared_values(event, connection)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        assert comparable(prepared) == comparable(as_django_prepares(event))
    if connection.vendor == "postgresql":
        assert prepared[[field.attname for field in insert_fields(Event)].index("event_time")].tzinfo is not None
