"""Due times shown in the account's simulated time (training.clock)."""

from django import template

from ..clock import on_simulated_clock, time_speed

register = template.Library()


@register.filter
def first_response_due(case):
    """When the case's first response is due on its account's clock."""
    return on_simulated_clock(case.time_created, case.first_response_due, time_speed(case.account))


@register.simple_tag
def account_time_speed(account):
    return time_speed(account)
