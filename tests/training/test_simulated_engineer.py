from datetime import timedelta

import pytest
from django.utils import timezone

from cases import engineering, jobs, services
from cases.models import AuthorKind, Case, CaseStatus, CaseTransition, Communication
from iam.principals import Principal
from training.models import TrainingProfile
from training.services.engineer import confirms, run_simulated_engineer

pytestmark = pytest.mark.django_db

DETAILED = (
    "Since the kernel update this morning our web server instance fails its status checks and nobody can reach "
    "the shop. We rebooted twice without success. The instance is in us-east-1 and serves all our customer traffic, "
    "so every minute counts for us."
)


@pytest.fixture
def trained_account(account):
    TrainingProfile.objects.create(account=account, time_speed_factor=60)
    return account


def open_case(account, *, body=DETAILED, severity="urgent", now=None, **fields):
    return services.create_case(
        Principal(account=account),
        subject=fields.pop("subject", "Web shop down"),
        communication_body=body,
        service_code=fields.pop("service_code", "amazon-elastic-compute-cloud-linux"),
        category_code=fields.pop("category_code", "instance-issue"),
        severity_code=severity,
        now=now,
        **fields,
    )


def first_reply(account, **fields):
    """Open a case and let the engineer pick it up and answer it (an urgent case's reply is due after 30 s at speed 60)."""
    opened = timezone.now()
    case = open_case(account, now=opened, **fields)
    run_simulated_engineer(now=opened + timedelta(seconds=16))
    run_simulated_engineer(now=opened + timedelta(seconds=31))
    return case, opened


def amazon_replies(case):
    return list(Communication.objects.filter(case=case, author_kind=AuthorKind.AMAZON).order_by("time_created"))


def test_a_new_case_is_picked_up_within_the_scaled_delay(trained_account):
    opened = timezone.now()
    case = open_case(trained_account, now=opened)

    # 15 minutes of simulated pick-up delay at speed 60 is 15 seconds.
    assert run_simulated_engineer(now=opened + timedelta(seconds=14)) == 0
    assert run_simulated_engineer(now=opened + timedelta(seconds=16)) == 1

    case.refresh_from_db()
    assert case.status == CaseStatus.WORK_IN_PROGRESS
    assert case.assignee.username == engineering.SIMULATED_ENGINEER_USERNAME
    assert CaseTransition.objects.get(case=case, to_status=CaseStatus.WORK_IN_PROGRESS).actor_kind == AuthorKind.AMAZON


@pytest.mark.parametrize(("severity", "reply_after_seconds"), [("urgent", 30), ("high", 120), ("low", 720)])
def test_the_first_reply_respects_the_severity_target_scaled_by_time_speed(trained_account, severity, reply_after_seconds):
    opened = timezone.now()
    case = open_case(trained_account, severity=severity, now=opened)
    run_simulated_engineer(now=opened + timedelta(seconds=16))

    assert run_simulated_engineer(now=opened + timedelta(seconds=reply_after_seconds - 1)) == 0
    assert run_simulated_engineer(now=opened + timedelta(seconds=reply_after_seconds)) == 1

    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION
    assert case.first_responded_at <= case.first_response_due


def test_a_detailed_case_gets_the_answer_written_for_its_service_and_category(trained_account):
    case, _ = first_reply(trained_account)

    (reply,) = amazon_replies(case)
    assert "instance status check" in reply.body and "confirm" in reply.body
    assert reply.submitted_by == engineering.AMAZON_SIGNATURE


def test_a_thin_case_gets_questions_and_waits_for_the_customer(trained_account):
    case, _ = first_reply(trained_account, body="Site down, help!", service_code="amazon-dynamodb", category_code="throttling")

    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION
    assert "need a little more information" in amazon_replies(case)[0].body


def test_the_engineer_resolves_the_case_once_the_customer_confirms(trained_account):
    root = Principal(account=trained_account)
    case, opened = first_reply(trained_account, body="Site down, help!")

    answered = opened + timedelta(seconds=40)
    services.add_communication_to_case(root, case.case_id, "It is i-0abc, the system log is attached.", now=answered)
    assert run_simulated_engineer(now=answered + timedelta(seconds=16)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION  # an answer, asking to confirm

    confirmed = answered + timedelta(seconds=30)
    services.add_communication_to_case(root, case.case_id, "That fixed it, thanks!", now=confirmed)
    assert run_simulated_engineer(now=confirmed + timedelta(seconds=16)) == 1

    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert "resolving case" in amazon_replies(case)[-1].body


@pytest.mark.parametrize(
    ("message", "expected"),
    [("That fixed it, thanks!", True), ("Works now", True), ("It still does not work", False), ("Here is the log", False)],
)
def test_what_counts_as_a_confirmation(message, expected):
    assert confirms(message) is expected


def test_an_ignored_question_auto_closes_after_ten_days_through_the_support_centers_job(trained_account):
    case, opened = first_reply(trained_account, body="Site down, help!")

    assert jobs.auto_resolve_stale_cases(now=opened + timedelta(days=9)) == 0
    assert jobs.auto_resolve_stale_cases(now=opened + timedelta(days=10, minutes=1)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_staff_take_over_and_the_engineer_stops_touching_the_case(trained_account, django_user_model):
    opened = timezone.now()
    case = open_case(trained_account, now=opened)
    staff = django_user_model.objects.create(username="alice", is_staff=True)
    engineering.assign_to(case, staff, now=opened + timedelta(seconds=1))

    assert run_simulated_engineer(now=opened + timedelta(hours=5)) == 0
    case.refresh_from_db()
    assert case.assignee == staff and amazon_replies(case) == []


def test_staff_can_take_over_a_case_the_engineer_already_works_on(trained_account, django_user_model):
    opened = timezone.now()
    case = open_case(trained_account, now=opened)
    run_simulated_engineer(now=opened + timedelta(seconds=16))
    case.refresh_from_db()
    engineering.assign_to(case, django_user_model.objects.create(username="bob", is_staff=True))

    assert run_simulated_engineer(now=opened + timedelta(hours=5)) == 0
    assert amazon_replies(case) == []


def test_the_engineer_leaves_accounts_without_it_alone(trained_account, other_account):
    TrainingProfile.objects.filter(account=trained_account).update(simulated_engineer=False)
    opened = timezone.now()
    cases = [open_case(trained_account, now=opened), open_case(other_account, now=opened)]

    assert run_simulated_engineer(now=opened + timedelta(days=1)) == 0
    assert {case.status for case in Case.objects.filter(pk__in=[c.pk for c in cases])} == {CaseStatus.UNASSIGNED}


def test_a_sweep_run_twice_moves_each_case_once(trained_account):
    opened = timezone.now()
    case = open_case(trained_account, now=opened)
    later = opened + timedelta(seconds=16)
    assert run_simulated_engineer(now=later) == 1
    assert run_simulated_engineer(now=later) == 0
    assert CaseTransition.objects.filter(case=case, to_status=CaseStatus.WORK_IN_PROGRESS).count() == 1


def test_a_faster_time_speed_takes_effect_for_waiting_cases(trained_account):
    opened = timezone.now()
    case = open_case(trained_account, now=opened)
    assert run_simulated_engineer(now=opened + timedelta(seconds=2)) == 0
    TrainingProfile.objects.filter(account=trained_account).update(time_speed_factor=900)
    assert run_simulated_engineer(now=opened + timedelta(seconds=2)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WORK_IN_PROGRESS


def test_the_most_specific_template_wins(trained_account):
    opened = timezone.now()
    billing = open_case(
        trained_account, service_code="billing", category_code="charges", severity="low",
        subject="Charges", now=opened,
    )
    vpc = open_case(
        trained_account, service_code="amazon-virtual-private-cloud", category_code="connectivity",
        subject="VPC", now=opened,
    )
    run_simulated_engineer(now=opened + timedelta(seconds=16))
    run_simulated_engineer(now=opened + timedelta(hours=1))
    assert "Cost Explorer" in amazon_replies(billing)[0].body  # service template (billing)
    assert "no ongoing Virtual Private Cloud (VPC) issue" in amazon_replies(vpc)[0].body  # case-type template


def test_the_pick_up_delay_is_set_per_account(trained_account):
    TrainingProfile.objects.filter(account=trained_account).update(pickup_delay_minutes=2)
    opened = timezone.now()
    open_case(trained_account, now=opened)
    # Two simulated minutes at speed 60 are two seconds.
    assert run_simulated_engineer(now=opened + timedelta(seconds=1)) == 0
    assert run_simulated_engineer(now=opened + timedelta(seconds=2)) == 1
