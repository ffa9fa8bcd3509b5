"""The simulated support engineer: a beat-driven sweep over the cases of accounts that have it switched on.

Why a periodic sweep rather than a countdown task per case: every decision is derived
from the case's own fields (status, when it changed, its first-response due time), so
a sweep is idempotent, survives worker restarts and lost messages, and follows changes
of the time speed or a staff take-over at once; a countdown would have to be found and
revoked for each of those. Each action re-reads its case under a row lock and acts only
if the case is still in the state the sweep saw, so overlapping sweeps never act twice.

All delays are in simulated time (the pick-up delay is set per account) and divided by the account's
time speed factor.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import engineering
from cases.models import AuthorKind, Case, CaseStatus, Communication

from ..clock import on_simulated_clock
from ..models import ReplyPurpose, ReplyTemplate, TrainingProfile

# The first reply goes out when this share of the severity's response target has passed.
FIRST_REPLY_SHARE = 0.5
# A first description shorter than this gets questions back instead of an answer.
ASK_BELOW_WORDS = 30
# Cases looked at per sweep; the rest wait for the next sweep.
SWEEP_BATCH = 500

WATCHED_STATUSES = (
    CaseStatus.UNASSIGNED,
    CaseStatus.REOPENED,
    CaseStatus.WORK_IN_PROGRESS,
    CaseStatus.PENDING_AMAZON_ACTION,
    CaseStatus.CUSTOMER_ACTION_COMPLETED,
)
_CONFIRMS = re.compile(r"\b(works?|worked|working|fixed|solved|resolved|thanks?|thank you|confirm(ed)?|all good)\b", re.I)
_DOUBTS = re.compile(r"\b(not|no|still|but|doesn't|didn't|isn't|won't|can't|cannot)\b", re.I)

FALLBACK_BODIES = {
    ReplyPurpose.ASK_FOR_INFORMATION: "Hello,\n\nCould you tell us more about \"{subject}\"?\n\nAmazon Web Services",
    ReplyPurpose.ANSWER: "Hello,\n\nWe have looked into \"{subject}\". Please reply to confirm whether it is solved.\n\nAmazon Web Services",
    ReplyPurpose.RESOLUTION: "Hello,\n\nWe are resolving case {display_id} now.\n\nAmazon Web Services",
}


def watched_cases():
    """Open cases of accounts with the engineer on, unless a staff engineer has taken them over."""
    return (
        Case.objects.filter(account__training_profile__simulated_engineer=True, status__in=WATCHED_STATUSES)
        .filter(Q(assignee__isnull=True) | Q(assignee__username=engineering.SIMULATED_ENGINEER_USERNAME))
        .select_related("account__training_profile")
    )


def works_on(case: Case) -> bool:
    """Does the simulated engineer answer this case (chats and calls too)? The same rule as watched_cases, for one case."""
    profile = TrainingProfile.objects.filter(account_id=case.account_id, simulated_engineer=True).first()
    assignee = case.assignee
    taken_over = assignee is not None and assignee.username != engineering.SIMULATED_ENGINEER_USERNAME
    return profile is not None and not taken_over


def due_at(case: Case, profile: TrainingProfile) -> datetime:
    """When the engineer makes its next move on the case, after the account's pick-up delay or reply share."""
    speed = profile.time_speed_factor
    if case.status == CaseStatus.WORK_IN_PROGRESS and case.first_responded_at is None:
        target = case.time_created + (case.first_response_due - case.time_created) * FIRST_REPLY_SHARE
        return max(on_simulated_clock(case.time_created, target, speed), case.status_changed_at)
    return case.status_changed_at + timedelta(minutes=profile.pickup_delay_minutes) / speed


def confirms(message: str) -> bool:
    """Does the customer's reply say the problem is solved? ("That fixed it, thanks" yes; "still not working" no.)"""
    return bool(_CONFIRMS.search(message)) and not _DOUBTS.search(message)


@dataclass
class ReplyLibrary:
    templates: list[ReplyTemplate]

    @classmethod
    def load(cls) -> "ReplyLibrary":
        return cls(list(ReplyTemplate.objects.all()))

    def body_for(self, case: Case, purpose: str) -> str:
        fitting = [template for template in self.templates if template.purpose == purpose and template.fits(case)]
        best = max(fitting, key=lambda template: template.specificity, default=None)
        text = best.body if best else FALLBACK_BODIES[purpose]
        return text.format(
            subject=case.subject,
            display_id=case.display_id,
            case_type=case.get_case_type_display(),
            service=case.service.name,
            category=case.category.name,
            severity=case.severity.name,
        )


def _customer_messages(case: Case):
    return Communication.objects.filter(case=case, author_kind=AuthorKind.CUSTOMER)


def _description_is_thin(case: Case) -> bool:
    first = _customer_messages(case).order_by("time_created", "pk").first()
    return first is None or len(first.body.split()) < ASK_BELOW_WORDS


def _reply_and_wait_for_customer(case, engineer, library, purpose, now) -> None:
    body = library.body_for(case, purpose)
    engineering.reply(case, engineer, body, next_status=CaseStatus.PENDING_CUSTOMER_ACTION, now=now)


def _next_move(case: Case, engineer, library: ReplyLibrary, now: datetime) -> None:
    if case.status in (CaseStatus.UNASSIGNED, CaseStatus.REOPENED):
        engineering.assign_to(case, engineer, now=now)
    elif case.status == CaseStatus.WORK_IN_PROGRESS and case.first_responded_at is None and _description_is_thin(case):
        _reply_and_wait_for_customer(case, engineer, library, ReplyPurpose.ASK_FOR_INFORMATION, now)
    elif case.status == CaseStatus.CUSTOMER_ACTION_COMPLETED and _latest_reply_confirms(case):
        body = library.body_for(case, ReplyPurpose.RESOLUTION)
        engineering.reply(case, engineer, body, next_status=case.status, now=now)
        engineering.set_status(case, engineer, CaseStatus.RESOLVED, now=now)
    else:
        _reply_and_wait_for_customer(case, engineer, library, ReplyPurpose.ANSWER, now)


def _latest_reply_confirms(case: Case) -> bool:
    latest = _customer_messages(case).order_by("-time_created", "-pk").first()
    return latest is not None and confirms(latest.body)


def _act(case_pk: int, seen_status: str, engineer, library: ReplyLibrary, now: datetime) -> bool:
    with transaction.atomic():
        case = (
            watched_cases()
            .select_related("service", "category", "severity")
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=case_pk, status=seen_status)
            .first()
        )
        if case is None:  # changed or taken over since the sweep looked, or another sweep holds it
            return False
        _next_move(case, engineer, library, now)
    return True


def run_simulated_engineer(now: datetime | None = None) -> int:
    """One sweep: make every due move; returns how many cases moved. Safe to run at any time, even twice at once."""
    now = now or timezone.now()
    candidates = watched_cases().order_by("status_changed_at", "pk")[:SWEEP_BATCH]
    due = [
        (case.pk, case.status)
        for case in candidates
        if due_at(case, case.account.training_profile) <= now
    ]
    if not due:
        return 0
    engineer, library = engineering.simulated_engineer(), ReplyLibrary.load()
    return sum(_act(pk, status, engineer, library, now) for pk, status in due)
