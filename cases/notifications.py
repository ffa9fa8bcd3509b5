"""Email for every correspondence: to the root user, the CC list and, on Basic, the operations contact."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import AlternateContactType, SupportPlan
from inbox.addressing import about_account
from portal.after_response import Batch, after_response_in

from .models import CaseType, Communication

# "The Operational contact ... receives copies of the case correspondence, but only for the
# specific case types of Account, Billing, and Technical" (Basic plan, no CC box).
_OPERATIONS_COPY_CASE_TYPES = {CaseType.ACCOUNT_AND_BILLING, CaseType.TECHNICAL}


def recipients(communication: Communication) -> list[str]:
    case = communication.case
    account = case.account
    addresses = [account.root_email, *case.cc_email_addresses, *communication.cc_email_addresses]
    if account.support_plan == SupportPlan.BASIC and case.case_type in _OPERATIONS_COPY_CASE_TYPES:
        addresses += [
            contact.email_address
            for contact in account.alternate_contacts.all()
            if contact.contact_type == AlternateContactType.OPERATIONS
        ]
    return list(dict.fromkeys(address.lower() for address in addresses))


def _message(communication: Communication) -> EmailMessage:
    case = communication.case
    body = render_to_string(
        "cases/email/correspondence.txt",
        {"case": case, "communication": communication, "case_url": settings.CONSOLE_URL + reverse("cases:detail", args=[case.display_id])},
    )
    subject = f"[Case {case.display_id}] {case.subject}"
    # Named for the case's account so that its CC addresses' copies reach the account's sandbox mailbox.
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients(communication), headers=about_account(case.account))


def mail_after_commit(communication: Communication) -> None:
    """Once the transaction commits, a task writes and sends the communication's email: the request that
    added it (CreateCase, a reply) answers without waiting for it. Written then, the email gives the status
    the case ends up in (a customer's reply moves it on after the communication is added). An API call hands it
    over after its answer has gone, with those of the calls answered within the next CASE_EMAIL_BATCH_SECONDS
    (a twentieth of a second; portal.after_response.Batch): one task for them all. When the task queue cannot
    be reached the emails are sent there and then instead, so none is lost."""
    transaction.on_commit(lambda: after_response_in(_CORRESPONDENCE, communication.pk))


def _hand_over(communication_ids: list[int]) -> None:
    from portal.outbox import BROKER_ERRORS

    from .tasks import send_correspondence

    try:
        send_correspondence.apply_async([communication_ids], retry=False)
    except BROKER_ERRORS:
        send_correspondence_now(communication_ids)


# Emails one task builds and sends over one connection.
EMAIL_BATCH = 500
_CORRESPONDENCE = Batch(_hand_over, size=EMAIL_BATCH, wait=settings.CASE_EMAIL_BATCH_SECONDS)


def send_correspondence_later(communication_ids: list[int]) -> None:
    """Once the transaction commits, hand the communications' emails to tasks (EMAIL_BATCH each): a job that
    closes thousands of cases commits without building a single email."""
    from .tasks import send_correspondence

    batches = [communication_ids[start : start + EMAIL_BATCH] for start in range(0, len(communication_ids), EMAIL_BATCH)]
    transaction.on_commit(lambda: [send_correspondence.delay(batch) for batch in batches])


def send_correspondence_now(communication_ids: list[int]) -> int:
    """The emails of these communications, sent over one connection (the task's body); returns how many."""
    communications = list(
        Communication.objects.filter(pk__in=communication_ids)
        .select_related("case__account")
        .prefetch_related("case__account__alternate_contacts")
    )
    return get_connection().send_messages([_message(communication) for communication in communications]) or 0
