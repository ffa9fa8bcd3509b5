"""Names, paths, ARNs and unique IDs of users, groups, roles and policies, as IAM defines them."""

import pytest

from iam.exceptions import ValidationError
from iam.models import IAMGroup, IAMUser, Policy, Role
from iam.services import (
    create_customer_managed_policy,
    create_group,
    create_role,
    create_user,
    put_inline_policy,
)
from tests.factories import AccountFactory, allow, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db

NON_ASCII = ["josé", "ユーザー", "a٣", "naïve"]


def test_user_arn_path_and_unique_id(account):
    user = create_user(account, "Jane.Doe+ops=1,x@corp_team-2", path="/division/team/")
    assert user.arn == f"arn:aws:iam::{account.account_id}:user/division/team/Jane.Doe+ops=1,x@corp_team-2"
    assert user.user_id.startswith("AIDA") and len(user.user_id) == 21 and user.user_id.isalnum()
    assert user.created_at is not None


@pytest.mark.parametrize("name, refusal", [
    ("a", None), ("x" * 64, None), ("x" * 65, "1 to 64 characters"), ("", "cannot be blank"),
    ("has space", "Names may contain only ASCII"), ("a/b", "Names may contain only ASCII"),
])
def test_user_name_length_and_characters(account, name, refusal):
    if refusal is None:
        assert create_user(account, name).name == name
    else:
        with pytest.raises(ValidationError, match=refusal):
            create_user(account, name)
        assert not IAMUser.objects.exists()


@pytest.mark.parametrize("name", NON_ASCII)
def test_non_ascii_names_are_refused_for_every_entity(account, name):
    for create in (
        lambda: create_user(account, name),
        lambda: create_group(account, name),
        lambda: create_role(account, name, TRUST),
        lambda: create_customer_managed_policy(account, name, policy_document(allow("s3:*"))),
    ):
        with pytest.raises(ValidationError, match="ASCII"):
            create()
    user = create_user(account, "plain")
    with pytest.raises(ValidationError, match="ASCII"):
        put_inline_policy(user, name, policy_document(allow("s3:*")))
    assert not (IAMGroup.objects.exists() or Role.objects.filter(account=account).exists())
    assert not Policy.objects.filter(account=account).exists() and not user.inline_policies.exists()


@pytest.mark.parametrize("path", ["division/", "/division", "/a b/", "/é/"])
def test_paths_begin_and_end_with_a_slash_in_printable_ascii(account, path):
    with pytest.raises(ValidationError, match="path must begin and end with a slash"):
        create_user(account, "u", path=path)


def test_policy_names_may_be_128_characters(account):
    name = "P" * 128
    assert create_customer_managed_policy(account, name, policy_document(allow("s3:*"))).name == name
    with pytest.raises(ValidationError, match="1 to 128"):
        create_customer_managed_policy(account, "P" * 129, policy_document(allow("s3:*")))


def test_a_non_ascii_user_name_in_the_console_is_refused_beside_the_field(account, root_client):
    response = root_client.post("/iam/users/create/", {"name": "josé", "path": "/"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"][0].startswith("Names may contain only ASCII letters")
    assert not IAMUser.objects.exists()


def test_a_user_name_is_taken_whatever_its_case_and_an_account_holds_at_most_its_quota_of_users(account, monkeypatch):
    from iam.exceptions import EntityAlreadyExists, LimitExceeded
    from iam.services import identities

    monkeypatch.setattr(identities, "USERS_PER_ACCOUNT", 2)
    create_user(account, "alice")
    with pytest.raises(EntityAlreadyExists, match="User with name ALICE already exists."):
        create_user(account, "ALICE")
    create_user(account, "bob")
    with pytest.raises(EntityAlreadyExists, match="User with name Bob already exists."):  # taken, before the quota
        create_user(account, "Bob")
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for UsersPerAccount: 2"):
        create_user(account, "carol", password="Str0ng-enough-passw0rd!")
    assert sorted(IAMUser.objects.filter(account=account).values_list("name", flat=True)) == ["alice", "bob"]
    assert create_user(AccountFactory(), "carol").name == "carol"  # another account's quota is its own


def test_a_group_name_is_taken_whatever_its_case_and_an_account_holds_at_most_its_quota_of_groups(account, monkeypatch):
    from iam.exceptions import EntityAlreadyExists, LimitExceeded
    from iam.services import identities

    monkeypatch.setattr(identities, "GROUPS_PER_ACCOUNT", 1)
    create_group(account, "admins")
    with pytest.raises(EntityAlreadyExists, match="Group with name ADMINS already exists."):
        create_group(account, "ADMINS")
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for GroupsPerAccount: 1"):
        create_group(account, "readers")
    assert list(IAMGroup.objects.filter(account=account).values_list("name", flat=True)) == ["admins"]
