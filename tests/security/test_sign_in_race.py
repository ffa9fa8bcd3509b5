"""Findings 2 and 8: the sign-in lockout can't be raced, and old-password checks share its budget."""

import pytest
from django.test import Client

from api.service_models import IAM
from iam.authentication import INCORRECT
from iam.models import SignInFailure
from tests.conftest import console_client_for
from iam.principals import Principal
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, AccountFactory

from .conftest import at_once, require_postgresql

LOCKED = "Too many failed sign-in attempts"


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_passwords_check_only_the_limit(settings):
    require_postgresql()
    account = AccountFactory()

    def attempt():
        return Client().post("/signin/", {"email": account.root_email, "password": "wrong"}).content.decode()

    answers = at_once(*[attempt] * 30)
    checked = sum(INCORRECT in answer for answer in answers)
    assert checked <= settings.SIGN_IN_FAILURE_LIMIT
    assert sum(LOCKED in answer for answer in answers) == 30 - checked
    assert SignInFailure.objects.count() == checked


def test_console_old_password_guesses_share_the_sign_in_lockout(db, settings, make_user):
    account = AccountFactory()
    user = make_user(account, {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "*"}, name="dana")
    client = console_client_for(Principal(account=account, user=user))
    form = {"old_password": "wrong", "new_password": "N3w-Passw0rd!x", "confirm_password": "N3w-Passw0rd!x"}
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        page = client.post("/iam/my-password/", form).content.decode()
        assert "The old password is incorrect." in page
    page = client.post("/iam/my-password/", {**form, "old_password": USER_PASSWORD}).content.decode()
    assert LOCKED in page  # even the right password is not checked any more
    signin = Client().post(
        f"/signin/{account.account_id}/",
        {"as": "iam", "account": account.account_id, "user_name": "dana", "password": USER_PASSWORD},
    )
    assert LOCKED in signin.content.decode()


def test_api_change_password_guesses_are_limited(db, settings, wire, make_user):
    account = AccountFactory()
    user = make_user(account, {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "*"})
    call = wire(account, user)
    params = {"OldPassword": "wrong", "NewPassword": "N3w-Passw0rd!x"}
    codes = [call(IAM, "ChangePassword", params).error_code for _ in range(settings.SIGN_IN_FAILURE_LIMIT + 2)]
    assert codes[: settings.SIGN_IN_FAILURE_LIMIT] == ["ValidationError"] * settings.SIGN_IN_FAILURE_LIMIT
    assert codes[settings.SIGN_IN_FAILURE_LIMIT :] == ["LimitExceeded"] * 2
    assert call(IAM, "ChangePassword", {**params, "OldPassword": USER_PASSWORD}).error_code == "LimitExceeded"


def test_root_password_change_guesses_are_limited(db, settings):
    account = AccountFactory()
    client = console_client_for(Principal(account=account))
    form = {"current_password": "wrong", "new_password": "N3w-Passw0rd!x", "confirm_password": "N3w-Passw0rd!x"}
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        client.post("/account/", {"panel": "password", **form})
    assert LOCKED in Client().post("/signin/", {"email": account.root_email, "password": ROOT_PASSWORD}).content.decode()
