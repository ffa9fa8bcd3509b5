"""Checks on how the account itself is set up: who AWS can reach, and who can administer it."""

from datetime import datetime

from accounts import regions
from accounts.models import Account, AlternateContact, AlternateContactType, RegionOptIn
from iam.authorization import is_allowed
from iam.models import AccessKey, IAMUser, Role
from iam.selectors import user_principals

from ..models import Category, CheckStatus
from .catalogue import Finding, Outcome, account_outcome, check

MINIMUM_ADMINISTRATORS = 2
# Holding this action is what lets a user repair everyone else's access, including their own.
ADMINISTRATION_PROBE = "iam:AttachUserPolicy"


@check(
    id="AltCntct01",
    name="AWS Account Alternate Contacts",
    category=Category.FAULT_TOLERANCE,
    description=(
        "Checks that the account has billing, operations and security alternate contacts, so that AWS reaches the "
        "right team when something needs attention.<br><b>Alert Criteria</b><br>"
        "Yellow: One of the billing, operations or security alternate contacts is not set."
    ),
    metadata=("Contact Type", "Status"),
)
def alternate_contacts(account: Account, now: datetime) -> Outcome:
    present = set(AlternateContact.objects.filter(account=account).values_list("contact_type", flat=True))
    findings = tuple(
        Finding(f"{account.account_id}/{contact_type.value}", CheckStatus.WARNING, (contact_type.label, "Not configured"))
        for contact_type in AlternateContactType
        if contact_type.value not in present
    )
    return Outcome(processed=len(AlternateContactType), findings=findings)


@check(
    id="BrkGlAdm01",
    name="IAM Administrator Redundancy",
    category=Category.FAULT_TOLERANCE,
    description=(
        "Checks that at least two enabled IAM users can administer IAM, so that losing one person's credentials "
        "does not leave only the root user to recover access.<br><b>Alert Criteria</b><br>"
        "Yellow: Only one IAM user can administer IAM.<br>Red: No IAM user can administer IAM."
    ),
    metadata=("Account ID", "Administrators", "Administrator Users"),
)
def administrator_redundancy(account: Account, now: datetime) -> Outcome:
    # Every user's policies loaded in a fixed number of queries, however many users the account has.
    principals = user_principals(IAMUser.objects.filter(account=account, enabled=True).order_by("name"))
    administrators = [principal.user.name for principal in principals if is_allowed(principal, ADMINISTRATION_PROBE)]
    if len(administrators) >= MINIMUM_ADMINISTRATORS:
        return account_outcome(account, None)
    status = CheckStatus.WARNING if administrators else CheckStatus.ERROR
    return account_outcome(account, status, (account.account_id, str(len(administrators)), ", ".join(administrators) or "None"))


@check(
    id="RgnUnUsd01",
    name="Enabled Regions Not In Use",
    category=Category.SECURITY,
    description=(
        "Checks for opt-in Regions the account has enabled but where no access key or role has been used. "
        "Every enabled Region is somewhere a leaked credential can work unnoticed; disable the ones you do "
        "not use.<br><b>Alert Criteria</b><br>Yellow: An opt-in Region is enabled and shows no use."
    ),
    metadata=("Region", "Region Name", "Enabled Since"),
)
def unused_enabled_regions(account: Account, now: datetime) -> Outcome:
    enabled = list(RegionOptIn.objects.filter(account=account, status=regions.ENABLED))
    used = set(AccessKey.objects.filter(account=account).values_list("last_used_region", flat=True))
    used |= set(Role.objects.filter(account=account).values_list("last_used_region", flat=True))
    findings = tuple(
        Finding(
            opt_in.region_name,
            CheckStatus.WARNING,
            (opt_in.region_name, regions.region_display_name(opt_in.region_name), opt_in.changed_at.strftime("%Y-%m-%d")),
            region=opt_in.region_name,
        )
        for opt_in in enabled
        if opt_in.region_name not in used
    )
    return Outcome(processed=len(enabled), findings=findings)
