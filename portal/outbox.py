"""Tasks leave through an outbox, so a saved change and the work it asks for are never parted.

`send_on_commit` writes the task into the caller's transaction; once that commits it is
published at once. When the broker cannot be reached the row stays, the request still answers
(the broker's connection timeout is a second) and the user is told the work is queued; the
beat job `portal.tasks.send_outbox` publishes what is left once the broker is back.

A row is deleted after its publish, so a crash in between publishes it twice: every task sent
this way is a compare-and-set on the state it moves (a Region change settles once, a refresh
runs only from "enqueued"), so the second delivery changes nothing.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

import redis.exceptions
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, redis.exceptions.RedisError, OSError)
SWEEP_BATCH = 500

_deferred: ContextVar[list | None] = ContextVar("outbox_deferred", default=None)


def send_on_commit(task, *args, countdown: float = 0) -> None:
    """Run `task(*args)` (a Celery task) `countdown` seconds after the current transaction commits."""
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), created_at=now, not_before=now + timedelta(seconds=countdown)
    )
    transaction.on_commit(lambda: publish(message))


def publish(message: OutboxMessage) -> bool:
    """Hand one message to the broker and forget it; False (row kept) when the broker is unreachable."""
    countdown = max(0.0, (message.not_before - timezone.now()).total_seconds())
    try:
        current_app.tasks[message.task_name].apply_async(message.args, countdown=countdown, retry=False)
    except BROKER_ERRORS:
        logger.warning("Broker unreachable; %s stays in the outbox", message, exc_info=True)
        deferred = _deferred.get()
        if deferred is not None:
            deferred.append(message)
        return False
    OutboxMessage.objects.filter(pk=message.pk).delete()
    return True


def send_pending(now=None) -> int:
    """Beat job: publish what a commit could not; returns how many were handed over."""
    # Rows younger than one sweep period are left to the publish that their own commit started.
    cutoff = (now or timezone.now()) - settings.CELERY_BEAT_SCHEDULE["send-outbox"]["schedule"]
    sent = 0
    for message in OutboxMessage.objects.filter(created_at__lt=cutoff)[:SWEEP_BATCH]:
        if not publish(message):
            break  # the broker is still away; the next sweep tries again
        sent += 1
    return sent


@contextmanager
def deferred_messages():
    """Collects, within the block, the messages whose publish found the broker away."""
    token = _deferred.set([])
    try:
        yield _deferred.get()
    finally:
        _deferred.reset(token)
