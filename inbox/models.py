from django.db import models
from django.utils import timezone

from accounts.models import Account


class Message(models.Model):
    """One message the portal sent, as delivered to one account's mailbox.

    A message sent to addresses of two accounts is stored once for each, so reading,
    resetting or deleting one account never touches the other's copy.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mail")
    sender = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    subject = models.CharField(max_length=998, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-received_at"], name="inbox_account_received"),
            models.Index(fields=["account", "read_at"], name="inbox_account_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.account.account_id}"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
