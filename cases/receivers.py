"""How the Support Center answers account lifecycle events (accounts.signals)."""

from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import account_closed, account_reopen_requested

from . import services
from .jobs import resolve_by_system
from .models import Case

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
