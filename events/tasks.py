from celery import shared_task

from .services import purge_expired_events as purge


@shared_task(name="events.tasks.purge_expired_events")
def purge_expired_events() -> int:
    """Beat job: the event history keeps 90 days."""
    return purge()
