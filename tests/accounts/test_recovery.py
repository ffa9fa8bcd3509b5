"""Root account recovery: the emailed code, then the hashed security challenge answers, then a new password."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.exceptions import ValidationException
from accounts.models import RootRecovery
from accounts.selectors import root_recovery_questions
from accounts.services import (
    close_account,
    finish_root_recovery,
    put_security_challenge_questions,
    start_root_recovery,
    terminate_expired_accounts,
    verify_root_recovery_code,
)
from iam.authentication import authenticate_root
from iam.exceptions import SignInRefused
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import ROOT_PASSWORD

pytestmark = pytest.mark.django_db

QUESTIONS = [
    ("In what city were you born?", "Lisbon"),
    ("What is your favourite book?", "Dune"),
    ("Security Challenge Response #1", "x7-long-random-string"),
]
NEW_PASSWORD = "Rec0vered-Root!"


@pytest.fixture
def with_questions(root):
    put_security_challenge_questions(root, QUESTIONS)


def emailed_code(django_capture_on_commit_callbacks, email, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        start_root_recovery(email, **kwargs)
    return mail.outbox[-1].body.split("code is ")[1][:6]


def other_than(code):
    return "000000" if code != "000000" else "111111"


def test_recovery_needs_code_then_every_answer(account, with_questions, django_capture_on_commit_callbacks):
    code = emailed_code(django_capture_on_commit_callbacks, account.root_email.upper())
    assert mail.outbox[-1].to == [account.root_email]
    assert root_recovery_questions(account.root_email) is None  # nothing is shown before the code
    verify_root_recovery_code(account.root_email, code)
    assert root_recovery_questions(account.root_email) == [question for question, _ in QUESTIONS]
    with pytest.raises(ValidationException, match="don't match"):
        finish_root_recovery(account.root_email, ["Lisbon", "Dune", "wrong"], NEW_PASSWORD)
    with pytest.raises(ValidationException) as weak:
        finish_root_recovery(account.root_email, ["lisbon", " DUNE ", "x7-long-random-string"], "weakpassword")
    assert weak.value.field_list[0].field == "new_password"
    finish_root_recovery(account.root_email, ["lisbon", " DUNE ", "x7-long-random-string"], NEW_PASSWORD)
    assert authenticate_root(account.root_email, NEW_PASSWORD).account == account
    with pytest.raises(SignInRefused):
        authenticate_root(account.root_email, ROOT_PASSWORD)
    assert not RootRecovery.objects.exists()  # used once


def test_answers_are_refused_before_the_code_is_verified(account, with_questions, django_capture_on_commit_callbacks):
    emailed_code(django_capture_on_commit_callbacks, account.root_email)
    with pytest.raises(ValidationException, match="expired"):
        finish_root_recovery(account.root_email, [answer for _, answer in QUESTIONS], NEW_PASSWORD)
    account.refresh_from_db()
    assert authenticate_root(account.root_email, ROOT_PASSWORD)


def test_wrong_codes_and_wrong_answers_use_up_the_attempts(account, with_questions, django_capture_on_commit_callbacks):
    code = emailed_code(django_capture_on_commit_callbacks, account.root_email)
    for _ in range(2):
        with pytest.raises(ValidationException, match="incorrect"):
            verify_root_recovery_code(account.root_email, other_than(code))
    verify_root_recovery_code(account.root_email, code)
    for _ in range(3):
        with pytest.raises(ValidationException, match="don't match"):
            finish_root_recovery(account.root_email, ["a", "b", "c"], NEW_PASSWORD)
    with pytest.raises(ValidationException, match="expired"):  # five failures: start again
        finish_root_recovery(account.root_email, [answer for _, answer in QUESTIONS], NEW_PASSWORD)
    assert not RootRecovery.objects.exists()


def test_the_code_expires_after_fifteen_minutes(account, django_capture_on_commit_callbacks):
    code = emailed_code(django_capture_on_commit_callbacks, account.root_email)
    with pytest.raises(ValidationException, match="expired"):
        verify_root_recovery_code(account.root_email, code, now=timezone.now() + timedelta(minutes=15))


def test_unknown_and_terminated_addresses_get_the_same_answer_and_no_email(account, root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_root_recovery("nobody@example.com")
    close_account(root, account.account_id, now=timezone.now() - timedelta(days=91))
    terminate_expired_accounts()
    with django_capture_on_commit_callbacks(execute=True):
        start_root_recovery(account.root_email)
    assert mail.outbox == []
    with pytest.raises(ValidationException, match="incorrect"):  # no hint that the address is unknown
        verify_root_recovery_code("nobody@example.com", "123456")


def test_recovery_through_the_pages_ends_other_sessions(account, client, with_questions, django_capture_on_commit_callbacks):
    other_session = console_client_for(Principal(account=account))
    assert "/account/recover/" in client.get("/signin/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/recover/", {"step": "email", "email": account.root_email})
    code = mail.outbox[-1].body.split("code is ")[1][:6]
    wrong = client.post("/account/recover/", {"step": "code", "otp": other_than(code)})
    assert wrong.context["form"].errors == {"otp": ["The code is incorrect."]}
    page = client.post("/account/recover/", {"step": "code", "otp": code}, follow=True).content.decode()
    assert "In what city were you born?" in page and "Lisbon" not in page
    typed = {"step": "answers", "answer_1": "Lisbon", "answer_2": "Dune", "answer_3": "nope"}
    typed |= {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    refused = client.post("/account/recover/", typed)
    assert refused.context["form"].non_field_errors() == ["One or more answers don't match the ones saved for this account."]
    assert 'value="Dune"' in refused.content.decode()  # what was typed stays
    done = client.post("/account/recover/", {**typed, "answer_3": "x7-long-random-string"}, follow=True)
    assert done.redirect_chain[-1][0] == "/signin/"
    assert "Sign in with the new password" in done.content.decode()
    assert other_session.get("/account/").status_code == 302
    assert authenticate_root(account.root_email, NEW_PASSWORD)


def test_an_account_without_questions_recovers_with_the_code_alone(account, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/recover/", {"step": "email", "email": account.root_email})
    code = mail.outbox[-1].body.split("code is ")[1][:6]
    client.post("/account/recover/", {"step": "code", "otp": code})
    client.post("/account/recover/", {"step": "answers", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert authenticate_root(account.root_email, NEW_PASSWORD)


def test_the_email_step_checks_the_address_and_keeps_it(client):
    response = client.post("/account/recover/", {"step": "email", "email": "not an email"})
    assert response.context["form"].errors == {"email": ["Email must be a valid email address, such as name@example.com."]}
    assert 'value="not an email"' in response.content.decode()
    assert response.context["step"] == "email"


def test_start_again_forgets_the_address(account, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/recover/", {"step": "email", "email": account.root_email})
    assert client.get("/account/recover/").context["step"] == "code"
    assert client.get("/account/recover/?restart", follow=True).context["step"] == "email"
    stale = client.post("/account/recover/", {"step": "code", "otp": "123456"})  # a form from an old tab
    assert stale.status_code == 200 and stale.context["step"] == "email"
