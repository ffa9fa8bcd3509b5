"""Finding 1: the emailed one-time codes can't be guessed by restarting, switching sessions or addresses.

Limits are per target address and per client address, on sending and on guessing (settings
ONE_TIME_CODE_*); clock-aligned windows, so at most twice the per-address guess limit fits in an hour.
"""

import pytest
from django.core import mail

from accounts.exceptions import TooManyAttempts, ValidationException
from accounts.services import (
    confirm_root_email_change,
    start_root_email_change,
    start_root_recovery,
    verify_root_recovery_code,
)
from iam.principals import Principal

pytestmark = pytest.mark.django_db


def code_from(message) -> str:
    return message.body.split("code is ")[1][:6]


def start(capture, email, client="198.51.100.7"):
    with capture(execute=True):
        start_root_recovery(email, client_address=client)
    return code_from(mail.outbox[-1]) if mail.outbox else None


def wrong(code):
    return "000000" if code != "000000" else "111111"


def test_restarting_recovery_does_not_reset_the_guess_count(account, settings, django_capture_on_commit_callbacks):
    limit = settings.ONE_TIME_CODE_GUESSES_PER_ADDRESS
    guesses = 0
    code = None
    while guesses < limit:
        code = start(django_capture_on_commit_callbacks, account.root_email, client=f"198.51.100.{guesses}")
        for _ in range(3):  # fewer than a pending code's own attempts, then start again
            if guesses == limit:
                break
            with pytest.raises(ValidationException, match="incorrect"):
                verify_root_recovery_code(account.root_email, wrong(code), client_address=f"203.0.113.{guesses}")
            guesses += 1
    code = start(django_capture_on_commit_callbacks, account.root_email, client="192.0.2.200")
    with pytest.raises(TooManyAttempts, match=r"Try again in \d+ (minutes|seconds) \(after \d\d:\d\d UTC\)"):
        verify_root_recovery_code(account.root_email, code, client_address="192.0.2.201")  # even the right code


def test_the_owner_is_told_of_the_recovery_and_once_of_the_guessing(account, settings, django_capture_on_commit_callbacks):
    code = start(django_capture_on_commit_callbacks, account.root_email, client="198.51.100.9")
    assert "Someone asked to recover the root user" in mail.outbox[-1].body
    assert "198.51.100.9" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(settings.ONE_TIME_CODE_GUESSES_PER_ADDRESS + 3):
            try:
                verify_root_recovery_code(account.root_email.upper(), wrong(code), client_address=f"203.0.113.{attempt}")
            except ValidationException:
                pass
            except TooManyAttempts:
                pass
    warnings = [m for m in mail.outbox if m.subject == "Repeated attempts to recover your AWS account root user"]
    assert len(warnings) == 1 and warnings[0].to == [account.root_email]
    assert "Recovery is paused until" in warnings[0].body


def test_one_client_is_limited_across_many_addresses(db, settings):
    settings.ONE_TIME_CODE_GUESSES_PER_CLIENT = 4
    for attempt in range(4):
        with pytest.raises(ValidationException):
            verify_root_recovery_code(f"person{attempt}@example.com", "123456", client_address="198.51.100.50")
    with pytest.raises(TooManyAttempts):
        verify_root_recovery_code("someone-else@example.com", "123456", client_address="198.51.100.50")


def test_sending_codes_is_limited_per_address_and_says_when(account, settings, django_capture_on_commit_callbacks):
    for attempt in range(settings.ONE_TIME_CODE_SENDS_PER_ADDRESS):
        start(django_capture_on_commit_callbacks, account.root_email, client=f"198.51.100.{attempt}")
    sent = len(mail.outbox)
    with pytest.raises(TooManyAttempts, match="Try again in"):
        start(django_capture_on_commit_callbacks, account.root_email, client="192.0.2.1")
    assert len(mail.outbox) == sent
    with pytest.raises(TooManyAttempts):  # unknown addresses are limited alike: no hint either way
        for attempt in range(settings.ONE_TIME_CODE_SENDS_PER_ADDRESS + 1):
            start(django_capture_on_commit_callbacks, "nobody@example.com", client=f"192.0.2.{attempt + 10}")


def test_the_recovery_page_says_when_to_try_again(account, client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/recover/", {"step": "email", "email": account.root_email})
    for _ in range(settings.ONE_TIME_CODE_GUESSES_PER_ADDRESS):
        client.post("/account/recover/", {"step": "code", "otp": "000000"})
    page = client.post("/account/recover/", {"step": "code", "otp": "000000"})
    assert page.status_code == 200
    assert "Too many incorrect codes were entered. Try again in" in page.content.decode()


def test_root_email_change_codes_are_limited_across_restarts(account, settings, django_capture_on_commit_callbacks):
    root = Principal(account=account, source_ip="198.51.100.3")
    for attempt in range(settings.ONE_TIME_CODE_GUESSES_PER_ADDRESS):
        if attempt % 3 == 0:  # a new address and a new code every few guesses
            with django_capture_on_commit_callbacks(execute=True):
                start_root_email_change(root, f"new{attempt}@example.com")
            code = code_from(mail.outbox[-1])
        with pytest.raises(ValidationException, match="incorrect"):
            confirm_root_email_change(root, wrong(code))
    with pytest.raises(TooManyAttempts):
        confirm_root_email_change(root, code)
