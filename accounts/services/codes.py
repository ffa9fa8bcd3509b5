"""One-time codes emailed to prove control of an address (root email change, root account recovery).

A pending request is any row with `account`, `code_hash`, `expires_at` and `failed_attempts`.
A pending request allows CODE_ATTEMPTS guesses, but starting again issues a new request, so the
real bound is kept outside it: `limit_sending` and `limit_guessing` count per target address and
per client address in portal.limits (settings ONE_TIME_CODE_*), whatever the sessions and restarts.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from inbox.addressing import about_account
from portal.limits import Limit, LimitReached, take_all

from ..exceptions import FieldProblem, TooManyAttempts, ValidationException
from ..models import Account

CODE_LIFETIME = timedelta(minutes=15)
CODE_ATTEMPTS = 5


def invalid(field: str, name: str, message: str) -> ValidationException:
    return ValidationException(message, field_list=[FieldProblem(name, message, field)])


def _take(action: str, address: str, client_address: str | None) -> None:
    """action is "send" or "guess" (settings ONE_TIME_CODE_SENDS_PER_... / ONE_TIME_CODE_GUESSES_PER_...)."""
    window = settings.ONE_TIME_CODE_WINDOW_MINUTES * 60
    plural = {"send": "SENDS", "guess": "GUESSES"}[action]
    per_address = getattr(settings, f"ONE_TIME_CODE_{plural}_PER_ADDRESS")
    per_client = getattr(settings, f"ONE_TIME_CODE_{plural}_PER_CLIENT")
    counted = [(Limit(f"otp-{action}-address", per_address, window), address.strip().lower())]
    if client_address:
        counted.append((Limit(f"otp-{action}-client", per_client, window), client_address))
    take_all(counted)


def limit_sending(address: str, client_address: str | None) -> None:
    """Before a code is mailed to `address`: TooManyAttempts when it or the client asked too often."""
    try:
        _take("send", address, client_address)
    except LimitReached as reached:
        raise TooManyAttempts(f"Too many verification codes were requested. {reached.try_again()}") from reached


def limit_guessing(address: str, client_address: str | None, *, on_first_refusal=None) -> None:
    """Before a code (or an answer) for `address` is checked. A guess counts whether it is right or
    wrong; `on_first_refusal()` runs once per window when the address's limit is reached."""
    try:
        _take("guess", address, client_address)
    except LimitReached as reached:
        if reached.just_reached and reached.limit.scope == "otp-guess-address" and on_first_refusal:
            on_first_refusal(reached)
        raise TooManyAttempts(f"Too many incorrect codes were entered. {reached.try_again()}") from reached


def code_hash(account: Account, purpose: str, code: str) -> str:
    return salted_hmac(f"accounts.{purpose}", f"{account.pk}:{code}", algorithm="sha256").hexdigest()


def issue_code(model: type[models.Model], account: Account, purpose: str, now: datetime, **fields) -> str:
    """Create or replace the account's pending request of this kind; returns the new code."""
    code = f"{secrets.randbelow(10**6):06d}"
    model.objects.update_or_create(
        account=account,
        defaults={
            "code_hash": code_hash(account, purpose, code),
            "expires_at": now + CODE_LIFETIME,
            "failed_attempts": 0,
            **fields,
        },
    )
    return code


def email_code_on_commit(
    address: str, subject: str, code: str, instructions: str, *, warning: str = "", account: Account | None = None
) -> None:
    """Mail the code once the transaction commits; `account` names the account it is for, so the
    sandbox mailbox shows it there even when the address is not the account's yet (a new root email)."""
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    body = (
        f"Your verification code is {code}. It expires in {minutes} minutes.\n\n"
        f"{instructions} If you didn't ask for this, ignore this message.{warning}"
    )
    email_on_commit(address, subject, body, account=account)


def email_on_commit(address: str, subject: str, body: str, *, account: Account | None = None) -> None:
    headers = about_account(account) if account is not None else {}
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], headers=headers)
    transaction.on_commit(message.send)


EXPIRED = "This code has expired. Start again."
INCORRECT = "The code is incorrect."


def expired_or_exhausted(pending, now: datetime) -> ValidationException | None:
    """Refuse (and forget) a request past its lifetime or out of attempts."""
    if now >= pending.expires_at or pending.failed_attempts >= CODE_ATTEMPTS:
        pending.delete()
        return invalid("otp", "Code", EXPIRED)
    return None


def record_failure(pending) -> None:
    pending.failed_attempts += 1
    pending.save(update_fields=["failed_attempts"])


def code_refusal(pending, purpose: str, code: str, now: datetime) -> ValidationException | None:
    """None when `code` matches; otherwise the refusal, with the failure recorded on `pending`.

    Callers commit that bookkeeping before raising, so wrong guesses are counted."""
    refusal = expired_or_exhausted(pending, now)
    if refusal:
        return refusal
    if not constant_time_compare(code_hash(pending.account, purpose, code), pending.code_hash):
        record_failure(pending)
        return invalid("otp", "Code", INCORRECT)
    return None
