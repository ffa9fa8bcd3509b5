"""Services' atomic blocks: a savepoint of their own, except within an API call's all-or-nothing transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from portal.transactions import all_or_nothing, atomic
from tests.factories import AccountFactory

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
