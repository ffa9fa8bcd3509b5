"""Checks computed from the account's Support Center cases (read through cases.selectors)."""

from datetime import datetime, timedelta
from decimal import Decimal

from accounts import regions
from accounts.models import Account, RegionOptIn, SupportPlan
from accounts.services.regions import current_status
from cases.engineering import overdue_condition
from cases.jobs import AUTO_CLOSE_AFTER
from cases.models import OPEN_STATUSES, CaseStatus, CaseType, Communication
from cases.selectors import visible_cases
from iam.identifiers import ACCESS_KEY_PREFIX
from iam.models import AccessKey

from ..models import Category, CheckStatus
from .catalogue import Finding, Outcome, account_outcome, check
from .identity import timestamp

# Warn this long before the Support Center resolves a quiet "pending customer action" case.
REPLY_REMINDER = timedelta(days=3)
PLAN_FIT_PERIOD = timedelta(days=90)
# Minimum monthly prices of the plans (the sandbox bills nothing; these size the recommendation).
MONTHLY_PRICE = {
    SupportPlan.BASIC: Decimal("0"),
    SupportPlan.DEVELOPER: Decimal("29"),
    SupportPlan.BUSINESS: Decimal("100"),
    SupportPlan.ENTERPRISE: Decimal("15000"),
}
ENABLED_STATUSES = frozenset({regions.ENABLED, regions.ENABLED_BY_DEFAULT})


def _case_metadata(case) -> tuple[str, ...]:
    return (str(case.display_id), case.subject, case.severity.name, timestamp(case.time_created))


@check(
    id="CaSeRsPt01",
    name="Support Cases Past Their First-Response Target",
    category=Category.PERFORMANCE,
    description=(
        "Checks open support cases that have had no first response within the target time of their severity. "
        "If the problem has grown, raise the severity or contact AWS Support by chat or phone."
        "<br><b>Alert Criteria</b><br>Red: An open case has had no first response by its target time."
    ),
    metadata=("Case ID", "Subject", "Severity", "Created", "First Response Due"),
)
def cases_past_response_target(account: Account, now: datetime) -> Outcome:
    open_cases = visible_cases(account, now).filter(status__in=OPEN_STATUSES)
    overdue = open_cases.filter(overdue_condition(now))
    findings = tuple(
        Finding(case.case_id, CheckStatus.ERROR, (*_case_metadata(case), timestamp(case.first_response_due)))
        for case in overdue
    )
    return Outcome(processed=open_cases.count(), findings=findings)


@check(
    id="CaSeRpLy01",
    name="Support Cases Awaiting Your Reply",
    category=Category.PERFORMANCE,
    description=(
        "Checks cases waiting for your reply that the Support Center will soon resolve automatically "
        f"({AUTO_CLOSE_AFTER.days} days without a reply). Reply to keep the case moving.<br><b>Alert Criteria</b><br>"
        f"Yellow: A case has been pending customer action for {(AUTO_CLOSE_AFTER - REPLY_REMINDER).days} days or more."
    ),
    metadata=("Case ID", "Subject", "Severity", "Created", "Resolves Automatically"),
)
def cases_awaiting_reply(account: Account, now: datetime) -> Outcome:
    pending = visible_cases(account, now).filter(status=CaseStatus.PENDING_CUSTOMER_ACTION)
    closing = pending.filter(status_changed_at__lte=now - (AUTO_CLOSE_AFTER - REPLY_REMINDER))
    findings = tuple(
        Finding(
            case.case_id, CheckStatus.WARNING, (*_case_metadata(case), timestamp(case.status_changed_at + AUTO_CLOSE_AFTER))
        )
        for case in closing
    )
    return Outcome(processed=pending.count(), findings=findings)


def _recommended_plan(account: Account, now: datetime) -> str | None:
    recent = visible_cases(account, now).filter(time_created__gte=now - PLAN_FIT_PERIOD)
    if account.support_plan == SupportPlan.ENTERPRISE and not recent.filter(severity__code="critical").exists():
        return SupportPlan.BUSINESS
    if account.support_plan == SupportPlan.BUSINESS and not recent.filter(case_type=CaseType.TECHNICAL).exists():
        return SupportPlan.DEVELOPER
    return None


@check(
    id="SuPlnFit01",
    name="Support Plan Fit",
    category=Category.COST_OPTIMIZING,
    description=(
        f"Checks whether the last {PLAN_FIT_PERIOD.days} days of support cases used what the support plan pays for."
        "<br><b>Alert Criteria</b><br>Yellow: An Enterprise plan with no business-critical case, or a Business "
        "plan with no technical case, in that period."
    ),
    metadata=("Current Plan", "Recommended Plan", "Cases In Period", "Estimated Monthly Savings"),
)
def support_plan_fit(account: Account, now: datetime) -> Outcome:
    recommended = _recommended_plan(account, now)
    if recommended is None:
        return account_outcome(account, None)
    current_price, recommended_price = MONTHLY_PRICE[account.support_plan], MONTHLY_PRICE[recommended]
    savings = current_price - recommended_price
    in_period = visible_cases(account, now).filter(time_created__gte=now - PLAN_FIT_PERIOD).count()
    metadata = (account.get_support_plan_display(), SupportPlan(recommended).label, str(in_period), f"${savings:.2f}")
    return account_outcome(
        account,
        CheckStatus.WARNING,
        metadata,
        estimated_monthly_savings=savings,
        estimated_percent_monthly_savings=(savings * 100 / current_price).quantize(Decimal("0.01")),
    )


def _region_enabled(account: Account, region_name: str) -> bool:
    if region_name not in regions.REGIONS:
        return False
    opt_in = RegionOptIn.objects.filter(account=account, region_name=region_name).first()
    return current_status(opt_in, region_name) in ENABLED_STATUSES


@check(
    id="SlReqRgn01",
    name="Service Limit Increase Requests",
    category=Category.SERVICE_LIMITS,
    description=(
        "Checks open service limit increase cases. Until a request is granted, plan capacity as if the current "
        "limit applies; a request for a Region the account has not enabled cannot be used at all."
        "<br><b>Alert Criteria</b><br>Yellow: A limit increase request is still open.<br>"
        "Red: A limit increase is requested for a Region that is not enabled in the account."
    ),
    metadata=("Region", "Limit Type", "Requested Value", "Case ID", "Region Status"),
)
def limit_increase_requests(account: Account, now: datetime) -> Outcome:
    requests = list(
        visible_cases(account, now).filter(case_type=CaseType.SERVICE_LIMIT_INCREASE, status__in=OPEN_STATUSES)
    )
    findings = []
    for case in requests:
        region = case.extra_details.get("region", "")
        enabled = _region_enabled(account, region)
        metadata = (
            region or "N/A",
            case.category.name,
            str(case.extra_details.get("new_limit_value", "N/A")),
            str(case.display_id),
            "Enabled" if enabled else "Not enabled",
        )
        status = CheckStatus.WARNING if enabled else CheckStatus.ERROR
        findings.append(Finding(case.case_id, status, metadata, region=region if enabled else ""))
    return Outcome(processed=len(requests), findings=tuple(findings))


@check(
    id="12Fnkpl8Y5",
    name="Exposed Access Keys",
    category=Category.SECURITY,
    automatic=True,
    description=(
        "Checks whether any of the account's access key IDs appears in support case correspondence, where people "
        "outside the account have seen it. Rotate an exposed key at once.<br><b>Alert Criteria</b><br>"
        "Red: An active access key was exposed.<br>Yellow: An inactive access key was exposed."
    ),
    metadata=("Access Key ID", "User Name (IAM or Root)", "Fraud Type", "Case ID", "Time Updated", "Location"),
)
def exposed_access_keys(account: Account, now: datetime) -> Outcome:
    keys = {key.access_key_id: key for key in AccessKey.objects.filter(account=account).select_related("user")}
    mentions = Communication.objects.filter(
        case__in=visible_cases(account, now), body__contains=ACCESS_KEY_PREFIX
    ).select_related("case")
    exposed = {}
    for communication in mentions.order_by("time_created"):
        for key_id in keys:
            if key_id in communication.body:
                exposed.setdefault(key_id, communication)
    findings = tuple(
        Finding(
            key_id,
            CheckStatus.ERROR if keys[key_id].is_active else CheckStatus.WARNING,
            (
                key_id,
                keys[key_id].user.name if keys[key_id].user else "root",
                "Exposed",
                str(communication.case.display_id),
                timestamp(communication.time_created),
                f"AWS Support case {communication.case.display_id}",
            ),
        )
        for key_id, communication in exposed.items()
    )
    return Outcome(processed=len(keys), findings=findings)
