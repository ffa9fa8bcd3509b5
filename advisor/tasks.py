"""Celery tasks: thin wrappers over advisor.services."""

from celery import shared_task

from . import services


@shared_task(name="advisor.tasks.run_check_refresh")
def run_check_refresh(state_id: int) -> str:
    return services.run_refresh(state_id)


@shared_task(name="advisor.tasks.refresh_automatic_checks")
def refresh_automatic_checks() -> int:
    """Beat job: automatic checks refresh themselves; stalled refreshes are given up first."""
    services.abandon_stalled_refreshes()
    return services.refresh_automatic_checks()


@shared_task(name="advisor.tasks.send_weekly_summaries")
def send_weekly_summaries() -> int:
    return services.send_weekly_summaries()
