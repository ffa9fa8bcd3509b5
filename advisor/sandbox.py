"""Demo data for Trusted Advisor: a first result for every check, computed from what the other
apps' populators created, then a weekly summary recipient and a notification rule."""

from .models import CheckState, CheckStatus, NotificationRule, RefreshStatus
from .selectors import available_checks
from .services.preferences import preferences_of
from .services.refresh import move, run_refresh


def populate(account) -> None:
    for check in available_checks(account):
        state = CheckState.objects.create(account=account, check_id=check.id)
        # Not a customer's request, so it starts no five-minute throttle.
        move(state, RefreshStatus.ENQUEUED)
        run_refresh(state.pk)
    preferences = preferences_of(account)
    preferences.weekly_summary_recipient = account.root_email
    preferences.save(update_fields=["weekly_summary_recipient"])
    NotificationRule.objects.create(account=account, check_id="", status=CheckStatus.ERROR, recipient=account.root_email)
