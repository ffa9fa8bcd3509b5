"""Root-only settings: refused to every IAM principal in the service layer, with the guide's rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import AccessDeniedException, ConflictException, ValidationException
from accounts.services import (
    change_root_password,
    change_support_plan,
    close_account,
    confirm_root_email_change,
    put_account_name,
    request_reopen,
    set_iam_billing_access,
    start_root_email_change,
)
from tests.factories import ROOT_PASSWORD, AccountFactory, allow

pytestmark = pytest.mark.django_db

ROOT_ONLY_CALLS = {
    "account name": lambda p: put_account_name(p, "Renamed"),
    "root email": lambda p: start_root_email_change(p, "new@example.com"),
    "root email code": lambda p: confirm_root_email_change(p, "123456"),
    "root password": lambda p: change_root_password(p, ROOT_PASSWORD, "N3w-Passw0rd!"),
    "support plan": lambda p: change_support_plan(p, "enterprise"),
    "billing access": lambda p: set_iam_billing_access(p, True),
    "close": lambda p: close_account(p, p.account.account_id),
    "reopen request": request_reopen,
}


@pytest.mark.parametrize("task", list(ROOT_ONLY_CALLS))
def test_root_only_tasks_refuse_even_a_full_administrator(account, iam_principal, task):
    admin = iam_principal(account, allow("*"))
    before = (account.name, account.root_email, account.root_password, account.support_plan, account.iam_billing_access, account.status)
    with pytest.raises(AccessDeniedException, match="Only the root user can"):
        ROOT_ONLY_CALLS[task](admin)
    account.refresh_from_db()
    assert (account.name, account.root_email, account.root_password, account.support_plan, account.iam_billing_access, account.status) == before


@pytest.mark.parametrize(("name", "ok"), [("A" * 50, True), ("A" * 51, False), ("", False), ("Acme <prod>", False), ("Acme-prod_1 (eu)", True)])
def test_account_name_rules(root, name, ok):
    if ok:
        assert put_account_name(root, name).name == name
    else:
        with pytest.raises(ValidationException) as refusal:
            put_account_name(root, name)
        assert refusal.value.field_list[0].name == "AccountName"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Sh0rt!", False),
        ("a" * 129, False),
        ("alllowercase1", False),  # two kinds only
        ("lowercase1!", True),
        ("UPPER-lower", True),
        ("Aa1" + "x" * 125, True),
    ],
)
def test_root_password_policy(account, root, password, ok):
    if ok:
        change_root_password(root, ROOT_PASSWORD, password)
        account.refresh_from_db()
        assert account.root_password != "" and root.account.root_password == account.root_password
    else:
        with pytest.raises(ValidationException) as refusal:
            change_root_password(root, ROOT_PASSWORD, password)
        assert refusal.value.field_list[0].field == "new_password"


def test_root_password_must_not_be_the_account_name_or_email():
    account = AccountFactory(name="Secret-Corp1", root_email="Admin1@example.com")
    from iam.principals import Principal

    root = Principal(account=account)
    for same in ("secret-corp1", "admin1@example.com"):
        with pytest.raises(ValidationException, match="same as the account name or email"):
            change_root_password(root, ROOT_PASSWORD, same)


def test_email_code_expires_and_wrong_codes_run_out(account, root, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_root_email_change(root, "next@example.com")
    code = mailoutbox[0].body.split("code is ")[1][:6]
    later = timezone.now() + timedelta(minutes=16)
    with pytest.raises(ValidationException, match="expired"):
        confirm_root_email_change(root, code, now=later)
    with pytest.raises(ConflictException):  # the expired change is gone
        confirm_root_email_change(root, code)
    with django_capture_on_commit_callbacks(execute=True):
        start_root_email_change(root, "next@example.com")
    code = mailoutbox[1].body.split("code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationException, match="incorrect"):
            confirm_root_email_change(root, wrong)
    with pytest.raises(ValidationException, match="expired"):
        confirm_root_email_change(root, code)
    account.refresh_from_db()
    assert account.root_email != "next@example.com"


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "x" * 60 + "@example.com"])
def test_root_email_rules(root, email):
    with pytest.raises(ValidationException):
        start_root_email_change(root, email)


def test_unknown_support_plan_is_refused(account, root):
    with pytest.raises(ValidationException):
        change_support_plan(root, "platinum")
    account.refresh_from_db()
    assert account.support_plan == "business"


GOOD_QUESTIONS = [
    ("In what city were you born?", "Lisbon"),
    ("What is your favourite book?", "Dune"),
    ("Security Challenge Response #1", "random"),
]


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        (GOOD_QUESTIONS[:2], ["answers"]),
        ([("What is your quest?", "grail"), *GOOD_QUESTIONS[1:]], ["question_1"]),
        ([GOOD_QUESTIONS[0], GOOD_QUESTIONS[0], GOOD_QUESTIONS[2]], ["question_2"]),
        ([GOOD_QUESTIONS[0], GOOD_QUESTIONS[1], ("Security Challenge Response #2", "   ")], ["answer_3"]),
        ([GOOD_QUESTIONS[0], GOOD_QUESTIONS[1], ("Security Challenge Response #2", "x" * 101)], ["answer_3"]),
    ],
)
def test_challenge_question_rules(account, root, answers, fields):
    from accounts.services import put_security_challenge_questions

    with pytest.raises(ValidationException) as refusal:
        put_security_challenge_questions(root, answers)
    assert [problem.field for problem in refusal.value.field_list] == fields
    assert not account.challenge_answers.exists()


def test_challenge_questions_need_modify_account_and_answers_stay_hashed(account, iam_principal):
    from accounts.selectors import security_challenge_questions
    from accounts.services import check_security_challenge_answer, put_security_challenge_questions

    viewer = iam_principal(account, allow("aws-portal:ViewAccount"))
    with pytest.raises(AccessDeniedException, match="aws-portal:ModifyAccount"):
        put_security_challenge_questions(viewer, GOOD_QUESTIONS)
    editor = iam_principal(account, allow(["aws-portal:ViewAccount", "aws-portal:ModifyAccount"]))
    put_security_challenge_questions(editor, GOOD_QUESTIONS)
    assert security_challenge_questions(viewer) == [question for question, _ in GOOD_QUESTIONS]
    assert "Dune" not in "".join(account.challenge_answers.values_list("answer_hash", flat=True))
    assert check_security_challenge_answer(account, 2, "dune") and not check_security_challenge_answer(account, 2, "Dun")


def test_after_the_email_change_the_root_user_signs_in_with_the_new_address(account, root, mailoutbox, django_capture_on_commit_callbacks):
    from iam.authentication import authenticate_root
    from iam.exceptions import SignInRefused

    old_email = account.root_email
    with django_capture_on_commit_callbacks(execute=True):
        start_root_email_change(root, "Renamed.Root@Example.com")
    assert mailoutbox[0].to == ["renamed.root@example.com"]
    confirm_root_email_change(root, mailoutbox[0].body.split("code is ")[1][:6])
    assert authenticate_root("renamed.root@example.com", ROOT_PASSWORD).account == account
    with pytest.raises(SignInRefused):
        authenticate_root(old_email, ROOT_PASSWORD)
