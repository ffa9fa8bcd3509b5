"""Service limits: usage of IAM's quotas, Yellow at 80% and Red at 100%, as Trusted Advisor reports them."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from accounts.models import Account
from iam.identity_kinds import MANAGED_POLICIES_PER_IDENTITY
from iam.models import IAMUser, Role
from iam.services import ACCESS_KEYS_PER_IDENTITY, GROUPS_PER_USER, ROLES_PER_ACCOUNT

from ..models import Category, CheckStatus
from .catalogue import Finding, Outcome, check

WARNING_RATIO = 0.8
IAM_SERVICE = "IAM"


@dataclass(frozen=True)
class Usage:
    resource_id: str
    limit_name: str
    limit: int
    used: int


def _iam_usages(account: Account) -> list[Usage]:
    users = IAMUser.objects.filter(account=account).annotate(
        keys=Count("access_keys", distinct=True),
        groups_joined=Count("groups", distinct=True),
        policies=Count("attached_policies", distinct=True),
    )
    usages = [Usage(f"{account.account_id}/Roles", "Roles", ROLES_PER_ACCOUNT, Role.objects.filter(account=account).count())]
    for user in users:
        usages += [
            Usage(f"{user.name}/AccessKeys", f"Access keys per user ({user.name})", ACCESS_KEYS_PER_IDENTITY, user.keys),
            Usage(f"{user.name}/Groups", f"Groups per user ({user.name})", GROUPS_PER_USER, user.groups_joined),
            Usage(
                f"{user.name}/ManagedPolicies",
                f"Managed policies per user ({user.name})",
                MANAGED_POLICIES_PER_IDENTITY,
                user.policies,
            ),
        ]
    return usages


@check(
    id="eW7HH0l7J9",
    name="Service Limits",
    category=Category.SERVICE_LIMITS,
    core=True,
    automatic=True,
    description=(
        "Checks for usage that is more than 80% of the service limit. Values are based on a snapshot, so your "
        "current usage might differ. Limit and usage data can take up to 24 hours to reflect any changes."
        "<br><b>Alert Criteria</b><br>Yellow: 80% of limit reached.<br>Red: 100% of limit reached."
    ),
    metadata=("Region", "Service", "Limit Name", "Limit Amount", "Current Usage", "Status"),
)
def service_limits(account: Account, now: datetime) -> Outcome:
    usages = _iam_usages(account)
    findings = []
    for usage in usages:
        if usage.used >= usage.limit:
            status, label = CheckStatus.ERROR, "Red"
        elif usage.used >= usage.limit * WARNING_RATIO:
            status, label = CheckStatus.WARNING, "Yellow"
        else:
            continue
        metadata = ("-", IAM_SERVICE, usage.limit_name, str(usage.limit), str(usage.used), label)
        findings.append(Finding(usage.resource_id, status, metadata))
    return Outcome(processed=len(usages), findings=tuple(findings))
