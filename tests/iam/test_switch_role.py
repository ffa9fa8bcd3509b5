"""Switch role from the account menu: an IAM user whose policies allow sts:AssumeRole on a role that trusts
it acts with the role's permissions only, then switches back; nobody else is offered or granted it."""

import json

from django.urls import reverse

from events.models import Event
from iam.principals import Principal
from iam.services import attach_policy, create_role
from tests.conftest import console_client_for
from tests.factories import PolicyFactory, allow, policy_document

SWITCH = reverse("iam:switch-role")


def trust(principal: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]})


def support_reader_role(account, trusted: str, name: str = "support-reader"):
    role = create_role(account, name, trust(trusted))
    attach_policy(role, PolicyFactory(account=account, document=policy_document(allow("support:Describe*"))))
    return role


def test_a_user_switches_to_a_role_it_may_assume_acts_with_its_permissions_and_switches_back(account, make_user):
    role = support_reader_role(account, account.account_id)
    user = make_user(account, allow("sts:AssumeRole", role.arn), allow("iam:ListUsers"), name="alice")
    client = console_client_for(Principal(account=account, user=user))
    assert client.get("/support/").status_code == 403  # alice herself may not read cases
    assert f'href="{SWITCH}"' in client.get("/iam/users/").content.decode()  # the account menu offers it

    response = client.post(SWITCH, {"role": "support-reader"}, follow=True)
    principal = response.context["principal"]
    assert principal.is_role_session and principal.role == role and principal.role_session_name == "alice"
    assert "You are now acting as the role support-reader" in response.content.decode()
    assert client.get("/support/").status_code == 200  # the role's permissions...
    assert client.get("/iam/users/").status_code == 403  # ...and only the role's
    assert Event.objects.filter(account=account, event_name="AssumeRole").exists()

    response = client.post(SWITCH, {"back": "true"}, follow=True)
    assert not response.context["principal"].is_role_session
    assert response.context["principal"].user == user
    assert client.get("/support/").status_code == 403


def test_no_switch_without_trust_or_permission(account, other_account, make_user, root_client):
    role = support_reader_role(account, other_account.account_id)  # trusts another account only
    support_reader_role(account, account.account_id, name="other")  # trusts the account, but bob may not assume it
    user = make_user(account, allow("sts:AssumeRole", role.arn), allow("iam:ListUsers"), name="bob")
    client = console_client_for(Principal(account=account, user=user))
    assert f'href="{SWITCH}"' not in client.get("/iam/users/").content.decode()
    for name in ("support-reader", "other"):
        response = client.post(SWITCH, {"role": name})
        assert response.status_code == 200 and not response.context["principal"].is_role_session
    assert client.get("/support/").status_code == 403
    assert f'href="{SWITCH}"' not in root_client.get("/iam/users/").content.decode()  # the root user cannot assume roles
