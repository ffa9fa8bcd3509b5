"""Root-only changes made in the console appear in the event history, without their secrets."""

import json

import pytest
from django.core import mail

from accounts.services import put_security_challenge_questions
from events.models import Event
from tests.factories import ROOT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "N3w-Passw0rd!"


def history(account) -> list[tuple[str, str, str]]:
    events = Event.objects.filter(account=account).order_by("event_time", "pk")
    return [(event.event_source, event.event_name, event.error_code) for event in events]


def stored(account) -> str:
    """Everything the history keeps about the account's events, as one string."""
    return json.dumps(
        [[e.request_parameters, e.response_elements, e.user_identity] for e in Event.objects.filter(account=account)]
    )


def emailed_code() -> str:
    return next(w.rstrip(".") for w in mail.outbox[-1].body.split() if w.rstrip(".").isdigit() and len(w.rstrip(".")) == 6)


def test_root_user_settings_are_recorded_without_secrets(account, root_client, django_capture_on_commit_callbacks):
    root_client.post("/account/", {"panel": "name", "name": "Renamed"})
    with django_capture_on_commit_callbacks(execute=True):
        root_client.post("/account/", {"panel": "email", "new_email": "new-root@example.com"})  # nothing changes yet
    code = emailed_code()
    root_client.post("/account/", {"panel": "email_code", "otp": code})
    password = {"panel": "password", "current_password": ROOT_PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert root_client.post("/account/", password).status_code == 302
    root_client.post("/account/support-plan/", {"panel": "plan", "plan": "business"})
    root_client.post("/account/", {"panel": "name", "name": ""})  # refused on the form: nothing changed, nothing recorded

    assert history(account) == [
        ("account.amazonaws.com", "PutAccountName", ""),
        ("signin.amazonaws.com", "EmailUpdated", ""),
        ("signin.amazonaws.com", "PasswordUpdated", ""),
        ("supportplans.amazonaws.com", "StartSupportPlanUpdate", ""),
    ]
    assert Event.objects.get(account=account, event_name="PutAccountName").request_parameters["name"] == "Renamed"
    assert Event.objects.get(account=account, event_name="PasswordUpdated").user_identity["type"] == "Root"
    kept = stored(account)
    assert code not in kept and ROOT_PASSWORD not in kept and NEW_PASSWORD not in kept


def test_closing_and_asking_to_reopen_are_recorded_a_second_request_with_its_error_code(account, root_client):
    root_client.post("/account/close/", {"confirmation": account.account_id})
    root_client.post("/account/reopen/")
    root_client.post("/account/reopen/")  # refused: already asked
    assert history(account) == [
        ("account.amazonaws.com", "CloseAccount", ""),
        ("support.amazonaws.com", "CreateCase", ""),
        ("support.amazonaws.com", "CreateCase", "ConflictException"),
    ]


def test_finishing_root_account_recovery_is_a_sign_in_event_without_secrets(account, root, client, django_capture_on_commit_callbacks):
    put_security_challenge_questions(root, [("In what city were you born?", "Lisbon"), ("What is your favourite book?", "Dune"),
                                            ("What was the make of your first car?", "x7-long-random-string")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/recover/", {"step": "email", "email": account.root_email})
    code = emailed_code()
    client.post("/account/recover/", {"step": "code", "otp": code})
    assert history(account) == []  # nothing has changed yet
    answers = {"answer_1": "Lisbon", "answer_2": "Dune", "answer_3": "x7-long-random-string"}
    client.post("/account/recover/", {"step": "answers", **answers, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert history(account) == [("signin.amazonaws.com", "PasswordRecoveryCompleted", "")]
    event = Event.objects.get(account=account)
    assert event.user_identity["type"] == "Root" and event.event_type == "AwsConsoleAction"
    kept = stored(account)
    assert code not in kept and NEW_PASSWORD not in kept and "Lisbon" not in kept
