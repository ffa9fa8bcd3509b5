"""Support plans gate the case form and the services alike (support-getting-started.md, "Case Management")."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import ContactInformation, SupportPlan
from cases import plans, services
from cases.exceptions import CaseValidationError
from cases.models import CaseType, SeverityLevel
from iam.principals import Principal
from tests.factories import AccountFactory

from .conftest import ec2_case_arguments

pytestmark = pytest.mark.django_db

ALLOWED_SEVERITIES = {
    SupportPlan.BASIC: {"low", "normal"},
    SupportPlan.DEVELOPER: {"low", "normal"},
    SupportPlan.BUSINESS: {"low", "normal", "high", "urgent"},
    SupportPlan.ENTERPRISE: {"low", "normal", "high", "urgent", "critical"},
}
CASE_OF_TYPE = {
    CaseType.TECHNICAL: ("amazon-elastic-compute-cloud-linux", "instance-issue"),
    CaseType.ACCOUNT_AND_BILLING: ("billing", "charges"),
    CaseType.SERVICE_LIMIT_INCREASE: ("service-limit-increase", "ec2-instances"),
}
SEVERITIES = ["low", "normal", "high", "urgent", "critical"]


@pytest.mark.parametrize("plan", SupportPlan.values)
@pytest.mark.parametrize("case_type", CaseType.values)
@pytest.mark.parametrize("severity", SEVERITIES)
def test_every_plan_case_type_and_severity(plan, case_type, severity):
    account = AccountFactory(support_plan=plan)
    service_code, category_code = CASE_OF_TYPE[case_type]
    type_allowed = not (plan == SupportPlan.BASIC and case_type == CaseType.TECHNICAL)
    allowed = type_allowed and severity in ALLOWED_SEVERITIES[plan]
    create = lambda: services.create_case(  # noqa: E731
        Principal(account=account),
        **ec2_case_arguments(service_code=service_code, category_code=category_code, severity_code=severity),
    )
    if allowed:
        assert create().case_type == case_type
    else:
        with pytest.raises(CaseValidationError) as refused:
            create()
        assert refused.value.field == ("severity" if type_allowed else "case_type")
        assert account.get_support_plan_display() in refused.value.message


@pytest.mark.parametrize(
    "plan, method, allowed",
    [
        (SupportPlan.BASIC, "web", True), (SupportPlan.BASIC, "chat", False), (SupportPlan.BASIC, "phone", False),
        (SupportPlan.DEVELOPER, "web", True), (SupportPlan.DEVELOPER, "chat", False), (SupportPlan.DEVELOPER, "phone", False),
        (SupportPlan.BUSINESS, "chat", True), (SupportPlan.BUSINESS, "phone", True),
        (SupportPlan.ENTERPRISE, "chat", True), (SupportPlan.ENTERPRISE, "phone", True),
    ],
)
def test_contact_methods_follow_the_plan(plan, method, allowed):
    account = AccountFactory(support_plan=plan)
    check = lambda: plans.check_case_options(  # noqa: E731
        account, case_type=CaseType.ACCOUNT_AND_BILLING, severity_code="low", contact_method=method,
        callback_number="+1 206 555 0100", has_cc=False,
    )
    if allowed:
        check()
    else:
        with pytest.raises(CaseValidationError, match="offers contact by web only"):
            check()


def test_phone_needs_a_callback_number():
    account = AccountFactory(support_plan=SupportPlan.BUSINESS)
    with pytest.raises(CaseValidationError) as refused:
        plans.check_case_options(
            account, case_type=CaseType.TECHNICAL, severity_code="low", contact_method="phone", callback_number=" ", has_cc=False
        )
    assert refused.value.field == "callback_number"


@pytest.mark.parametrize("plan, allowed", [(SupportPlan.BASIC, False), (SupportPlan.DEVELOPER, True), (SupportPlan.BUSINESS, True)])
def test_only_paid_plans_have_additional_contacts(plan, allowed):
    account = AccountFactory(support_plan=plan)
    create = lambda: services.create_case(  # noqa: E731
        Principal(account=account),
        **ec2_case_arguments(service_code="billing", category_code="charges", cc_email_addresses=["ops@example.com"]),
    )
    if allowed:
        assert create().cc_email_addresses == ["ops@example.com"]
    else:
        with pytest.raises(CaseValidationError, match="does not include additional contacts"):
            create()


def _severity(code):
    return SeverityLevel.objects.get(code=code)


@pytest.mark.parametrize("code, minutes", [("low", 24 * 60), ("normal", 12 * 60), ("high", 240), ("urgent", 60), ("critical", 15)])
def test_business_and_enterprise_targets_run_around_the_clock(code, minutes):
    account = AccountFactory(support_plan=SupportPlan.ENTERPRISE)
    created = datetime(2026, 11, 21, 23, 0, tzinfo=ZoneInfo("UTC"))  # a Saturday night
    assert plans.first_response_due(account, _severity(code), created) == created + timedelta(minutes=minutes)


def test_developer_targets_count_business_hours_in_the_contact_country():
    account = AccountFactory(support_plan=SupportPlan.DEVELOPER)
    ContactInformation.objects.create(
        account=account, full_name="Ken", address_line_1="1-1", city="Tokyo", postal_code="100-0001",
        country_code="JP", phone_number="+81 3 0000 0000",
    )
    tokyo = ZoneInfo("Asia/Tokyo")
    # Friday 16:00 in Tokyo + 12 business hours: 2 h on Friday, then all 10 h of Monday.
    created = datetime(2026, 11, 20, 16, 0, tzinfo=tokyo)
    due = plans.first_response_due(account, _severity("normal"), created)
    assert due == datetime(2026, 11, 23, 18, 0, tzinfo=tokyo)


def test_developer_case_opened_at_night_starts_counting_next_morning():
    account = AccountFactory(support_plan=SupportPlan.DEVELOPER)  # no contact information: New York hours
    new_york = ZoneInfo("America/New_York")
    created = datetime(2026, 11, 23, 22, 30, tzinfo=new_york)  # Monday night
    due = plans.first_response_due(account, _severity("low"), created)
    assert due == datetime(2026, 11, 26, 12, 0, tzinfo=new_york)  # 10 h Tuesday, 10 h Wednesday, 4 h Thursday


def test_japanese_support_opens_at_nine():
    account = AccountFactory(support_plan=SupportPlan.DEVELOPER)
    new_york = ZoneInfo("America/New_York")
    created = datetime(2026, 11, 24, 7, 0, tzinfo=new_york)  # Tuesday, before opening
    in_english = plans.first_response_due(account, _severity("normal"), created)
    assert in_english == datetime(2026, 11, 25, 10, 0, tzinfo=new_york)  # 10 h Tuesday (08-18), 2 h Wednesday
    in_japanese = plans.first_response_due(account, _severity("normal"), created, language="ja")
    assert in_japanese == datetime(2026, 11, 25, 12, 0, tzinfo=new_york)  # 9 h Tuesday (09-18), 3 h Wednesday
