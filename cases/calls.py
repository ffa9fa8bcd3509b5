"""Calls from AWS Support about a case (Business and Enterprise plans, the "Phone" contact method).

The customer asks for a call (choosing Phone when opening the case, or "Request a call" on its page)
with a callback number; an engineer calls (the simulated one in practice accounts, at the account's
scaled time, or a staff engineer who logs the call by hand) and the call's summary joins the
correspondence like an engineer's reply: engineering.log_call. Someone listening for `call_requested`
(training's simulated engineer) places the call.
"""

from datetime import UTC, datetime

import django.dispatch
from django.db import transaction
from django.utils import timezone

from iam.authorization import authorize
from iam.principals import Principal

from . import lifecycle
from .exceptions import SupportError
from .models import Case, ContactMethod, PhoneCall
from .plans import rules_for
from .validation import check_phone_number

# Sent after a call request commits (call=PhoneCall): an engineer should call.
call_requested = django.dispatch.Signal()


class CallNotAvailable(SupportError):
    code = "CallNotAvailable"


def may_call(case: Case) -> bool:
    return ContactMethod.PHONE in rules_for(case.account).contact_methods and not case.is_resolved


def scheduled_call(case: Case) -> PhoneCall | None:
    return case.calls.filter(called_at__isnull=True).first()


def schedule_call(case: Case, phone_number: str, *, requested_by: str, now: datetime) -> PhoneCall:
    """A call waiting for an engineer (no IAM check: callers have made theirs, the number is checked)."""
    call = PhoneCall.objects.create(
        case=case, phone_number=check_phone_number(phone_number, field="phone_number"), requested_by=requested_by,
        requested_at=now,
    )
    transaction.on_commit(lambda: call_requested.send(sender=PhoneCall, call=call))
    return call


@transaction.atomic
def request_call(principal: Principal, case: Case, phone_number: str, *, now: datetime | None = None) -> PhoneCall:
    """"Request a call" on the case page; one call at a time per case."""
    authorize(principal, "support:InitiateCallForCase")
    if not may_call(case):
        raise CallNotAvailable(f"The {case.account.get_support_plan_display()} support plan offers no phone calls, "
                               "or the case is resolved.")
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one request at a time per case
    if scheduled_call(case) is not None:
        raise CallNotAvailable("A call is already scheduled for this case.")
    return schedule_call(case, phone_number, requested_by=lifecycle.submitter_name(principal), now=now or timezone.now())


def summary_body(call: PhoneCall) -> str:
    """The correspondence entry a call leaves: who called which number when, then what was said."""
    return (f"Phone call with {call.phone_number} on {call.called_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC by {call.engineer_name}.\n\n"
            f"{call.summary}")
