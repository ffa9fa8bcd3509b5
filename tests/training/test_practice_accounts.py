from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, AlternateContact, RegionOptIn
from accounts.services.root_user import change_support_plan, put_account_name
from advisor.models import CheckState, CheckStatus
from cases import services as cases
from cases.models import Case, CaseStatus
from events.services import record_event
from iam.authentication import authenticate_root
from iam.models import IAMUser, Role
from iam.principals import Principal
from iam.services.passwords import update_password_policy
from tests.conftest import console_client_for
from tests.factories import IAMUserFactory
from training.models import ExerciseCompletion, TrainingProfile
from training.services.practice import ACTIVITY_RESOLUTION, open_practice_account
from training.services.practice import remove_idle_practice_accounts as remove_idle
from training.tasks import remove_idle_practice_accounts

from .conftest import TRAINEE_PASSWORD
from .test_exercises import enrol_mfa as enrol_root_mfa
from .snapshots import account_state

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "new.trainee@example.com",
    "password": "Str0ng!Practice",
    "confirm_password": "Str0ng!Practice",
    "support_plan": "enterprise",
}


def sign_up(client, address="203.0.113.7", **changes):
    return client.post("/training/start/", {**SIGN_UP, **changes}, REMOTE_ADDR=address)


def test_the_front_page_offers_a_practice_account_to_visitors(client):
    response = client.get("/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/signin/")
    assert 'href="/training/start/"' in page and "Start a practice account" in page
    start = client.get("/training/start/")
    assert start.status_code == 200 and "Create practice account" in start.content.decode()


def test_a_new_practice_account_is_seeded_with_realistic_data(practice_account):
    state = account_state(practice_account.account_id)
    assert "SecurityAuditor" in [name for name, *_ in state["roles"]]
    assert ("support-team", "/operations/", ("support-agent",)) in state["groups"]
    assert {contact_type for contact_type, *_ in state["contacts"]} == {"BILLING", "OPERATIONS"}
    assert state["contact_information"] == [("Jane Doe", "Seattle", "US")]
    case_statuses = {status for _, _, _, status, _ in state["cases"]}
    assert {CaseStatus.UNASSIGNED, CaseStatus.PENDING_CUSTOMER_ACTION, CaseStatus.RESOLVED} <= case_statuses
    assert ("DeleteUser", "ops-jordan") in state["events"]  # the scene of "Find who deleted a user"
    assert len(case_statuses) >= 4
    findings = {check_id: status for check_id, status, _ in state["advisor"]}
    assert findings["7DAFEmoDos"] == CheckStatus.ERROR  # MFA on root account
    assert findings["MfAcOnUs01"] == CheckStatus.ERROR  # IAM users without MFA
    assert CheckStatus.OK in findings.values()


def test_signing_up_opens_a_seeded_account_and_signs_in_as_its_root_user(client):
    response = sign_up(client)

    assert response.status_code == 302 and response["Location"] == "/training/"
    account = Account.objects.get(root_email="new.trainee@example.com")
    assert account.support_plan == "enterprise"
    assert account.training_profile.is_practice and account.training_profile.simulated_engineer
    assert set(IAMUser.objects.filter(account=account).values_list("name", flat=True)) == {"admin", "reader", "support-agent", "ops-jordan"}
    assert AlternateContact.objects.filter(account=account).count() == 2
    home = client.get("/training/")
    assert home.context["principal"].is_root and home.context["principal"].account == account
    assert f"Your practice account {account.account_id} is ready" in home.content.decode()
    assert authenticate_root("new.trainee@example.com", "Str0ng!Practice").account == account


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short1!", "confirm_password": "short1!"}, "password", "between 8 and 128 characters"),
        ({"password": "alllowercase1", "confirm_password": "alllowercase1"}, "password", "at least three of"),
        ({"confirm_password": "Str0ng!Different"}, "confirm_password", "The passwords do not match."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"support_plan": "platinum"}, "support_plan", "Select a valid choice."),
    ],
)
def test_invalid_sign_ups_explain_the_problem_beside_the_field_and_create_nothing(client, changes, field, message):
    response = sign_up(client, **changes)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Account.objects.count() == 0
    page = response.content.decode()
    assert f'value="{changes.get("email", SIGN_UP["email"])}"' in page  # what was typed is kept


def test_an_email_already_in_use_is_refused(client, practice_account):
    response = sign_up(client, email=practice_account.root_email.upper())
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert Account.objects.count() == 1


def test_sign_ups_are_rate_limited_per_client_address(client, settings):
    settings.TRAINING_SIGN_UPS_PER_ADDRESS = 2
    assert sign_up(Client(), email="one@example.com").status_code == 302
    assert sign_up(Client(), email="two@example.com").status_code == 302

    refused = sign_up(client, email="three@example.com")

    assert refused.status_code == 429
    assert "Too many practice accounts were started from your network" in refused.content.decode()
    assert not Account.objects.filter(root_email="three@example.com").exists()
    assert sign_up(Client(), address="198.51.100.9", email="elsewhere@example.com").status_code == 302


def test_the_limit_forgets_sign_ups_outside_its_window(settings):
    settings.TRAINING_SIGN_UPS_PER_ADDRESS = 1
    long_ago = timezone.now() - timedelta(hours=2)
    open_practice_account(email="a@example.com", password="Str0ng!Pass", support_plan="basic", client_address="203.0.113.1", now=long_ago)
    assert open_practice_account(email="b@example.com", password="Str0ng!Pass", support_plan="basic", client_address="203.0.113.1")


def test_reset_restores_the_state_the_account_was_created_with(practice_account, trainee_client, profile):
    after_creation = account_state(practice_account.account_id)
    IAMUser.objects.filter(account=practice_account, name="admin").delete()
    IAMUserFactory(account=practice_account, name="left-over")
    AlternateContact.objects.filter(account=practice_account).delete()
    RegionOptIn.objects.filter(account=practice_account).delete()
    Role.objects.filter(account=practice_account).delete()
    update_password_policy(practice_account, require_symbols=True)
    root = Principal(account=practice_account)
    for case in Case.objects.filter(account=practice_account).exclude(status=CaseStatus.RESOLVED):
        cases.resolve_case(root, case.case_id)
    cases.create_case(
        root, subject="Mine", communication_body="Help", service_code="billing", category_code="charges", severity_code="low"
    )
    CheckState.objects.filter(account=practice_account, status=CheckStatus.ERROR).delete()
    enrol_root_mfa(practice_account)
    change_support_plan(root, "basic")
    put_account_name(root, "Renamed by the trainee")
    profile.time_speed_factor = 600
    profile.save()
    ExerciseCompletion.objects.create(profile=profile, exercise="security-contact")
    assert account_state(practice_account.account_id) != after_creation

    assert "Restore the starting state?" in trainee_client.get("/training/reset/").content.decode()
    response = trainee_client.post("/training/reset/")

    assert response.status_code == 302
    assert account_state(practice_account.account_id) == after_creation
    fresh = TrainingProfile.objects.get(account__account_id=practice_account.account_id)
    assert fresh.is_practice and fresh.time_speed_factor == 600
    assert list(fresh.completions.values_list("exercise", flat=True)) == ["security-contact"]
    assert fresh.sandbox_started_at > profile.sandbox_started_at
    # Still signed in, now to the fresh account.
    assert trainee_client.get("/training/").context["principal"].account.pk == fresh.account.pk


def test_only_the_root_user_may_reset(practice_account):
    agent = IAMUser.objects.get(account=practice_account, name="support-agent")
    client = console_client_for(Principal(account=practice_account, user=agent))
    response = client.post("/training/reset/")
    assert response.status_code == 403
    assert "Only the root user can reset the sandbox." in response.content.decode()
    assert IAMUser.objects.filter(pk=agent.pk).exists()


def test_an_account_that_is_not_a_practice_account_cannot_be_reset(account, root_client):
    assert root_client.post("/training/reset/").status_code == 404
    assert Account.objects.filter(pk=account.pk).exists()


def test_reset_touches_no_other_practice_account(practice_account, trainee_client):
    other = open_practice_account(email="other@example.com", password="Str0ng!Pass", support_plan="basic")
    IAMUserFactory(account=other, name="keep-me")
    trainee_client.post("/training/reset/")
    assert IAMUser.objects.filter(account=other, name="keep-me").exists()


def test_activity_is_written_at_most_once_per_resolution_per_session(profile, trainee_client):
    long_ago = timezone.now() - timedelta(days=3)
    TrainingProfile.objects.filter(pk=profile.pk).update(last_activity_at=long_ago)

    trainee_client.get("/training/")
    profile.refresh_from_db()
    assert profile.last_activity_at > timezone.now() - timedelta(minutes=1)

    with CaptureQueriesContext(connection) as queries:
        trainee_client.get("/account/")
    assert not [query for query in queries if "training_trainingprofile" in query["sql"] and query["sql"].startswith("UPDATE")]


def test_activity_on_another_account_leaves_the_practice_account_alone(profile, other_account):
    long_ago = timezone.now() - timedelta(days=3)
    TrainingProfile.objects.filter(pk=profile.pk).update(last_activity_at=long_ago)
    console_client_for(Principal(account=other_account)).get("/account/")
    profile.refresh_from_db()
    assert profile.last_activity_at == long_ago
    assert ACTIVITY_RESOLUTION <= timedelta(minutes=15)


def test_idle_practice_accounts_are_removed_after_30_days(practice_account, account):
    idle = open_practice_account(email="idle@example.com", password="Str0ng!Pass", support_plan="basic")
    TrainingProfile.objects.filter(account=idle).update(last_activity_at=timezone.now() - timedelta(days=31))
    TrainingProfile.objects.filter(account=practice_account).update(last_activity_at=timezone.now() - timedelta(days=29))
    # A real account with training settings is never removed, however quiet.
    TrainingProfile.objects.create(account=account, last_activity_at=timezone.now() - timedelta(days=400))

    assert remove_idle_practice_accounts.apply().get() == 1

    assert not Account.objects.filter(pk=idle.pk).exists()
    assert not IAMUser.objects.filter(account_id=idle.pk).exists()
    assert set(Account.objects.values_list("pk", flat=True)) == {practice_account.pk, account.pk}


def test_a_practice_account_used_only_through_the_api_is_not_idle(practice_account):
    month_ago = timezone.now() - timedelta(days=31)
    TrainingProfile.objects.filter(account=practice_account).update(last_activity_at=month_ago, sandbox_started_at=month_ago)
    record_event(
        Principal(account=practice_account), event_source="iam.amazonaws.com", event_name="ListUsers",
        now=timezone.now() - timedelta(days=2),
    )
    assert remove_idle_practice_accounts.apply().get() == 0
    # A month after that call it is idle.
    assert remove_idle(now=timezone.now() + timedelta(days=29)) == 1
    assert not Account.objects.filter(pk=practice_account.pk).exists()


def test_a_trainee_sees_only_their_own_account(practice_account, trainee_client):
    other = open_practice_account(email="neighbour@example.com", password="Str0ng!Pass", support_plan="basic")
    for path in ("/training/", "/iam/users/", "/iam/users/admin/", "/account/"):
        page = trainee_client.get(path).content.decode()
        assert practice_account.account_id in page and other.account_id not in page


def test_a_trainee_session_does_not_open_the_staff_site(trainee_client):
    for path in ("/staff/", "/training/staff/cohorts/"):
        response = trainee_client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_trainee_root_password_works_after_sign_up(practice_account):
    assert authenticate_root(practice_account.root_email, TRAINEE_PASSWORD).account == practice_account
