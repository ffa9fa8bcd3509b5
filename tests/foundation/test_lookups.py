"""`field__among=[...]` finds what `field__in=[...]` finds, with the list as one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_among_finds_what_in_finds_and_keeps_a_long_list_to_one_parameter():
    accounts = AccountFactory.create_batch(3)
    wanted = [accounts[0].pk, accounts[2].pk, -1]
    with CaptureQueriesContext(connection) as captured:
        found = set(Account.objects.filter(pk__among=wanted).values_list("pk", flat=True))
    assert found == set(Account.objects.filter(pk__in=wanted).values_list("pk", flat=True)) == {accounts[0].pk, accounts[2].pk}
    assert Account.objects.filter(pk__among=[]).count() == 0
    assert Account.objects.filter(account_id__among=[accounts[1].account_id]).get() == accounts[1]
    if connection.vendor == "postgresql":
        assert "= ANY(" in captured[0]["sql"]
        with CaptureQueriesContext(connection) as long_list:
            assert Account.objects.filter(pk__among=list(range(-5000, 0))).count() == 0
        assert long_list[0]["sql"].count("%s") <= 1 and "ANY" in long_list[0]["sql"]
