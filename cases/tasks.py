from celery import shared_task

from . import jobs, notifications


@shared_task(name="cases.tasks.auto_resolve_stale_cases")
def auto_resolve_stale_cases() -> int:
    """Beat job: resolve cases left pending customer action for 10 days; returns how many."""
    return jobs.auto_resolve_stale_cases()


@shared_task(name="cases.tasks.purge_case_history")
def purge_case_history() -> int:
    """Beat job: delete case history older than 12 months; returns how many cases."""
    return jobs.purge_case_history()


@shared_task(name="cases.tasks.send_correspondence")
def send_correspondence(communication_ids: list[int]) -> int:
    """The correspondence emails of a batch of communications (a new message, or jobs that close cases in bulk)."""
    return notifications.send_correspondence_now(communication_ids)
