"""Instructors (staff) open a cohort of practice accounts, download the sign-in details, and follow progress."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account, AlternateContactType
from accounts.services import put_alternate_contact
from cases.staff_roles import CATALOG_EDITORS, INSTRUCTORS, SUPPORT_ENGINEERS, ensure_staff_groups
from iam.authentication import authenticate_root
from iam.models import IAMUser
from iam.principals import Principal
from tests.factories import AccountFactory
from training.exercises import CATALOGUE
from training.models import Cohort, ExerciseCompletion, TrainingProfile
from training.services.cohorts import MAX_COHORT_SIZE, create_cohort

pytestmark = pytest.mark.django_db

COHORTS = "/training/staff/cohorts/"


@pytest.fixture
def instructor(django_user_model):
    ensure_staff_groups()
    user = django_user_model.objects.create(username="ines", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    return user


@pytest.fixture
def staff_client(client, instructor):
    client.force_login(instructor)
    return client


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_cohort_of_n_seeded_accounts_comes_back_as_a_csv_whose_details_sign_in(staff_client, instructor):
    response = staff_client.post(COHORTS, {"name": "Monday class", "size": 3, "support_plan": "enterprise"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="monday-class-sign-in-details.csv"'
    rows = csv_rows(response)
    assert len(rows) == 3
    assert list(rows[0]) == ["Account ID", "Sign-in URL", "Root user email", "Password"]
    cohort = Cohort.objects.get(name="Monday class")
    assert cohort.created_by == instructor and cohort.profiles.count() == 3
    assert len({row["Password"] for row in rows}) == 3
    for row in rows:
        assert row["Sign-in URL"] == "http://testserver/signin/"
        principal = authenticate_root(row["Root user email"], row["Password"])
        account = principal.account
        assert account.account_id == row["Account ID"] and account.support_plan == "enterprise"
        assert account.root_password != row["Password"]  # kept only as a hash
        assert account.training_profile.is_practice and account.training_profile.cohort == cohort
        assert account.training_profile.simulated_engineer
        assert IAMUser.objects.filter(account=account).count() == 4  # seeded like a self-service account, scenes included


@pytest.mark.parametrize("size", [0, MAX_COHORT_SIZE + 1])
def test_a_cohort_size_out_of_range_is_refused_beside_the_field(staff_client, size):
    response = staff_client.post(COHORTS, {"name": "Too many", "size": size, "support_plan": "business"})
    assert response.status_code == 200
    assert response.context["form"].errors["size"]
    assert not Cohort.objects.exists() and not Account.objects.exists()


def test_the_cohort_list_shows_each_cohort_with_its_size(staff_client, instructor):
    cohort, _ = create_cohort(name="Tuesday class", size=2, support_plan="developer", created_by=instructor)
    page = staff_client.get(COHORTS).content.decode()
    assert f'href="/training/staff/cohorts/{cohort.pk}/"' in page
    assert "Tuesday class" in page and "<td>2</td>" in page and "Developer" in page


def test_the_progress_table_and_chart_follow_the_trainees_real_work(staff_client, instructor):
    cohort, details = create_cohort(name="Wednesday class", size=2, support_plan="business", created_by=instructor)
    first = Account.objects.get(account_id=details[0].account_id)
    put_alternate_contact(Principal(account=first), AlternateContactType.SECURITY, "Sam", "CISO", "s@example.com", "+1 206-555-0111")

    before = staff_client.get(f"{COHORTS}{cohort.pk}/")
    assert [share.done for share in before.context["shares"]] == [0] * len(CATALOGUE)

    response = staff_client.post(f"{COHORTS}{cohort.pk}/check/", follow=True)

    assert "Every trainee&#x27;s exercises were checked just now." in response.content.decode()
    shares = {share.exercise.key: (share.done, share.percent) for share in response.context["shares"]}
    assert shares["security-contact"] == (1, 50)
    assert shares["root-mfa"] == (0, 0)
    page = response.content.decode()
    assert 'value="50"' in page and "1 · 50%" in page
    rows = {profile.account.account_id: profile for profile in response.context["table"].page}
    assert rows[first.account_id].done_count == 1 and rows[first.account_id].done_keys == {"security-contact"}
    assert rows[details[1].account_id].done_count == 0
    assert f"1 of {len(CATALOGUE)}" in page and f"0 of {len(CATALOGUE)}" in page


def test_the_progress_table_sorts_by_exercises_done(staff_client, instructor):
    cohort = Cohort.objects.create(name="Sorted", created_by=instructor)
    for position, done in enumerate([2, 0, 1]):
        profile = TrainingProfile.objects.create(account=AccountFactory(root_email=f"t{position}@example.com"), is_practice=True, cohort=cohort)
        for exercise in CATALOGUE[:done]:
            ExerciseCompletion.objects.create(profile=profile, exercise=exercise.key)
    table = staff_client.get(f"{COHORTS}{cohort.pk}/?sort=-done").context["table"]
    assert [profile.done_count for profile in table.page] == [2, 1, 0]


def test_the_progress_page_costs_the_same_queries_for_a_larger_cohort(staff_client, instructor):
    def cohort_of(size: int) -> Cohort:
        cohort = Cohort.objects.create(name=f"Size {size}", created_by=instructor)
        for _ in range(size):
            profile = TrainingProfile.objects.create(account=AccountFactory(), is_practice=True, cohort=cohort)
            ExerciseCompletion.objects.create(profile=profile, exercise=CATALOGUE[0].key)
        return cohort

    counts = []
    for cohort in (cohort_of(2), cohort_of(8)):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(f"{COHORTS}{cohort.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_cohort_pages_are_for_staff_only(client, trainee_client):
    cohort = Cohort.objects.create(name="Private")
    for visitor in (client, trainee_client):
        for path in (COHORTS, f"{COHORTS}{cohort.pk}/"):
            response = visitor.get(path)
            assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
        assert visitor.post(COHORTS, {"name": "Sneaky", "size": 1, "support_plan": "basic"}).status_code == 302
    assert Cohort.objects.filter(name="Sneaky").count() == 0


def test_the_staff_site_leads_instructors_to_the_cohort_pages(staff_client, instructor):
    instructor.user_permissions.add(Permission.objects.get(codename="view_cohort"))
    index = staff_client.get("/staff/").content.decode()
    assert 'href="/staff/training/cohort/"' in index
    response = staff_client.get("/staff/training/cohort/")
    assert response.status_code == 302 and response["Location"] == COHORTS


@pytest.mark.parametrize("group", [None, SUPPORT_ENGINEERS, CATALOG_EDITORS])
def test_staff_who_are_not_instructors_cannot_open_or_create_cohorts(client, django_user_model, group):
    ensure_staff_groups()
    cohort = create_cohort(name="Private class", size=1, support_plan="basic", created_by=None)[0]
    user = django_user_model.objects.create(username="erin", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    assert client.get(COHORTS).status_code == 403
    assert client.get(f"{COHORTS}{cohort.pk}/").status_code == 403
    assert client.post(f"{COHORTS}{cohort.pk}/check/").status_code == 403
    assert client.post(COHORTS, {"name": "Sneaky", "size": 1, "support_plan": "basic"}).status_code == 403
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Private class"]


def test_a_view_only_instructor_follows_cohorts_but_creates_and_checks_nothing(client, django_user_model):
    user = django_user_model.objects.create(username="vic", is_staff=True)
    cohort = create_cohort(name="Class", size=1, support_plan="basic", created_by=user)[0]
    user.user_permissions.add(Permission.objects.get(codename="view_cohort"))
    client.force_login(user)
    page = client.get(COHORTS).content.decode()
    assert "Class" in page and "Create and download CSV" not in page
    assert "Check everyone" not in client.get(f"{COHORTS}{cohort.pk}/").content.decode()
    assert client.post(COHORTS, {"name": "Sneaky", "size": 1, "support_plan": "basic"}).status_code == 403
    assert client.post(f"{COHORTS}{cohort.pk}/check/").status_code == 403
