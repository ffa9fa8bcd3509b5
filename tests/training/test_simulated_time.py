"""Due times a trainee sees are on the practice account's simulated clock (time speed)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from iam.principals import Principal
from tests.cases.conftest import ec2_case_arguments
from tests.conftest import console_client_for

pytestmark = pytest.mark.django_db


def shown_due(client, case) -> str:
    page = client.get(reverse("cases:detail", args=[case.display_id])).content.decode()
    return page.split('data-testid="first-response-due">', 1)[1].split("<", 1)[0].strip()


@pytest.mark.parametrize(("speed", "severity", "due_after"), [
    (60, "urgent", timedelta(minutes=1)),      # 1 hour at 60x
    (60, "high", timedelta(minutes=4)),        # 4 hours at 60x
    (1, "urgent", timedelta(hours=1)),
])
def test_first_response_due_is_shown_in_simulated_time(practice_account, trainee_client, speed, severity, due_after):
    profile = practice_account.training_profile
    profile.time_speed_factor = speed
    profile.save()
    case = case_services.create_case(Principal(account=practice_account), **ec2_case_arguments(severity_code=severity))
    expected = timezone.localtime(case.time_created + due_after)
    assert shown_due(trainee_client, case) == expected.strftime("%Y-%m-%d %H:%M:%S UTC")


def test_accounts_without_training_settings_keep_real_time(account):
    case = case_services.create_case(Principal(account=account), **ec2_case_arguments(severity_code="urgent"))
    client = console_client_for(Principal(account=account))
    assert shown_due(client, case) == timezone.localtime(case.first_response_due).strftime("%Y-%m-%d %H:%M:%S UTC")
