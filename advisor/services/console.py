"""What the console's dashboard shows for each check, in a constant number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from iam.principals import Principal
from portal import clock

from .. import selectors
from ..checks import Check
from ..models import Category, CheckState
from ..recommendations import recommendation_for
from .access import Via, admit


@dataclass(frozen=True)
class CheckRow:
    check: Check
    state: CheckState | None
    status: str
    millis_until_refreshable: int  # real time
    speed: int  # of the account's clock (portal.clock): the countdown is shown as that clock counts it

    @property
    def refresh_status(self) -> str:
        return self.state.refresh_status if self.state else "none"

    @property
    def in_flight(self) -> bool:
        return self.refresh_status in selectors.IN_FLIGHT

    @property
    def refreshable(self) -> bool:
        return not self.check.automatic and not self.in_flight and self.millis_until_refreshable == 0

    @property
    def recommendation(self):
        """What to do about a finding, and the page where it is done."""
        return recommendation_for(self.check.id)

    @property
    def minutes_until_refreshable(self) -> int:
        """On the account's clock: 5 at first, whatever the speed."""
        return -(-self.millis_until_refreshable * self.speed // 60_000)


def _rows(principal: Principal, checks: list[Check], states: dict[str, CheckState], now: datetime) -> list[CheckRow]:
    account = principal.account
    interval, speed = selectors.refresh_interval(account), clock.speed_of(account)

    def row(check: Check) -> CheckRow:
        state = states.get(check.id)
        millis = selectors.millis_until_refreshable(state, now, interval)
        return CheckRow(check, state, selectors.result_status(state), millis, speed)

    return [row(check) for check in checks]


def check_rows(principal: Principal, *, now: datetime | None = None) -> list[CheckRow]:
    admit(principal, "DescribeChecks", Via.CONSOLE)
    admit(principal, "DescribeCheckSummaries", Via.CONSOLE)
    states = selectors.states_by_check(principal.account)
    return _rows(principal, selectors.available_checks(principal.account), states, now or timezone.now())


def check_row(principal: Principal, check_id: str, *, now: datetime | None = None) -> CheckRow:
    admit(principal, "DescribeCheckSummaries", Via.CONSOLE)
    check = selectors.available_check(principal.account, check_id)
    states = selectors.states_by_check(principal.account, [check.id])
    return _rows(principal, [check], states, now or timezone.now())[0]


def by_category(rows: list[CheckRow]) -> list[tuple[str, str, list[CheckRow]]]:
    """(category, label, rows) in the console's category order, skipping empty categories."""
    grouped = [(category.value, category.label, [row for row in rows if row.check.category == category]) for category in Category]
    return [group for group in grouped if group[2]]
