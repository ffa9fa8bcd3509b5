"""Emails: a rule's recipient hears when a check's status changes to the status the rule names
(the sandbox's CloudWatch Events rule), and a weekly summary goes to the chosen recipient."""

from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AccountStatus
from inbox.addressing import about_account
from iam.services.identities import trusted_advisor_enabled

from .. import selectors
from ..checks import CATALOGUE
from ..models import AdvisorPreferences, CheckState, CheckStatus, NotificationRule

WEEKLY = timedelta(days=7)


def announce_status_change(state: CheckState, previous: str) -> int:
    """After a refresh: email every matching rule's recipient once the transaction commits."""
    before = previous or CheckStatus.NOT_AVAILABLE
    if before == state.status:
        return 0
    rules = list(
        NotificationRule.objects.filter(account_id=state.account_id, status=state.status).filter(
            Q(check_id="") | Q(check_id=state.check_id)
        )
    )
    check = CATALOGUE[state.check_id]
    subject = f"Trusted Advisor: {check.name} is now {CheckStatus(state.status).label}"
    body = (
        f"Account {state.account.account_id}: the Trusted Advisor check \"{check.name}\" ({check.id}) changed "
        f"from {CheckStatus(before).label} to {CheckStatus(state.status).label}.\n"
        f"Flagged resources: {state.resources_flagged}; suppressed: {state.resources_suppressed}.\n"
    )
    recipients = sorted({rule.recipient for rule in rules})
    for recipient in recipients:
        message = EmailMessage(subject, body, None, [recipient], headers=about_account(state.account))
        transaction.on_commit(message.send)
    return len(recipients)


def _summary_body(account, now: datetime) -> str:
    checks = selectors.available_checks(account)
    states = selectors.states_by_check(account)
    counts = selectors.status_counts(
        (check.category, selectors.result_status(states.get(check.id))) for check in checks
    )["totals"]
    lines = [f"Trusted Advisor weekly summary for account {account.account_id}, {now:%Y-%m-%d}.", ""]
    lines += [f"{CheckStatus(status).label}: {count}" for status, count in counts.items()]
    attention = [
        check for check in checks if selectors.result_status(states.get(check.id)) in (CheckStatus.ERROR, CheckStatus.WARNING)
    ]
    if attention:
        lines += ["", "Checks that need attention:"]
        lines += [
            f"- {check.name}: {CheckStatus(states[check.id].status).label}, {states[check.id].resources_flagged} flagged"
            for check in attention
        ]
    return "\n".join(lines) + "\n"


def send_weekly_summaries(now: datetime | None = None) -> int:
    """Beat job (hourly): send each recipient whose last summary is a week old a fresh one."""
    now = now or timezone.now()
    due = AdvisorPreferences.objects.select_related("account").filter(
        Q(weekly_summary_sent_at=None) | Q(weekly_summary_sent_at__lte=now - WEEKLY),
        account__status=AccountStatus.ACTIVE,
    ).exclude(weekly_summary_recipient="")
    sent = 0
    for preferences in due:
        if not trusted_advisor_enabled(preferences.account):
            continue
        EmailMessage(
            f"Trusted Advisor weekly summary for {preferences.account.account_id}",
            _summary_body(preferences.account, now),
            None,
            [preferences.weekly_summary_recipient],
            headers=about_account(preferences.account),
        ).send()
        AdvisorPreferences.objects.filter(pk=preferences.pk).update(weekly_summary_sent_at=now)
        sent += 1
    return sent
