"""Due times, ages and countdowns shown in the account's simulated time (training.clock).

Pages take the speed once (`{% account_time_speed account as speed %}`) and pass it to the filters, so a
list of many rows costs one look-up.
"""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.timesince import timesince

from ..clock import on_simulated_clock, real_span, simulated_span, time_speed

register = template.Library()


def describe_span(span: timedelta) -> str:
    """'1 hour', '4 hours, 30 minutes', '15 seconds': the two largest units, seconds only under a minute."""
    if span < timedelta(minutes=1):
        seconds = max(int(span.total_seconds()), 0)
        return avoid_wrapping(f"{seconds} second{'s' if seconds != 1 else ''}")
    reference = timezone.now()
    return timesince(reference - span, reference)


@register.filter
def first_response_due(case):
    """When the case's first response is due on its account's clock."""
    return on_simulated_clock(case.time_created, case.first_response_due, time_speed(case.account))


@register.simple_tag
def account_time_speed(account):
    return time_speed(account)


@register.filter
def simulated_age(moment: datetime, speed: int = 1) -> str:
    """How long ago `moment` was, on the account's clock: '1 hour' for one real minute at speed 60."""
    return describe_span(simulated_span(timezone.now() - moment, speed))


@register.filter
def simulated_countdown(moment: datetime, speed: int = 1) -> str:
    """'in 59 minutes' until a wall-clock moment, or '3 minutes ago' once it passed, on the account's clock."""
    remaining = simulated_span(moment - timezone.now(), speed)
    return f"in {describe_span(remaining)}" if remaining > timedelta(0) else f"{describe_span(-remaining)} ago"


@register.filter
def real_time_for_minutes(minutes: int, speed: int = 1) -> str:
    """The real time a target of `minutes` simulated minutes takes: '1 minute' for 1 hour at speed 60."""
    return describe_span(real_span(timedelta(minutes=minutes), speed))
