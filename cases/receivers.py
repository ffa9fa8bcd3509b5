"""How the Support Center answers account lifecycle events (accounts.signals) and deleted attachments."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import account_closed, account_reopen_requested

from . import services
from .jobs import resolve_by_system
from .models import Attachment, AttachmentUpload, Case
from .storage import delete_after_commit

ACCOUNT_CLOSED_MESSAGE = "This case was resolved because the AWS account was closed."
REOPEN_SUBJECT = "Reopen my closed account"
REOPEN_BODY = (
    "The root user asked to reopen this closed AWS account. "
    "Please review the account and reopen it if everything is in order."
)


@receiver(account_closed, dispatch_uid="cases.resolve_cases_of_closed_account")
def resolve_cases_of_closed_account(sender, account, **kwargs) -> None:
    resolve_by_system(Case.objects.filter(account=account), ACCOUNT_CLOSED_MESSAGE, timezone.now())


@receiver(account_reopen_requested, dispatch_uid="cases.open_reopen_request_case")
def open_reopen_request_case(sender, account, principal, **kwargs) -> None:
    services.create_case(
        principal,
        subject=REOPEN_SUBJECT,
        communication_body=REOPEN_BODY,
        service_code="customer-account",
        category_code="reopen-closed-account",
        severity_code="normal",
    )


@receiver(post_delete, sender=Attachment, dispatch_uid="cases.delete_attachment_file")
def delete_attachment_file(sender, instance, **kwargs) -> None:
    # Every way an attachment goes (history purge, stale sets, practice accounts removed or reset)
    # is a delete or a cascade of the ORM, so this one receiver keeps the storage free of orphans.
    if instance.file.name:
        delete_after_commit(instance.file.name)


@receiver(post_delete, sender=AttachmentUpload, dispatch_uid="cases.delete_upload_parts")
def delete_upload_parts(sender, instance, **kwargs) -> None:
    # Parts of an upload never completed (or abandoned) go with it.
    for part in instance.parts.values():
        delete_after_commit(part["name"])
