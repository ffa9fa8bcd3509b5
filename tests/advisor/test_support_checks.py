"""Checks computed from Support Center cases flag and clear as the cases change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import SupportPlan
from accounts.services import enable_region
from advisor.checks import CATALOGUE
from cases import engineering
from cases.models import Case
from cases.services import add_communication_to_case, create_case, resolve_case
from iam.services import create_access_key, delete_access_key, update_access_key_status

pytestmark = pytest.mark.django_db

PAST_TARGET, AWAITING_REPLY, PLAN_FIT, LIMIT_REQUESTS, EXPOSED = "CaSeRsPt01", "CaSeRpLy01", "SuPlnFit01", "SlReqRgn01", "12Fnkpl8Y5"


def open_case(root, *, severity="low", service="general-info", category="using-aws", body="Help please.", **extra):
    return create_case(
        root, subject="Something is wrong", communication_body=body, service_code=service, category_code=category,
        severity_code=severity, **extra,
    )


def test_open_case_past_its_first_response_target(account, root, flagged):
    case = open_case(root, severity="urgent")
    assert flagged(account, PAST_TARGET) == {}
    later = timezone.now() + timedelta(hours=2)
    assert flagged(account, PAST_TARGET, later) == {case.case_id: "error"}
    engineering.reply(case, engineering.simulated_engineer(), "Looking into it.")
    assert flagged(account, PAST_TARGET, later) == {}


def test_case_awaiting_reply_before_it_resolves_itself(account, root, flagged):
    case = open_case(root)
    engineering.reply(case, engineering.simulated_engineer(), "Can you send the logs?")
    assert flagged(account, AWAITING_REPLY) == {}
    Case.objects.filter(pk=case.pk).update(status_changed_at=timezone.now() - timedelta(days=8))
    assert flagged(account, AWAITING_REPLY) == {case.case_id: "warning"}
    add_communication_to_case(root, case.case_id, communication_body="Here they are.")
    assert flagged(account, AWAITING_REPLY) == {}


def test_support_plan_fit_recommends_a_cheaper_plan_with_savings(account, root):
    outcome = CATALOGUE[PLAN_FIT].compute(account, timezone.now())
    assert [f.metadata[:2] for f in outcome.findings] == [("Business", "Developer")]
    assert outcome.estimated_monthly_savings == Decimal("71")
    assert outcome.estimated_percent_monthly_savings == Decimal("71.00")
    open_case(root)
    assert CATALOGUE[PLAN_FIT].compute(account, timezone.now()).findings == ()


def test_enterprise_without_business_critical_cases(account, root, flagged):
    account.support_plan = SupportPlan.ENTERPRISE
    account.save()
    assert flagged(account, PLAN_FIT) == {account.account_id: "warning"}
    open_case(root, severity="critical")
    assert flagged(account, PLAN_FIT) == {}


def test_limit_increase_requests_for_enabled_and_disabled_regions(account, root, flagged, django_capture_on_commit_callbacks):
    limits = {"service": "service-limit-increase", "category": "ec2-instances"}
    usable = open_case(root, **limits, extra_details={"region": "us-east-1", "new_limit_value": 64})
    unusable = open_case(root, **limits, extra_details={"region": "eu-south-1", "new_limit_value": 10})
    assert flagged(account, LIMIT_REQUESTS) == {usable.case_id: "warning", unusable.case_id: "error"}
    with django_capture_on_commit_callbacks(execute=True):  # the opt-in settles on the (in-process) worker
        enable_region(root, "eu-south-1")
    assert flagged(account, LIMIT_REQUESTS) == {usable.case_id: "warning", unusable.case_id: "warning"}
    resolve_case(root, usable.case_id)
    resolve_case(root, unusable.case_id)
    assert flagged(account, LIMIT_REQUESTS) == {}


def test_access_key_pasted_into_a_case_is_exposed(account, root, flagged):
    key, _ = create_access_key(account)
    other, _ = create_access_key(account)
    open_case(root, body=f"My scripts fail with key {key.access_key_id}, what is wrong?")
    assert flagged(account, EXPOSED) == {key.access_key_id: "error"}
    update_access_key_status(key, "Inactive")
    assert flagged(account, EXPOSED) == {key.access_key_id: "warning"}
    delete_access_key(key)
    assert flagged(account, EXPOSED) == {}
