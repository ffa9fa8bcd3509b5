"""Automatic exercise checks: each inspects the trainee's real account state and answers True when done.

Every check receives the account's TrainingProfile and reads through the
owning app's selectors as the account's root user would. What existed when the
sandbox was seeded (profile.sandbox_started_at) does not count as the trainee's work.
"""

from django.utils import timezone

from accounts.exceptions import ResourceNotFoundException
from accounts.models import AlternateContactType
from accounts.regions import ENABLED
from accounts.selectors import get_alternate_contact, list_regions
from advisor.models import Category as AdvisorCategory
from advisor.selectors import available_checks
from cases.models import CaseType
from cases.selectors import describe_cases
from iam.authorization import is_allowed
from iam.models import IAMUser
from iam.principals import Principal
from iam.selectors import root_mfa_enabled, user_principals

# "Production system down: your business is significantly impacted" (support-getting-started, Choosing a Severity).
PRODUCTION_OUTAGE_SEVERITY = "urgent"
# What "support access" means in the exercise: open, read and answer cases.
SUPPORT_ACCESS_ACTIONS = ("support:DescribeCases", "support:CreateCase", "support:AddCommunicationToCase")
# Only the newest users are evaluated, so a check stays cheap however many users exist.
USERS_EVALUATED = 20


def _root(profile) -> Principal:
    return Principal(account=profile.account)


def production_outage_case_opened(profile) -> bool:
    new_cases = describe_cases(_root(profile), after_time=profile.sandbox_started_at, include_resolved_cases=True)
    return new_cases.filter(case_type=CaseType.TECHNICAL, severity__code=PRODUCTION_OUTAGE_SEVERITY).exists()


def root_mfa_on(profile) -> bool:
    return root_mfa_enabled(profile.account)


def security_contact_added(profile) -> bool:
    try:
        get_alternate_contact(_root(profile), AlternateContactType.SECURITY)
    except ResourceNotFoundException:
        return False
    return True


def opt_in_region_enabled(profile) -> bool:
    return any(
        region.opt_in and region.changed_at and region.changed_at > profile.sandbox_started_at
        for region in list_regions(_root(profile), statuses=[ENABLED])
    )


def support_access_without_resolve(profile) -> bool:
    new_users = IAMUser.objects.filter(account=profile.account, created_at__gt=profile.sandbox_started_at)
    return any(
        all(is_allowed(principal, action) for action in SUPPORT_ACCESS_ACTIONS)
        and not is_allowed(principal, "support:ResolveCase")
        for principal in user_principals(new_users.order_by("-created_at")[:USERS_EVALUATED])
    )


def advisor_security_findings_fixed(profile) -> bool:
    """Every Security check the plan includes finds nothing when run now; excluding a resource does not fix it."""
    now = timezone.now()
    return not any(
        check.compute(profile.account, now).findings
        for check in available_checks(profile.account)
        if check.category == AdvisorCategory.SECURITY
    )
