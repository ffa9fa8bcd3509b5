"""What the console's dashboard shows for each check, in a constant number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from iam.principals import Principal

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
    millis_until_refreshable: int

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
        return -(-self.millis_until_refreshable // 60_000)


def _row(check: Check, state: CheckState | None, now: datetime) -> CheckRow:
    return CheckRow(check, state, selectors.result_status(state), selectors.millis_until_refreshable(state, now))


def check_rows(principal: Principal, *, now: datetime | None = None) -> list[CheckRow]:
    admit(principal, "DescribeChecks", Via.CONSOLE)
    admit(principal, "DescribeCheckSummaries", Via.CONSOLE)
    now = now or timezone.now()
    states = selectors.states_by_check(principal.account)
    return [_row(check, states.get(check.id), now) for check in selectors.available_checks(principal.account)]


def check_row(principal: Principal, check_id: str, *, now: datetime | None = None) -> CheckRow:
    admit(principal, "DescribeCheckSummaries", Via.CONSOLE)
    check = selectors.available_check(principal.account, check_id)
    state = selectors.states_by_check(principal.account, [check.id]).get(check.id)
    return _row(check, state, now or timezone.now())


def by_category(rows: list[CheckRow]) -> list[tuple[str, str, list[CheckRow]]]:
    """(category, label, rows) in the console's category order, skipping empty categories."""
    grouped = [(category.value, category.label, [row for row in rows if row.check.category == category]) for category in Category]
    return [group for group in grouped if group[2]]
