"""Root account recovery: a root user who lost the password proves who they are and sets a new one.

The guide: security challenge questions let AWS "help authenticate you as the owner of the account"
when you have lost access. Here recovery needs (1) the one-time code emailed to the root address,
then (2) the answers to the account's security challenge questions (when it has set them), and
only then (3) takes a new password that meets the root password policy. Every session of the root
user ends, because the password changed. Terminated accounts can't be recovered.

Sending codes and guessing (codes and answers alike) are limited per address and per client
address across restarts (codes.limit_sending / limit_guessing); the root address is told when
someone starts a recovery, when the guess limit is reached, and when the password was reset.
"""

from dataclasses import replace
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ..exceptions import FieldProblem, ValidationException
from ..models import Account, RootRecovery, SecurityChallengeAnswer
from .codes import (
    EXPIRED,
    INCORRECT,
    code_refusal,
    email_code_on_commit,
    email_on_commit,
    expired_or_exhausted,
    invalid,
    issue_code,
    limit_guessing,
    limit_sending,
    record_failure,
)
from ..validation import validate
from .root_user import ROOT_EMAIL, check_security_challenge_answer, password_problem

RECOVERY = "root-recovery"
# Any address an account may have signed up with, checked for shape only.
RECOVERY_EMAIL = replace(ROOT_EMAIL, field="email", max_length=254)
WRONG_ANSWERS = "One or more answers don't match the ones saved for this account."


def _account_by_email(email: str) -> Account | None:
    return Account.objects.filter(root_email__iexact=(email or "").strip()).first()


def _from(client_address: str | None) -> str:
    return f" from {client_address}" if client_address else ""


@transaction.atomic
def start_root_recovery(email: str, *, client_address: str | None = None, now: datetime | None = None) -> None:
    """Email a code to the root address. Unknown addresses get the same answer (nothing is sent,
    the same limits apply), so the page never tells which addresses have accounts."""
    email = validate((RECOVERY_EMAIL,), {"email": email}, strip=True)["email"]
    limit_sending(email, client_address)
    account = _account_by_email(email)
    if account is None or not account.root_may_sign_in:
        return
    now = now or timezone.now()
    code = issue_code(RootRecovery, account, RECOVERY, now, code_verified=False)
    email_code_on_commit(
        account.root_email,
        "Recover your AWS account root user",
        code,
        "Enter it on the account recovery page, then answer your security challenge questions "
        "to choose a new root user password.",
        warning=(
            f"\n\nSomeone asked to recover the root user of account {account.account_id} at "
            f"{now:%Y-%m-%d %H:%M} UTC{_from(client_address)}. Your password has not changed; "
            "if this wasn't you, don't share the code with anyone."
        ),
        account=account,
    )


def _warn_owner_of_guessing(email: str, client_address: str | None):
    def warn(reached) -> None:
        account = _account_by_email(email)
        if account is not None:
            email_on_commit(
                account.root_email,
                "Repeated attempts to recover your AWS account root user",
                f"Someone entered {reached.limit.count} incorrect recovery codes or answers for the root user of "
                f"account {account.account_id}{_from(client_address)}. Recovery is paused until "
                f"{reached.retry_at:%Y-%m-%d %H:%M} UTC. Your password has not changed.",
            )

    return warn


def _limit_guessing(email: str, client_address: str | None) -> None:
    limit_guessing(email, client_address, on_first_refusal=_warn_owner_of_guessing(email, client_address))


def _pending(email: str) -> RootRecovery | None:
    return RootRecovery.objects.select_for_update().select_related("account").filter(
        account__root_email__iexact=(email or "").strip()
    ).first()


def verify_root_recovery_code(
    email: str, code: str, *, client_address: str | None = None, now: datetime | None = None
) -> None:
    """Step 2. Failed guesses are committed before the refusal is raised, so they count."""
    _limit_guessing(email, client_address)
    with transaction.atomic():
        pending = _pending(email)
        refusal = (
            invalid("otp", "Code", INCORRECT)  # as for a wrong code: no hint whether the address has an account
            if pending is None
            else code_refusal(pending, RECOVERY, (code or "").strip(), now or timezone.now())
        )
        if refusal is None:
            pending.code_verified = True
            pending.save(update_fields=["code_verified"])
    if refusal:
        raise refusal


def finish_root_recovery(
    email: str, answers: list[str], new_password: str, *, client_address: str | None = None, now: datetime | None = None
) -> Account:
    """Step 3: every challenge answer must match its stored hash; wrong answers use up attempts."""
    _limit_guessing(email, client_address)
    with transaction.atomic():
        outcome = _finish(email, answers, new_password, now or timezone.now())
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _finish(email: str, answers: list[str], new_password: str, now: datetime) -> Account | Exception:
    pending = _pending(email)
    if pending is None or not pending.code_verified:
        return invalid("otp", "Code", EXPIRED)
    refusal = expired_or_exhausted(pending, now)
    if refusal:
        return refusal
    account = pending.account
    positions = list(SecurityChallengeAnswer.objects.filter(account=account).values_list("position", flat=True))
    if len(answers) != len(positions) or not all(
        check_security_challenge_answer(account, position, answer) for position, answer in zip(positions, answers)
    ):
        record_failure(pending)
        return ValidationException(WRONG_ANSWERS, field_list=[FieldProblem("Answers", WRONG_ANSWERS, "answers")])
    problem = password_problem(new_password or "", account)
    if problem:
        return invalid("new_password", "NewPassword", problem)
    pending.delete()
    Account.objects.filter(pk=account.pk).update(root_password=make_password(new_password))
    account.refresh_from_db()
    email_on_commit(
        account.root_email,
        "Your AWS account root user password was reset",
        f"The root user password of account {account.account_id} was reset through account recovery at "
        f"{now:%Y-%m-%d %H:%M} UTC. If this wasn't you, contact AWS Support at once.",
    )
    return account
