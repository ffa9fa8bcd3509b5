"""portal.inserts writes the row Model.save() would, from a statement built once."""

from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account
from cases.models import Case, Category, Communication, SeverityLevel, Service
from events.models import Event
from portal.inserts import NotWritten, deferred_inserts, insert, insert_counting_alike, insert_unless_taken, provided
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


# ---- rows that wait (defer=True) -------------------------------------------------------------------------

def new_case(account, **fields) -> Case:
    service = Service.objects.get(code="general-info")
    now = timezone.now()
    values = {"account": account, "case_id": f"case-{account.account_id}-{now.timestamp()}", "display_id": 1_234_567_890,
              "subject": "s", "service": service, "category": Category.objects.get(service=service, code="using-aws"),
              "severity": SeverityLevel.objects.get(code="low"), "submitted_by": "root", "time_created": now,
              "status_changed_at": now, "first_response_due": now}
    return Case(**values | fields)


def test_waiting_rows_are_written_together_and_a_row_refers_to_an_earlier_one():
    account = AccountFactory()
    row = new_case(account)
    with CaptureQueriesContext(connection) as captured, deferred_inserts():
        case = insert_unless_taken(row, defer=True)
        message = insert(Communication(case=case, body="first", submitted_by="root", time_created=WHEN), defer=True)
        logged = insert(event(account, "CreateCase"), defer=True)
        assert case.pk is None and len(captured) == 0  # nothing written yet
    assert len(captured) == (1 if connection.vendor == "postgresql" else 3)
    assert message.case_id == case.pk == Communication.objects.get(pk=message.pk).case_id
    assert Event.objects.get(pk=logged.pk).event_name == "CreateCase"


def test_a_statement_made_while_rows_wait_sees_them_written():
    account = AccountFactory()
    with deferred_inserts():
        logged = insert(event(account, "CreateUser"), defer=True)
        assert Event.objects.filter(account=account).count() == 1
        assert logged.pk is not None


def test_outside_a_block_a_deferred_row_is_written_at_once():
    logged = insert(event(AccountFactory(), "CreateUser"), defer=True)
    assert Event.objects.filter(pk=logged.pk).exists()


def test_a_taken_value_writes_none_of_the_rows_and_the_transaction_goes_on():
    account = AccountFactory()
    taken = insert(new_case(account))
    clash = new_case(account, case_id="another", display_id=taken.display_id)
    with pytest.raises(NotWritten), deferred_inserts():
        case = insert_unless_taken(clash, defer=True)
        insert(Communication(case=case, body="first", submitted_by="root", time_created=WHEN), defer=True)
        insert(event(account, "CreateCase"), defer=True)
    assert (Case.objects.filter(account=account).count(), Communication.objects.filter(case__account=account).count(),
            Event.objects.filter(account=account).count()) == (1, 0, 0)


@pytest.mark.parametrize("holds", [True, False])
def test_rows_inserted_under_a_condition_are_written_only_if_it_still_holds(holds):
    account = AccountFactory(name="as kept" if holds else "changed since it was kept")
    refused = []
    with pytest.raises(NotWritten) if not holds else nullcontext(), deferred_inserts():
        assert provided(f"EXISTS (SELECT 1 FROM {Account._meta.db_table} WHERE id = %s AND name = %s)",
                        [account.pk, "as kept"], otherwise=lambda: refused.append(True))
        insert(event(account, "CreateUser"), defer=True)
    assert Event.objects.filter(account=account).count() == (1 if holds else 0)
    assert refused == ([] if holds else [True])


@pytest.mark.parametrize("holds", [True, False])
def test_a_condition_with_no_row_waiting_is_asked_when_the_block_ends(holds):
    account = AccountFactory(name="as kept" if holds else "changed since it was kept")
    with pytest.raises(NotWritten) if not holds else nullcontext(), deferred_inserts():
        provided(f"EXISTS (SELECT 1 FROM {Account._meta.db_table} WHERE id = %s AND name = %s)", [account.pk, "as kept"])
        Account.objects.filter(pk=account.pk).update(support_plan=account.support_plan)  # a write, not deferred


def test_outside_a_block_nothing_is_kept_to_check_later():
    assert provided("1 = 0", [], otherwise=lambda: None) is False


@pytest.mark.django_db(transaction=True)
def test_a_row_that_need_not_be_durable_relaxes_only_its_own_commit():
    account = AccountFactory()
    with CaptureQueriesContext(connection) as captured:
        alone = insert(event(account, "GetUser"), durable=False)
        with transaction.atomic():  # a transaction's rows are as durable as the transaction
            within = insert(event(account, "ListUsers"), durable=False)
    assert set(Event.objects.filter(account=account).values_list("pk", "event_name")) == {
        (alone.pk, "GetUser"), (within.pk, "ListUsers")}
    relaxing = [query["sql"] for query in captured if "synchronous_commit" in query["sql"]]
    assert relaxing == ([captured[0]["sql"]] if connection.vendor == "postgresql" else [])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)  # the session's own setting is untouched
