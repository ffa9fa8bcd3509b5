"""Every list of the staff site costs the same queries with one row or many (the case queue has its own test in
tests/cases/test_staff.py; cohorts are listed on the instructor page, tests/training/test_instructor_tools.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Category, CaseType, Service, SeverityLevel
from inbox.models import Message
from tests.factories import AccountFactory
from training.models import Cohort, ReplyPurpose, ReplyTemplate, TrainingProfile

pytestmark = pytest.mark.django_db


def _accounts(count):
    AccountFactory.create_batch(count)


def _messages(count):
    for account in AccountFactory.create_batch(count):
        Message.objects.create(account=account, sender="a@example.com", to=[account.root_email], subject="Hello")


def _training_profiles(count):
    for account in AccountFactory.create_batch(count):
        cohort = Cohort.objects.create(name=f"Cohort {account.account_id}")
        TrainingProfile.objects.create(account=account, is_practice=True, cohort=cohort)


def _services(count):
    for number in range(count):
        service = Service.objects.create(code=f"listed-{Service.objects.count()}", name=f"Listed {number}")
        Category.objects.create(service=service, code="general", name="General")


def _reply_templates(count):
    _services(count)
    for category in Category.objects.filter(service__code__startswith="listed-"):
        ReplyTemplate.objects.create(purpose=ReplyPurpose.ANSWER, case_type=CaseType.TECHNICAL,
                                     service=category.service, category=category, body="Hello")


def _severity_levels(count):
    top = max(SeverityLevel.objects.values_list("rank", flat=True), default=0)
    for rank in range(top + 1, top + 1 + count):
        SeverityLevel.objects.create(code=f"level-{rank}", name=f"Level {rank}", first_response_minutes=60, rank=rank)


@pytest.mark.parametrize("path, grow", [
    ("/staff/accounts/account/", _accounts),
    ("/staff/inbox/message/", _messages),
    ("/staff/training/trainingprofile/", _training_profiles),
    ("/staff/training/replytemplate/", _reply_templates),
    ("/staff/cases/service/", _services),
    ("/staff/cases/severitylevel/", _severity_levels),
])
def test_a_staff_list_costs_the_same_queries_for_one_row_or_many(client, django_user_model, path, grow):
    client.force_login(django_user_model.objects.create(username="boss", is_staff=True, is_superuser=True))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    grow(1)
    one = queries()
    grow(6)
    assert queries() == one
