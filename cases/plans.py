"""What each support plan allows, and when the first response is due. The form and the services ask here.

From the seeds (support-getting-started.md, "Case Management" and "Choosing a Severity"):
Basic has account-and-billing and service-limit-increase cases only, web only, no CC box;
Developer adds technical cases at General guidance / System impaired, web only, with targets
in business hours; Business adds Production system impaired / down plus chat and phone;
Enterprise adds Business-critical system down.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from accounts.countries import business_timezone
from accounts.models import Account, SupportPlan

from .exceptions import CaseValidationError
from .models import CaseType, ContactMethod, SeverityLevel
from .validation import check_phone_number

BUSINESS_DAY_START = time(8, 0)
BUSINESS_DAY_END = time(18, 0)
# "Note that Japanese support is available from 9:00 AM to 6:00 PM."
BUSINESS_DAY_START_BY_LANGUAGE = {"ja": time(9, 0)}

_ALL_CASE_TYPES = frozenset(CaseType)
_CUSTOMER_SERVICE_ONLY = frozenset({CaseType.ACCOUNT_AND_BILLING, CaseType.SERVICE_LIMIT_INCREASE})
_WEB_ONLY = frozenset({ContactMethod.WEB})


@dataclass(frozen=True)
class PlanRules:
    case_types: frozenset[str]
    severities: frozenset[str]
    contact_methods: frozenset[str]
    allows_cc: bool
    # Developer (and Basic) targets count only business hours in the contact country.
    business_hours_only: bool


PLAN_RULES: dict[str, PlanRules] = {
    SupportPlan.BASIC: PlanRules(_CUSTOMER_SERVICE_ONLY, frozenset({"low", "normal"}), _WEB_ONLY, False, True),
    SupportPlan.DEVELOPER: PlanRules(_ALL_CASE_TYPES, frozenset({"low", "normal"}), _WEB_ONLY, True, True),
    SupportPlan.BUSINESS: PlanRules(
        _ALL_CASE_TYPES, frozenset({"low", "normal", "high", "urgent"}), frozenset(ContactMethod), True, False
    ),
    SupportPlan.ENTERPRISE: PlanRules(
        _ALL_CASE_TYPES, frozenset({"low", "normal", "high", "urgent", "critical"}), frozenset(ContactMethod), True, False
    ),
}


def rules_for(account: Account) -> PlanRules:
    return PLAN_RULES[account.support_plan]


# "Customers with a Business or Enterprise support plan can also access AWS Support and Trusted
# Advisor operations programmatically by using the AWS Support API." (support-getting-started.md)
PLANS_WITH_API = frozenset({SupportPlan.BUSINESS, SupportPlan.ENTERPRISE})


def has_support_api(account: Account) -> bool:
    return account.support_plan in PLANS_WITH_API


def check_case_options(
    account: Account, *, case_type: str, severity_code: str, contact_method: str, callback_number: str, has_cc: bool
) -> None:
    """Raise CaseValidationError (naming the field) for the first choice the account's plan does not allow."""
    rules = rules_for(account)
    plan = account.get_support_plan_display()
    if case_type not in rules.case_types:
        raise CaseValidationError(
            f"The {plan} support plan does not include {CaseType(case_type).label.lower()} cases. "
            "Upgrade your support plan to open one.",
            field="case_type",
        )
    if severity_code not in rules.severities:
        raise CaseValidationError(f"The {plan} support plan does not offer this severity.", field="severity")
    if contact_method not in rules.contact_methods:
        raise CaseValidationError(
            f"The {plan} support plan offers contact by {', '.join(sorted(rules.contact_methods))} only.",
            field="contact_method",
        )
    if contact_method == ContactMethod.PHONE:
        check_phone_number(callback_number)
    check_additional_contacts(account, has_cc=has_cc)


def check_additional_contacts(account: Account, *, has_cc: bool) -> None:
    if has_cc and not rules_for(account).allows_cc:
        raise CaseValidationError(
            f"The {account.get_support_plan_display()} support plan does not include additional contacts; "
            "the operations alternate contact receives copies of the correspondence instead.",
            field="cc_email_addresses",
        )


def _business_zone(account: Account):
    # An account without contact information falls back to the default business zone.
    contact = getattr(account, "contact_information", None)
    return business_timezone(contact.country_code if contact else None)


def add_business_minutes(start: datetime, minutes: int, zone, opens: time = BUSINESS_DAY_START) -> datetime:
    """`minutes` of weekday time between `opens` and 18:00 in `zone`, counted from `start` (no holidays)."""
    cursor = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    while True:
        day_start = datetime.combine(cursor.date(), opens, zone)
        day_end = datetime.combine(cursor.date(), BUSINESS_DAY_END, zone)
        if cursor.weekday() >= 5 or cursor >= day_end:
            cursor = datetime.combine(cursor.date() + timedelta(days=1), opens, zone)
            continue
        cursor = max(cursor, day_start)
        if cursor + remaining <= day_end:
            return cursor + remaining
        remaining -= day_end - cursor
        cursor = day_end


def first_response_due(account: Account, severity: SeverityLevel, created: datetime, *, language: str = "en") -> datetime:
    if rules_for(account).business_hours_only:
        opens = BUSINESS_DAY_START_BY_LANGUAGE.get(language, BUSINESS_DAY_START)
        return add_business_minutes(created, severity.first_response_minutes, _business_zone(account), opens)
    return created + timedelta(minutes=severity.first_response_minutes)
