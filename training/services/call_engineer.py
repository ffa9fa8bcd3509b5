"""The simulated engineer on the phone: calls back the number a practice account's case asked to be called on.

The call comes CALL_DELAY_SECONDS of simulated time (divided by the account's time speed) after the request,
through the task queue, unless a staff engineer has taken the case over or called first; its summary joins
the correspondence and moves the case as the engineer's reply would (cases.engineering.log_call).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import engineering
from cases.exceptions import SupportError
from cases.models import PhoneCall
from portal import outbox

from ..clock import time_speed
from ..models import ReplyPurpose
from .chat_engineer import ENGINEER_NAME
from .engineer import ReplyLibrary, works_on

# How long a real engineer takes to call back, in seconds of the account's simulated time.
CALL_DELAY_SECONDS = 5 * 60


def schedule_call(call: PhoneCall) -> bool:
    """After a call was requested: call at the scaled time, through the task queue; False when a person will."""
    call = PhoneCall.objects.select_related("case__account", "case__assignee").get(pk=call.pk)
    if not works_on(call.case):
        return False
    from ..tasks import place_call

    # Due 5 simulated minutes after the request, however late this listener runs.
    due = call.requested_at + timedelta(seconds=CALL_DELAY_SECONDS / time_speed(call.case.account))
    with transaction.atomic():
        PhoneCall.objects.filter(pk=call.pk, called_at__isnull=True).update(scheduled_for=due)
        outbox.send_on_commit(place_call, call.pk, countdown=max(0.0, (due - timezone.now()).total_seconds()))
    return True


def place_call(call_id: int) -> bool:
    """Make the call and log it; False when there is nothing to do (already called, taken over, resolved)."""
    call = (
        PhoneCall.objects.select_related("case__account", "case__assignee", "case__service", "case__category",
                                         "case__severity")
        .filter(pk=call_id, called_at__isnull=True)
        .first()
    )
    if call is None or call.case.is_resolved or not works_on(call.case):
        return False
    case = call.case
    answer = ReplyLibrary.load().body_for(case, ReplyPurpose.ANSWER)
    summary = f"We talked about \"{case.subject}\" and went through what you are seeing. What we said on the call:\n\n{answer}"
    try:
        logged = engineering.log_call(case, engineering.simulated_engineer(), engineer_name=ENGINEER_NAME,
                                      phone_number=call.phone_number, summary=summary, call=call)
    except SupportError:  # resolved while the call was being made: nobody calls about a closed case
        return False
    return logged is not None


def on_call_requested(sender, call: PhoneCall, **kwargs) -> None:
    schedule_call(call)
