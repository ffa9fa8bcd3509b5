"""The create-user and create-role wizards (details → permissions → review and create), as the IAM console runs them."""

import json

import pytest
from django.contrib.auth.hashers import check_password

from events.models import Event
from iam.models import IAMUser, Policy, Role
from iam.services import attach_policy, create_customer_managed_policy, create_group, create_user, update_password_policy
from tests.conftest import console_client_for
from iam.principals import Principal
from tests.factories import AccountFactory, allow, policy_document

pytestmark = pytest.mark.django_db

USER_STEPS = ("/iam/users/create/", "/iam/users/create/permissions/", "/iam/users/create/review/")


def go_through_user_wizard(client, details, permissions=None, tags=""):
    first = client.post(USER_STEPS[0], {"path": "/", **details})
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    assert client.post(USER_STEPS[1], permissions or {}).status_code == 302
    return client.post(USER_STEPS[2], {"tags": tags})


def test_a_user_with_password_groups_policies_and_tags(account, root_client):
    create_group(account, "support")
    read_only = Policy.objects.get(account=None, name="ReadOnlyAccess")
    response = go_through_user_wizard(
        root_client, {"name": "maria", "console_access": "on", "password": "Maria-Passw0rd!", "reset_required": "on"},
        {"groups": ["support"], "policies": [read_only.arn]}, tags="Team=Support\nDesk=",
    )
    assert response["Location"] == "/iam/users/maria/"
    user = IAMUser.objects.get(account=account, name="maria")
    assert check_password("Maria-Passw0rd!", user.password) and user.password_reset_required
    assert list(user.groups.values_list("name", flat=True)) == ["support"]
    assert list(user.attached_policies.values_list("name", flat=True)) == ["ReadOnlyAccess"]
    assert user.tags == {"Team": "Support", "Desk": ""}
    assert Event.objects.filter(account=account, event_name="CreateUser").count() == 1
    assert "User maria created." in root_client.get(response["Location"]).content.decode()


def test_no_password_is_kept_in_the_session(account, root_client):
    root_client.post(USER_STEPS[0], {"name": "nina", "path": "/", "console_access": "on", "password": "Nina-Passw0rd!"})
    stored = dict(root_client.session.items())
    assert "Nina-Passw0rd!" not in json.dumps(stored)
    assert check_password("Nina-Passw0rd!", stored["iam-wizard-create-user"]["answers"]["details"]["password_hash"])


def test_each_step_keeps_what_was_typed_and_shows_it_again(account, root_client):
    root_client.post(USER_STEPS[0], {"name": "olga", "path": "/ops/", "console_access": "on", "password": "Olga-Passw0rd!"})
    back = root_client.get(USER_STEPS[0])
    assert back.context["form"].initial["name"] == "olga" and back.context["form"].initial["path"] == "/ops/"
    # coming back, the password entered before stands unless a new one is typed
    assert root_client.post(USER_STEPS[0], {"name": "olga", "path": "/ops/", "console_access": "on"}).status_code == 302
    policy = Policy.objects.get(account=None, name="IAMReadOnlyAccess")
    root_client.post(USER_STEPS[1], {"policies": [policy.arn]})
    assert root_client.get(USER_STEPS[1]).context["chosen"] == [policy.arn]
    review = root_client.get(USER_STEPS[2]).content.decode()
    assert "arn:aws:iam::%s:user/ops/olga" % account.account_id in review and "IAMReadOnlyAccess" in review
    assert root_client.post(USER_STEPS[2], {"tags": ""})["Location"] == "/iam/users/olga/"
    assert IAMUser.objects.get(name="olga").has_console_password


@pytest.mark.parametrize("details, field, message", [
    ({"name": "bad name!"}, "name", "Names may contain only"),
    ({"name": "taken"}, "name", "User with name taken already exists."),
    ({"name": "pat", "console_access": "on"}, "password", "Enter a console password"),
    ({"name": "pat", "console_access": "on", "password": "short"}, "password", "minimum length of 10"),
    ({"name": "", "path": "nopath"}, "name", "This field is required."),
])
def test_step_one_refuses_with_the_reason_beside_the_field(account, root_client, details, field, message):
    create_user(account, "taken")
    update_password_policy(account, minimum_length=10)
    response = root_client.post(USER_STEPS[0], {"path": "/", **details})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert IAMUser.objects.filter(account=account).count() == 1


def test_later_steps_send_you_back_to_the_first_unanswered_one(account, root_client):
    assert root_client.get(USER_STEPS[2])["Location"] == "/iam/users/create/"
    root_client.post(USER_STEPS[0], {"name": "quinn", "path": "/"})
    assert root_client.get(USER_STEPS[2])["Location"] == "/iam/users/create/permissions/"


def test_bad_tags_and_too_many_policies_are_explained(account, root_client):
    root_client.post(USER_STEPS[0], {"name": "rita", "path": "/"})
    policies = [create_customer_managed_policy(account, f"P{number}", policy_document(allow("iam:GetUser")))
                for number in range(11)]
    too_many = root_client.post(USER_STEPS[1], {"policies": [policy.arn for policy in policies]})
    assert "Choose at most 10 policies; you chose 11." in too_many.content.decode()
    root_client.post(USER_STEPS[1], {})
    for tags, message in (("no equals sign", "Line 1: write Key=Value."), ("aws:reserved=x", "reserved for AWS use")):
        response = root_client.post(USER_STEPS[2], {"tags": tags})
        assert response.status_code == 200 and message in response.content.decode()
    assert not IAMUser.objects.filter(name="rita").exists()


def test_a_group_deleted_since_step_two_is_reported_not_a_500(account, root_client):
    group = create_group(account, "temp")
    root_client.post(USER_STEPS[0], {"name": "sam", "path": "/"})
    root_client.post(USER_STEPS[1], {"groups": ["temp"]})
    group.delete()
    response = root_client.post(USER_STEPS[2], {"tags": ""})
    assert response.status_code == 200 and "Since step 2 these were deleted: temp" in response.content.decode()
    assert not IAMUser.objects.filter(name="sam").exists()


def test_another_accounts_groups_cannot_be_chosen(account, root_client):
    other = AccountFactory()
    create_group(other, "theirs")
    root_client.post(USER_STEPS[0], {"name": "tom", "path": "/"})
    response = root_client.post(USER_STEPS[1], {"groups": ["theirs"]})
    assert response.status_code == 200 and "theirs is not one of the available choices" in response.content.decode()


def test_answers_do_not_follow_you_into_another_account(account, root_client):
    root_client.post(USER_STEPS[0], {"name": "uma", "path": "/"})
    other = console_client_for(Principal(account=AccountFactory()))
    other.cookies = root_client.cookies  # the same browser session, another account's sign-in
    session = other.session
    from iam.sessions import SESSION_KEY, session_payload
    session[SESSION_KEY] = session_payload(Principal(account=AccountFactory()))
    session.save()
    assert other.get(USER_STEPS[1])["Location"] == "/iam/users/create/"


def test_cancel_forgets_the_answers(account, root_client):
    root_client.post(USER_STEPS[0], {"name": "vera", "path": "/"})
    assert root_client.get("/iam/users/create/cancel/")["Location"] == "/iam/users/"
    assert root_client.get(USER_STEPS[1])["Location"] == "/iam/users/create/"


def test_every_permission_involved_is_checked_at_creation(account, user_client):
    create_group(account, "support")
    read_only = Policy.objects.get(account=None, name="ReadOnlyAccess")
    base = [allow("iam:CreateUser"), allow("iam:ListGroups"), allow("iam:ListPolicies")]
    wizard = {"details": {"name": "wes"}, "permissions": {"groups": ["support"], "policies": [read_only.arn]}, "tags": "A=b"}
    needed = [allow("iam:AddUserToGroup"), allow("iam:AttachUserPolicy"), allow("iam:TagUser")]
    for missing in range(len(needed)):
        client = user_client(account, *base, *[statement for number, statement in enumerate(needed) if number != missing])
        response = go_through_user_wizard(client, wizard["details"], wizard["permissions"], wizard["tags"])
        assert response.status_code == 403, needed[missing]
        assert needed[missing]["Action"] in response.content.decode()
    assert not IAMUser.objects.filter(name="wes").exists()
    client = user_client(account, *base, *needed)
    assert go_through_user_wizard(client, wizard["details"], wizard["permissions"], wizard["tags"]).status_code == 302
    assert IAMUser.objects.filter(name="wes").exists()


def test_the_wizard_needs_create_user_and_a_password_needs_create_login_profile(account, user_client):
    for url in USER_STEPS:
        assert user_client(account, allow("iam:ListUsers")).get(url).status_code == 403
    client = user_client(account, allow("iam:CreateUser"))
    response = client.post(USER_STEPS[0], {"name": "xena", "path": "/", "console_access": "on", "password": "Xena-Passw0rd!"})
    assert response.status_code == 403 and "iam:CreateLoginProfile" in response.content.decode()
    # without iam:ListGroups / iam:ListPolicies the lists are replaced by an explanation
    client.post(USER_STEPS[0], {"name": "xena", "path": "/"})
    page = client.get(USER_STEPS[1]).content.decode()
    assert "You cannot list user groups (iam:ListGroups)." in page and "You cannot list policies (iam:ListPolicies)." in page


def test_permissions_step_query_count_does_not_grow(account, root_client, django_assert_max_num_queries):
    root_client.post(USER_STEPS[0], {"name": "yan", "path": "/"})
    group = create_group(account, "g0")
    attach_policy(group, Policy.objects.get(account=None, name="ReadOnlyAccess"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as one:
        root_client.get(USER_STEPS[1])
    for number in range(1, 15):
        attach_policy(create_group(account, f"g{number}"), Policy.objects.get(account=None, name="IAMReadOnlyAccess"))
    with CaptureQueriesContext(connection) as many:
        root_client.get(USER_STEPS[1])
    assert len(many) == len(one)


# --- create role -------------------------------------------------------------------------------------------

ROLE_STEPS = ("/iam/roles/create/", "/iam/roles/create/permissions/", "/iam/roles/create/review/")


@pytest.mark.parametrize("entity, principal", [
    ({"entity_type": "this_account"}, {"AWS": "arn:aws:iam::{account}:root"}),
    ({"entity_type": "other_account", "other_account_id": "111122223333"}, {"AWS": "arn:aws:iam::111122223333:root"}),
    ({"entity_type": "service", "service": "support.amazonaws.com"}, {"Service": "support.amazonaws.com"}),
])
def test_a_role_trusting_each_kind_of_entity(account, root_client, entity, principal):
    assert root_client.post(ROLE_STEPS[0], entity)["Location"] == ROLE_STEPS[1]
    policy = Policy.objects.get(account=None, name="AWSSupportAccess")
    root_client.post(ROLE_STEPS[1], {"policies": [policy.arn]})
    response = root_client.post(ROLE_STEPS[2], {"name": "helper", "path": "/", "max_session_hours": "2", "tags": "Team=Ops"})
    assert response["Location"] == "/iam/roles/helper/"
    role = Role.objects.get(account=account, name="helper")
    expected = {kind: value.format(account=account.account_id) for kind, value in principal.items()}
    assert json.loads(role.trust_policy)["Statement"][0]["Principal"] == expected
    assert role.max_session_duration == 7200 and role.tags == {"Team": "Ops"}
    assert list(role.attached_policies.values_list("name", flat=True)) == ["AWSSupportAccess"]


@pytest.mark.parametrize("entity, field, message", [
    ({"entity_type": "other_account", "other_account_id": "12"}, "other_account_id", "An account ID is 12 digits."),
    ({"entity_type": "other_account"}, "other_account_id", "Required for the trusted entity type you chose."),
    ({"entity_type": "service", "service": "not a service"}, "service", "looks like service.amazonaws.com"),
    ({"entity_type": "custom", "trust_policy": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}'},
     "trust_policy", "must name a Principal"),
    ({"entity_type": "nonsense"}, "entity_type", "Select a valid choice."),
])
def test_trusted_entity_mistakes_are_explained(account, root_client, entity, field, message):
    response = root_client.post(ROLE_STEPS[0], entity)
    assert response.status_code == 200 and message in " ".join(response.context["form"].errors[field])


def test_role_review_refuses_bad_names_and_keeps_them(account, root_client):
    root_client.post(ROLE_STEPS[0], {"entity_type": "this_account"})
    root_client.post(ROLE_STEPS[1], {})
    response = root_client.post(ROLE_STEPS[2], {"name": "bad name", "path": "/", "max_session_hours": "1", "tags": ""})
    assert response.status_code == 200 and "Names may contain only" in response.content.decode()
    assert 'value="bad name"' in response.content.decode() and not Role.objects.filter(account=account).exists()


def test_create_role_checks_attach_permission(account, user_client):
    client = user_client(account, allow("iam:CreateRole"), allow("iam:ListPolicies"))
    client.post(ROLE_STEPS[0], {"entity_type": "this_account"})
    client.post(ROLE_STEPS[1], {"policies": [Policy.objects.get(account=None, name="ReadOnlyAccess").arn]})
    response = client.post(ROLE_STEPS[2], {"name": "r", "path": "/", "max_session_hours": "1", "tags": ""})
    assert response.status_code == 403 and "iam:AttachRolePolicy" in response.content.decode()
    assert not Role.objects.filter(account=account, name="r").exists()
