"""Security checks on the account's IAM identities and credentials, read through IAM's selectors."""

from datetime import datetime, timedelta

from django.db.models import Q

from accounts.models import Account
from iam import selectors as iam
from iam.models import AccessKey, AccessKeyStatus, IAMUser, Role

from ..models import Category, CheckStatus
from .catalogue import Finding, Outcome, account_outcome, check

ROTATION_ERROR_AGE = timedelta(days=2 * 365)
INACTIVITY_PERIOD = timedelta(days=90)


def timestamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else "N/A"


@check(
    id="7DAFEmoDos",
    name="MFA on Root Account",
    category=Category.SECURITY,
    core=True,
    description=(
        "Checks the root user of the account and warns if multi-factor authentication (MFA) is not enabled. "
        "For increased security, protect the account with MFA, which requires a unique code from an MFA device "
        "in addition to the password.<br><b>Alert Criteria</b><br>Red: MFA is not enabled on the root user."
    ),
    metadata=("Account ID", "Root User MFA"),
)
def root_mfa(account: Account, now: datetime) -> Outcome:
    if iam.root_mfa_enabled(account):
        return account_outcome(account, None)
    return account_outcome(account, CheckStatus.ERROR, (account.account_id, "Not enabled"))


@check(
    id="zXCkfM1nI3",
    name="IAM Use",
    category=Category.SECURITY,
    core=True,
    description=(
        "Checks for your use of AWS Identity and Access Management (IAM). Create IAM users for the people who "
        "work in this account instead of sharing the root user's credentials.<br><b>Alert Criteria</b><br>"
        "Yellow: No IAM users have been created for this account."
    ),
    metadata=("Account ID", "IAM Users"),
)
def iam_use(account: Account, now: datetime) -> Outcome:
    if IAMUser.objects.filter(account=account).exists():
        return account_outcome(account, None)
    return account_outcome(account, CheckStatus.WARNING, (account.account_id, "0"))


PASSWORD_REQUIREMENTS = (
    ("require_uppercase", "Uppercase"),
    ("require_lowercase", "Lowercase"),
    ("require_numbers", "Number"),
    ("require_symbols", "Non-alphanumeric"),
)


@check(
    id="Yw2K9puPzl",
    name="IAM Password Policy",
    category=Category.SECURITY,
    core=True,
    description=(
        "Checks the password policy for the account and warns when a password policy is not enabled, or when "
        "password content requirements are not enabled.<br><b>Alert Criteria</b><br>"
        "Yellow: A password policy is enabled, but at least one content requirement is not enabled.<br>"
        "Red: A password policy is not enabled."
    ),
    metadata=("Password Policy", "Uppercase", "Lowercase", "Number", "Non-alphanumeric", "Status"),
)
def password_policy(account: Account, now: datetime) -> Outcome:
    policy = iam.account_password_policy(account)
    if policy is None:
        return account_outcome(account, CheckStatus.ERROR, ("Not enabled", "", "", "", "", "Red"))
    required = [getattr(policy, field) for field, _ in PASSWORD_REQUIREMENTS]
    if all(required):
        return account_outcome(account, None)
    metadata = ("Enabled", *("Enabled" if flag else "Not enabled" for flag in required), "Yellow")
    return account_outcome(account, CheckStatus.WARNING, metadata)


@check(
    id="Ro0tAkEy01",
    name="Root User Access Keys",
    category=Category.SECURITY,
    core=True,
    description=(
        "Checks whether the root user has active access keys. Anyone holding them has unrestricted access to "
        "the whole account, and no policy can limit them; delete them and use IAM users or roles instead."
        "<br><b>Alert Criteria</b><br>Red: The root user has an active access key."
    ),
    metadata=("Access Key ID", "Created", "Last Used"),
)
def root_access_keys(account: Account, now: datetime) -> Outcome:
    keys = iam.root_access_keys(account)
    findings = tuple(
        Finding(key.access_key_id, CheckStatus.ERROR, (key.access_key_id, timestamp(key.created_at), timestamp(key.last_used_at)))
        for key in keys
        if key.is_active
    )
    return Outcome(processed=1, findings=findings, ignored=sum(1 for key in keys if not key.is_active))


@check(
    id="DqdJqYeRm5",
    name="IAM Access Key Rotation",
    category=Category.SECURITY,
    description=(
        "Checks for active IAM access keys that have not been rotated in the last 90 days.<br><b>Alert Criteria</b><br>"
        "Yellow: The access key is active and has not been rotated in the last 90 days.<br>"
        "Red: The access key is active and has not been rotated in the last 2 years."
    ),
    metadata=("Status", "IAM User", "Access Key", "Key Last Rotated", "Reason"),
)
def access_key_rotation(account: Account, now: datetime) -> Outcome:
    ages = iam.access_key_ages(account, now=now)
    findings = []
    for age in ages:
        if not (age.key.is_active and age.is_old):
            continue
        status, label, reason = (
            (CheckStatus.ERROR, "Red", "Not rotated in 2 years")
            if age.age > ROTATION_ERROR_AGE
            else (CheckStatus.WARNING, "Yellow", "Not rotated in 90 days")
        )
        metadata = (label, age.owner, age.key.access_key_id, timestamp(age.key.created_at), reason)
        findings.append(Finding(age.key.access_key_id, status, metadata))
    return Outcome(processed=len(ages), findings=tuple(findings), ignored=sum(1 for age in ages if not age.key.is_active))


@check(
    id="UnUsEdAk90",
    name="Unused IAM Access Keys",
    category=Category.SECURITY,
    description=(
        "Checks for active access keys that have not been used in the last 90 days. A key nobody uses is a "
        "credential nobody watches: deactivate or delete it.<br><b>Alert Criteria</b><br>"
        "Yellow: An active access key has not been used in the last 90 days (or never, 90 days after creation)."
    ),
    metadata=("IAM User", "Access Key", "Created", "Last Used"),
)
def unused_access_keys(account: Account, now: datetime) -> Outcome:
    cutoff = now - INACTIVITY_PERIOD
    active = AccessKey.objects.filter(account=account, status=AccessKeyStatus.ACTIVE)
    stale = active.filter(Q(last_used_at__lt=cutoff) | Q(last_used_at=None, created_at__lt=cutoff)).select_related("user")
    findings = tuple(
        Finding(
            key.access_key_id,
            CheckStatus.WARNING,
            (key.user.name if key.user else "root", key.access_key_id, timestamp(key.created_at), timestamp(key.last_used_at)),
        )
        for key in stale
    )
    return Outcome(processed=active.count(), findings=findings)


@check(
    id="InAcTvUs90",
    name="Inactive IAM Users",
    category=Category.SECURITY,
    description=(
        "Checks for IAM users with a console password that nobody has used in the last 90 days. Remove the "
        "password, or the user, of people who no longer need access.<br><b>Alert Criteria</b><br>"
        "Yellow: The user's console password has not been used in the last 90 days (or never, 90 days after creation)."
    ),
    metadata=("IAM User", "Created", "Password Last Used"),
)
def inactive_users(account: Account, now: datetime) -> Outcome:
    cutoff = now - INACTIVITY_PERIOD
    with_password = IAMUser.objects.filter(account=account, enabled=True).exclude(password="")
    inactive = with_password.filter(Q(password_last_used__lt=cutoff) | Q(password_last_used=None, created_at__lt=cutoff))
    findings = tuple(
        Finding(user.arn, CheckStatus.WARNING, (user.name, timestamp(user.created_at), timestamp(user.password_last_used)))
        for user in inactive.select_related("account")
    )
    processed = with_password.count()
    return Outcome(processed=processed, findings=findings, ignored=IAMUser.objects.filter(account=account).count() - processed)


@check(
    id="MfAcOnUs01",
    name="IAM Users With Console Access and No MFA",
    category=Category.SECURITY,
    description=(
        "Checks for IAM users who can sign in to the console with a password but have no MFA device enabled."
        "<br><b>Alert Criteria</b><br>Red: An IAM user with a console password has no enabled MFA device."
    ),
    metadata=("IAM User", "Password Last Used"),
)
def users_without_mfa(account: Account, now: datetime) -> Outcome:
    users = iam.users_without_mfa(account)
    findings = tuple(Finding(user.arn, CheckStatus.ERROR, (user.name, timestamp(user.password_last_used))) for user in users)
    with_password = IAMUser.objects.filter(account=account).exclude(password="").count()
    return Outcome(processed=with_password, findings=findings)


@check(
    id="UnUsEdRl90",
    name="Unused IAM Roles",
    category=Category.SECURITY,
    description=(
        "Checks for IAM roles (other than service-linked roles) that nobody has assumed in the last 90 days. "
        "Delete roles you no longer need.<br><b>Alert Criteria</b><br>"
        "Yellow: The role has not been used in the last 90 days (or never, 90 days after creation)."
    ),
    metadata=("Role", "Created", "Last Used", "Last Used Region"),
)
def unused_roles(account: Account, now: datetime) -> Outcome:
    roles = iam.unused_roles(account, now=now)
    findings = tuple(
        Finding(
            role.arn,
            CheckStatus.WARNING,
            (role.name, timestamp(role.created_at), timestamp(role.last_used_at), role.last_used_region or "N/A"),
            region=role.last_used_region,
        )
        for role in roles
    )
    service_linked = Role.objects.filter(account=account).exclude(linked_service="").count()
    customer = Role.objects.filter(account=account, linked_service="").count()
    return Outcome(processed=customer, findings=findings, ignored=service_linked)


@check(
    id="FuLlAdMn01",
    name="IAM Policies Granting Full Access",
    category=Category.SECURITY,
    description=(
        'Checks customer managed policies whose default version allows "*:*" (every action on every resource) '
        "without conditions. Grant least privilege instead.<br><b>Alert Criteria</b><br>"
        'Yellow: A customer managed policy allows "*" on "*".'
    ),
    metadata=("Policy", "Policy ARN"),
)
def full_access_policies(account: Account, now: datetime) -> Outcome:
    policies = iam.policies_allowing_everything(account)
    findings = tuple(Finding(policy.arn, CheckStatus.WARNING, (policy.name, policy.arn)) for policy in policies)
    return Outcome(processed=iam.account_summary(account)["policies"], findings=findings)
