"""Settings only the root user may change (the guide's "Tasks that require root user credentials"):
account name, root email and password, support plan, IAM access to billing information,
plus the security challenge questions (any principal with aws-portal:ModifyAccount)."""

from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from iam.principals import Principal
from iam.throttle import old_password_matches, root_sign_in_name

from ..exceptions import ConflictException, FieldProblem, ValidationException
from ..models import Account, PendingRootEmailChange, SecurityChallengeAnswer, SupportPlan
from ..permissions import require, require_root
from ..validation import ACCOUNT_NAME, Rule, validate
from .codes import code_refusal, email_code_on_commit, invalid, issue_code, limit_guessing, limit_sending

EMAIL_CHANGE = "root-email-change"
ROOT_EMAIL = Rule(
    "new_email",
    "Email",
    64,
    min_length=5,
    pattern=r"[\w+=.#|!&-]+@[\w.-]+\.[\w]+",
    pattern_hint="must be a valid email address, such as name@example.com.",
)
PASSWORD_SYMBOLS = set("!@#$%^&*()<>[]{}|_+-=")

CHALLENGE_QUESTIONS = (
    "Security Challenge Response #1",
    "Security Challenge Response #2",
    "Security Challenge Response #3",
    "What was the name of your first pet?",
    "In what city were you born?",
    "What was the make of your first car?",
    "What is your favourite book?",
    "What was the name of your primary school?",
)


def _save(principal: Principal, **changes) -> Account:
    """Write the changes and keep the principal's account instance in step."""
    Account.objects.filter(pk=principal.account.pk).update(**changes)
    for field, value in changes.items():
        setattr(principal.account, field, value)
    return principal.account


@transaction.atomic
def put_account_name(principal: Principal, name: str) -> Account:
    require_root(principal, "change the account name")
    return _save(principal, name=validate(ACCOUNT_NAME, {"name": name}, strip=True)["name"])


def _may_change_root_email(principal: Principal, action: str | None) -> None:
    """The console lets only the root user do it; the Account API (StartPrimaryEmailUpdate,
    AcceptPrimaryEmailUpdate) asks IAM for its action instead."""
    if action is None:
        require_root(principal, "change the root user email address")
    else:
        require(principal, action)


@transaction.atomic
def start_root_email_change(
    principal: Principal, new_email: str, *, now: datetime | None = None, action: str | None = None
) -> None:
    """Email a one-time code to the new address; the change waits for it."""
    _may_change_root_email(principal, action)
    new_email = validate((ROOT_EMAIL,), {"new_email": new_email}, strip=True)["new_email"].lower()
    if new_email == principal.account.root_email:
        raise invalid("new_email", "Email", "This is already the root user email address.")
    if Account.objects.filter(root_email__iexact=new_email).exists():
        raise ConflictException("That email address is already in use by another account.")
    limit_sending(new_email, principal.source_ip or None)
    code = issue_code(
        PendingRootEmailChange, principal.account, EMAIL_CHANGE, now or timezone.now(), new_email=new_email
    )
    email_code_on_commit(
        new_email,
        "Confirm your new AWS account email address",
        code,
        f"Enter it on the Account page of account {principal.account.account_id} to finish changing "
        "the root user email address.",
        account=principal.account,
    )


def confirm_root_email_change(
    principal: Principal, code: str, *, now: datetime | None = None, action: str | None = None,
    new_email: str | None = None,
) -> Account:
    """Finish the change with the emailed code (and, from the API, the address it was sent to). Wrong codes and
    expiry are recorded even though the call fails, so refusals are raised only after the bookkeeping has
    committed."""
    _may_change_root_email(principal, action)
    pending = PendingRootEmailChange.objects.filter(account=principal.account).first()
    if new_email is not None and pending is not None and pending.new_email != new_email.strip().lower():
        raise invalid("new_email", "PrimaryEmail", "The email address does not match the pending primary email update.")
    # Counted per account, not per new address: asking for another address must not reset it.
    limit_guessing(f"account:{principal.account.account_id}", principal.source_ip or None)
    with transaction.atomic():
        refusal = _check_email_code(principal, (code or "").strip(), now or timezone.now())
    if refusal:
        raise refusal
    return principal.account


def _check_email_code(principal: Principal, code: str, now: datetime) -> Exception | None:
    pending = PendingRootEmailChange.objects.select_for_update().filter(account=principal.account).first()
    if pending is None:
        return ConflictException("There is no email address change waiting for a code.")
    refusal = code_refusal(pending, EMAIL_CHANGE, code, now)
    if refusal:
        return refusal
    pending.delete()
    if Account.objects.filter(root_email__iexact=pending.new_email).exclude(pk=principal.account.pk).exists():
        return ConflictException("That email address is already in use by another account.")
    _save(principal, root_email=pending.new_email)
    return None


def password_problem(password: str, account: Account) -> str | None:
    """The root password policy the guide states."""
    if not 8 <= len(password) <= 128:
        return "The password must be between 8 and 128 characters long."
    kinds = (
        any(ch.isupper() for ch in password),
        any(ch.islower() for ch in password),
        any(ch.isdigit() for ch in password),
        any(ch in PASSWORD_SYMBOLS for ch in password),
    )
    if sum(kinds) < 3:
        return "The password must mix at least three of: uppercase, lowercase, numbers and symbols (! @ # $ % ^ & * ( ) < > [ ] { } | _ + - =)."
    if password.casefold() in (account.name.casefold(), account.root_email.casefold()):
        return "The password must not be the same as the account name or email address."
    return None


@transaction.atomic
def change_root_password(principal: Principal, current_password: str, new_password: str) -> Account:
    """Every other console session of the root user ends (their password fingerprint no longer matches)."""
    require_root(principal, "change the root user password")
    if not old_password_matches(root_sign_in_name(principal.account.root_email), current_password, principal.account.root_password):
        raise invalid("current_password", "CurrentPassword", "The current password is incorrect.")
    problem = password_problem(new_password or "", principal.account)
    if problem:
        raise invalid("new_password", "NewPassword", problem)
    return _save(principal, root_password=make_password(new_password))


@transaction.atomic
def change_support_plan(principal: Principal, plan: str) -> Account:
    """Upgrades and downgrades take effect at once."""
    require_root(principal, "change the support plan")
    if plan not in SupportPlan.values:
        raise invalid("plan", "SupportPlan", f"Choose one of: {', '.join(SupportPlan.labels)}.")
    return _save(principal, support_plan=plan)


@transaction.atomic
def set_iam_billing_access(principal: Principal, enabled: bool) -> Account:
    require_root(principal, "activate IAM access to billing information")
    return _save(principal, iam_billing_access=bool(enabled))


def _normalised_answer(answer: str) -> str:
    return " ".join((answer or "").split()).casefold()


@transaction.atomic
def put_security_challenge_questions(principal: Principal, answers: list[tuple[str, str]]) -> None:
    """Three (question, answer) pairs, distinct questions; answers are stored hashed only."""
    require(principal, "aws-portal:ModifyAccount")
    problems = []
    if len(answers) != 3:
        raise invalid("answers", "Answers", "Give exactly three questions with answers.")
    for position, (question, answer) in enumerate(answers, start=1):
        if question not in CHALLENGE_QUESTIONS:
            problems.append(FieldProblem(f"Question{position}", "Choose a question from the list.", f"question_{position}"))
        elif question in [earlier for earlier, _ in answers[: position - 1]]:
            problems.append(FieldProblem(f"Question{position}", "Choose three different questions.", f"question_{position}"))
        if not 1 <= len(_normalised_answer(answer)) <= 100:
            problems.append(FieldProblem(f"Answer{position}", "Give an answer of 1 to 100 characters.", f"answer_{position}"))
    if problems:
        raise ValidationException("; ".join(p.message for p in problems), field_list=problems)
    SecurityChallengeAnswer.objects.filter(account=principal.account).delete()
    SecurityChallengeAnswer.objects.bulk_create(
        SecurityChallengeAnswer(
            account=principal.account,
            position=position,
            question=question,
            answer_hash=make_password(_normalised_answer(answer)),
        )
        for position, (question, answer) in enumerate(answers, start=1)
    )


def check_security_challenge_answer(account: Account, position: int, answer: str) -> bool:
    """For root account recovery: does the answer match the stored hash?"""
    stored = SecurityChallengeAnswer.objects.filter(account=account, position=position).first()
    return stored is not None and check_password(_normalised_answer(answer), stored.answer_hash)
