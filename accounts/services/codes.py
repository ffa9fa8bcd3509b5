"""One-time codes emailed to prove control of an address (root email change, root account recovery).

A pending request is any row with `account`, `code_hash`, `expires_at` and `failed_attempts`.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from ..exceptions import FieldProblem, ValidationException
from ..models import Account

CODE_LIFETIME = timedelta(minutes=15)
CODE_ATTEMPTS = 5


def invalid(field: str, name: str, message: str) -> ValidationException:
    return ValidationException(message, field_list=[FieldProblem(name, message, field)])


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


def email_code_on_commit(address: str, subject: str, code: str, instructions: str) -> None:
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    body = (
        f"Your verification code is {code}. It expires in {minutes} minutes.\n\n"
        f"{instructions} If you didn't ask for this, ignore this message."
    )
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


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
