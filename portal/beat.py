"""Exactly one Celery beat sends the periodic tasks, however many are started.

`celery -A portal beat` uses `SingleBeatScheduler` (settings.CELERY_BEAT_SCHEDULER). A beat sends tasks only
while it holds the lease row in the database (`portal.models.BeatLease`), which it renews on every tick; any
other beat is a standby that polls and takes over once the lease has run out (its holder died or lost its
machine) or was given back (a clean shutdown). The database is the lease's home because every role of every
setup shares it: SQLite on one machine, PostgreSQL on many.

Before a job is sent its run time is written to the same row, and only while the lease is still ours, so a
beat that takes over carries on the schedule where the last holder left it: no job runs twice in a period
and none restarts its period. Lease times come from each machine's clock, so the machines keep theirs in
sync (NTP), well within BEAT_LEASE_SECONDS.
"""

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta

from celery.beat import Scheduler
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import BeatLease

logger = logging.getLogger(__name__)

LEASE = "celery-beat"


def hold_lease(holder: str, seconds: float) -> dict[str, str] | None:
    """Take or renew the lease for `holder`; the recorded run times if it is now ours, None if another beat's."""
    now = timezone.now()
    try:
        BeatLease.objects.get_or_create(name=LEASE, defaults={"expires_at": now})
    except IntegrityError:  # another beat created the row at the same moment
        pass
    ours_or_free = Q(holder=holder) | Q(expires_at__lte=now)
    taken = BeatLease.objects.filter(ours_or_free, name=LEASE).update(holder=holder, expires_at=now + timedelta(seconds=seconds))
    if not taken:
        return None
    return BeatLease.objects.values_list("last_run_at", flat=True).get(name=LEASE)


def record_run(holder: str, entry_name: str, run_at: datetime) -> bool:
    """Write down that `entry_name` is being sent now; False (and nothing written) if the lease is no longer ours."""
    with transaction.atomic():
        lease = BeatLease.objects.select_for_update().filter(name=LEASE, holder=holder, expires_at__gt=timezone.now()).first()
        if lease is None:
            return False
        lease.last_run_at[entry_name] = run_at.isoformat()
        lease.save(update_fields=["last_run_at"])
    return True


def release_lease(holder: str) -> None:
    """Give the lease back, so that a standby takes over at its next poll instead of waiting for it to run out."""
    BeatLease.objects.filter(name=LEASE, holder=holder).update(holder="", expires_at=timezone.now())


class SingleBeatScheduler(Scheduler):
    """Celery's in-memory scheduler, sending only while this beat holds the lease; run times kept in the database."""

    def __init__(self, *args, **kwargs):
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease_seconds = settings.BEAT_LEASE_SECONDS
        self.holding = False
        super().__init__(*args, **kwargs)
        # Ticks come at least three times per lease, so the holder renews it long before it runs out.
        self.max_interval = min(self.max_interval, self.lease_seconds / 3)

    def tick(self, *args, **kwargs):
        if not self._hold():
            return self.lease_seconds / 3
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        # reserve() has just put the entry's next state (last run: now) in the schedule.
        run_at = self.schedule[entry.name].last_run_at
        try:
            recorded = record_run(self.holder, entry.name, run_at)
        except Exception:
            logger.exception("beat: could not record the run of %s; not sending it", entry.name)
            recorded = False
        if not recorded:
            self._stand_by("lost the lease before sending %s" % entry.name)
            return
        super().apply_entry(entry, producer=producer)

    def close(self):
        try:
            super().close()
        finally:
            if self.holding:
                try:
                    release_lease(self.holder)
                except Exception:
                    logger.exception("beat: could not release the lease; a standby takes over when it runs out")
                self.holding = False

    def _hold(self) -> bool:
        close_old_connections()  # a long-lived process: drop a connection the database closed
        try:
            last_runs = hold_lease(self.holder, self.lease_seconds)
        except Exception:
            logger.exception("beat: could not reach the lease in the database")
            last_runs = None
        if last_runs is None:
            if self.holding:
                self._stand_by("the lease is held by another beat or unreachable")
            return False
        if not self.holding:
            self._take_over(last_runs)
        return True

    def _take_over(self, last_runs: dict[str, str]) -> None:
        for name, entry in self.schedule.items():
            if name in last_runs:
                entry.last_run_at = datetime.fromisoformat(last_runs[name])
        self._heap = None  # rebuilt from the run times just read
        self.holding = True
        logger.info("beat: %s holds the lease and sends the periodic tasks", self.holder)

    def _stand_by(self, reason: str) -> None:
        self.holding = False
        self._heap = None
        logger.warning("beat: %s stands by (%s)", self.holder, reason)
