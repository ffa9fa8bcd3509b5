from celery import shared_task

from iam.authentication import purge_sign_in_failures as purge

from . import broker, outbox


@shared_task(name="portal.tasks.purge_sign_in_failures")
def purge_sign_in_failures() -> int:
    """Beat job: drop sign-in failures that no longer count towards a lockout."""
    return purge()


@shared_task(name="portal.tasks.send_outbox")
def send_outbox() -> int:
    """Beat job: publish the tasks whose commit found the broker unreachable."""
    return outbox.send_pending()


@shared_task(name="portal.tasks.purge_delivered_broker_messages")
def purge_delivered_broker_messages() -> int:
    """Beat job: the embedded broker forgets messages delivered long ago."""
    return broker.purge_delivered_messages()
