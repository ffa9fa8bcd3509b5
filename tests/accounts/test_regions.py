"""Region opt-in: the transition table, the asynchronous settle, the TargetRegion condition key."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from accounts import regions
from accounts.exceptions import AccessDeniedException, ConflictException, ValidationException
from accounts.models import RegionOptIn
from accounts.selectors import get_region_opt_status, list_regions
from accounts.services import disable_region, enable_region, settle_due_regions, settle_region
from accounts.services.regions import DEFAULT_SETTLE_SECONDS, _move
from tests.factories import allow, deny
from training.models import TrainingProfile

pytestmark = pytest.mark.django_db

OPT_IN = "af-south-1"
DEFAULT = "us-east-1"
STATUSES = [regions.ENABLED_BY_DEFAULT, regions.ENABLED, regions.ENABLING, regions.DISABLING, regions.DISABLED]
LEGAL = {
    (regions.DISABLED, regions.ENABLING),
    (regions.ENABLING, regions.ENABLED),
    (regions.ENABLED, regions.DISABLING),
    (regions.DISABLING, regions.DISABLED),
}


def status_of(principal, name=OPT_IN):
    return get_region_opt_status(principal, name).region_opt_status


def put_status(account, status, name=OPT_IN, settles_at=None):
    return RegionOptIn.objects.create(
        account=account, region_name=name, status=status, changed_at=timezone.now(), settles_at=settles_at
    )


@pytest.mark.parametrize(("current", "target"), list(product(STATUSES, STATUSES)))
def test_every_pair_of_the_transition_table(account, current, target):
    opt_in = put_status(account, current)
    if (current, target) in LEGAL:
        _move(opt_in, target, timezone.now(), timedelta(minutes=1))
        opt_in.refresh_from_db()
        assert opt_in.status == target
    else:
        with pytest.raises(ConflictException):
            _move(opt_in, target, timezone.now(), timedelta(minutes=1))
        opt_in.refresh_from_db()
        assert opt_in.status == current


def test_the_catalogue_has_the_real_default_and_opt_in_regions(root):
    listed = {state.region_name: state.region_opt_status for state in list_regions(root)}
    assert listed["us-east-1"] == listed["eu-west-1"] == listed["ap-south-1"] == regions.ENABLED_BY_DEFAULT
    assert listed["af-south-1"] == listed["ap-east-1"] == listed["me-south-1"] == regions.DISABLED
    assert len(listed) == len(regions.REGIONS) and list(listed) == sorted(listed)


def test_enable_then_settle_then_disable_then_settle(account, root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert enable_region(root, OPT_IN) == regions.ENABLING
    assert status_of(root) == regions.ENABLING and len(queued) == 1  # the settle task, sent at commit
    with pytest.raises(ConflictException):
        disable_region(root, OPT_IN)
    with pytest.raises(ConflictException):
        enable_region(root, OPT_IN)
    opt_in = RegionOptIn.objects.get(account=account, region_name=OPT_IN)
    assert settle_region(opt_in.pk, regions.ENABLING)
    assert status_of(root) == regions.ENABLED
    assert enable_region(root, OPT_IN) == regions.ENABLED  # already enabled: nothing changes
    assert disable_region(root, OPT_IN) == regions.DISABLING
    assert settle_region(opt_in.pk, regions.DISABLING)
    assert status_of(root) == regions.DISABLED
    assert disable_region(root, OPT_IN) == regions.DISABLED


@pytest.mark.parametrize("status", [regions.ENABLING, regions.DISABLING])
@pytest.mark.parametrize("request_change", [enable_region, disable_region])
def test_a_region_in_transition_cannot_be_changed_again(account, root, status, request_change):
    put_status(account, status)
    with pytest.raises(ConflictException, match="wait until the change completes"):
        request_change(root, OPT_IN)
    assert status_of(root) == status


@pytest.mark.parametrize("request_change", [enable_region, disable_region])
def test_default_regions_cannot_be_changed(root, request_change):
    with pytest.raises(ValidationException) as refusal:
        request_change(root, DEFAULT)
    assert refusal.value.reason == "invalidRegionOptTarget"
    assert status_of(root, DEFAULT) == regions.ENABLED_BY_DEFAULT


def test_unknown_region_is_a_validation_error(root):
    with pytest.raises(ValidationException) as refusal:
        enable_region(root, "mars-north-1")
    assert refusal.value.field_list[0].name == "RegionName"


def test_settling_twice_changes_nothing(account):
    opt_in = put_status(account, regions.ENABLING)
    assert settle_region(opt_in.pk, regions.ENABLING) is True
    assert settle_region(opt_in.pk, regions.ENABLING) is False
    opt_in.refresh_from_db()
    assert opt_in.status == regions.ENABLED


def test_beat_sweep_settles_only_what_is_due(account):
    now = timezone.now()
    due = put_status(account, regions.ENABLING, "af-south-1", settles_at=now - timedelta(seconds=1))
    later = put_status(account, regions.DISABLING, "ap-east-1", settles_at=now + timedelta(minutes=5))
    assert settle_due_regions(now=now) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (regions.ENABLED, regions.DISABLING)
    assert settle_due_regions(now=now + timedelta(minutes=6)) == 1
    later.refresh_from_db()
    assert later.status == regions.DISABLED


def test_in_a_practice_account_a_region_change_takes_its_minute_on_the_account_clock(account, root):
    TrainingProfile.objects.create(account=account, is_practice=True, time_speed_factor=60)
    assert enable_region(root, OPT_IN) == regions.ENABLING
    opt_in = RegionOptIn.objects.get(account=account, region_name=OPT_IN)
    assert opt_in.settles_at - opt_in.changed_at == timedelta(seconds=DEFAULT_SETTLE_SECONDS / 60)
    assert settle_due_regions(now=opt_in.changed_at + timedelta(seconds=1)) == 1


def test_list_filters_by_status(account, root):
    put_status(account, regions.ENABLED, "me-south-1")
    assert [s.region_name for s in list_regions(root, statuses=[regions.ENABLED])] == ["me-south-1"]
    with pytest.raises(ValidationException):
        list_regions(root, statuses=["ON"])


def test_target_region_condition_key(account, iam_principal):
    principal = iam_principal(
        account,
        allow(["account:EnableRegion", "account:GetRegionOptStatus"]),
        deny("account:EnableRegion", Condition={"StringEquals": {"account:TargetRegion": "me-south-1"}}),
    )
    enable_region(principal, "af-south-1")
    with pytest.raises(AccessDeniedException, match="account:EnableRegion"):
        enable_region(principal, "me-south-1")
    assert status_of(principal, "me-south-1") == regions.DISABLED


def test_region_actions_need_their_permissions(account, iam_principal):
    reader = iam_principal(account, allow("account:ListRegions"))
    assert list_regions(reader)
    for call in (enable_region, disable_region, get_region_opt_status):
        with pytest.raises(AccessDeniedException):
            call(reader, OPT_IN)


@pytest.mark.parametrize(
    ("action", "call", "status"),
    [
        ("account:DisableRegion", disable_region, regions.ENABLED),
        ("account:GetRegionOptStatus", get_region_opt_status, regions.ENABLED),
        ("account:EnableRegion", enable_region, regions.DISABLED),
    ],
)
def test_target_region_allow_list_for_every_region_action(account, iam_principal, action, call, status):
    """An Allow that names Regions with account:TargetRegion covers only those Regions."""
    put_status(account, status, "af-south-1")
    put_status(account, status, "me-south-1")
    principal = iam_principal(account, allow(action, Condition={"StringEquals": {"account:TargetRegion": ["af-south-1"]}}))
    call(principal, "af-south-1")
    with pytest.raises(AccessDeniedException, match=action):
        call(principal, "me-south-1")
    assert RegionOptIn.objects.get(account=account, region_name="me-south-1").status == status
