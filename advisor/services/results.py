"""The read operations of the Trusted Advisor API, shared by the wire API and the console."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from iam.principals import Principal

from .. import selectors
from ..exceptions import InvalidParameterValue
from ..models import FlaggedResource
from .access import Via, admit
from .shapes import check_description_shape, refresh_status_shape, result_shape, summary_shape

# The languages DescribeTrustedAdvisorChecks accepts. The sandbox writes its checks in English only,
# so every accepted language is answered in English.
LANGUAGES = frozenset({"en", "ja", "fr", "zh", "zh_TW", "de", "es", "id", "it", "ko", "pt_BR"})


def _validate_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidParameterValue(f"The language {language!r} is not supported. Use one of: {', '.join(sorted(LANGUAGES))}.")


def _validate_check_ids(check_ids: Iterable[str]) -> list[str]:
    check_ids = list(check_ids)
    if not check_ids:
        raise InvalidParameterValue("checkIds must name at least one check.")
    return check_ids


def describe_checks(principal: Principal, language: str = "en", *, via: Via = Via.API) -> dict:
    """DescribeTrustedAdvisorChecks: the checks the account's support plan includes."""
    admit(principal, "DescribeChecks", via)
    _validate_language(language)
    return {"checks": [check_description_shape(check) for check in selectors.available_checks(principal.account)]}


def describe_check_result(
    principal: Principal, check_id: str, language: str = "en", *, via: Via = Via.API, now: datetime | None = None
) -> dict:
    """DescribeTrustedAdvisorCheckResult: the latest result, with every flagged resource
    (suppressed ones too, marked isSuppressed). It never starts a refresh."""
    admit(principal, "DescribeCheckResult", via)
    _validate_language(language)
    check = selectors.available_check(principal.account, check_id)
    state = selectors.states_by_check(principal.account, [check.id]).get(check.id)
    resources = list(FlaggedResource.objects.filter(check_state=state)) if state else []
    return {"result": result_shape(check, state, resources, now or timezone.now())}


def describe_check_summaries(
    principal: Principal, check_ids: Iterable[str], *, via: Via = Via.API, now: datetime | None = None
) -> dict:
    """DescribeTrustedAdvisorCheckSummaries."""
    admit(principal, "DescribeCheckSummaries", via)
    checks = [selectors.available_check(principal.account, check_id) for check_id in _validate_check_ids(check_ids)]
    states = selectors.states_by_check(principal.account, [check.id for check in checks])
    now = now or timezone.now()
    return {"summaries": [summary_shape(check, states.get(check.id), now) for check in checks]}


def describe_check_refresh_statuses(
    principal: Principal, check_ids: Iterable[str], *, via: Via = Via.API, now: datetime | None = None
) -> dict:
    """DescribeTrustedAdvisorCheckRefreshStatuses. Automatically refreshed checks have no
    refresh status to report: asking for one is an InvalidParameterValue."""
    admit(principal, "DescribeCheckRefreshStatuses", via)
    checks = [selectors.available_check(principal.account, check_id) for check_id in _validate_check_ids(check_ids)]
    automatic = [check.id for check in checks if check.automatic]
    if automatic:
        raise InvalidParameterValue(f"The check {automatic[0]} is refreshed automatically; it has no refresh status.")
    states = selectors.states_by_check(principal.account, [check.id for check in checks])
    now, interval = now or timezone.now(), selectors.refresh_interval(principal.account)
    return {"statuses": [refresh_status_shape(check.id, states.get(check.id), now, interval) for check in checks]}


def flagged_resources(principal: Principal, check_id: str, *, via: Via = Via.CONSOLE):
    """The console's view of DescribeTrustedAdvisorCheckResult: the check, its state, and a
    queryset of its flagged resources for the console's table to sort and page."""
    admit(principal, "DescribeCheckResult", via)
    check = selectors.available_check(principal.account, check_id)
    state = selectors.states_by_check(principal.account, [check.id]).get(check.id)
    return check, state, FlaggedResource.objects.filter(check_state=state)
