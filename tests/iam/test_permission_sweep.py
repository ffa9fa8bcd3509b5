"""An IAM user without iam:* permissions reaches no IAM page and changes nothing; read-only reads only."""

import pytest
from django.urls import URLPattern, reverse

from iam import urls as iam_urls
from iam.models import AccessKey, GroupInlinePolicy, IAMGroup, IAMUser, MFADevice, PasswordPolicy, Policy, PolicyVersion, Role, RoleInlinePolicy, UserInlinePolicy
from iam.services import create_access_key, put_inline_policy, update_password_policy
from tests.factories import allow, policy_document

pytestmark = pytest.mark.django_db

# Not console pages: the half-finished sign-in steps (without one they send you to sign in).
SIGN_IN_STEPS = {"signin-mfa", "signin-new-password"}
FORM_DATA = {"name": "x", "status": "Inactive", "user_name": "alice", "group": "developers"}
READ_ONLY_PAGES = {
    "security-credentials",
    "home", "user-list", "user-detail", "group-list", "group-detail", "role-list", "role-detail",
    "policy-list", "policy-detail", "password-policy", "simulator",
}


# Open to every IAM user, as in the console: the page lists only the roles the evaluator lets this
# user assume (trust policy and sts:AssumeRole), so without permissions it offers none.
SWITCH_ROLE = "switch-role"


def all_routes():
    return [pattern for pattern in iam_urls.urlpatterns if isinstance(pattern, URLPattern) and pattern.name not in SIGN_IN_STEPS]


def url_for(pattern, objects):
    kind = pattern.name.split("-")[0]
    names = {"user": objects["user"].name, "group": objects["group"].name, "role": objects["role"].name}
    values = {
        "name": names.get(kind, objects["user"].name),
        "policy_id": objects["policy"].policy_id,
        "version_id": "v1",
        "access_key_id": objects["key"].access_key_id,
        "policy_name": "Inline",
    }
    arguments = {key: values[key] for key in pattern.pattern.converters}
    return reverse(f"iam:{pattern.name}", kwargs=arguments)


@pytest.fixture
def objects(account, iam_objects):
    for identity in (iam_objects["user"], iam_objects["group"], iam_objects["role"]):
        put_inline_policy(identity, "Inline", policy_document(allow("s3:*")))
    update_password_policy(account, minimum_length=10)
    key, _ = create_access_key(account, iam_objects["user"])
    return {**iam_objects, "key": key}


def snapshot():
    models = (IAMUser, IAMGroup, Role, Policy, PolicyVersion, AccessKey, MFADevice, PasswordPolicy,
              UserInlinePolicy, GroupInlinePolicy, RoleInlinePolicy)
    state = {model.__name__: sorted(map(str, model.objects.values_list())) for model in models}
    state["members"] = sorted(IAMGroup.members.through.objects.values_list("iamgroup_id", "iamuser_id"))
    state["attached"] = sorted(IAMUser.attached_policies.through.objects.values_list("iamuser_id", "policy_id"))
    return state


def test_the_sweep_covers_every_iam_route(objects):
    assert len(all_routes()) >= 45


def test_a_user_without_iam_permissions_reaches_no_iam_page_or_change(account, user_client, objects):
    client = user_client(account, allow("support:*"), allow("account:*"))
    before = snapshot()
    for pattern in all_routes():
        url = url_for(pattern, objects)
        for method in (client.get, client.post):
            response = method(url, FORM_DATA | {"policy_arn": objects["policy"].arn})
            if response.status_code == 302:  # only "My security credentials" redirects: to a page that is denied too
                assert pattern.name == "security-credentials", url
                response = client.get(response["Location"])
            if pattern.name == SWITCH_ROLE:
                assert response.status_code == 200 and objects["role"].name not in response.content.decode()
                continue
            assert response.status_code in (403, 405), (method.__name__, url, response.status_code)
            if response.status_code == 403:
                assert "is not authorized" in response.content.decode() or "root user" in response.content.decode(), url
    assert snapshot() == before


def test_read_only_users_see_the_pages_but_change_nothing(account, user_client, objects):
    read_only = Policy.objects.get(account=None, name="IAMReadOnlyAccess")
    client = user_client(account)
    IAMUser.objects.exclude(name__in=["alice"]).get().attached_policies.add(read_only)
    before = snapshot()
    for pattern in all_routes():
        url = url_for(pattern, objects)
        if pattern.name in READ_ONLY_PAGES:
            assert client.get(url, follow=True).status_code == 200, url
        response = client.post(url, FORM_DATA | {"policy_arn": objects["policy"].arn})
        # Pages that only read ignore a POST and show themselves again; the snapshot proves nothing changed.
        assert response.status_code in (403, 405) or pattern.name in READ_ONLY_PAGES | {SWITCH_ROLE}, (url, response.status_code)
    assert snapshot() == before


def test_controls_are_hidden_from_read_only_users(account, user_client, objects):
    client = user_client(account, allow(["iam:Get*", "iam:List*"]))
    page = client.get(f"/iam/users/{objects['user'].name}/").content.decode()
    for control in ("Delete", "Attach policy", "Create access key", "Assign MFA device", "Reset password"):
        assert control not in page
    assert objects["key"].access_key_id in page  # iam:ListAccessKeys still shows the keys


def test_resource_level_permissions_limit_changes_to_named_users(account, user_client, objects):
    team_arn = f"arn:aws:iam::{account.account_id}:user/team/*"
    client = user_client(account, allow("iam:CreateAccessKey", resource=team_arn), allow("iam:GetUser"))
    from iam.services import create_user

    create_user(account, "member", path="/team/")
    assert client.post("/iam/users/member/access-keys/create/").status_code == 302
    assert client.post(f"/iam/users/{objects['user'].name}/access-keys/create/").status_code == 403


def test_another_accounts_objects_are_not_found(account, other_account, root_client):
    from iam.services import create_group, create_user

    create_user(other_account, "stranger")
    create_group(other_account, "strangers")
    assert root_client.get("/iam/users/stranger/").status_code == 404
    assert root_client.post("/iam/users/stranger/delete/").status_code == 404
    assert root_client.get("/iam/groups/strangers/").status_code == 404
    assert IAMUser.objects.filter(name="stranger").exists()
