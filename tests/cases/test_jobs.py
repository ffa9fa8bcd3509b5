"""The auto-close and history purge beat jobs."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases import jobs, tasks
from cases.models import AuthorKind, Case, CaseStatus, CaseTransition, Communication

from .factories import CaseFactory, CommunicationFactory

pytestmark = pytest.mark.django_db

TEN_DAYS = timedelta(days=10)


def pending_since(moment, **fields):
    return CaseFactory(status=CaseStatus.PENDING_CUSTOMER_ACTION, status_changed_at=moment, **fields)


def test_the_ten_day_boundary():
    now = timezone.now()
    exactly = pending_since(now - TEN_DAYS)
    almost = pending_since(now - TEN_DAYS + timedelta(seconds=1))
    assert jobs.auto_resolve_stale_cases(now=now) == 1
    exactly.refresh_from_db()
    almost.refresh_from_db()
    assert exactly.status == CaseStatus.RESOLVED and almost.status == CaseStatus.PENDING_CUSTOMER_ACTION


def test_a_customer_reply_since_the_request_keeps_the_case_open():
    now = timezone.now()
    replied = pending_since(now - timedelta(days=12))
    CommunicationFactory(case=replied, author_kind=AuthorKind.CUSTOMER, time_created=now - timedelta(days=11))
    answered_before = pending_since(now - timedelta(days=12))
    CommunicationFactory(case=answered_before, author_kind=AuthorKind.CUSTOMER, time_created=now - timedelta(days=13))
    assert jobs.auto_resolve_stale_cases(now=now) == 1
    assert Case.objects.get(pk=replied.pk).status == CaseStatus.PENDING_CUSTOMER_ACTION
    assert Case.objects.get(pk=answered_before.pk).status == CaseStatus.RESOLVED


@pytest.mark.parametrize("status", [s for s in CaseStatus if s != CaseStatus.PENDING_CUSTOMER_ACTION])
def test_only_cases_waiting_for_the_customer_are_closed(status):
    CaseFactory(status=status, status_changed_at=timezone.now() - timedelta(days=30))
    assert jobs.auto_resolve_stale_cases() == 0


@pytest.fixture
def tasks_in_process():
    """The closing job hands its emails to a task: run it here, whether or not the run has a broker."""
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def test_closing_leaves_a_system_message_a_record_and_an_email(
    django_capture_on_commit_callbacks, mailoutbox, tasks_in_process
):
    case = pending_since(timezone.now() - timedelta(days=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.auto_resolve_stale_cases() == 1
    message = case.communications.get()
    assert message.author_kind == AuthorKind.SYSTEM and "10 days" in message.body
    transition = case.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor_kind) == (
        CaseStatus.PENDING_CUSTOMER_ACTION, CaseStatus.RESOLVED, "system",
    )
    (email,) = mailoutbox
    assert email.to == [case.account.root_email] and "replies by email are not accepted" in email.body


def test_running_twice_closes_nothing_more_and_queries_do_not_grow(django_assert_max_num_queries):
    for _ in range(3):
        pending_since(timezone.now() - timedelta(days=11))
    with django_assert_max_num_queries(10):
        assert jobs.auto_resolve_stale_cases() == 3
    for _ in range(30):
        pending_since(timezone.now() - timedelta(days=11))
    with django_assert_max_num_queries(10):
        assert jobs.auto_resolve_stale_cases() == 30
    assert jobs.auto_resolve_stale_cases() == 0
    assert Communication.objects.count() == 33 and CaseTransition.objects.count() == 33


def test_a_backlog_is_closed_in_batches_and_mailed_after_each_commit(
    monkeypatch, django_capture_on_commit_callbacks, mailoutbox, tasks_in_process
):
    monkeypatch.setattr(jobs, "AUTO_CLOSE_BATCH", 2)
    cases = [pending_since(timezone.now() - timedelta(days=11)) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True) as handed_over:
        assert jobs.auto_resolve_stale_cases() == 5
    assert len(handed_over) == 3  # batches of 2, 2 and 1, each mailed once it has committed
    assert sorted(email.subject for email in mailoutbox) == sorted(f"[Case {c.display_id}] {c.subject}" for c in cases)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_close_each_case_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need PostgreSQL's row locks")
    cases = [pending_since(timezone.now() - timedelta(days=11)) for _ in range(40)]
    barrier = threading.Barrier(2)
    counts = []

    def run():
        barrier.wait()
        try:
            counts.append(jobs.auto_resolve_stale_cases())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(cases)
    assert CaseTransition.objects.count() == len(cases)
    assert Communication.objects.filter(author_kind=AuthorKind.SYSTEM).count() == len(cases)


def test_history_older_than_twelve_months_is_purged():
    now = timezone.now()
    old = CaseFactory(time_created=now - timedelta(days=366))
    CommunicationFactory(case=old)
    recent = CaseFactory(time_created=now - timedelta(days=300))
    assert jobs.purge_case_history(now=now) == 1
    assert list(Case.objects.all()) == [recent]
    assert jobs.purge_case_history(now=now) == 0


def test_both_jobs_are_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cases.tasks.auto_resolve_stale_cases", "cases.tasks.purge_case_history"} <= scheduled


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_auto_close_task_runs_on_a_real_worker(celery_worker):
    stale = pending_since(timezone.now() - timedelta(days=11))
    fresh = pending_since(timezone.now() - timedelta(days=2))
    assert tasks.auto_resolve_stale_cases.apply_async(ignore_result=False).get(timeout=60) == 1
    assert Case.objects.get(pk=stale.pk).status == CaseStatus.RESOLVED
    assert Case.objects.get(pk=fresh.pk).status == CaseStatus.PENDING_CUSTOMER_ACTION
