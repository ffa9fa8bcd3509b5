"""What AWS support engineers do to a case: the staff site (/staff/) and simulated engineers call these."""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from . import calls, lifecycle
from .exceptions import CaseValidationError
from .models import OPEN_STATUSES, AuthorKind, CallStatus, Case, CaseStatus, Communication, PhoneCall
from .services import add_correspondence, store_attachments
from .validation import MAX_BODY, check_phone_number, check_text

AMAZON_SIGNATURE = "Amazon Web Services"
# Where an engineer can leave a case after replying.
REPLY_STATUSES = (
    CaseStatus.PENDING_CUSTOMER_ACTION,
    CaseStatus.PENDING_AMAZON_ACTION,
    CaseStatus.WORK_IN_PROGRESS,
)


def overdue_condition(now: datetime) -> Q:
    """No first response yet and its due time has passed."""
    return Q(first_responded_at__isnull=True, first_response_due__lt=now, status__in=OPEN_STATUSES)


@transaction.atomic
def assign_to(case: Case, engineer: AbstractBaseUser, *, now: datetime | None = None) -> Case:
    """Take the case: it becomes the engineer's and, unless already being worked on, work in progress."""
    now = now or timezone.now()
    lifecycle.ensure_status(case, CaseStatus.WORK_IN_PROGRESS, actor=lifecycle.Actor.engineer(engineer), now=now)
    Case.objects.filter(pk=case.pk).update(assignee=engineer)
    case.assignee = engineer
    return case


@transaction.atomic
def reply(
    case: Case,
    engineer: AbstractBaseUser,
    body: str,
    *,
    next_status: str = CaseStatus.PENDING_CUSTOMER_ACTION,
    attachments: Sequence[tuple[str, bytes]] = (),
    now: datetime | None = None,
) -> Communication:
    """Answer as "Amazon Web Services" and leave the case pending customer action, pending Amazon action or in progress."""
    body = check_text(body, field="body", label="Reply", limit=MAX_BODY)
    # The status change is stamped when it takes the case's row lock (unless a time is given), so two
    # engineers changing one case at once leave a history whose times follow the order of the changes.
    lifecycle.ensure_status(case, next_status, actor=lifecycle.Actor.engineer(engineer), now=now)
    now = now or timezone.now()
    attachment_set = store_attachments(case.account, attachments, now=now) if attachments else None
    communication = add_correspondence(
        case, author_kind=AuthorKind.AMAZON, submitted_by=AMAZON_SIGNATURE, body=body, now=now,
        attachment_set=attachment_set,
    )
    Case.objects.filter(pk=case.pk, first_responded_at__isnull=True).update(first_responded_at=now)
    Case.objects.filter(pk=case.pk, assignee__isnull=True).update(assignee=engineer)
    case.refresh_from_db(fields=["first_responded_at", "assignee"])
    return communication


def set_status(case: Case, engineer: AbstractBaseUser, status: str, *, now: datetime | None = None) -> None:
    """Pending customer action, pending Amazon action, work in progress or resolved, without a reply."""
    lifecycle.transition(case, status, actor=lifecycle.Actor.engineer(engineer), now=now)


def annotate_overdue(queryset: QuerySet[Case], now: datetime) -> QuerySet[Case]:
    return queryset.annotate(is_overdue=ExpressionWrapper(overdue_condition(now), output_field=BooleanField()))


SIMULATED_ENGINEER_USERNAME = "aws-support-engineer"


def simulated_engineer() -> AbstractBaseUser:
    """The engineer demo data and simulations act as; not a staff account, it cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=SIMULATED_ENGINEER_USERNAME, defaults={"is_staff": False, "first_name": "AWS Support"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# Room left in a communication for the call's header line.
MAX_CALL_SUMMARY = MAX_BODY - 300


@transaction.atomic
def log_call(
    case: Case,
    engineer: AbstractBaseUser,
    *,
    engineer_name: str,
    phone_number: str,
    summary: str,
    called_at: datetime | None = None,
    next_status: str = CaseStatus.PENDING_CUSTOMER_ACTION,
    call: PhoneCall | None = None,
    now: datetime | None = None,
) -> PhoneCall | None:
    """A call an engineer made: it completes `call` (the scheduled one) or is recorded as a new call, its
    summary joins the correspondence and the case moves as the engineer's reply would move it.

    None when `call` was already completed (a repeated task, or a staff engineer called first).
    """
    now = now or timezone.now()
    called_at = called_at or now
    phone_number = check_phone_number(phone_number, field="phone_number")
    summary = check_text(summary, field="summary", label="Call summary", limit=MAX_CALL_SUMMARY)
    engineer_name = check_text(engineer_name, field="engineer_name", label="Name of who called", limit=150).strip()
    if called_at > now:
        raise CaseValidationError("A call can be logged only once it has happened: choose a time in the past.",
                                  field="called_at")
    if called_at < case.time_created:
        raise CaseValidationError("The call can't have happened before the case was opened.", field="called_at")
    if call is None:
        call = PhoneCall(case=case, requested_at=called_at)
    elif not PhoneCall.objects.select_for_update().filter(pk=call.pk, called_at__isnull=True).exists():
        return None
    call.status, call.phone_number, call.summary = CallStatus.COMPLETED, phone_number, summary
    call.engineer_name, call.called_at = engineer_name, called_at
    call.staff_user = engineer if engineer.is_staff else None
    call.save()
    reply(case, engineer, calls.summary_body(call), next_status=next_status, now=now)
    return call
