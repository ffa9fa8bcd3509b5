"""The catalogue of checks: what each one is called, what it reports, and how it is computed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from accounts.models import Account, SupportPlan

from ..models import Category, CheckStatus

# "All AWS customers have access to five Trusted Advisor checks. Customers with a
# Business or Enterprise support plan can view all Trusted Advisor checks."
# (AWS Support User Guide, "AWS Trusted Advisor")
FULL_CATALOGUE_PLANS = frozenset({SupportPlan.BUSINESS, SupportPlan.ENTERPRISE})

GLOBAL_REGION = ""  # IAM and the account itself belong to no Region


@dataclass(frozen=True)
class Finding:
    resource_id: str
    status: str  # CheckStatus.WARNING or CheckStatus.ERROR
    metadata: tuple[str, ...]
    region: str = GLOBAL_REGION


@dataclass(frozen=True)
class Outcome:
    """What one computation of a check found."""

    processed: int
    findings: tuple[Finding, ...] = ()
    ignored: int = 0
    estimated_monthly_savings: Decimal = Decimal("0")
    estimated_percent_monthly_savings: Decimal = Decimal("0")


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    category: str
    description: str
    metadata: tuple[str, ...]
    compute: Callable[[Account, datetime], Outcome] = field(repr=False)
    # One of the checks every support plan sees.
    core: bool = False
    # Refreshed by the beat job only; RefreshTrustedAdvisorCheck refuses it.
    automatic: bool = False

    def available_to(self, account: Account) -> bool:
        return self.core or account.support_plan in FULL_CATALOGUE_PLANS


CATALOGUE: dict[str, Check] = {}


def check(*, id: str, name: str, category: Category, description: str, metadata: tuple[str, ...], core=False, automatic=False):
    """Register the decorated compute(account, now) -> Outcome as a check."""

    def register(compute):
        if id in CATALOGUE:
            raise ValueError(f"Two checks share the ID {id}")
        CATALOGUE[id] = Check(id, name, category.value, description, metadata, compute, core, automatic)
        return compute

    return register


def account_outcome(account: Account, status: str | None, metadata: tuple[str, ...] = (), **extra) -> Outcome:
    """The outcome of a check that inspects the account as one resource; status None: nothing flagged."""
    if status is None:
        return Outcome(processed=1)
    return Outcome(processed=1, findings=(Finding(account.account_id, status, metadata),), **extra)


def worst_status(statuses) -> str:
    ranking = [CheckStatus.OK, CheckStatus.WARNING, CheckStatus.ERROR]
    return max(statuses, key=ranking.index, default=CheckStatus.OK)
