"""Account alias: IAM's rules, uniqueness across the portal, the sign-in URL following it."""

import pytest

from accounts.exceptions import AccessDeniedException
from accounts.selectors import find_account_by_reference, list_account_aliases
from accounts.services import create_account_alias, delete_account_alias
from iam.exceptions import EntityAlreadyExists, IAMError, NoSuchEntity
from iam.principals import Principal
from tests.factories import allow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "alias",
    ["ab", "a" * 64, "-acme", "acme-", "ac--me", "Acme", "ac_me", "ac.me", "ac me", "123456789012", "007", ""],
)
def test_invalid_aliases_are_refused(root, alias):
    with pytest.raises(IAMError) as refusal:
        create_account_alias(root, alias)
    assert refusal.value.code == "ValidationError"
    assert list_account_aliases(root) == []


@pytest.mark.parametrize("alias", ["abc", "a" * 63, "acme-prod-1", "1st-team", "a1b"])
def test_valid_aliases(root, alias):
    create_account_alias(root, alias)
    assert list_account_aliases(root) == [alias]


def test_a_new_alias_replaces_the_old_one_and_the_old_url_stops_working(account, root):
    create_account_alias(root, "acme")
    create_account_alias(root, "acme-corp")
    assert find_account_by_reference("acme") is None
    assert find_account_by_reference("acme-corp") == account
    assert account.sign_in_reference == "acme-corp"


def test_alias_is_unique_across_the_portal(account, other_account, root):
    create_account_alias(Principal(account=other_account), "taken")
    with pytest.raises(EntityAlreadyExists, match="The account alias taken already exists."):
        create_account_alias(root, "taken")
    account.refresh_from_db()
    assert account.alias is None
    create_account_alias(Principal(account=other_account), "taken")  # re-saving its own alias is fine


def test_delete_needs_the_current_alias(account, root):
    create_account_alias(root, "acme")
    with pytest.raises(NoSuchEntity):
        delete_account_alias(root, "other")
    delete_account_alias(root, "acme")
    account.refresh_from_db()
    assert account.alias is None and account.sign_in_reference == account.account_id


def test_alias_actions_are_iam_actions(account, iam_principal):
    lister = iam_principal(account, allow("iam:ListAccountAliases"))
    assert list_account_aliases(lister) == []
    with pytest.raises(AccessDeniedException, match="iam:CreateAccountAlias"):
        create_account_alias(lister, "acme")
    creator = iam_principal(account, allow("iam:CreateAccountAlias"))
    create_account_alias(creator, "acme")
    with pytest.raises(AccessDeniedException, match="iam:DeleteAccountAlias"):
        delete_account_alias(creator, "acme")


def test_iam_users_sign_in_on_the_alias_url_and_the_old_one_stops_working(account, root, client, make_user):
    from tests.factories import USER_PASSWORD

    user = make_user(account)
    create_account_alias(root, "acme")
    assert client.get("/signin/acme/").context["form"].initial == {"account": "acme"}
    create_account_alias(root, "acme-prod")
    sign_in = {"as": "iam", "user_name": user.name, "password": USER_PASSWORD}
    refused = client.post("/signin/acme/", {**sign_in, "account": "acme"})
    assert refused.status_code == 200 and "incorrect" in refused.content.decode()
    assert client.post("/signin/acme-prod/", {**sign_in, "account": "acme-prod"}).status_code == 302
