import pytest
from django.utils import timezone

from advisor.checks import CATALOGUE
from iam.principals import Principal
from portal.celery import app as celery_app
from iam.services import create_service_linked_roles


@pytest.fixture(autouse=True)
def tasks_in_process(request, monkeypatch):
    """Outside the real-worker tests, a task sent on commit runs in-process even when
    REDIS_URL is set (as in CI), so those tests see its effect without a worker."""
    if "celery_worker" not in request.fixturenames:
        monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def account(account):
    """A Business-plan account as it is when opened: with its service-linked roles."""
    create_service_linked_roles(account)
    return account


@pytest.fixture
def root(account):
    return Principal(account=account)


@pytest.fixture
def flagged():
    """flagged(account, check_id) -> {resource_id: status} the check finds right now."""

    def compute(account, check_id, now=None):
        check = CATALOGUE[check_id]
        outcome = check.compute(account, now or timezone.now())
        for finding in outcome.findings:  # one value per metadata column of the console's table and the API
            assert len(finding.metadata) == len(check.metadata), (check.id, finding)
        return {finding.resource_id: finding.status for finding in outcome.findings}

    return compute


@pytest.fixture
def refresh_now(django_capture_on_commit_callbacks):
    """refresh_now(principal, check_id, now=...) -> the refresh status answer, after the
    enqueued task has run (in-process Celery runs it when the transaction commits)."""
    from advisor.services import refresh_check

    def refresh(principal, check_id, now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return refresh_check(principal, check_id, now=now)

    return refresh
