"""Each exercise's check, failing then passing on a practice account's real state, changed through the apps' services."""

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from accounts.models import AlternateContactType, RegionOptIn
from accounts.regions import ENABLED
from accounts.services import delete_alternate_contact, put_alternate_contact
from accounts.services.regions import disable_region, enable_region, settle_region
from cases import services as cases
from iam.models import IAMUser, Policy
from iam.principals import Principal
from iam.services import attach_policy, create_customer_managed_policy, create_user
from iam.services.mfa import create_virtual_mfa_device, enable_mfa_device, seed_of
from iam.services.passwords import delete_console_password, update_password_policy
from tests.factories import allow, deny, policy_document
from training.exercises import CATALOGUE, find_exercise
from training.models import ExerciseCompletion
from training.services.exercises import check_exercise, check_open_exercises
from training.services.practice import open_practice_account

pytestmark = pytest.mark.django_db

ISSUE_EXAMPLES = {
    "Create a technical case at the right severity for a production outage",
    "Give a user support access without the right to resolve cases",
    "Enable MFA on the root user",
    "Add a security alternate contact",
    "Enable an opt-in Region",
    "Fix the Trusted Advisor security findings",
    "Change the root user email address",
    "Recover the root user with the security questions",
    "Request a service limit increase",
    "Use the AWS CLI with an access key",
    "Give a role to an external auditor with an external ID",
    "Refresh and exclude a Trusted Advisor finding",
    "Use chat on a production-down case at the right severity",
    "Find who deleted a user in the event history",
}


def passes(profile, key: str) -> bool:
    return not find_exercise(key).check(profile)


def root(profile) -> Principal:
    return Principal(account=profile.account)


def enrol_mfa(account, user=None) -> None:
    device = create_virtual_mfa_device(account, user)
    app, now = pyotp.TOTP(seed_of(device)), timezone.now()
    enable_mfa_device(device, app.at(now - timedelta(seconds=60)), app.at(now - timedelta(seconds=30)), now=now)


def open_technical_case(profile, severity: str, case_type_service=("amazon-elastic-compute-cloud-linux", "instance-issue")):
    service, category = case_type_service
    return cases.create_case(
        root(profile),
        subject="Web shop down",
        communication_body="Customers cannot place orders.",
        service_code=service,
        category_code=category,
        severity_code=severity,
    )


def test_the_catalogue_has_the_issue_examples_each_with_instructions_and_hints():
    assert {exercise.title for exercise in CATALOGUE} == ISSUE_EXAMPLES
    for exercise in CATALOGUE:
        assert exercise.goal and len(exercise.steps) >= 2 and exercise.hints
        assert find_exercise(exercise.key) is exercise


def test_a_fresh_practice_account_passes_no_check(profile):
    """Everything the seed already contains (the support agent, Milan, two contacts) is not the trainee's work."""
    assert [exercise.key for exercise in CATALOGUE if not exercise.check(profile)] == []


def test_production_outage_needs_a_technical_case_at_production_system_down(profile):
    open_technical_case(profile, "high")
    cases.create_case(
        root(profile), subject="Outage bill", communication_body="Charges", service_code="billing",
        category_code="charges", severity_code="low",
    )
    assert not passes(profile, "production-outage-case")

    open_technical_case(profile, "urgent")
    assert passes(profile, "production-outage-case")


def test_production_outage_still_counts_after_the_case_is_resolved(profile):
    case = open_technical_case(profile, "urgent")
    cases.resolve_case(root(profile), case.case_id)
    assert passes(profile, "production-outage-case")


def test_root_mfa_needs_an_enabled_device_on_the_root_user(profile):
    create_virtual_mfa_device(profile.account)  # started, never finished
    enrol_mfa(profile.account, IAMUser.objects.get(account=profile.account, name="admin"))
    assert not passes(profile, "root-mfa")

    enrol_mfa(profile.account)
    assert passes(profile, "root-mfa")


def test_security_contact_needs_the_security_alternate_contact(profile):
    put_alternate_contact(root(profile), AlternateContactType.BILLING, "Bea", "CFO", "bea@example.com", "+1 206-555-0199")
    assert not passes(profile, "security-contact")

    put_alternate_contact(root(profile), AlternateContactType.SECURITY, "Sam", "CISO", "sec@example.com", "+1 206-555-0111")
    assert passes(profile, "security-contact")


def test_opt_in_region_counts_once_a_region_is_enabled_not_while_enabling(profile):
    assert RegionOptIn.objects.get(account=profile.account, region_name="eu-south-1").status == ENABLED
    enable_region(root(profile), "ap-east-1")
    assert not passes(profile, "opt-in-region")

    opt_in = RegionOptIn.objects.get(account=profile.account, region_name="ap-east-1")
    settle_region(opt_in.pk, opt_in.status)
    assert passes(profile, "opt-in-region")


def test_opt_in_region_does_not_count_disabling_the_seeded_one(profile):
    opt_in = RegionOptIn.objects.get(account=profile.account, region_name="eu-south-1")
    disable_region(root(profile), "eu-south-1")
    opt_in.refresh_from_db()
    settle_region(opt_in.pk, opt_in.status)
    assert not passes(profile, "opt-in-region")


def test_support_access_needs_a_new_user_who_can_answer_cases_but_not_resolve_them(profile):
    account = profile.account
    full_support = create_user(account, "can-resolve")
    attach_policy(full_support, Policy.objects.get(account=None, name="AWSSupportAccess"))
    read_only = create_user(account, "reads-cases")
    attach_policy(read_only, create_customer_managed_policy(account, "ReadCases", policy_document(allow("support:DescribeCases"))))
    assert not passes(profile, "support-without-resolve")

    agent = create_user(account, "junior-agent")
    document = policy_document(allow("support:*"), deny("support:ResolveCase"))
    attach_policy(agent, create_customer_managed_policy(account, "SupportNoResolve", document))
    assert passes(profile, "support-without-resolve")


def test_advisor_security_needs_every_security_finding_fixed_at_its_source(profile):
    account = profile.account
    enrol_mfa(account)
    update_password_policy(account, require_uppercase=True, require_lowercase=True, require_numbers=True, require_symbols=True)
    for user in IAMUser.objects.filter(account=account).exclude(name="admin"):
        if user.has_console_password:
            delete_console_password(user)
    assert not passes(profile, "advisor-security")  # admin still signs in without MFA, Milan is unused

    enrol_mfa(account, IAMUser.objects.get(account=account, name="admin"))
    assert not passes(profile, "advisor-security")  # Milan

    disable_region(root(profile), "eu-south-1")
    opt_in = RegionOptIn.objects.get(account=account, region_name="eu-south-1")
    settle_region(opt_in.pk, opt_in.status)
    assert passes(profile, "advisor-security")

    update_password_policy(account, require_uppercase=True)  # the other requirements off again
    assert not passes(profile, "advisor-security")


def test_advisor_security_on_basic_support_looks_only_at_the_checks_the_plan_includes(db):
    account = open_practice_account(email="basic@example.com", password="Str0ng!Pass", support_plan="basic")
    profile = account.training_profile
    enrol_mfa(account)
    assert not passes(profile, "advisor-security")  # the password policy is a core check
    update_password_policy(account, require_uppercase=True, require_lowercase=True, require_numbers=True, require_symbols=True)
    # Users without MFA and the unused Region are Business checks: Basic support does not see them.
    assert passes(profile, "advisor-security")


def test_a_passing_check_is_recorded_once_and_done_stays_done(profile):
    exercise = find_exercise("security-contact")
    assert check_exercise(profile, exercise)[0] is None
    put_alternate_contact(root(profile), AlternateContactType.SECURITY, "Sam", "CISO", "sec@example.com", "+1 206-555-0111")

    first, unmet = check_exercise(profile, exercise)
    assert first is not None and unmet == []
    assert check_exercise(profile, exercise) == (first, [])
    delete_alternate_contact(root(profile), AlternateContactType.SECURITY)
    assert check_exercise(profile, exercise) == (first, [])
    assert set(check_open_exercises(profile)) == {"security-contact"}
    assert ExerciseCompletion.objects.filter(profile=profile).count() == 1
