"""Reads on Trusted Advisor: which checks an account sees, and their latest results."""

from datetime import datetime, timedelta

from accounts.models import Account
from portal import clock

from .checks import CATALOGUE, Check
from .exceptions import InvalidParameterValue, SubscriptionRequired
from .models import CheckState, CheckStatus, NotificationRule, RefreshStatus

# "millisUntilNextRefreshable": a check may be refreshed again this long after the last request.
REFRESH_INTERVAL = timedelta(minutes=5)
IN_FLIGHT = frozenset({RefreshStatus.ENQUEUED, RefreshStatus.PROCESSING})


def available_checks(account: Account) -> list[Check]:
    """The checks the account's support plan includes, in catalogue order."""
    return [check for check in CATALOGUE.values() if check.available_to(account)]


def locked_checks(account: Account) -> list[Check]:
    """The checks only Business and Enterprise support include."""
    return [check for check in CATALOGUE.values() if not check.available_to(account)]


def available_check(account: Account, check_id: str) -> Check:
    check = CATALOGUE.get(check_id)
    if check is None:
        raise InvalidParameterValue(f"The check ID {check_id!r} is not valid.")
    if not check.available_to(account):
        raise SubscriptionRequired(
            f"The check {check_id} ({check.name}) needs a Business or Enterprise support plan. "
            "All AWS customers have access to five Trusted Advisor checks."
        )
    return check


def states_by_check(account: Account, check_ids=None) -> dict[str, CheckState]:
    """The stored states of the account's checks (one query); checks never refreshed are absent."""
    states = CheckState.objects.filter(account=account)
    if check_ids is not None:
        states = states.filter(check_id__in=list(check_ids))
    return {state.check_id: state for state in states}


def refresh_interval(account: Account) -> timedelta:
    """REFRESH_INTERVAL as the account's clock counts it, in real time (5 s in a practice account at speed 60)."""
    return REFRESH_INTERVAL / clock.speed_of(account)


def millis_until_refreshable(state: CheckState | None, now: datetime, interval: timedelta) -> int:
    """Real milliseconds until the check may be refreshed again, `interval` (refresh_interval) after the last request."""
    if state is None or state.refresh_requested_at is None:
        return 0
    remaining = state.refresh_requested_at + interval - now
    return max(0, int(remaining.total_seconds() * 1000))


def is_refreshable(state: CheckState | None, now: datetime, interval: timedelta) -> bool:
    return (state is None or state.refresh_status not in IN_FLIGHT) and millis_until_refreshable(state, now, interval) == 0


def result_status(state: CheckState | None) -> str:
    """The check's alert status; not_available until a refresh has produced a result."""
    return state.status if state is not None and state.status else CheckStatus.NOT_AVAILABLE


def status_counts(category_statuses) -> dict:
    """How many checks are in each status, overall and per category, from (category, status) pairs."""
    totals = {status.value: 0 for status in CheckStatus}
    per_category: dict[str, dict[str, int]] = {}
    for category, status in category_statuses:
        totals[status] += 1
        per_category.setdefault(category, {s.value: 0 for s in CheckStatus})[status] += 1
    return {"totals": totals, "per_category": per_category}


def notification_rules(account: Account) -> list[tuple[NotificationRule, str]]:
    """The account's status-change rules, each with the name of the check it watches (also one the
    current support plan no longer shows)."""
    rules = NotificationRule.objects.filter(account=account)
    return [(rule, CATALOGUE[rule.check_id].name if rule.check_id else "Any check") for rule in rules]
