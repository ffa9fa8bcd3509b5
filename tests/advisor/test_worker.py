"""The refresh state machine and the five-minute throttle on a real Celery worker (Redis + PostgreSQL).

Every status a customer can observe is read back through the operations the Support API and the
console use: none → enqueued → processing → success, the throttle, abandoned → enqueued → success,
and the beat job refreshing the automatic checks on the worker.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from advisor import services, tasks
from advisor.models import CheckState, FlaggedResource
from iam.principals import Principal
from iam.services import create_service_linked_roles, set_trusted_advisor_enabled
from tests.factories import AccountFactory, IAMUserFactory

from tests.conftest import console_client_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

IAM_USE, SERVICE_LIMITS, EXPOSED_KEYS = "zXCkfM1nI3", "eW7HH0l7J9", "12Fnkpl8Y5"
FIVE_MINUTES = 300_000


@pytest.fixture
def root():
    account = AccountFactory()
    create_service_linked_roles(account)
    return Principal(account=account)


def refresh_status(root, check_id=IAM_USE) -> dict:
    return services.describe_check_refresh_statuses(root, [check_id])["statuses"][0]


def wait_for(root, status, check_id=IAM_USE, timeout=60.0) -> CheckState:
    """Poll as a client would (the guide recommends polling) until the refresh reaches `status`."""
    deadline = time.monotonic() + timeout
    while True:
        state = CheckState.objects.get(account=root.account, check_id=check_id)
        if state.refresh_status == status:
            return state
        assert time.monotonic() < deadline, f"the worker left {check_id} {state.refresh_status}, not {status}"
        time.sleep(0.2)


class ResultLock(threading.Thread):
    """Holds a row lock on a check's stored flagged resources from a second database connection, so
    the worker, which replaces them when it records a result, stays in `processing` until release()."""

    def __init__(self, state: CheckState):
        super().__init__(daemon=True)
        self.state_pk = state.pk
        self.locked = threading.Event()
        self.released = threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                list(FlaggedResource.objects.select_for_update(of=("self",)).filter(check_state_id=self.state_pk))
                self.locked.set()
                self.released.wait(timeout=90)
        finally:
            connection.close()

    def release(self):
        self.released.set()
        self.join(timeout=30)


def test_a_refresh_goes_through_every_status_and_is_throttled(celery_worker, root):
    assert refresh_status(root) == {"checkId": IAM_USE, "status": "none", "millisUntilNextRefreshable": 0}

    answer = services.refresh_check(root, IAM_USE)["status"]
    assert answer == {"checkId": IAM_USE, "status": "enqueued", "millisUntilNextRefreshable": FIVE_MINUTES}
    first = wait_for(root, "success")
    summary = services.describe_check_summaries(root, [IAM_USE])["summaries"][0]
    assert summary["status"] == "warning" and summary["resourcesSummary"]["resourcesFlagged"] == 1  # no IAM users yet

    # Within five minutes a refresh is refused quietly: nothing goes to the worker, the answer says how long to wait.
    IAMUserFactory(account=root.account)
    again = services.refresh_check(root, IAM_USE)["status"]
    assert again["status"] == "success" and 0 < again["millisUntilNextRefreshable"] < FIVE_MINUTES
    assert 0 < refresh_status(root)["millisUntilNextRefreshable"] <= again["millisUntilNextRefreshable"]
    assert CheckState.objects.get(pk=first.pk).refreshed_at == first.refreshed_at

    # Five minutes later the refresh is enqueued again; while the worker runs it, the status is processing.
    lock = ResultLock(first)
    lock.start()
    try:
        assert lock.locked.wait(timeout=30)
        later = timezone.now() + timedelta(minutes=5)
        assert services.refresh_check(root, IAM_USE, now=later)["status"]["status"] == "enqueued"
        wait_for(root, "processing")
        assert refresh_status(root)["status"] == "processing"
        line = console_client_for(root).get(f"/trusted-advisor/checks/{IAM_USE}/", HTTP_HX_REQUEST="true").content.decode()
        assert "Refreshing…" in line and "every 2s" in line  # the console keeps polling
    finally:
        lock.release()
    second = wait_for(root, "success")
    assert second.refreshed_at > first.refreshed_at
    assert services.describe_check_summaries(root, [IAM_USE])["summaries"][0]["status"] == "ok"


def test_a_refresh_the_worker_cannot_run_is_abandoned_and_may_be_retried(celery_worker, root):
    # Trusted Advisor is disabled before the worker receives the refresh (it is sent when this block commits).
    with transaction.atomic():
        services.refresh_check(root, IAM_USE)
        set_trusted_advisor_enabled(root.account, False)
    wait_for(root, "abandoned")
    set_trusted_advisor_enabled(root.account, True)
    status = refresh_status(root)
    assert status["status"] == "abandoned" and status["millisUntilNextRefreshable"] > 0
    summary = services.describe_check_summaries(root, [IAM_USE])["summaries"][0]
    assert summary["status"] == "not_available"

    retry = services.refresh_check(root, IAM_USE, now=timezone.now() + timedelta(minutes=5))["status"]
    assert retry["status"] == "enqueued"
    wait_for(root, "success")
    assert services.describe_check_summaries(root, [IAM_USE])["summaries"][0]["status"] == "warning"


def test_the_beat_job_refreshes_automatic_checks_on_the_worker(celery_worker, root):
    assert tasks.refresh_automatic_checks.apply_async(ignore_result=False).get(timeout=60) >= 2
    for check_id in (SERVICE_LIMITS, EXPOSED_KEYS):
        wait_for(root, "success", check_id)
    summaries = services.describe_check_summaries(root, [SERVICE_LIMITS, EXPOSED_KEYS])["summaries"]
    assert [summary["status"] for summary in summaries] == ["ok", "ok"]
