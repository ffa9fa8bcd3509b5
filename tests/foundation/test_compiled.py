"""portal.compiled runs the SQL the ORM built once, with each call's values, and gives what the ORM gives."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cases.models import Category, Service
from iam.models import IAMUser
from portal.compiled import Compiled, CompileError
from tests.factories import AccountFactory, IAMUserFactory

pytestmark = pytest.mark.django_db

CATEGORY = Compiled(
    lambda service_code, code: Category.objects.select_related("service").filter(service__code=service_code, code=code),
    "\x00service", "\x00code",
)


def test_instances_are_the_orm_s_with_their_related_rows_and_converted_columns_in_one_query():
    service = Service.objects.create(code="compiled-test", name="Compiled test")
    links = [{"title": "Guide", "url": "https://example.com/ü"}]
    Category.objects.create(service=service, code="first", name="First", help_links=links)
    Category.objects.create(service=service, code="second", name="Second")
    with CaptureQueriesContext(connection) as captured:
        first, second = CATEGORY.first("compiled-test", "first"), CATEGORY.first("compiled-test", "second")
        assert first.service.code == second.service.code == "compiled-test"  # loaded with the row
    assert len(captured) == 2
    expected = Category.objects.get(service=service, code="first")
    assert (first.pk, first.name, first.help_links, first.service_id) == (
        expected.pk, expected.name, links, service.pk)
    assert second.help_links == [] and second._state.adding is False
    assert CATEGORY.first("compiled-test", "third") is None
    assert CATEGORY.first("no-such-service", "first") is None


def test_instances_carry_what_the_queryset_annotates_them_with():
    with_count = Compiled(
        lambda code: Service.objects.filter(code=code).annotate(category_count=Count("categories")), "\x00code")
    service = Service.objects.create(code="annotated", name="Annotated")
    Category.objects.create(service=service, code="one", name="One")
    Category.objects.create(service=service, code="two", name="Two")
    assert with_count.first("annotated").category_count == 2


def test_rows_of_an_aggregate_take_each_call_s_values():
    counts = Compiled(
        lambda account_id, name: IAMUser.objects.filter(account_id=account_id, name__lower=name).values_list("name"),
        -1, "\x00probe",
    )
    account, other = AccountFactory(), AccountFactory()
    IAMUserFactory(account=account, name="Alice")
    IAMUserFactory(account=other, name="alice")
    assert counts.rows(account.pk, "alice") == [["Alice"]]
    assert counts.rows(other.pk, "alice") == [["alice"]]
    assert counts.rows(account.pk, "bob") == []
    with pytest.raises(TypeError):
        counts.instances(account.pk, "alice")


def test_a_value_the_orm_transforms_cannot_be_compiled():
    prefixed = Compiled(lambda prefix: IAMUser.objects.filter(name__startswith=prefix), "\x00probe")
    with pytest.raises(CompileError):
        prefixed.rows("a")


def test_a_list_probe_takes_each_call_s_list_whatever_its_length():
    by_pks = Compiled(lambda pks: IAMUser.objects.filter(pk__among=pks).order_by("pk").values_list("name"), [-1])
    users = [IAMUserFactory(name=f"listed{index}") for index in range(3)]
    with CaptureQueriesContext(connection) as captured:
        assert by_pks.rows([users[2].pk, users[0].pk]) == [["listed0"], ["listed2"]]
        assert by_pks.rows([user.pk for user in users] + [-5]) == [["listed0"], ["listed1"], ["listed2"]]
    assert len(captured) == 2
    assert by_pks.rows([]) == []


def test_a_page_of_the_rows_of_a_time_is_the_orm_s_slice():
    since = Compiled(
        lambda after: IAMUser.objects.filter(created_at__gte=after, name__startswith="paged").order_by("name").values_list("name"),
        datetime(1970, 1, 2, tzinfo=timezone.utc),
    )
    for index in range(5):
        IAMUserFactory(name=f"paged{index}")
    start = IAMUser.objects.filter(name="paged0").values_list("created_at", flat=True).get()
    assert since.rows(start) == [[f"paged{index}"] for index in range(5)]
    assert since.rows(start, limit=2, offset=1) == [["paged1"], ["paged2"]]
    assert since.rows(start, limit=2, offset=4) == [["paged4"]]
    assert since.rows(start + timedelta(days=1), limit=2) == []
