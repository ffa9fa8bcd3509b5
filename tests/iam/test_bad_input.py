"""Bad input in the console gets AWS's error message and changes nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from iam.principals import Principal
from iam.services import (
    SUPPORT_ROLE,
    add_user_to_group,
    attach_policy,
    create_access_key,
    create_customer_managed_policy,
    create_group,
    create_user,
)
from tests.conftest import console_client_for
from tests.factories import USER_PASSWORD, allow, policy_document

from .test_mfa import enrolled
from .test_permission_sweep import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(opened_account):
    account = opened_account
    user = create_user(account, "alice", password=USER_PASSWORD)
    create_access_key(account, user)
    create_access_key(account, user)
    add_user_to_group(create_group(account, "team"), user)
    policy = create_customer_managed_policy(account, "InUse", policy_document(allow("s3:*")))
    attach_policy(user, policy)
    return {"account": account, "policy": policy, "client": console_client_for(Principal(account=account))}


def message_of(response) -> str:
    """The error beside a form field, or the flash after a one-button change."""
    if response.status_code == 200 and response.context and "form" in response.context:
        return " ".join(str(error) for errors in response.context["form"].errors.values() for error in errors)
    return " ".join(str(message) for message in response.context["messages"])


@pytest.mark.parametrize("url, data, expected", [
    ("/iam/users/create/", {"name": "bad name!", "path": "/"}, "Names may contain only ASCII letters"),
    ("/iam/users/create/", {"name": "ALICE", "path": "/"}, "User with name ALICE already exists."),
    ("/iam/groups/create/", {"name": "Team", "path": "/"}, "Group with name Team already exists."),
    ("/iam/policies/create/", {"name": "Broken", "path": "/", "document": '{"Version": "2012-10-17",\n"Statement": [}'},
     "The policy is not valid JSON at line 2, column 15."),
    ("/iam/users/alice/inline/new/", {"name": "Bad", "document": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}'},
     "Statement 1: Resource or NotResource is required."),
    ("/iam/users/alice/access-keys/create/", {}, "LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2"),
    ("/iam/groups/team/delete/", {}, "DeleteConflict: Cannot delete entity, must remove users from group first."),
    ("policy-delete", {}, "DeleteConflict: Cannot delete a policy attached to entities."),
    (f"/iam/roles/{SUPPORT_ROLE}/delete/", {}, f"UnmodifiableEntity: Cannot perform the operation on the protected role '{SUPPORT_ROLE}'"),
    ("/iam/users/alice/password/", {"password": "short", "reset_required": ""}, "Password should have a minimum length of 8"),
])
def test_bad_input_gets_the_aws_message_and_changes_nothing(world, url, data, expected):
    if url == "policy-delete":
        url = f"/iam/policies/{world['policy'].policy_id}/delete/"
    before = snapshot()
    response = world["client"].post(url, data, follow=True)
    assert response.status_code == 200
    assert expected in message_of(response)
    assert snapshot() == before


def test_a_wrong_or_reused_mfa_code_at_sign_in_changes_nothing(world):
    account = world["account"]
    user = account.iam_users.get(name="alice")
    now = timezone.now()
    device, app = enrolled(account, user, now=now)

    def sign_in():
        client = Client()
        client.post(f"/signin/{account.account_id}/", {"account": account.account_id, "user_name": "alice", "password": USER_PASSWORD, "as": "iam"})
        return client

    used_for_activation = app.at(now - timedelta(seconds=30))
    refused = sign_in().post("/iam/signin/mfa/", {"code": used_for_activation})
    assert "already been used" in refused.content.decode() or "not valid" in refused.content.decode()
    client = sign_in()
    before = snapshot()
    wrong = client.post("/iam/signin/mfa/", {"code": "000000" if app.now() != "000000" else "111111"})
    assert "Authentication code for device is not valid." in wrong.content.decode()
    assert client.get("/iam/").status_code == 302 and snapshot() == before
