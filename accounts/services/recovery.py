"""Root account recovery: a root user who lost the password proves who they are and sets a new one.

The guide: security challenge questions let AWS "help authenticate you as the owner of the account"
when you have lost access. Here recovery needs (1) the one-time code emailed to the root address,
then (2) the answers to the account's security challenge questions (when it has set them), and
only then (3) takes a new password that meets the root password policy. Every session of the root
user ends, because the password changed. Terminated accounts can't be recovered.
"""

from dataclasses import replace
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ..exceptions import FieldProblem, ValidationException
from ..models import Account, RootRecovery, SecurityChallengeAnswer
from .codes import EXPIRED, INCORRECT, code_refusal, email_code_on_commit, expired_or_exhausted, invalid, issue_code, record_failure
from ..validation import validate
from .root_user import ROOT_EMAIL, check_security_challenge_answer, password_problem

RECOVERY = "root-recovery"
# Any address an account may have signed up with, checked for shape only.
RECOVERY_EMAIL = replace(ROOT_EMAIL, field="email", max_length=254)
WRONG_ANSWERS = "One or more answers don't match the ones saved for this account."


def _account_by_email(email: str) -> Account | None:
    return Account.objects.filter(root_email__iexact=(email or "").strip()).first()


@transaction.atomic
def start_root_recovery(email: str, *, now: datetime | None = None) -> None:
    """Email a code to the root address. Unknown addresses get the same answer (nothing is sent),
    so the page never tells which addresses have accounts."""
    email = validate((RECOVERY_EMAIL,), {"email": email}, strip=True)["email"]
    account = _account_by_email(email)
    if account is None or not account.root_may_sign_in:
        return
    code = issue_code(RootRecovery, account, RECOVERY, now or timezone.now(), code_verified=False)
    email_code_on_commit(
        account.root_email,
        "Recover your AWS account root user",
        code,
        "Enter it on the account recovery page, then answer your security challenge questions "
        "to choose a new root user password.",
    )


def _pending(email: str) -> RootRecovery | None:
    return RootRecovery.objects.select_for_update().select_related("account").filter(
        account__root_email__iexact=(email or "").strip()
    ).first()


def verify_root_recovery_code(email: str, code: str, *, now: datetime | None = None) -> None:
    """Step 2. Failed guesses are committed before the refusal is raised, so they count."""
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


def finish_root_recovery(email: str, answers: list[str], new_password: str, *, now: datetime | None = None) -> Account:
    """Step 3: every challenge answer must match its stored hash; wrong answers use up attempts."""
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
    return account
