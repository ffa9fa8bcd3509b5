"""Every request knows its account; nothing of another account is ever shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import IAMUserFactory, allow

pytestmark = pytest.mark.django_db


def test_the_top_bar_names_account_and_principal(account, user_client):
    client = user_client(account, allow("account:GetAccountInformation"), name="alice")
    page = client.get("/account/").content.decode()
    assert account.name in page and account.account_id in page
    assert f"alice @ {account.account_id}" in page
    assert 'hx-headers=\'{"X-CSRFToken"' in page and "htmx" in page


def test_a_denied_page_names_the_action_like_aws(account, user_client):
    client = user_client(account, name="nobody")
    response = client.get("/support/")
    assert response.status_code == 403
    assert (
        f"User: arn:aws:iam::{account.account_id}:user/nobody is not authorized to perform: support:DescribeCases"
        in response.content.decode()
    )


def test_another_accounts_user_is_not_found(account, other_account, user_client):
    IAMUserFactory(account=other_account, name="secret-user")
    IAMUserFactory(account=account, name="mine")
    client = user_client(account, allow("iam:*"))
    assert client.get("/iam/users/secret-user/").status_code == 404
    assert client.get("/iam/users/mine/").status_code == 200
    listing = client.get("/iam/users/").content.decode()
    assert "mine" in listing and "secret-user" not in listing


def test_account_page_shows_only_the_callers_account(account, other_account, root_client):
    page = root_client.get("/account/").content.decode()
    assert account.canonical_user_id in page
    assert other_account.account_id not in page and other_account.canonical_user_id not in page


def test_iam_dashboard_counts_only_this_account(account, other_account, root_client):
    IAMUserFactory.create_batch(3, account=other_account)
    IAMUserFactory.create_batch(2, account=account)
    response = root_client.get("/iam/")
    assert response.context["summary"]["users"] == 2
    assert f"/signin/{account.account_id}/" in response.content.decode()


def test_sign_in_url_follows_the_alias(account, root_client):
    account.alias = "acme"
    account.save()
    assert "/signin/acme/" in root_client.get("/iam/").content.decode()


def test_resource_level_check_guards_object_pages(account, user_client):
    IAMUserFactory(account=account, name="visible")
    IAMUserFactory(account=account, name="hidden")
    client = user_client(account, allow("iam:GetUser", resource=f"arn:aws:iam::{account.account_id}:user/visible"))
    assert client.get("/iam/users/visible/").status_code == 200
    assert client.get("/iam/users/hidden/").status_code == 403


def test_user_list_sorts_and_pages(account, root_client):
    for name in ["delta", "alpha", "charlie", "bravo"]:
        IAMUserFactory(account=account, name=name)
    page = root_client.get("/iam/users/?sort=-name&per_page=10").context["table"].page
    assert [user.name for user in page] == ["delta", "charlie", "bravo", "alpha"]
    assert root_client.get("/iam/users/?sort=password").context["table"].sort == "name"  # unknown key ignored


def test_user_list_query_count_does_not_grow_with_rows(account, root_client):
    IAMUserFactory.create_batch(2, account=account)
    with CaptureQueriesContext(connection) as few:
        root_client.get("/iam/users/")
    IAMUserFactory.create_batch(20, account=account)
    with CaptureQueriesContext(connection) as many:
        root_client.get("/iam/users/")
    assert len(many) == len(few)


def test_unknown_pages_answer_the_console_404(root_client):
    response = root_client.get("/iam/users/nobody-here/")
    assert response.status_code == 404
