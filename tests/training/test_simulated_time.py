"""Due times, ages and countdowns a trainee sees are on the practice account's simulated clock (time speed)."""

import html
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from iam.principals import Principal
from tests.cases.conftest import ec2_case_arguments
from tests.conftest import console_client_for

pytestmark = pytest.mark.django_db


def shown(page: str, testid: str) -> str:
    return html.unescape(page.split(f'data-testid="{testid}">', 1)[1].split("<", 1)[0]).replace("\xa0", " ").strip()


def shown_due(client, case) -> str:
    return shown(client.get(reverse("cases:detail", args=[case.display_id])).content.decode(), "first-response-due")


def set_speed(account, speed: int) -> None:
    profile = account.training_profile
    profile.time_speed_factor = speed
    profile.save()


def case_opened_ago(account, real_age: timedelta, severity: str = "high"):
    """A case whose clock started `real_age` of wall-clock time ago (its due time moved along with it)."""
    case = case_services.create_case(Principal(account=account), **ec2_case_arguments(severity_code=severity))
    shift = case.time_created - (timezone.now() - real_age)
    case.time_created -= shift
    case.first_response_due -= shift
    case.save(update_fields=["time_created", "first_response_due"])
    return case


@pytest.fixture
def frozen_now():
    """Pages compute ages against this one moment, so the figures shown are exact."""
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield now


@pytest.mark.parametrize(("speed", "severity", "due_after"), [
    (60, "urgent", timedelta(minutes=1)),      # 1 hour at 60x
    (60, "high", timedelta(minutes=4)),        # 4 hours at 60x
    (1, "urgent", timedelta(hours=1)),
])
def test_first_response_due_is_shown_in_simulated_time(practice_account, trainee_client, speed, severity, due_after):
    set_speed(practice_account, speed)
    case = case_services.create_case(Principal(account=practice_account), **ec2_case_arguments(severity_code=severity))
    expected = timezone.localtime(case.time_created + due_after)
    assert shown_due(trainee_client, case) == expected.strftime("%Y-%m-%d %H:%M:%S UTC")


def test_accounts_without_training_settings_keep_real_time(account):
    case = case_services.create_case(Principal(account=account), **ec2_case_arguments(severity_code="urgent"))
    client = console_client_for(Principal(account=account))
    assert shown_due(client, case) == timezone.localtime(case.first_response_due).strftime("%Y-%m-%d %H:%M:%S UTC")


def test_case_ages_and_countdowns_are_in_simulated_time(practice_account, trainee_client, frozen_now):
    set_speed(practice_account, 60)
    case = case_opened_ago(practice_account, timedelta(minutes=1), severity="high")  # 4 hours: due 4 real minutes in
    detail = trainee_client.get(reverse("cases:detail", args=[case.display_id])).content.decode()
    assert shown(detail, "case-age") == "(1 hour ago)"
    assert shown(detail, "first-response-countdown") == "(in 3 hours, simulated time, 60× faster)"
    assert shown(trainee_client.get(reverse("cases:home")).content.decode(), "case-age") == "1 hour ago"

    late = case_opened_ago(practice_account, timedelta(minutes=5), severity="high")
    detail = trainee_client.get(reverse("cases:detail", args=[late.display_id])).content.decode()
    assert shown(detail, "first-response-countdown").startswith("(1 hour ago")

    set_speed(practice_account, 1)
    detail = trainee_client.get(reverse("cases:detail", args=[case.display_id])).content.decode()
    assert shown(detail, "case-age") == "(1 minute ago)"
    assert shown(detail, "first-response-countdown") == "(in 3 hours, 59 minutes)"


def test_create_case_form_gives_each_target_in_real_time(practice_account, trainee_client):
    set_speed(practice_account, 60)
    page = trainee_client.get(reverse("cases:create")).content.decode()
    targets = shown(page, "simulated-targets")
    assert "60× time speed" in targets
    assert "1 minute (Production system down)" in targets and "4 minutes (Production system impaired)" in targets
    assert "24 minutes (General guidance)" in targets

    set_speed(practice_account, 1)
    assert 'data-testid="simulated-targets"' not in trainee_client.get(reverse("cases:create")).content.decode()
