"""The trainee's progress page, an exercise's page with its check, the engineer settings, and isolation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AlternateContactType
from accounts.services import put_alternate_contact
from cases import services as cases
from cases.models import Case
from iam.models import IAMUser, Policy
from iam.principals import Principal
from iam.services import add_user_to_group, attach_policy, create_group, create_user, put_inline_policy
from tests.conftest import console_client_for
from tests.factories import allow, deny, policy_document
from training.exercises import CATALOGUE
from training.models import ExerciseCompletion
from training.services.practice import open_practice_account

from .snapshots import account_state

pytestmark = pytest.mark.django_db


def add_security_contact(account) -> None:
    put_alternate_contact(Principal(account=account), AlternateContactType.SECURITY, "Sam", "CISO", "s@example.com", "+1 206-555-0111")


def test_the_progress_page_lists_every_exercise_and_marks_the_finished_ones(practice_account, trainee_client):
    add_security_contact(practice_account)

    response = trainee_client.get("/training/")

    page = response.content.decode()
    assert f"1 of {len(CATALOGUE)} done" in page
    for exercise in CATALOGUE:
        assert f'href="/training/exercises/{exercise.key}/"' in page
    done = {status.exercise.key for status in response.context["statuses"] if status.done}
    assert done == {"security-contact"}
    assert page.count("badge-muted\">To do") == len(CATALOGUE) - 1
    assert "Reset my sandbox" in page


def test_an_exercise_page_shows_goal_instructions_and_hints(trainee_client):
    exercise = CATALOGUE[0]
    page = trainee_client.get(f"/training/exercises/{exercise.key}/").content.decode()
    assert exercise.goal in page
    for text in (*exercise.steps, *exercise.hints):
        assert text.replace("'", "&#x27;").replace('"', "&quot;") in page
    assert "Not started" in page and "Check my work" in page


def test_check_my_work_answers_not_yet_then_done(practice_account, trainee_client):
    url = "/training/exercises/security-contact/check/"
    not_yet = trainee_client.post(url, headers={"HX-Request": "true"})
    assert not_yet.templates[0].name == "training/_check_result.html"
    assert "Not yet" in not_yet.content.decode()

    add_security_contact(practice_account)
    done = trainee_client.post(url)  # without htmx: the whole page

    assert done.templates[0].name == "training/exercise.html"
    assert "Completed" in done.content.decode() and "Check my work" not in done.content.decode()
    assert ExerciseCompletion.objects.filter(profile__account=practice_account, exercise="security-contact").exists()


def test_an_unknown_exercise_is_not_found(trainee_client):
    assert trainee_client.get("/training/exercises/no-such-thing/").status_code == 404
    assert trainee_client.post("/training/exercises/no-such-thing/check/").status_code == 404


def test_an_account_without_training_is_pointed_to_a_practice_account(root_client):
    page = root_client.get("/training/").content.decode()
    assert "Start a practice account" in page
    assert root_client.get("/training/exercises/root-mfa/").status_code == 404


def test_the_root_user_sets_the_engineer_time_speed_and_pick_up_delay(profile, trainee_client):
    assert (profile.simulated_engineer, profile.time_speed_factor, profile.pickup_delay_minutes) == (True, 60, 15)
    response = trainee_client.post("/training/settings/", {"time_speed_factor": 1440, "pickup_delay_minutes": 0})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.simulated_engineer, profile.time_speed_factor, profile.pickup_delay_minutes) == (False, 1440, 0)

    trainee_client.post("/training/settings/", {"simulated_engineer": "on", "time_speed_factor": 60, "pickup_delay_minutes": 30})
    profile.refresh_from_db()
    assert (profile.simulated_engineer, profile.time_speed_factor, profile.pickup_delay_minutes) == (True, 60, 30)
    assert 'name="pickup_delay_minutes" value="30"' in trainee_client.get("/training/").content.decode()


@pytest.mark.parametrize(
    ("field", "value"), [("time_speed_factor", 0), ("time_speed_factor", 86_401), ("pickup_delay_minutes", -1), ("pickup_delay_minutes", 1441)]
)
def test_settings_out_of_range_are_explained_beside_the_field(profile, trainee_client, field, value):
    data = {"simulated_engineer": "on", "time_speed_factor": 60, "pickup_delay_minutes": 15, field: value}
    response = trainee_client.post("/training/settings/", data)
    assert response.status_code == 200
    assert response.context["settings_form"].errors[field]
    profile.refresh_from_db()
    assert (profile.time_speed_factor, profile.pickup_delay_minutes) == (60, 15)


def test_an_iam_user_sees_the_settings_but_may_not_change_them(practice_account, profile):
    admin = IAMUser.objects.get(account=practice_account, name="admin")
    client = console_client_for(Principal(account=practice_account, user=admin))
    page = client.get("/training/").content.decode()
    assert "Save settings" not in page and "Reset my sandbox" not in page

    response = client.post("/training/settings/", {"time_speed_factor": 5, "pickup_delay_minutes": 1})
    assert response.status_code == 403
    assert "Only the root user can change the training settings." in response.content.decode()
    profile.refresh_from_db()
    assert profile.time_speed_factor == 60


def test_nothing_a_trainee_does_reaches_another_practice_account(trainee_client):
    other = open_practice_account(email="neighbour@example.com", password="Str0ng!Pass", support_plan="business")
    before = account_state(other.account_id)
    case = Case.objects.filter(account=other).first()

    assert trainee_client.get(f"/support/cases/{case.display_id}/").status_code == 404
    assert trainee_client.post(f"/support/cases/{case.display_id}/reply/", {"body": "Hello neighbour"}).status_code == 404
    assert trainee_client.post(f"/support/cases/{case.display_id}/resolve/").status_code == 404
    trainee_client.post("/training/reset/")

    assert account_state(other.account_id) == before
    assert not case.communications.filter(body="Hello neighbour").exists()


def test_the_progress_page_costs_the_same_queries_however_busy_the_account(practice_account, trainee_client):
    trainee_client.get("/training/")  # the first visit records activity

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert trainee_client.get("/training/").status_code == 200
        return len(captured)

    quiet = queries()
    root = Principal(account=practice_account)
    for number in range(5):
        cases.create_case(
            root, subject=f"Case {number}", communication_body="Help", service_code="billing",
            category_code="charges", severity_code="low",
        )
    assert queries() == quiet


def test_the_progress_page_costs_the_same_queries_with_2_or_20_iam_users(practice_account, trainee_client):
    trainee_client.get("/training/")  # the first visit records activity
    support = Policy.objects.get(account=None, name="AWSSupportAccess")
    team = create_group(practice_account, "trainees")
    put_inline_policy(team, "NoBilling", policy_document(deny("aws-portal:*")))

    def add_users(first: int, last: int) -> None:
        # Users who may resolve cases: the support exercise stays open and is checked on every visit.
        for number in range(first, last):
            user = create_user(practice_account, f"agent-{number}")
            attach_policy(user, support)
            put_inline_policy(user, "ReadCases", policy_document(allow("support:DescribeCases")))
            add_user_to_group(team, user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = trainee_client.get("/training/")
        assert response.status_code == 200 and f"0 of {len(CATALOGUE)} done" in response.content.decode()
        return len(captured)

    add_users(0, 2)
    with_two = queries()
    add_users(2, 20)
    assert queries() == with_two
