"""Instructors follow their own cohorts: names as column heads, a trainee's drill-down, resetting one
trainee, a message to the whole cohort (into each trainee's Mail), progress as CSV, readable passwords."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from accounts.services.root_user import password_problem
from cases.staff_roles import INSTRUCTORS, ensure_staff_groups
from events.services import record_event
from iam.models import IAMUser
from iam.principals import Principal
from iam.services import create_user
from inbox.models import Message
from tests.cases.factories import CaseFactory
from tests.conftest import console_client_for
from tests.factories import AccountFactory
from training.exercises import CATALOGUE
from training.models import Cohort, ExerciseCompletion, TrainingProfile
from training.passwords import generate_root_password
from training.services.cohorts import create_cohort

pytestmark = pytest.mark.django_db

COHORTS = "/training/staff/cohorts/"


def make_instructor(django_user_model, username):
    ensure_staff_groups()
    user = django_user_model.objects.create(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    client = Client()
    client.force_login(user)
    return user, client


def small_cohort(instructor, name="Class", size=2) -> Cohort:
    cohort = Cohort.objects.create(name=name, created_by=instructor)
    for number in range(size):
        TrainingProfile.objects.create(account=AccountFactory(root_email=f"{name.lower()}{number}@example.com"),
                                       is_practice=True, cohort=cohort)
    return cohort


def test_instructors_see_only_the_cohorts_they_run(django_user_model):
    ines, ines_client = make_instructor(django_user_model, "ines")
    omar, omar_client = make_instructor(django_user_model, "omar")
    mine, theirs = small_cohort(ines, "Mine"), small_cohort(omar, "Theirs")
    page = ines_client.get(COHORTS).content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert ines_client.get(f"{COHORTS}{theirs.pk}/").status_code == 404
    assert ines_client.get(f"{COHORTS}{theirs.pk}/progress.csv").status_code == 404
    profile = theirs.profiles.first()
    assert ines_client.get(f"{COHORTS}{theirs.pk}/trainees/{profile.pk}/").status_code == 404
    assert ines_client.post(f"{COHORTS}{theirs.pk}/message/", {"subject": "x", "body": "y"}).status_code == 404
    # A trainee of another cohort is not reachable through one's own cohort either.
    assert ines_client.get(f"{COHORTS}{mine.pk}/trainees/{profile.pk}/").status_code == 404
    superuser = django_user_model.objects.create(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(superuser)
    assert "Theirs" in admin.get(COHORTS).content.decode() and "Mine" in admin.get(COHORTS).content.decode()


def test_the_cohort_page_names_exercises_and_shows_who_is_signed_in(django_user_model):
    ines, client = make_instructor(django_user_model, "ines")
    page = client.get(f"{COHORTS}{small_cohort(ines).pk}/").content.decode()
    for exercise in CATALOGUE:
        assert f'<th scope="col">{exercise.title}</th>' in page
    assert "Signed in as <strong>ines</strong>" in page and 'action="/staff/logout/"' in page
    assert "style=" not in page.split("<main", 1)[1]


def test_drill_down_shows_exercises_cases_events_and_activity(django_user_model):
    ines, client = make_instructor(django_user_model, "ines")
    cohort = small_cohort(ines)
    profile = cohort.profiles.first()
    done = ExerciseCompletion.objects.create(profile=profile, exercise=CATALOGUE[0].key)
    Client().post("/signin/", {"email": profile.account.root_email, "password": "wrong"})
    page = client.get(f"{COHORTS}{cohort.pk}/trainees/{profile.pk}/").content.decode()
    assert page.count('data-testid="trainee-exercise"') == len(CATALOGUE)
    assert f"Done</span> {done.completed_at:%Y-%m-%d %H:%M} UTC" in page
    assert "ConsoleLogin" in page and "Failed authentication" in page
    assert f"{profile.last_activity_at:%Y-%m-%d %H:%M}" in page


def test_resetting_one_trainee_leaves_the_others_alone(django_user_model):
    ines, client = make_instructor(django_user_model, "ines")
    cohort, details = create_cohort(name="Reset class", size=2, support_plan="business", created_by=ines)
    first, second = (Account.objects.get(account_id=row.account_id) for row in details)
    for account in (first, second):
        create_user(account, "scratch")
    ExerciseCompletion.objects.create(profile=first.training_profile, exercise=CATALOGUE[0].key)
    response = client.post(f"{COHORTS}{cohort.pk}/trainees/{first.training_profile.pk}/reset/")
    assert response.status_code == 302
    assert not IAMUser.objects.filter(account__account_id=first.account_id, name="scratch").exists()
    assert IAMUser.objects.filter(account=second, name="scratch").exists()
    fresh = Account.objects.get(account_id=first.account_id)
    assert fresh.training_profile.cohort == cohort
    assert fresh.training_profile.completions.filter(exercise=CATALOGUE[0].key).exists()


def test_a_message_to_the_cohort_arrives_in_each_trainees_mail_only(django_user_model):
    ines, client = make_instructor(django_user_model, "ines")
    cohort, outsider = small_cohort(ines), small_cohort(ines, "Other", size=1)
    assert client.post(f"{COHORTS}{cohort.pk}/message/", {"subject": "", "body": ""}).status_code == 400
    response = client.post(f"{COHORTS}{cohort.pk}/message/", {"subject": "Break", "body": "Back at 11:00."})
    assert response.status_code == 302
    for profile in cohort.profiles.all():
        (message,) = Message.objects.filter(account=profile.account)
        assert message.subject == "[Class] Break" and message.text_body == "Back at 11:00."
    assert not Message.objects.filter(account=outsider.profiles.get().account).exists()
    trainee = console_client_for(Principal(account=cohort.profiles.first().account))
    assert "[Class] Break" in trainee.get("/mail/").content.decode()


def test_progress_csv_has_a_column_per_exercise(django_user_model):
    ines, client = make_instructor(django_user_model, "ines")
    cohort = small_cohort(ines)
    profile = cohort.profiles.order_by("account__root_email").first()
    done = ExerciseCompletion.objects.create(profile=profile, exercise=CATALOGUE[1].key)
    response = client.get(f"{COHORTS}{cohort.pk}/progress.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][3:] == [exercise.title for exercise in CATALOGUE]
    assert len(rows) == 3 and rows[1][1] == profile.account.root_email
    assert rows[1][4] == done.completed_at.isoformat() and rows[1][3] == ""


def test_generated_passwords_are_words_without_hard_symbols_and_meet_the_root_policy():
    account = Account(name="Class 01", root_email="t@example.com")
    for _ in range(200):
        password = generate_root_password()
        assert not set(password) & set("|{}<>[]()^~`\\\"'")
        assert password_problem(password, account) is None
        words = password.split("-")
        assert len(words) == 4 and all(word.isalpha() and word[0].isupper() for word in words[:3]) and words[3].isdigit()


def test_the_instructor_lists_cost_the_same_queries_for_one_row_or_many(django_user_model):
    """The cohort list, a trainee's drill-down (exercises, cases, events) and the progress CSV."""
    ines, client = make_instructor(django_user_model, "ines")
    cohort = small_cohort(ines, size=1)
    profile = cohort.profiles.get()
    pages = [COHORTS, f"{COHORTS}{cohort.pk}/trainees/{profile.pk}/", f"{COHORTS}{cohort.pk}/progress.csv"]

    def grow(count: int) -> None:
        for number in range(count):
            small_cohort(ines, name=f"More{Cohort.objects.count()}", size=1)
            TrainingProfile.objects.create(account=AccountFactory(), is_practice=True, cohort=cohort)
            CaseFactory(account=profile.account)
            record_event(Principal(account=profile.account), event_source="iam.amazonaws.com", event_name="ListUsers")
        for exercise in CATALOGUE[len(profile.completions.all()):][:count]:
            ExerciseCompletion.objects.create(profile=profile, exercise=exercise.key)

    def counts() -> list[int]:
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200, page
            found.append(len(captured))
        return found

    grow(1)
    one = counts()
    grow(4)
    assert counts() == one
