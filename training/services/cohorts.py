"""Cohorts: an instructor opens many practice accounts at once."""

from dataclasses import dataclass

from django.db import transaction

from ..models import Cohort
from ..passwords import generate_root_password
from .exercises import check_open_exercises
from .practice import open_practice_account

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
