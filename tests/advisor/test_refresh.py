"""The refresh state machine, the five-minute throttle, automatic checks, and remembered exclusions."""

import dataclasses
import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from advisor import services
from advisor.checks import CATALOGUE
from advisor.exceptions import InvalidParameterValue
from advisor.models import CheckState, RefreshStatus
from advisor.services.console import check_row
from advisor.services.refresh import IllegalRefreshTransition, move
from iam.principals import Principal
from iam.services import create_access_key, set_trusted_advisor_enabled
from training.models import TrainingProfile

pytestmark = pytest.mark.django_db

ROOT_KEYS, SERVICE_LIMITS, IAM_USE, EXPOSED_KEYS = "Ro0tAkEy01", "eW7HH0l7J9", "zXCkfM1nI3", "12Fnkpl8Y5"
STATUSES = [status.value for status in RefreshStatus]
LEGAL = {
    ("none", "enqueued"),
    ("enqueued", "processing"),
    ("enqueued", "abandoned"),
    ("processing", "success"),
    ("processing", "abandoned"),
    ("success", "enqueued"),
    ("abandoned", "enqueued"),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_every_transition_pair(account, source, target):
    state = CheckState.objects.create(account=account, check_id=IAM_USE, refresh_status=source)
    if (source, target) in LEGAL:
        move(state, target)
        assert CheckState.objects.get(pk=state.pk).refresh_status == target
    else:
        with pytest.raises(IllegalRefreshTransition):
            move(state, target)
        assert CheckState.objects.get(pk=state.pk).refresh_status == source


def test_a_stale_copy_cannot_move_the_refresh(account):
    state = CheckState.objects.create(account=account, check_id=IAM_USE, refresh_status="enqueued")
    stale = CheckState.objects.get(pk=state.pk)
    move(state, RefreshStatus.PROCESSING)
    with pytest.raises(IllegalRefreshTransition):
        move(stale, RefreshStatus.ABANDONED)
    assert CheckState.objects.get(pk=state.pk).refresh_status == "processing"


def test_refresh_enqueues_runs_and_records_the_result(account, root, refresh_now):
    key, _ = create_access_key(account)
    answer = refresh_now(root, ROOT_KEYS)
    assert answer == {"status": {"checkId": ROOT_KEYS, "status": "enqueued", "millisUntilNextRefreshable": 300_000}}
    state = CheckState.objects.get(account=account, check_id=ROOT_KEYS)
    assert state.refresh_status == "success" and state.status == "error"
    assert list(state.flagged_resources.values_list("resource_id", flat=True)) == [key.access_key_id]


def test_a_check_refreshes_at_most_once_every_five_minutes(account, root, refresh_now):
    start = timezone.now()
    refresh_now(root, ROOT_KEYS, now=start)
    create_access_key(account)
    again = refresh_now(root, ROOT_KEYS, now=start + timedelta(minutes=1))["status"]
    assert again["status"] == "success" and again["millisUntilNextRefreshable"] == 240_000
    assert CheckState.objects.get(check_id=ROOT_KEYS).status == "ok"  # not recomputed
    later = refresh_now(root, ROOT_KEYS, now=start + timedelta(minutes=5))["status"]
    assert later["status"] == "enqueued"
    assert CheckState.objects.get(check_id=ROOT_KEYS).status == "error"


def test_in_a_practice_account_the_five_minutes_pass_on_its_clock(account, root, refresh_now):
    """At speed 60 the five minutes are five real seconds: the API waits that long, the console counts them
    down as the account's clock does."""
    TrainingProfile.objects.create(account=account, is_practice=True, time_speed_factor=60)
    start = timezone.now()
    assert refresh_now(root, ROOT_KEYS, now=start)["status"]["millisUntilNextRefreshable"] == 5_000
    waiting = check_row(Principal(account=account), ROOT_KEYS, now=start + timedelta(seconds=1))
    assert not waiting.refreshable and waiting.minutes_until_refreshable == 4
    assert services.describe_check_refresh_statuses(root, [ROOT_KEYS], now=start + timedelta(seconds=1)) == {
        "statuses": [{"checkId": ROOT_KEYS, "status": "success", "millisUntilNextRefreshable": 4_000}]}
    assert refresh_now(root, ROOT_KEYS, now=start + timedelta(seconds=5))["status"]["status"] == "enqueued"


def test_an_enqueued_check_is_not_enqueued_twice(account, root):
    first = services.refresh_check(root, ROOT_KEYS)["status"]  # its task never runs: no commit
    second = services.refresh_check(root, ROOT_KEYS, now=timezone.now() + timedelta(minutes=10))["status"]
    assert first["status"] == second["status"] == "enqueued"


def test_automatic_checks_refuse_manual_refresh_and_refresh_status(root):
    with pytest.raises(InvalidParameterValue) as error:
        services.refresh_check(root, SERVICE_LIMITS)
    assert error.value.code == "InvalidParameterValue"
    with pytest.raises(InvalidParameterValue):
        services.describe_check_refresh_statuses(root, [IAM_USE, SERVICE_LIMITS])


def test_the_beat_job_refreshes_automatic_checks_of_enabled_accounts_only(account, other_account, django_capture_on_commit_callbacks):
    set_trusted_advisor_enabled(other_account, False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refresh_automatic_checks() == 2
    refreshed = CheckState.objects.filter(account=account, refresh_status="success")
    assert set(refreshed.values_list("check_id", flat=True)) == {SERVICE_LIMITS, EXPOSED_KEYS}
    assert not CheckState.objects.filter(account=other_account).exists()


def test_a_failing_check_is_abandoned_and_may_be_retried(account, root, refresh_now, monkeypatch):
    def broken(account, now):
        raise RuntimeError("data source unavailable")

    with monkeypatch.context() as patch:
        patch.setitem(CATALOGUE, IAM_USE, dataclasses.replace(CATALOGUE[IAM_USE], compute=broken))
        assert refresh_now(root, IAM_USE)["status"]["status"] == "enqueued"
    assert CheckState.objects.get(check_id=IAM_USE).refresh_status == "abandoned"
    refresh_now(root, IAM_USE, now=timezone.now() + timedelta(minutes=5))
    assert CheckState.objects.get(check_id=IAM_USE).refresh_status == "success"


def test_stalled_refreshes_are_abandoned(account):
    state = CheckState.objects.create(
        account=account, check_id=IAM_USE, refresh_status="processing", refresh_requested_at=timezone.now() - timedelta(minutes=20)
    )
    fresh = CheckState.objects.create(
        account=account, check_id=ROOT_KEYS, refresh_status="enqueued", refresh_requested_at=timezone.now()
    )
    assert services.abandon_stalled_refreshes() == 1
    assert CheckState.objects.get(pk=state.pk).refresh_status == "abandoned"
    assert CheckState.objects.get(pk=fresh.pk).refresh_status == "enqueued"


def test_a_refresh_of_a_disabled_account_is_abandoned(account, root):
    services.refresh_check(root, IAM_USE)
    set_trusted_advisor_enabled(account, False)
    state = CheckState.objects.get(check_id=IAM_USE)
    assert services.run_refresh(state.pk) == "abandoned"


def test_refresh_all_skips_automatic_and_recently_refreshed_checks(account, root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = services.refresh_all(root)["statuses"]
    manual = [check.id for check in CATALOGUE.values() if not check.automatic]
    assert [status["checkId"] for status in statuses] == manual
    assert {status["status"] for status in statuses} == {"enqueued"}
    assert set(CheckState.objects.filter(check_id__in=manual).values_list("refresh_status", flat=True)) == {"success"}
    again = services.refresh_all(root)["statuses"]
    assert {status["status"] for status in again} == {"success"}


def test_excluded_resources_stay_excluded_across_refreshes(account, root, refresh_now):
    first, _ = create_access_key(account)
    second, _ = create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    services.exclude_items(root, ROOT_KEYS, [first.access_key_id])
    summary = services.describe_check_summaries(root, [ROOT_KEYS])["summaries"][0]
    assert summary["status"] == "error"
    assert summary["resourcesSummary"] == {"resourcesProcessed": 1, "resourcesFlagged": 1, "resourcesIgnored": 0, "resourcesSuppressed": 1}
    services.exclude_items(root, ROOT_KEYS, [second.access_key_id])
    assert services.describe_check_summaries(root, [ROOT_KEYS])["summaries"][0]["status"] == "ok"

    refresh_now(root, ROOT_KEYS, now=timezone.now() + timedelta(minutes=5))
    result = services.describe_check_result(root, ROOT_KEYS)["result"]
    assert result["status"] == "ok"
    assert {(r["resourceId"], r["isSuppressed"]) for r in result["flaggedResources"]} == {
        (first.access_key_id, True),
        (second.access_key_id, True),
    }
    services.include_items(root, ROOT_KEYS, [first.access_key_id])
    assert services.describe_check_summaries(root, [ROOT_KEYS])["summaries"][0]["status"] == "error"


def test_only_flagged_resources_can_be_excluded(account, root, refresh_now):
    refresh_now(root, ROOT_KEYS)
    with pytest.raises(InvalidParameterValue):
        services.exclude_items(root, ROOT_KEYS, ["AKIANOTFLAGGED"])

