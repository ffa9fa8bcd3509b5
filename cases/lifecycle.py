"""The case status machine: the one table of allowed moves, and the only code that changes a status.

Customers, staff in /staff/, the auto-close job and simulated engineers all come
through `transition()` (one case, row-locked) or `transition_many()` (set-based,
for jobs). Every change is recorded as a CaseTransition.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import DateTimeField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from iam.principals import Principal
from portal.bulk import insert_from_query

from .exceptions import IllegalTransition
from .models import OPEN_STATUSES, AuthorKind, Case, CaseStatus, CaseTransition

CUSTOMER, AMAZON, SYSTEM = AuthorKind.CUSTOMER, AuthorKind.AMAZON, AuthorKind.SYSTEM

# Where an engineer may put an open case: working on it, waiting for the customer, or investigating.
_ENGINEER_STATUSES = (
    CaseStatus.WORK_IN_PROGRESS,
    CaseStatus.PENDING_CUSTOMER_ACTION,
    CaseStatus.PENDING_AMAZON_ACTION,
)


def _build_table() -> dict[tuple[str, str], frozenset[str]]:
    table: dict[tuple[str, str], frozenset[str]] = {}
    for open_status in OPEN_STATUSES:
        for target in _ENGINEER_STATUSES:
            if target != open_status:
                table[(open_status, target)] = frozenset({AMAZON})
        # Anyone may close an open case: the customer ("Close case"), an engineer, or the system
        # (auto-close after 10 days without a reply, account closure).
        table[(open_status, CaseStatus.RESOLVED)] = frozenset({CUSTOMER, AMAZON, SYSTEM})
    # The customer answers what the engineer asked for.
    table[(CaseStatus.PENDING_CUSTOMER_ACTION, CaseStatus.CUSTOMER_ACTION_COMPLETED)] = frozenset({CUSTOMER})
    # "You can always reopen a resolved or closed case."
    table[(CaseStatus.RESOLVED, CaseStatus.REOPENED)] = frozenset({CUSTOMER})
    return table


ALLOWED_TRANSITIONS = _build_table()


@dataclass(frozen=True)
class Actor:
    """Who changes a case: a customer principal, a staff engineer, or the system itself."""

    kind: str
    name: str
    staff_user: AbstractBaseUser | None = None

    @classmethod
    def customer(cls, principal: Principal) -> "Actor":
        return cls(CUSTOMER, submitter_name(principal))

    @classmethod
    def engineer(cls, staff_user: AbstractBaseUser) -> "Actor":
        return cls(AMAZON, staff_user.get_username(), staff_user)


SYSTEM_ACTOR = Actor(SYSTEM, "Amazon Web Services")


def submitter_name(principal: Principal) -> str:
    """What submittedBy shows: the root user's email address, or the IAM user's ARN."""
    return principal.account.root_email if principal.is_root else principal.arn


def is_allowed(from_status: str, to_status: str, actor_kind: str) -> bool:
    return actor_kind in ALLOWED_TRANSITIONS.get((from_status, to_status), ())


def check_transition(from_status: str, to_status: str, actor_kind: str) -> None:
    if to_status not in CaseStatus.values:
        raise IllegalTransition(f"{to_status!r} is not a case status.")
    if not is_allowed(from_status, to_status, actor_kind):
        raise IllegalTransition(
            f"A case that is {CaseStatus(from_status).label.lower()} cannot be moved to "
            f"{CaseStatus(to_status).label.lower()} by {AuthorKind(actor_kind).label.lower()}."
        )


def _record(case_pk: int, from_status: str, to_status: str, actor: Actor, now: datetime) -> CaseTransition:
    return CaseTransition(
        case_id=case_pk,
        from_status=from_status,
        to_status=to_status,
        actor_kind=actor.kind,
        actor_name=actor.name,
        staff_user=actor.staff_user,
        at=now,
    )


def _locked_status(case: Case) -> str:
    """The case's status as stored, with its row locked until the transaction ends."""
    return Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)


def _move(case: Case, from_status: str, to_status: str, actor: Actor, now: datetime) -> CaseTransition:
    check_transition(from_status, to_status, actor.kind)
    Case.objects.filter(pk=case.pk).update(status=to_status, status_changed_at=now)
    case.status, case.status_changed_at = to_status, now
    record = _record(case.pk, from_status, to_status, actor, now)
    record.save()
    return record


@transaction.atomic
def transition(case: Case, to_status: str, *, actor: Actor, now: datetime | None = None) -> CaseTransition:
    """Move one case, holding its row lock so a concurrent change is checked against the fresh status.

    Updates `case` in place; raises IllegalTransition when the table does not allow the move.
    """
    return _move(case, _locked_status(case), to_status, actor, now or timezone.now())


@transaction.atomic
def ensure_status(case: Case, to_status: str, *, actor: Actor, now: datetime | None = None) -> str:
    """Like transition(), but a case already in `to_status` is left as it is (nothing recorded).

    Returns the status the case had, read under the row lock: a stale copy of the case can
    neither make a move fail for being "already there" nor skip one that is needed.
    """
    from_status = _locked_status(case)
    if from_status == to_status:
        case.status = from_status
    else:
        _move(case, from_status, to_status, actor, now or timezone.now())
    return from_status


@transaction.atomic
def transition_many(cases: QuerySet, to_status: str, *, actor: Actor, now: datetime | None = None) -> list[int]:
    """Move every case in `cases` that may legally go to `to_status`; return the primary keys moved.

    Rows another run holds locked are skipped (it is moving them), so two jobs at once
    never move or record the same case twice. A constant number of queries.
    """
    now = now or timezone.now()
    movable_from = [status for status in CaseStatus if is_allowed(status, to_status, actor.kind)]
    rows = list(
        cases.filter(status__in=movable_from)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", "status")
        .order_by()
    )
    if not rows:
        return []
    pks = [pk for pk, _ in rows]
    moving = Case.objects.filter(pk__among=pks, status__in=movable_from)
    # The audit rows written by the database from the rows it is about to move (their status still the old one).
    insert_from_query(CaseTransition, {
        "case": F("pk"),
        "from_status": F("status"),
        "to_status": Value(to_status),
        "actor_kind": Value(actor.kind),
        "actor_name": Value(actor.name),
        "staff_user": Cast(Value(actor.staff_user.pk if actor.staff_user else None), IntegerField()),
        "at": Value(now, output_field=DateTimeField()),
    }, moving)
    moving.update(status=to_status, status_changed_at=now)
    return pks
