"""Cohorts: an instructor opens many practice accounts at once."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from inbox.addressing import about_account

from ..models import Cohort
from ..passwords import generate_root_password
from .exercises import check_open_exercises
from .practice import open_practice_account, reset_practice_account

EMAIL_DOMAIN = "training.example.com"
MAX_COHORT_SIZE = 100


@dataclass(frozen=True)
class SignInDetails:
    account_id: str
    sign_in_reference: str
    root_email: str
    password: str


@transaction.atomic
def create_cohort(*, name: str, size: int, support_plan: str, created_by=None) -> tuple[Cohort, list[SignInDetails]]:
    """Open `size` seeded practice accounts; their generated passwords exist only in the returned details."""
    cohort = Cohort.objects.create(name=name, support_plan=support_plan, created_by=created_by)
    details = []
    for number in range(1, size + 1):
        password = generate_root_password()
        account = open_practice_account(
            email=f"cohort{cohort.pk}-trainee{number:02d}@{EMAIL_DOMAIN}",
            password=password,
            support_plan=support_plan,
            cohort=cohort,
            name=f"{name[:40]} {number:02d}",
        )
        details.append(SignInDetails(account.account_id, account.sign_in_reference, account.root_email, password))
    return cohort, details


def check_cohort(cohort: Cohort) -> None:
    """Run every trainee's open exercise checks now, for an up-to-date progress view."""
    for profile in cohort.profiles.select_related("account").prefetch_related("completions"):
        check_open_exercises(profile)


def reset_trainee(cohort: Cohort, profile_pk: int):
    """The instructor resets one trainee's sandbox (progress stays, as in the trainee's own reset)."""
    profile = cohort.profiles.select_related("account").get(pk=profile_pk)
    return reset_practice_account(profile.account)


def message_cohort(cohort: Cohort, *, subject: str, body: str, instructor) -> int:
    """Email every trainee's root address; the sandbox mailbox puts it in each trainee's Mail. Returns how many."""
    sender = f"{instructor.get_full_name() or instructor.get_username()} (instructor) <{settings.DEFAULT_FROM_EMAIL}>"
    messages = [
        EmailMessage(f"[{cohort.name}] {subject}", body, sender, [profile.account.root_email],
                     headers=about_account(profile.account))
        for profile in cohort.profiles.select_related("account")
    ]
    return get_connection().send_messages(messages) or 0
