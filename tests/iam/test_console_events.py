"""Every IAM console change lands in the event history under the IAM action it performed, a refused
one with its error code; page views do not, and no secret is kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from iam.models import MFADevice
from iam.services import (
    add_user_to_group,
    create_access_key,
    create_customer_managed_policy,
    create_group,
    create_policy_version,
    create_role,
    create_user,
    put_inline_policy,
    update_password_policy,
)
from tests.factories import USER_PASSWORD, allow, policy_document

from .conftest import TRUST, totp_for

pytestmark = pytest.mark.django_db

DOCUMENT = policy_document(allow("s3:*"))


def recorded():
    return list(Event.objects.order_by("event_time", "pk").values_list("event_name", flat=True))


def test_console_changes_are_recorded_under_their_iam_action(account, root_client):
    user = create_user(account, "alice", password=USER_PASSWORD)
    group = create_group(account, "team")
    create_role(account, "deployer", TRUST)
    policy = create_customer_managed_policy(account, "Custom", DOCUMENT)
    create_policy_version(policy, DOCUMENT)
    key, _ = create_access_key(account, user)
    update_password_policy(account, minimum_length=10)
    put_inline_policy(group, "Inline", DOCUMENT)
    steps = [
        ("/iam/users/alice/password/", {"password": "Another-Passw0rd", "reset_required": "on"}, "UpdateLoginProfile"),
        ("/iam/users/alice/groups/", {"group": "team"}, "AddUserToGroup"),
        ("/iam/groups/team/members/", {"remove": "alice"}, "RemoveUserFromGroup"),
        ("/iam/users/alice/policies/attach/", {"policy_arn": policy.arn}, "AttachUserPolicy"),
        ("/iam/roles/deployer/policies/attach/", {"policy_arn": policy.arn}, "AttachRolePolicy"),
        ("/iam/roles/deployer/policies/detach/", {"policy_arn": policy.arn}, "DetachRolePolicy"),
        ("/iam/groups/team/inline/new/", {"name": "More", "document": DOCUMENT}, "PutGroupPolicy"),
        ("/iam/groups/team/inline/Inline/delete/", {}, "DeleteGroupPolicy"),
        ("/iam/users/alice/tags/", {"key": "team", "value": "blue"}, "TagUser"),
        ("/iam/roles/deployer/tags/", {"key": "env", "value": "prod"}, "TagRole"),
        ("/iam/roles/deployer/tags/remove/", {"key": "env"}, "UntagRole"),
        ("/iam/roles/deployer/edit/", {"description": "CI", "max_session_hours": "2"}, "UpdateRole"),
        ("/iam/roles/deployer/trust/", {"trust_policy": TRUST}, "UpdateAssumeRolePolicy"),
        (f"/iam/policies/{policy.policy_id}/versions/v2/default/", {}, "SetDefaultPolicyVersion"),
        (f"/iam/policies/{policy.policy_id}/versions/v1/delete/", {}, "DeletePolicyVersion"),
        (f"/iam/users/alice/access-keys/{key.access_key_id}/status/", {"status": "Inactive"}, "UpdateAccessKey"),
        (f"/iam/users/alice/access-keys/{key.access_key_id}/delete/", {}, "DeleteAccessKey"),
        ("/iam/users/alice/access-keys/create/", {}, "CreateAccessKey"),
        ("/iam/users/alice/mfa/", {"step": "start"}, "CreateVirtualMFADevice"),
        ("/iam/users/alice/password/remove/", {}, "DeleteLoginProfile"),
        ("/iam/password-policy/delete/", {}, "DeleteAccountPasswordPolicy"),
        ("/iam/roles/deployer/delete/", {}, "DeleteRole"),
        ("/iam/groups/team/delete/", {}, "DeleteGroup"),
        ("/iam/users/alice/delete/", {}, "DeleteUser"),
    ]
    for url, data, _ in steps:
        assert root_client.post(url, data).status_code == 302, url
    assert recorded() == [name for _, _, name in steps]
    assert Event.objects.get(event_name="UpdateLoginProfile").request_parameters["password"] != "Another-Passw0rd"


def test_mfa_codes_are_not_kept_and_refusals_carry_the_error(account, root_client):
    user = create_user(account, "alice")
    root_client.post("/iam/users/alice/mfa/", {"step": "start"})
    app, now = totp_for(MFADevice.objects.get(user=user)), timezone.now()
    first, second = app.at(now - timedelta(seconds=30)), app.at(now)
    wrong = root_client.post("/iam/users/alice/mfa/", {"step": "activate", "authentication_code_1": second, "authentication_code_2": first})
    assert wrong.status_code == 200
    root_client.post("/iam/users/alice/mfa/", {"step": "activate", "authentication_code_1": first, "authentication_code_2": second})
    assert recorded() == ["CreateVirtualMFADevice", "EnableMFADevice"]
    parameters = Event.objects.get(event_name="EnableMFADevice").request_parameters
    assert first not in str(parameters) and second not in str(parameters)
    root_client.get("/iam/users/alice/")
    add_user_to_group(create_group(account, "members"), user)
    root_client.post("/iam/groups/members/delete/")  # refused: the group still has a member
    assert recorded() == ["CreateVirtualMFADevice", "EnableMFADevice", "DeleteGroup"]
    refused = Event.objects.get(event_name="DeleteGroup")
    assert (refused.error_code, refused.error_message) == (
        "DeleteConflict", "Cannot delete entity, must remove users from group first."
    )
