from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountStatus
from iam.authentication import INCORRECT, purge_sign_in_failures
from iam.models import SignInFailure
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, AccountFactory, IAMUserFactory

pytestmark = pytest.mark.django_db

SIGNIN = "/signin/"


def root_sign_in(client, email, password, **extra):
    return client.post(SIGNIN, {"email": email, "password": password, **extra})


def user_sign_in(client, reference, name, password):
    return client.post(f"/signin/{reference}/", {"as": "iam", "account": reference, "user_name": name, "password": password})


def test_root_user_signs_in_with_email_and_password_and_sees_their_account(client):
    account = AccountFactory(name="Acme")
    response = root_sign_in(client, account.root_email.upper(), ROOT_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "Root user" in home.content.decode()
    assert account.account_id in home.content.decode()


def test_iam_user_signs_in_with_account_id_or_alias(client):
    account = AccountFactory(alias="acme-prod")
    user = IAMUserFactory(account=account, name="Alice")
    assert user_sign_in(client, account.account_id, "alice", USER_PASSWORD).status_code == 302
    assert "Alice @ acme-prod" in client.get("/").content.decode()
    client.post("/signout/")
    assert user_sign_in(client, "acme-prod", "Alice", USER_PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password_last_used is not None


def test_account_specific_sign_in_page_prefills_the_account(client):
    account = AccountFactory(alias="acme-prod")
    page = client.get("/signin/acme-prod/").content.decode()
    assert 'value="acme-prod"' in page and "IAM user name" in page


@pytest.mark.parametrize(
    "case",
    ["wrong password", "unknown account", "unknown user", "disabled user", "closed account", "no console password"],
)
def test_failed_iam_sign_in_says_the_same_thing_whatever_was_wrong(client, case):
    account = AccountFactory(status=AccountStatus.CLOSED if case == "closed account" else AccountStatus.ACTIVE)
    IAMUserFactory(
        account=account,
        name="bob",
        enabled=case != "disabled user",
        password="" if case == "no console password" else make_password(USER_PASSWORD),
    )
    reference = {"unknown account": "999999999999"}.get(case, account.account_id)
    name = {"unknown user": "nobody"}.get(case, "bob")
    password = {"wrong password": "not-it"}.get(case, USER_PASSWORD)
    response = user_sign_in(client, reference, name, password)
    assert response.status_code == 200
    assert INCORRECT in response.content.decode()
    assert client.get("/").status_code == 302  # still not signed in


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "closed account"])
def test_failed_root_sign_in_is_generic(client, case):
    account = AccountFactory(status=AccountStatus.CLOSED if case == "closed account" else AccountStatus.ACTIVE)
    email = "nobody@example.com" if case == "unknown email" else account.root_email
    password = "wrong" if case == "wrong password" else ROOT_PASSWORD
    response = root_sign_in(client, email, password)
    assert INCORRECT in response.content.decode()
    assert SignInFailure.objects.count() == 1


def test_typed_values_survive_a_failed_sign_in(client):
    account = AccountFactory()
    page = root_sign_in(client, account.root_email, "wrong").content.decode()
    assert f'value="{account.root_email}"' in page


def test_repeated_failures_lock_the_name_out_even_for_the_right_password(client, settings):
    account = AccountFactory()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        root_sign_in(client, account.root_email, "wrong")
    response = root_sign_in(client, account.root_email, ROOT_PASSWORD)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/").status_code == 302


def test_lockout_ends_when_the_window_has_passed(client, settings):
    account = AccountFactory()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        root_sign_in(client, account.root_email, "wrong")
    SignInFailure.objects.update(failed_at=timezone.now() - settings.SIGN_IN_FAILURE_WINDOW - timedelta(seconds=1))
    assert root_sign_in(client, account.root_email, ROOT_PASSWORD).status_code == 302


def test_unknown_names_are_locked_out_like_real_ones(client, settings):
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        user_sign_in(client, "555555555555", "ghost", "x")
    assert "Too many failed" in user_sign_in(client, "555555555555", "ghost", "x").content.decode()


def test_account_id_and_alias_share_one_failure_budget(client, settings):
    account = AccountFactory(alias="shared-budget")
    IAMUserFactory(account=account, name="carol")
    for attempt in range(settings.SIGN_IN_FAILURE_LIMIT):
        user_sign_in(client, account.account_id if attempt % 2 else "shared-budget", "carol", "wrong")
    assert "Too many failed" in user_sign_in(client, "shared-budget", "carol", USER_PASSWORD).content.decode()


def test_successful_sign_in_clears_earlier_failures(client):
    account = AccountFactory()
    root_sign_in(client, account.root_email, "wrong")
    root_sign_in(client, account.root_email, ROOT_PASSWORD)
    assert not SignInFailure.objects.exists()


def test_purge_forgets_only_failures_outside_the_window(settings):
    now = timezone.now()
    SignInFailure.objects.create(sign_in_name="a", failed_at=now - settings.SIGN_IN_FAILURE_WINDOW - timedelta(minutes=1))
    SignInFailure.objects.create(sign_in_name="b", failed_at=now)
    assert purge_sign_in_failures() == 1
    assert list(SignInFailure.objects.values_list("sign_in_name", flat=True)) == ["b"]


def test_sign_in_redirects_only_to_this_site(client):
    account = AccountFactory()
    response = root_sign_in(client, account.root_email, ROOT_PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/"
    client.post("/signout/")
    response = root_sign_in(client, account.root_email, ROOT_PASSWORD, next="/account/")
    assert response["Location"] == "/account/"


def test_signed_out_visitors_are_sent_to_sign_in_with_a_return_address(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signin')}?next=%2Faccount%2F"


def test_htmx_requests_are_redirected_by_header(client):
    response = client.get("/account/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/signin/")


def test_sign_out_ends_the_session(client):
    account = AccountFactory()
    root_sign_in(client, account.root_email, ROOT_PASSWORD)
    client.post("/signout/")
    assert client.get("/").status_code == 302


def test_changing_a_password_ends_other_sessions(client):
    user = IAMUserFactory()
    user_sign_in(client, user.account.account_id, user.name, USER_PASSWORD)
    assert client.get("/").status_code == 200
    user.password = make_password("Another-Passw0rd!")
    user.save()
    assert client.get("/").status_code == 302


def test_disabling_a_user_or_closing_the_account_ends_their_session(client):
    user = IAMUserFactory()
    user_sign_in(client, user.account.account_id, user.name, USER_PASSWORD)
    user.account.status = AccountStatus.CLOSED
    user.account.save()
    assert client.get("/").status_code == 302


def test_customer_sign_in_does_not_open_the_staff_site(client):
    account = AccountFactory()
    root_sign_in(client, account.root_email, ROOT_PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_staff_sign_in_to_the_staff_site_and_are_not_customers(client, django_user_model):
    django_user_model.objects.create_user("engineer", password="Staff-Passw0rd!", is_staff=True)
    assert client.login(username="engineer", password="Staff-Passw0rd!")
    assert client.get("/staff/").status_code == 200
    assert client.get("/").status_code == 302  # not a customer principal


def test_passwords_are_hashed_with_argon2():
    assert AccountFactory().root_password.startswith("argon2")


def test_root_of_a_recently_closed_account_signs_in_but_sees_only_the_closed_notice_and_support(client):
    account = AccountFactory(status=AccountStatus.CLOSED, closed_at=timezone.now() - timedelta(days=10))
    assert root_sign_in(client, account.root_email, ROOT_PASSWORD).status_code == 302
    response = client.get("/iam/users/")
    assert response.status_code == 403 and "This account is closed" in response.content.decode()
    assert client.get("/support/").status_code == 200


def test_root_of_an_account_closed_over_90_days_ago_cannot_sign_in(client):
    account = AccountFactory(status=AccountStatus.CLOSED, closed_at=timezone.now() - timedelta(days=91))
    assert INCORRECT in root_sign_in(client, account.root_email, ROOT_PASSWORD).content.decode()
