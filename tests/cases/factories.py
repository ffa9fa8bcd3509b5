"""Case factories; the catalog itself comes from the data migration."""

from datetime import timedelta

import factory
from django.utils import timezone

from cases.models import Case, CaseStatus, Category, Communication, SeverityLevel
from tests.factories import AccountFactory


def category(service_code="amazon-elastic-compute-cloud-linux", code="instance-issue") -> Category:
    return Category.objects.select_related("service").get(service__code=service_code, code=code)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    account = factory.SubFactory(AccountFactory)
    case_id = factory.Sequence(lambda n: f"case-000000000000-test-2026-{n:016x}")
    display_id = factory.Sequence(lambda n: 5_000_000_000 + n)
    subject = factory.Sequence(lambda n: f"Case subject {n}")
    category = factory.LazyFunction(category)
    service = factory.LazyAttribute(lambda case: case.category.service)
    case_type = factory.LazyAttribute(lambda case: case.service.case_type)
    severity = factory.LazyFunction(lambda: SeverityLevel.objects.get(code="normal"))
    status = CaseStatus.UNASSIGNED
    submitted_by = factory.LazyAttribute(lambda case: case.account.root_email)
    time_created = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyAttribute(lambda case: case.time_created)
    first_response_due = factory.LazyAttribute(lambda case: case.time_created + timedelta(hours=12))


class CommunicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Communication

    case = factory.SubFactory(CaseFactory)
    body = "Some details."
    author_kind = "customer"
    submitted_by = factory.LazyAttribute(lambda communication: communication.case.submitted_by)
    time_created = factory.LazyFunction(timezone.now)
