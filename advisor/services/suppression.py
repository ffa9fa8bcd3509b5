"""Excluding (suppressing) flagged resources, and including them again."""

from django.db import transaction

from iam.principals import Principal

from .. import selectors
from ..exceptions import InvalidParameterValue
from ..models import CheckState, FlaggedResource, Suppression
from .access import Via, admit
from .refresh import settle


def _flagged(principal: Principal, check_id: str, resource_ids: list[str]) -> tuple[CheckState, list[FlaggedResource]]:
    check = selectors.available_check(principal.account, check_id)
    state = CheckState.objects.select_for_update().filter(account=principal.account, check_id=check.id).first()
    resources = list(state.flagged_resources.filter(resource_id__in=resource_ids)) if state else []
    missing = sorted(set(resource_ids) - {resource.resource_id for resource in resources})
    if missing:
        raise InvalidParameterValue(f"The check {check.id} has not flagged the resource {missing[0]}.")
    return state, resources


@transaction.atomic
def exclude_items(principal: Principal, check_id: str, resource_ids: list[str], *, via: Via = Via.CONSOLE) -> CheckState:
    """Suppress flagged resources: they stop counting towards the check's status, and stay
    suppressed through later refreshes until included again."""
    admit(principal, "ExcludeCheckItems", via)
    state, resources = _flagged(principal, check_id, resource_ids)
    for resource in resources:
        Suppression.objects.get_or_create(
            account=principal.account,
            check_id=state.check_id,
            resource_id=resource.resource_id,
            defaults={"excluded_by": principal.arn},
        )
    state.flagged_resources.filter(pk__in=[r.pk for r in resources]).update(is_suppressed=True)
    settle(state)
    return state


@transaction.atomic
def include_items(principal: Principal, check_id: str, resource_ids: list[str], *, via: Via = Via.CONSOLE) -> CheckState:
    admit(principal, "IncludeCheckItems", via)
    state, resources = _flagged(principal, check_id, resource_ids)
    Suppression.objects.filter(account=principal.account, check_id=state.check_id, resource_id__in=resource_ids).delete()
    state.flagged_resources.filter(pk__in=[r.pk for r in resources]).update(is_suppressed=False)
    settle(state)
    return state
