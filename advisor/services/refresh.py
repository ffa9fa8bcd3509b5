"""Refreshing checks: the refresh state machine, the throttle, and recording what a run found.

none → enqueued → processing → success | abandoned; a finished refresh may be enqueued again.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, AccountStatus
from iam.principals import Principal
from iam.services.identities import trusted_advisor_enabled
from portal import outbox

from .. import selectors
from ..checks import CATALOGUE, Check, Outcome, worst_status
from ..exceptions import InvalidParameterValue
from ..models import CheckState, FlaggedResource, RefreshStatus, Suppression
from .access import Via, admit
from .notifications import announce_status_change
from .shapes import refresh_status_shape

logger = logging.getLogger(__name__)

TRANSITIONS: dict[str, frozenset[str]] = {
    RefreshStatus.NONE: frozenset({RefreshStatus.ENQUEUED}),
    RefreshStatus.ENQUEUED: frozenset({RefreshStatus.PROCESSING, RefreshStatus.ABANDONED}),
    RefreshStatus.PROCESSING: frozenset({RefreshStatus.SUCCESS, RefreshStatus.ABANDONED}),
    RefreshStatus.SUCCESS: frozenset({RefreshStatus.ENQUEUED}),
    RefreshStatus.ABANDONED: frozenset({RefreshStatus.ENQUEUED}),
}


# A refresh still enqueued or processing after this long was lost (e.g. a worker died).
STALL_TIMEOUT = timedelta(minutes=15)


class IllegalRefreshTransition(Exception):
    pass


def move(state: CheckState, target: str, **changes) -> CheckState:
    """The one place a refresh status changes: legal per TRANSITIONS, and compare-and-set
    against the status this copy of the row was read with."""
    if target not in TRANSITIONS[state.refresh_status]:
        raise IllegalRefreshTransition(f"A refresh cannot go from {state.refresh_status} to {target}.")
    updated = CheckState.objects.filter(pk=state.pk, refresh_status=state.refresh_status).update(
        refresh_status=target, **changes
    )
    if not updated:
        raise IllegalRefreshTransition(f"The refresh of {state.check_id} changed meanwhile; it is no longer {state.refresh_status}.")
    state.refresh_status = target
    for name, value in changes.items():
        setattr(state, name, value)
    return state


def _locked_state(account: Account, check_id: str) -> CheckState:
    CheckState.objects.get_or_create(account=account, check_id=check_id)
    return CheckState.objects.select_for_update().get(account=account, check_id=check_id)


def _enqueue(state: CheckState, now: datetime) -> None:
    from ..tasks import run_check_refresh

    move(state, RefreshStatus.ENQUEUED, refresh_requested_at=now)
    outbox.send_on_commit(run_check_refresh, state.pk)


def _manual_check(principal: Principal, check_id: str) -> Check:
    check = selectors.available_check(principal.account, check_id)
    if check.automatic:
        raise InvalidParameterValue(
            f"The check {check_id} ({check.name}) is refreshed automatically and cannot be refreshed on request."
        )
    return check


@transaction.atomic
def refresh_check(principal: Principal, check_id: str, *, via: Via = Via.API, now: datetime | None = None) -> dict:
    """RefreshTrustedAdvisorCheck. A check already refreshing, or refreshed less than five
    minutes ago, is left alone: the answer says how long until it may be refreshed again."""
    admit(principal, "RefreshCheck", via)
    now = now or timezone.now()
    check = _manual_check(principal, check_id)
    state = _locked_state(principal.account, check.id)
    interval = selectors.refresh_interval(principal.account)
    if selectors.is_refreshable(state, now, interval):
        _enqueue(state, now)
    return {"status": refresh_status_shape(check.id, state, now, interval)}


@transaction.atomic
def refresh_all(principal: Principal, *, via: Via = Via.CONSOLE, now: datetime | None = None) -> dict:
    """Refresh every refreshable check the plan includes (the console's "Refresh all")."""
    admit(principal, "RefreshCheck", via)
    now = now or timezone.now()
    interval = selectors.refresh_interval(principal.account)
    statuses = []
    for check in selectors.available_checks(principal.account):
        if check.automatic:
            continue
        state = _locked_state(principal.account, check.id)
        if selectors.is_refreshable(state, now, interval):
            _enqueue(state, now)
        statuses.append(refresh_status_shape(check.id, state, now, interval))
    return {"statuses": statuses}


def settle(state: CheckState) -> str:
    """Recount the stored flagged resources and derive the check's status from the ones not suppressed."""
    rows = list(state.flagged_resources.values_list("status", "is_suppressed"))
    state.resources_flagged = sum(1 for _, suppressed in rows if not suppressed)
    state.resources_suppressed = sum(1 for _, suppressed in rows if suppressed)
    state.status = worst_status(status for status, suppressed in rows if not suppressed)
    state.save(update_fields=["status", "resources_flagged", "resources_suppressed"])
    return state.status


def record_outcome(state: CheckState, outcome: Outcome, now: datetime) -> str:
    """Replace the stored result with a fresh one; returns the status it had before."""
    previous = state.status
    suppressed = set(
        Suppression.objects.filter(account_id=state.account_id, check_id=state.check_id).values_list("resource_id", flat=True)
    )
    state.flagged_resources.all().delete()
    FlaggedResource.objects.bulk_create(
        FlaggedResource(
            check_state=state,
            resource_id=finding.resource_id,
            region=finding.region,
            status=finding.status,
            metadata=list(finding.metadata),
            is_suppressed=finding.resource_id in suppressed,
        )
        for finding in outcome.findings
    )
    state.refreshed_at = now
    state.resources_processed = outcome.processed
    state.resources_ignored = outcome.ignored
    state.estimated_monthly_savings = outcome.estimated_monthly_savings
    state.estimated_percent_monthly_savings = outcome.estimated_percent_monthly_savings
    state.save(
        update_fields=[
            "refreshed_at",
            "resources_processed",
            "resources_ignored",
            "estimated_monthly_savings",
            "estimated_percent_monthly_savings",
        ]
    )
    settle(state)
    return previous


def run_refresh(state_id: int, now: datetime | None = None) -> str:
    """What the worker does with an enqueued refresh; returns the refresh status it ends in."""
    state = CheckState.objects.select_related("account").get(pk=state_id)
    try:
        move(state, RefreshStatus.PROCESSING)
    except IllegalRefreshTransition:
        logger.info("Refresh of %s for %s is %s; nothing to do", state.check_id, state.account_id, state.refresh_status)
        return state.refresh_status
    if not _advisor_runs_for(state.account):
        return move(state, RefreshStatus.ABANDONED).refresh_status
    try:
        outcome = CATALOGUE[state.check_id].compute(state.account, now or timezone.now())
    except Exception:
        logger.exception("Check %s failed for account %s", state.check_id, state.account.account_id)
        return move(state, RefreshStatus.ABANDONED).refresh_status
    with transaction.atomic():
        state = CheckState.objects.select_for_update().select_related("account").get(pk=state_id)
        previous = record_outcome(state, outcome, now or timezone.now())
        move(state, RefreshStatus.SUCCESS)
        if previous != state.status:
            announce_status_change(state, previous)
    return state.refresh_status


def _advisor_runs_for(account: Account) -> bool:
    """"When you disable Trusted Advisor, you disable all service features, including offline
    processing and notifications." A closed account is not inspected either."""
    return account.status == AccountStatus.ACTIVE and trusted_advisor_enabled(account)


def refresh_automatic_checks(now: datetime | None = None) -> int:
    """Beat job: enqueue the automatic checks of every account Trusted Advisor runs for."""
    now = now or timezone.now()
    enqueued = 0
    for account in Account.objects.filter(status=AccountStatus.ACTIVE):
        if not trusted_advisor_enabled(account):
            continue
        for check in selectors.available_checks(account):
            if check.automatic:
                enqueued += _enqueue_unless_in_flight(account, check.id, now)
    return enqueued


@transaction.atomic
def _enqueue_unless_in_flight(account: Account, check_id: str, now: datetime) -> bool:
    state = _locked_state(account, check_id)
    if state.refresh_status in selectors.IN_FLIGHT:
        return False
    _enqueue(state, now)
    return True


def abandon_stalled_refreshes(now: datetime | None = None) -> int:
    """Beat job: a refresh in flight for longer than STALL_TIMEOUT is abandoned, so it can be retried."""
    cutoff = (now or timezone.now()) - STALL_TIMEOUT
    abandoned = 0
    for state in CheckState.objects.filter(refresh_status__in=selectors.IN_FLIGHT, refresh_requested_at__lt=cutoff):
        try:
            move(state, RefreshStatus.ABANDONED)
            abandoned += 1
        except IllegalRefreshTransition:
            continue  # finished meanwhile
    return abandoned
