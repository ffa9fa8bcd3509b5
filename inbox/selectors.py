"""Reads on the sandbox mailbox."""

from django.db.models import QuerySet

from .models import Message


def mailbox(account) -> QuerySet[Message]:
    return Message.objects.filter(account=account)


def unread_count(account) -> int:
    return Message.objects.filter(account=account, read_at=None).count()
