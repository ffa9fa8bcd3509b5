"""Services' atomic blocks: a savepoint of their own, except within an API call's all-or-nothing transaction."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account
from events.models import Event
from portal.inserts import insert
from portal.transactions import all_or_nothing, atomic
from tests.factories import AccountFactory
from tests.round_trips import round_trips

pytestmark = pytest.mark.django_db


def savepoints(captured) -> int:
    return sum(query["sql"].startswith("SAVEPOINT") for query in captured)


@atomic
def rename(account: Account, name: str) -> None:
    Account.objects.filter(pk=account.pk).update(name=name)
    if not name:
        raise ValueError("a name is required")


def test_a_refusal_outside_an_api_call_leaves_the_callers_transaction_usable():
    account = AccountFactory(name="before")
    with pytest.raises(ValueError):
        rename(account, "")
    account.refresh_from_db()  # the caller's transaction still answers
    assert account.name == "before"


def test_within_an_api_call_a_service_takes_no_savepoint_and_an_error_undoes_the_whole_call():
    account = AccountFactory(name="before")
    with CaptureQueriesContext(connection) as nested:
        rename(account, "nested")
    with CaptureQueriesContext(connection) as in_call, all_or_nothing():
        rename(account, "in call")
    assert savepoints(in_call) == savepoints(nested) == 1  # the call's own (a test runs in a transaction); none more
    with pytest.raises(ValueError), all_or_nothing():
        Account.objects.filter(pk=account.pk).update(alias="written-first")
        rename(account, "")
    account.refresh_from_db()
    assert (account.name, account.alias) == ("in call", None)


# ---- a call whose only writes are rows that wait (portal.inserts) ----------------------------------------

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the BEGIN and COMMIT PostgreSQL saves")


def waiting_event(account, name: str) -> Event:
    return insert(Event(account=account, event_time=timezone.now(), event_source="iam.amazonaws.com", event_name=name,
                        user_identity={"type": "Root"}), defer=True)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_call_that_only_inserts_is_one_round_trip_and_its_commit_hooks_still_follow_the_write():
    account = AccountFactory()
    seen = []
    with round_trips() as trips, all_or_nothing():
        logged = [waiting_event(account, "CreateUser"), waiting_event(account, "AttachUserPolicy")]
        transaction.on_commit(lambda: seen.extend(row.pk for row in logged))
    assert (trips.count, trips.queries()) == (1, [])  # no BEGIN, no COMMIT of their own
    assert None not in seen and Event.objects.filter(pk__in=seen).count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_call_that_reads_first_writes_its_waiting_rows_in_its_transaction():
    account = AccountFactory()
    with round_trips() as trips, all_or_nothing():
        Account.objects.get(pk=account.pk)
        waiting_event(account, "CreateUser")
    assert trips.queries() == ["BEGIN", "COMMIT"]
    assert trips.count == 4
    assert Event.objects.filter(account=account).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_call_that_fails_before_its_end_writes_none_of_its_waiting_rows():
    account = AccountFactory()
    seen = []
    with pytest.raises(ValueError), all_or_nothing():
        waiting_event(account, "CreateUser")
        transaction.on_commit(lambda: seen.append("committed"))
        raise ValueError("refused")
    assert (Event.objects.filter(account=account).count(), seen) == (0, [])


@pytest.mark.django_db(transaction=True)
def test_within_a_callers_transaction_the_rows_roll_back_with_it():
    account = AccountFactory()
    with pytest.raises(ValueError), transaction.atomic():
        with all_or_nothing():
            waiting_event(account, "CreateUser")
        assert Event.objects.filter(account=account).count() == 1
        raise ValueError("the caller gives up")
    assert Event.objects.filter(account=account).count() == 0
