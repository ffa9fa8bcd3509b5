"""The account password policy, enforced on every set and change, and the forced change at sign-in."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone

from iam.authentication import HARD_EXPIRED, authenticate_iam_user
from iam.exceptions import IAMError, PasswordPolicyViolation, SignInRefused, ValidationError
from iam.models import IAMUser, PasswordPolicy
from iam.services import (
    change_own_password,
    create_user,
    delete_password_policy,
    set_console_password,
    update_password_policy,
)
from iam.services.passwords import password_change_required, password_expired
from tests.factories import USER_PASSWORD

pytestmark = pytest.mark.django_db

STRICT = dict(minimum_length=12, require_uppercase=True, require_lowercase=True, require_numbers=True, require_symbols=True)


@pytest.mark.parametrize("field, value", [
    ("minimum_length", 5), ("minimum_length", 129), ("max_age_days", 0), ("max_age_days", 1096),
    ("reuse_prevention", 0), ("reuse_prevention", 25),
])
def test_policy_values_out_of_range_are_refused(account, field, value):
    with pytest.raises(ValidationError, match="failed to satisfy constraint"):
        update_password_policy(account, **{field: value})


@pytest.mark.parametrize("field, value", [
    ("minimum_length", 6), ("minimum_length", 128), ("max_age_days", 1), ("max_age_days", 1095),
    ("reuse_prevention", 1), ("reuse_prevention", 24),
])
def test_policy_range_bounds_are_accepted(account, field, value):
    assert getattr(update_password_policy(account, **{field: value}), field) == value


@pytest.mark.parametrize("password, problem", [
    ("Short1!", "minimum length of 12"),
    ("alllowercase1!x", "one uppercase letter"),
    ("ALLUPPERCASE1!X", "one lowercase letter"),
    ("NoNumbersHere!!", "one number"),
    ("NoSymbolsHere123", "one symbol"),
])
def test_every_rule_is_enforced_when_an_administrator_sets_a_password(account, password, problem):
    update_password_policy(account, **STRICT)
    user = create_user(account, "u")
    with pytest.raises(PasswordPolicyViolation, match=problem):
        set_console_password(user, password)
    user.refresh_from_db()
    assert not user.has_console_password


def test_the_policy_applies_when_a_user_is_created_with_a_password(account):
    update_password_policy(account, **STRICT)
    with pytest.raises(PasswordPolicyViolation):
        create_user(account, "weak", password="weak")
    assert not IAMUser.objects.filter(name="weak").exists()
    assert create_user(account, "strong", password="Str0ng-Enough!").has_console_password


def test_without_a_policy_aws_defaults_apply(account):
    user = create_user(account, "u")
    with pytest.raises(PasswordPolicyViolation, match="three of"):
        set_console_password(user, "lowercaseonly")
    set_console_password(user, "Mixed-case-1")
    update_password_policy(account, minimum_length=6)
    delete_password_policy(account)
    with pytest.raises(PasswordPolicyViolation, match="minimum length of 8"):
        set_console_password(user, "Ab1!x")


def test_reuse_prevention_remembers_the_last_passwords(account):
    update_password_policy(account, reuse_prevention=2)
    user = create_user(account, "u", password="First-Passw0rd")
    set_console_password(user, "Second-Passw0rd")
    with pytest.raises(PasswordPolicyViolation, match="last 2 passwords"):
        change_own_password(user, "Second-Passw0rd", "First-Passw0rd")
    set_console_password(user, "Third-Passw0rd")
    change_own_password(user, "Third-Passw0rd", "First-Passw0rd")
    assert check_password("First-Passw0rd", IAMUser.objects.get(pk=user.pk).password)


def test_changing_your_own_password_needs_the_old_one(account):
    user = create_user(account, "u", password=USER_PASSWORD)
    with pytest.raises(IAMError, match="old password is incorrect"):
        change_own_password(user, "wrong", "Brand-new-Passw0rd")
    change_own_password(user, USER_PASSWORD, "Brand-new-Passw0rd")


def test_expiry_counts_from_the_last_change(account):
    update_password_policy(account, max_age_days=30)
    user = create_user(account, "u", password=USER_PASSWORD)
    now = timezone.now()
    assert not password_expired(user, now=now + timedelta(days=29))
    assert password_expired(user, now=now + timedelta(days=31))
    assert password_change_required(user, now=now + timedelta(days=31))


def sign_in(client, account, name, password):
    return client.post(f"/signin/{account.account_id}/", {"account": account.account_id, "user_name": name, "password": password, "as": "iam"})


def test_a_flagged_user_must_change_the_password_before_reaching_any_page(account):
    create_user(account, "flagged", password=USER_PASSWORD, password_reset_required=True)
    client = Client()
    response = sign_in(client, account, "flagged", USER_PASSWORD)
    assert response["Location"] == "/iam/signin/new-password/"
    assert client.get("/iam/").status_code == 302  # still no console session
    refused = client.post("/iam/signin/new-password/", {"old_password": USER_PASSWORD, "new_password": "short", "confirm_password": "short"})
    assert refused.status_code == 200 and "minimum length" in refused.content.decode()
    done = client.post("/iam/signin/new-password/", {
        "old_password": USER_PASSWORD, "new_password": "A-new-Passw0rd", "confirm_password": "A-new-Passw0rd",
    })
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert not IAMUser.objects.get(name="flagged").password_reset_required


def test_an_expired_password_must_be_changed_at_sign_in(account):
    update_password_policy(account, max_age_days=30)
    user = create_user(account, "old", password=USER_PASSWORD)
    IAMUser.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=31))
    assert sign_in(Client(), account, "old", USER_PASSWORD)["Location"] == "/iam/signin/new-password/"


def test_hard_expiry_leaves_the_reset_to_an_administrator(account):
    update_password_policy(account, max_age_days=30, hard_expiry=True)
    user = create_user(account, "old", password=USER_PASSWORD)
    IAMUser.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=31))
    with pytest.raises(SignInRefused, match="only your administrator"):
        authenticate_iam_user(account.account_id, "old", USER_PASSWORD)
    response = sign_in(Client(), account, "old", USER_PASSWORD)
    assert response.status_code == 200 and HARD_EXPIRED in response.content.decode()
    set_console_password(IAMUser.objects.get(pk=user.pk), "Reset-by-admin1", reset_required=True)
    assert sign_in(Client(), account, "old", "Reset-by-admin1")["Location"] == "/iam/signin/new-password/"


def test_users_change_their_own_password_only_when_allowed(account, user_client):
    from iam.principals import Principal
    from tests.conftest import console_client_for

    user = create_user(account, "self", password=USER_PASSWORD)
    client = console_client_for(Principal(account=account, user=user))
    assert client.get("/iam/my-password/").status_code == 403
    update_password_policy(account, allow_users_to_change=True)
    assert client.get("/iam/my-password/").status_code == 200
    response = client.post("/iam/my-password/", {
        "old_password": USER_PASSWORD, "new_password": "Changed-Passw0rd", "confirm_password": "Changed-Passw0rd",
    })
    assert response.status_code == 302
    assert check_password("Changed-Passw0rd", IAMUser.objects.get(pk=user.pk).password)


def test_password_policy_page_edits_and_keeps_input_on_error(account, root_client):
    response = root_client.post("/iam/password-policy/edit/", {"minimum_length": "3", "require_numbers": "on"})
    assert response.status_code == 200
    assert "failed to satisfy constraint" in response.content.decode()
    assert 'value="3"' in response.content.decode()
    assert not PasswordPolicy.objects.filter(account=account).exists()
    assert root_client.post("/iam/password-policy/edit/", {"minimum_length": "14", "require_numbers": "on"}).status_code == 302
    account.refresh_from_db()
    assert account.password_policy.minimum_length == 14 and account.password_policy.require_numbers


def test_users_find_their_password_change_through_security_credentials(account):
    from iam.principals import Principal
    from iam.services import attach_policy
    from tests.conftest import console_client_for
    from tests.factories import PolicyFactory, allow, policy_document

    user = create_user(account, "self", password=USER_PASSWORD)
    own = f"arn:aws:iam::{account.account_id}:user/${{aws:username}}"
    attach_policy(user, PolicyFactory(account=account, document=policy_document(allow("iam:GetUser", resource=own))))
    client = console_client_for(Principal(account=account, user=user))
    home = client.get("/iam/users/self/").content.decode()
    assert 'href="/iam/security-credentials/">Security credentials</a>' in home
    assert client.get("/iam/security-credentials/")["Location"] == "/iam/users/self/?tab=credentials"
    assert "Change my password" not in home
    update_password_policy(account, allow_users_to_change=True)
    page = client.get("/iam/users/self/").content.decode()
    assert 'href="/iam/my-password/">Change my password</a>' in page
    create_user(account, "other", password=USER_PASSWORD)
    assert client.get("/iam/users/other/").status_code == 403


def test_the_reset_flag_changes_alone_and_only_with_a_password(account):
    from iam.exceptions import NoSuchEntity
    from iam.services.passwords import set_password_reset_required

    with_password = create_user(account, "flagged-later", password=USER_PASSWORD)
    set_password_reset_required(with_password, True)
    assert IAMUser.objects.get(pk=with_password.pk).password_reset_required is True
    with pytest.raises(NoSuchEntity):
        set_password_reset_required(create_user(account, "keys-only"), True)
