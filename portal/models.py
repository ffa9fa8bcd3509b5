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
