"""Trusted Advisor's operations. The wire API calls the Support API ones with via=Via.API
(the default; IAM actions support:*), the console with via=Via.CONSOLE (trustedadvisor:*)."""

from .access import Via, may
from .preferences import (
    add_notification_rule,
    delete_notification_rule,
    disable_trusted_advisor,
    enable_trusted_advisor,
    preferences_of,
    recreate_role_and_enable,
    set_weekly_summary_recipient,
    trusted_advisor_role_exists,
)
from .refresh import abandon_stalled_refreshes, refresh_all, refresh_automatic_checks, refresh_check, run_refresh
from .results import describe_check_refresh_statuses, describe_check_result, describe_check_summaries, describe_checks
from .suppression import exclude_items, include_items
from .notifications import send_weekly_summaries

__all__ = [
    "Via",
    "abandon_stalled_refreshes",
    "add_notification_rule",
    "delete_notification_rule",
    "describe_check_refresh_statuses",
    "describe_check_result",
    "describe_check_summaries",
    "describe_checks",
    "disable_trusted_advisor",
    "enable_trusted_advisor",
    "exclude_items",
    "include_items",
    "may",
    "preferences_of",
    "recreate_role_and_enable",
    "refresh_all",
    "refresh_automatic_checks",
    "refresh_check",
    "run_refresh",
    "send_weekly_summaries",
    "set_weekly_summary_recipient",
    "trusted_advisor_role_exists",
]
