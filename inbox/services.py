"""Writes on the sandbox mailbox: delivery of sent messages, and reading them."""

from collections.abc import Iterable

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account

from .addressing import ACCOUNT_HEADER
from .models import Message

MAX_SUBJECT = Message._meta.get_field("subject").max_length


def _addresses(values: Iterable[str]) -> list[str]:
    return [address.strip().lower() for address in values if address and address.strip()]


def owning_accounts(addresses: list[str]) -> set[int]:
    """Primary keys of accounts that own any of these addresses (root email or an alternate contact)."""
    if not addresses:
        return set()
    by_root = Account.objects.alias(email=Lower("root_email")).filter(email__in=addresses)
    by_contact = Account.objects.alias(email=Lower("alternate_contacts__email_address")).filter(email__in=addresses)
    return set(by_root.values_list("pk", flat=True)) | set(by_contact.values_list("pk", flat=True))


def _parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML parts of a Django message (plain, HTML-only, or with alternatives)."""
    text, html = "", ""
    if getattr(message, "content_subtype", "plain") == "html":
        html = message.body
    else:
        text = message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html" and not html:
            html = content
        elif mimetype == "text/plain" and not text:
            text = content
    return str(text or ""), str(html or "")


def deliver(messages: Iterable[EmailMessage]) -> list[Message]:
    """Store a copy of each message in the mailbox of every account it was addressed to or is about."""
    stored = []
    for message in messages:
        to, cc = _addresses(message.to), _addresses(message.cc)
        accounts = owning_accounts([*to, *cc, *_addresses(message.bcc)])
        named = (message.extra_headers or {}).get(ACCOUNT_HEADER)
        if named:
            accounts |= set(Account.objects.filter(account_id=named).values_list("pk", flat=True))
        text, html = _parts(message)
        stored += [
            Message(
                account_id=account_pk,
                sender=message.from_email or "",
                to=to,
                cc=cc,
                subject=(message.subject or "")[:MAX_SUBJECT],
                text_body=text,
                html_body=html,
            )
            for account_pk in sorted(accounts)
        ]
    return Message.objects.bulk_create(stored)


def mark_read(message: Message) -> Message:
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at=None).update(read_at=message.read_at)
    return message


@transaction.atomic
def clear_mailbox(account: Account) -> int:
    deleted, _ = Message.objects.filter(account=account).delete()
    return deleted
