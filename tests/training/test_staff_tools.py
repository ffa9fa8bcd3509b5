"""What staff control of the simulated engineer: its reply library, taking over its cases, and its beat jobs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import CaseStatus, Service
from training.models import ReplyPurpose, ReplyTemplate, TrainingProfile
from training.services.engineer import run_simulated_engineer

from .test_simulated_engineer import amazon_replies, first_reply, open_case

pytestmark = pytest.mark.django_db

LIBRARY = "/staff/training/replytemplate/"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="sam", is_staff=True, is_superuser=True))
    return client


def test_staff_edit_a_reply_in_the_library_and_the_engineer_uses_it(staff_client, account):
    TrainingProfile.objects.create(account=account)
    template = ReplyTemplate.objects.get(purpose=ReplyPurpose.ANSWER, category__code="instance-issue")
    assert staff_client.get(LIBRARY).status_code == 200

    response = staff_client.post(
        f"{LIBRARY}{template.pk}/change/",
        {
            "purpose": ReplyPurpose.ANSWER,
            "case_type": "technical",
            "service": template.service_id,
            "category": template.category_id,
            "body": "Edited by staff: {subject} ({severity}).",
        },
    )

    assert response.status_code == 302
    case, _ = first_reply(account)
    assert amazon_replies(case)[0].body == "Edited by staff: Web shop down (Production system down)."


def test_a_reply_with_an_unknown_placeholder_or_a_mismatched_scope_is_refused(staff_client):
    s3 = Service.objects.get(code="amazon-simple-storage-service")
    response = staff_client.post(
        f"{LIBRARY}add/",
        {"purpose": ReplyPurpose.ASK_FOR_INFORMATION, "case_type": "account-and-billing", "service": s3.pk, "body": "Hi {name}"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "This service takes another case type." in errors["service"]
    assert "Unknown or broken placeholder" in errors["body"][0]
    assert not ReplyTemplate.objects.filter(body="Hi {name}").exists()


def test_staff_take_over_a_case_from_the_staff_site_and_the_engineer_stops(staff_client, account):
    TrainingProfile.objects.create(account=account)
    opened = timezone.now()
    case = open_case(account, now=opened)
    run_simulated_engineer(now=opened + timedelta(seconds=16))
    case.refresh_from_db()
    assert case.status == CaseStatus.WORK_IN_PROGRESS

    assert staff_client.post(f"/staff/cases/case/{case.pk}/change/", {"action": "assign"}).status_code == 302

    case.refresh_from_db()
    assert case.assignee.username == "sam"
    assert run_simulated_engineer(now=opened + timedelta(days=1)) == 0
    assert amazon_replies(case) == []


def test_the_engineer_and_the_idle_cleanup_run_on_the_beat_schedule():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["training.tasks.run_simulated_engineer"] <= timedelta(minutes=1)
    assert tasks["training.tasks.remove_idle_practice_accounts"] <= timedelta(days=1)
