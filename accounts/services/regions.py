"""Enabling and disabling opt-in Regions: asynchronous, one change at a time.

enable_region/disable_region move a Region to ENABLING/DISABLING and, once the
transaction commits, queue `accounts.tasks.settle_region` with a countdown of
settings.REGION_OPT_IN_SECONDS (default 60) on the account's clock (a practice
account at speed 60 settles in a second); a worker settles it after that delay.
The beat job `settle_due_regions` settles anything whose delay
has passed, should a queued task ever be lost.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iam.principals import Principal
from portal import clock, outbox

from .. import regions
from ..exceptions import ConflictException, FieldProblem, ValidationException
from ..models import Account, RegionOptIn
from ..permissions import region_context, require
from ..validation import REGION_NAME, validate

DEFAULT_SETTLE_SECONDS = 60


def settle_delay(account: Account) -> timedelta:
    """How long a Region change takes: REGION_OPT_IN_SECONDS of the account's clock (portal.clock), in real time."""
    return timedelta(seconds=getattr(settings, "REGION_OPT_IN_SECONDS", DEFAULT_SETTLE_SECONDS)) / clock.speed_of(account)


def known_region(region_name: str) -> str:
    """The Region code, or ValidationException when it isn't one."""
    region_name = validate((REGION_NAME,), {"region_name": region_name})["region_name"]
    if region_name not in regions.REGIONS:
        problem = FieldProblem("RegionName", f"{region_name} is not a valid Region code.", "region_name")
        raise ValidationException(problem.message, field_list=[problem])
    return region_name


def current_status(opt_in: RegionOptIn | None, region_name: str) -> str:
    if not regions.is_opt_in(region_name):
        return regions.ENABLED_BY_DEFAULT
    return opt_in.status if opt_in else regions.DISABLED


def _move(opt_in: RegionOptIn, target: str, now: datetime, settles_in: timedelta | None = None) -> None:
    """The one place a Region's status changes; refuses any move the table doesn't allow.
    A move to ENABLING or DISABLING settles `settles_in` later."""
    if not regions.may_transition(opt_in.status, target):
        raise ConflictException(f"Region {opt_in.region_name} can't go from {opt_in.status} to {target}.")
    opt_in.status = target
    opt_in.changed_at = now
    opt_in.settles_at = now + settles_in if target in regions.SETTLES_TO else None
    opt_in.save()


def _request_change(principal: Principal, action: str, region_name: str, target: str, settled: str) -> str:
    region_name = known_region(region_name)
    require(principal, action, region_context(region_name))
    if not regions.is_opt_in(region_name):
        problem = FieldProblem(
            "RegionName", f"{region_name} is enabled by default and can't be enabled or disabled.", "region_name"
        )
        raise ValidationException(problem.message, field_list=[problem], reason="invalidRegionOptTarget")
    now = timezone.now()
    account = Account.objects.select_for_update().get(pk=principal.account.pk)
    opt_in, _ = RegionOptIn.objects.select_for_update().get_or_create(
        account=account, region_name=region_name, defaults={"status": regions.DISABLED, "changed_at": now}
    )
    if opt_in.status == settled:
        return opt_in.status  # asking again for the state it is already in changes nothing
    if opt_in.status in regions.SETTLES_TO:
        raise ConflictException(
            f"Region {region_name} is {opt_in.status}; wait until the change completes before changing it again."
        )
    delay = settle_delay(account)
    _move(opt_in, target, now, delay)
    from ..tasks import settle_region  # the task module imports these services

    outbox.send_on_commit(settle_region, opt_in.pk, target, countdown=delay.total_seconds())
    return opt_in.status


@transaction.atomic
def enable_region(principal: Principal, region_name: str) -> str:
    """EnableRegion: DISABLED -> ENABLING (-> ENABLED once settled). Returns the new status."""
    return _request_change(principal, "account:EnableRegion", region_name, regions.ENABLING, regions.ENABLED)


@transaction.atomic
def disable_region(principal: Principal, region_name: str) -> str:
    """DisableRegion: ENABLED -> DISABLING (-> DISABLED once settled). Returns the new status."""
    return _request_change(principal, "account:DisableRegion", region_name, regions.DISABLING, regions.DISABLED)


@transaction.atomic
def settle_region(opt_in_id: int, expected_status: str, *, now: datetime | None = None) -> bool:
    """Finish one pending change; False when it was already settled (compare-and-set)."""
    opt_in = RegionOptIn.objects.select_for_update().filter(pk=opt_in_id, status=expected_status).first()
    if opt_in is None or expected_status not in regions.SETTLES_TO:
        return False
    _move(opt_in, regions.SETTLES_TO[expected_status], now or timezone.now())
    return True


def settle_due_regions(*, now: datetime | None = None) -> int:
    """Beat job: settle every change whose delay has passed."""
    now = now or timezone.now()
    due = RegionOptIn.objects.filter(status__in=list(regions.SETTLES_TO), settles_at__lte=now)
    return sum(settle_region(pk, status, now=now) for pk, status in due.values_list("pk", "status"))
