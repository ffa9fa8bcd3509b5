"""The demo data: a populated sandbox account opens Trusted Advisor with a result for every check."""

import pytest

from advisor.models import CheckState, NotificationRule
from advisor.selectors import available_checks
from portal.sandbox.services import populate_account

pytestmark = pytest.mark.django_db


def test_a_populated_account_has_a_result_for_every_check(account, root_client):
    populate_account(account)
    states = CheckState.objects.filter(account=account)
    assert {state.check_id for state in states} == {check.id for check in available_checks(account)}
    assert {state.refresh_status for state in states} == {"success"}
    totals = root_client.get("/trusted-advisor/").context["totals"]
    assert totals["not_available"] == 0 and totals["error"] + totals["warning"] > 0
    assert NotificationRule.objects.filter(account=account, status="error").exists()
    # The demo's first results start no five-minute wait: the customer can refresh at once.
    assert root_client.get("/trusted-advisor/").content.decode().count(">Refresh<") > 10
