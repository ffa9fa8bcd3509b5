from django.db import models


class OutboxMessage(models.Model):
    """A task asked for by a committed change and not yet handed to the broker (see portal.outbox)."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(db_index=True)
    not_before = models.DateTimeField(help_text="The task is not to run before this time (its countdown).")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class BeatLease(models.Model):
    """Which Celery beat may send periodic tasks, until when, and when each job last ran (see portal/beat.py)."""

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()
    # Schedule entry name -> ISO time it was last sent, so that the beat taking over carries on the schedule.
    last_run_at = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or 'nobody'} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
