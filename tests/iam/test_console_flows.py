"""What a person sees doing things in the IAM console: forms keep input, errors sit beside fields."""

from urllib.parse import unquote

import pytest

from iam.models import AccessKey, IAMGroup, IAMUser, Policy, Role
from iam.services import SUPPORT_ROLE, add_user_to_group, create_access_key, create_group, create_user
from tests.conftest import console_client_for
from iam.principals import Principal

pytestmark = pytest.mark.django_db


def test_create_user_with_an_invalid_name_keeps_the_input(account, root_client):
    response = root_client.post("/iam/users/create/", {"name": "bad name", "path": "/team/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Names may contain only" in page and 'value="bad name"' in page
    assert not IAMUser.objects.exists()


def test_create_user_then_duplicate(account, root_client):
    # The wizard: details, permissions, review and create (tests/iam/test_create_wizards.py goes through it all).
    response = root_client.post("/iam/users/create/", {"name": "carol", "path": "/", "console_access": "on",
                                                       "password": "Carol-Passw0rd", "reset_required": "on"})
    assert response["Location"] == "/iam/users/create/permissions/"
    root_client.post("/iam/users/create/permissions/", {})
    assert root_client.post("/iam/users/create/review/", {"tags": ""})["Location"] == "/iam/users/carol/"
    assert IAMUser.objects.get(name="carol").password_reset_required
    again = root_client.post("/iam/users/create/", {"name": "Carol", "path": "/"})
    assert again.status_code == 200 and "User with name Carol already exists." in again.content.decode()


def test_malformed_policy_json_is_reported_beside_the_document(account, root_client):
    response = root_client.post("/iam/policies/create/", {
        "name": "Broken", "path": "/", "document": '{\n  "Version": "2012-10-17",\n  "Statement": [\n}',
    })
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == ["The policy is not valid JSON at line 4, column 1."]
    assert not Policy.objects.filter(account=account).exists()


def test_policy_pages_create_version_and_delete(account, root_client):
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    response = root_client.post("/iam/policies/create/", {"name": "S3", "path": "/", "document": document})
    policy = Policy.objects.get(account=account, name="S3")
    assert response["Location"] == f"/iam/policies/{policy.policy_id}/"
    root_client.post(f"/iam/policies/{policy.policy_id}/versions/new/", {"document": document.replace("s3", "ec2"), "set_as_default": "on"})
    assert policy.versions.get(is_default=True).version_id == "v2"
    refused = root_client.post(f"/iam/policies/{policy.policy_id}/versions/v2/delete/", follow=True)
    assert "DeleteConflict: Cannot delete the default version of a policy." in refused.content.decode()
    root_client.post(f"/iam/policies/{policy.policy_id}/versions/v1/default/")
    assert policy.versions.get(is_default=True).version_id == "v1"
    create_user(account, "dana")
    root_client.post("/iam/users/dana/policies/attach/", {"policy_arn": policy.arn})
    blocked = root_client.post(f"/iam/policies/{policy.policy_id}/delete/", follow=True)
    assert "Cannot delete a policy attached to entities." in blocked.content.decode()
    root_client.post("/iam/users/dana/policies/detach/", {"policy_arn": policy.arn})
    root_client.post(f"/iam/policies/{policy.policy_id}/delete/")
    assert not Policy.objects.filter(pk=policy.pk).exists()


def test_inline_policy_pages(account, root_client):
    create_group(account, "ops")
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}'
    assert root_client.post("/iam/groups/ops/inline/new/", {"name": "Logs", "document": document}).status_code == 302
    assert root_client.get("/iam/groups/ops/inline/Logs/").status_code == 200
    root_client.post("/iam/groups/ops/inline/Logs/delete/")
    assert not IAMGroup.objects.get(name="ops").inline_policies.exists()


def test_group_members_and_deleting_a_group_with_members(account, root_client):
    create_group(account, "ops")
    create_user(account, "erin")
    root_client.post("/iam/groups/ops/members/", {"user_name": "erin"})
    assert list(IAMGroup.objects.get(name="ops").members.values_list("name", flat=True)) == ["erin"]
    refused = root_client.post("/iam/groups/ops/delete/", follow=True)
    assert "must remove users from group first" in refused.content.decode()
    root_client.post("/iam/users/erin/groups/", {"remove": "ops"})
    root_client.post("/iam/groups/ops/delete/")
    assert not IAMGroup.objects.filter(name="ops").exists()


def test_role_pages(account, root_client):
    root_client.post("/iam/roles/create/", {"entity_type": "service", "service": "ec2.amazonaws.com"})
    root_client.post("/iam/roles/create/permissions/", {})
    response = root_client.post("/iam/roles/create/review/", {
        "name": "builder", "path": "/", "description": "", "max_session_hours": "13",
    })
    assert response.status_code == 200 and "less than or equal to 43200" in response.content.decode()
    data = dict(response.context["form"].data.items(), max_session_hours="12")
    assert root_client.post("/iam/roles/create/review/", data)["Location"] == "/iam/roles/builder/"
    assert Role.objects.get(name="builder").max_session_duration == 43200


def test_deleting_the_support_service_linked_role_is_refused(opened_account):
    client = console_client_for(Principal(account=opened_account))
    response = client.post(f"/iam/roles/{SUPPORT_ROLE}/delete/", follow=True)
    assert "UnmodifiableEntity" in response.content.decode()
    assert Role.objects.filter(account=opened_account, name=SUPPORT_ROLE).exists()
    edit = client.get(f"/iam/roles/{SUPPORT_ROLE}/edit/")
    assert list(edit.context["form"].fields) == ["description"]
    client.post(f"/iam/roles/{SUPPORT_ROLE}/edit/", {"description": "Ours"})
    assert Role.objects.get(account=opened_account, name=SUPPORT_ROLE).description == "Ours"
    assert client.get(f"/iam/roles/{SUPPORT_ROLE}/trust/").status_code == 200
    refused = client.post(f"/iam/roles/{SUPPORT_ROLE}/trust/", {"trust_policy": "{}"})
    assert refused.status_code == 200 and Role.objects.get(account=opened_account, name=SUPPORT_ROLE).trust_policy != "{}"


def test_access_key_secret_is_shown_once_with_a_csv(account, root_client):
    create_user(account, "keys")
    created = root_client.post("/iam/users/keys/access-keys/create/")
    assert created["Location"] == "/iam/users/keys/access-keys/create/"  # a reload creates no second key
    response = root_client.get(created["Location"])
    key = AccessKey.objects.get(user__name="keys")
    from iam.selectors import access_key_with_secret

    _, secret = access_key_with_secret(key.access_key_id)
    page = response.content.decode()
    assert secret in page and response["Cache-Control"] == "no-store"
    assert f"Access key ID,Secret access key\r\n{key.access_key_id},{secret}" in unquote(response.context["csv_uri"])
    assert response.context["csv_name"] == "keys_accessKeys.csv"
    again = root_client.get(created["Location"])
    assert secret not in again.content.decode() and "Create access key for keys" in again.content.decode()
    assert secret not in root_client.get("/iam/users/keys/").content.decode()
    assert AccessKey.objects.filter(user__name="keys").count() == 1


def test_third_access_key_is_refused_with_the_aws_message(account, root_client):
    user = create_user(account, "keys")
    create_access_key(account, user)
    create_access_key(account, user)
    response = root_client.post("/iam/users/keys/access-keys/create/", follow=True)
    assert "Cannot exceed quota for AccessKeysPerUser: 2" in response.content.decode()
    assert AccessKey.objects.filter(user=user).count() == 2


def test_access_keys_deactivate_activate_delete(account, root_client):
    user = create_user(account, "keys")
    key, _ = create_access_key(account, user)
    root_client.post(f"/iam/users/keys/access-keys/{key.access_key_id}/status/", {"status": "Inactive"})
    key.refresh_from_db()
    assert not key.is_active
    bad = root_client.post(f"/iam/users/keys/access-keys/{key.access_key_id}/status/", {"status": "Paused"}, follow=True)
    assert "enum value set" in bad.content.decode()
    root_client.post(f"/iam/users/keys/access-keys/{key.access_key_id}/status/", {"status": "Active"})
    key.refresh_from_db()
    assert key.is_active
    root_client.post(f"/iam/users/keys/access-keys/{key.access_key_id}/delete/")
    assert not AccessKey.objects.filter(pk=key.pk).exists()


def test_root_keys_come_with_a_warning_and_only_root_manages_them(account, root_client, user_client):
    assert "not recommended" in root_client.get("/iam/root/access-keys/create/").content.decode()
    response = root_client.post("/iam/root/access-keys/create/", follow=True)
    assert response.context["csv_name"] == "rootkey.csv"
    assert AccessKey.objects.filter(account=account, user=None).count() == 1
    admin = user_client(account, {"Effect": "Allow", "Action": "*", "Resource": "*"})
    assert admin.post("/iam/root/access-keys/create/").status_code == 403
    assert AccessKey.objects.filter(account=account, user=None).count() == 1


def test_deleting_a_user_in_the_console_removes_its_credentials(account, root_client):
    user = create_user(account, "leaver", password="Leaver-Passw0rd")
    create_access_key(account, user)
    add_user_to_group(create_group(account, "team"), user)
    root_client.post("/iam/users/leaver/delete/")
    assert not IAMUser.objects.filter(name="leaver").exists() and not AccessKey.objects.exists()


def test_api_style_delete_refuses_while_credentials_remain(account):
    from iam.exceptions import DeleteConflict
    from iam.services import delete_user

    user = create_user(account, "leaver")
    create_access_key(account, user)
    with pytest.raises(DeleteConflict, match="must delete access keys first"):
        delete_user(user)


def test_access_key_last_use_is_shown_with_service_and_region(account, root_client):
    from iam.services import record_access_key_use

    user = create_user(account, "keys")
    used, _ = create_access_key(account, user)
    create_access_key(account, user)
    record_access_key_use(used, service="support", region="eu-west-1")
    page = root_client.get("/iam/users/keys/").content.decode()
    assert "· support · eu-west-1" in page and "Never" in page
    assert "Create access key</a>" not in page  # two keys: the button is gone
