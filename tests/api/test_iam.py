"""IAM over the Query protocol through boto3: identities, keys, policies, account settings, the simulator."""

import json

import pytest
from botocore.exceptions import ClientError

from iam.models import IAMUser, Policy
from iam.services import create_service_linked_roles
from tests.factories import AccountFactory, IAMUserFactory, allow, deny, policy_document

pytestmark = pytest.mark.django_db(transaction=True)

READ_S3 = policy_document(allow("s3:GetObject"))
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def error(call, *args, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def iam(root_api):
    return root_api("iam")


def test_users_lifecycle_and_errors(account, iam):
    created = iam.create_user(UserName="alice", Path="/engineering/")["User"]
    assert created["Arn"] == f"arn:aws:iam::{account.account_id}:user/engineering/alice"
    assert created["UserId"].startswith("AIDA")
    assert iam.get_user(UserName="alice")["User"]["Path"] == "/engineering/"
    assert error(iam.create_user, UserName="ALICE") == ("EntityAlreadyExists", 409)
    assert error(iam.get_user, UserName="nobody") == ("NoSuchEntity", 404)
    assert [user["UserName"] for user in iam.list_users(PathPrefix="/engineering/")["Users"]] == ["alice"]
    assert iam.list_users(PathPrefix="/sales/")["Users"] == []
    iam.create_access_key(UserName="alice")
    assert error(iam.delete_user, UserName="alice") == ("DeleteConflict", 409)
    for key in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]:
        iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    iam.update_user(UserName="alice", NewUserName="alicia", NewPath="/research/")
    assert iam.get_user(UserName="alicia")["User"]["Arn"] == f"arn:aws:iam::{account.account_id}:user/research/alicia"
    assert error(iam.get_user, UserName="alice") == ("NoSuchEntity", 404)
    iam.create_user(UserName="bo")
    assert error(iam.update_user, UserName="bo", NewUserName="ALICIA") == ("EntityAlreadyExists", 409)
    for name in ("alicia", "bo"):
        iam.delete_user(UserName=name)
    assert not IAMUser.objects.filter(account=account).exists()


def test_get_user_without_a_name_is_the_caller(account, iam, keys, client_for):
    assert iam.get_user()["User"]["Arn"] == account.root_arn
    bob = IAMUserFactory(account=account, name="bob")
    bob_iam = client_for("iam", *keys(account, bob))
    assert error(bob_iam.get_user) == ("AccessDenied", 403)


def test_list_users_pages_to_the_end(account, iam):
    IAMUserFactory.create_batch(7, account=account)
    pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(page["Users"]) for page in pages] == [3, 3, 1]
    assert [page["IsTruncated"] for page in pages] == [True, True, False]
    names = [user["UserName"] for page in pages for user in page["Users"]]
    assert names == sorted(names) and len(set(names)) == 7


def test_a_forged_marker_is_refused(iam):
    assert error(iam.list_users, Marker="forged") == ("ValidationError", 400)


def test_access_keys(account, iam, keys, client_for):
    iam.create_user(UserName="carol")
    created = iam.create_access_key(UserName="carol")["AccessKey"]
    assert created["Status"] == "Active" and len(created["SecretAccessKey"]) == 40
    iam.create_access_key(UserName="carol")
    assert error(iam.create_access_key, UserName="carol") == ("LimitExceeded", 409)
    carol = client_for("iam", created["AccessKeyId"], created["SecretAccessKey"])
    assert error(carol.list_users) == ("AccessDenied", 403)  # the key works; carol has no permissions
    used = iam.get_access_key_last_used(AccessKeyId=created["AccessKeyId"])
    assert used["UserName"] == "carol"
    assert (used["AccessKeyLastUsed"]["ServiceName"], used["AccessKeyLastUsed"]["Region"]) == ("iam", "us-east-1")
    iam.update_access_key(UserName="carol", AccessKeyId=created["AccessKeyId"], Status="Inactive")
    assert error(carol.list_users) == ("InvalidClientTokenId", 403)
    statuses = {key["AccessKeyId"]: key["Status"] for key in iam.list_access_keys(UserName="carol")["AccessKeyMetadata"]}
    assert statuses[created["AccessKeyId"]] == "Inactive" and len(statuses) == 2
    iam.delete_access_key(UserName="carol", AccessKeyId=created["AccessKeyId"])
    assert error(iam.delete_access_key, UserName="carol", AccessKeyId=created["AccessKeyId"]) == ("NoSuchEntity", 404)
    assert error(iam.get_access_key_last_used, AccessKeyId="AKIANOSUCHKEY0000000") == ("NoSuchEntity", 404)


def test_a_user_manages_their_own_keys_without_naming_themselves(account, make_user, keys, client_for):
    dave = make_user(account, allow("iam:*AccessKey*", resource=f"arn:aws:iam::{account.account_id}:user/dave"), name="dave")
    own = client_for("iam", *keys(account, dave))
    own.create_access_key()
    assert len(own.list_access_keys()["AccessKeyMetadata"]) == 2
    assert own.list_access_keys()["AccessKeyMetadata"][0]["UserName"] == "dave"


def test_groups(account, iam):
    iam.create_user(UserName="erin")
    group = iam.create_group(GroupName="admins")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{account.account_id}:group/admins"
    iam.add_user_to_group(GroupName="admins", UserName="erin")
    assert [user["UserName"] for user in iam.get_group(GroupName="admins")["Users"]] == ["erin"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="erin")["Groups"]] == ["admins"]
    iam.update_group(GroupName="admins", NewGroupName="operators")
    iam.update_group(GroupName="operators", NewGroupName="admins")
    assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["admins"]
    assert error(iam.delete_group, GroupName="admins") == ("DeleteConflict", 409)
    iam.remove_user_from_group(GroupName="admins", UserName="erin")
    assert error(iam.remove_user_from_group, GroupName="admins", UserName="erin") == ("NoSuchEntity", 404)
    iam.delete_group(GroupName="admins")
    assert error(iam.get_group, GroupName="admins") == ("NoSuchEntity", 404)


def test_roles(account, iam):
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST, Description="The app", MaxSessionDuration=7200)["Role"]
    assert role["Arn"] == f"arn:aws:iam::{account.account_id}:role/app"
    fetched = iam.get_role(RoleName="app")["Role"]
    assert fetched["AssumeRolePolicyDocument"] == json.loads(TRUST)  # sent URL-encoded, decoded by the SDK
    assert (fetched["Description"], fetched["MaxSessionDuration"]) == ("The app", 7200)
    iam.update_role(RoleName="app", Description="Renamed")
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=TRUST)
    assert iam.get_role(RoleName="app")["Role"]["Description"] == "Renamed"
    assert error(iam.update_role, RoleName="app", MaxSessionDuration=50000)[0] == "ValidationError"
    assert "app" in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert error(iam.create_role, RoleName="bad", AssumeRolePolicyDocument="{not json") == ("MalformedPolicyDocument", 400)
    iam.delete_role(RoleName="app")
    assert error(iam.get_role, RoleName="app") == ("NoSuchEntity", 404)


def test_service_linked_roles_are_unmodifiable(account, iam):
    create_service_linked_roles(account)
    linked = [role for role in iam.list_roles()["Roles"] if role["Path"].startswith("/aws-service-role/")]
    assert error(iam.update_role, RoleName=linked[0]["RoleName"], MaxSessionDuration=7200) == ("UnmodifiableEntity", 400)


def test_managed_policies_and_versions(account, iam):
    policy = iam.create_policy(PolicyName="ReadS3", PolicyDocument=READ_S3, Description="Read objects")["Policy"]
    policy_arn = policy["Arn"]
    assert policy_arn == f"arn:aws:iam::{account.account_id}:policy/ReadS3"
    assert (policy["DefaultVersionId"], policy["AttachmentCount"]) == ("v1", 0)
    assert error(iam.create_policy, PolicyName="ReadS3", PolicyDocument=READ_S3) == ("EntityAlreadyExists", 409)
    assert error(iam.create_policy, PolicyName="Broken", PolicyDocument='{"Statement": 1}') == ("MalformedPolicyDocument", 400)
    version = iam.create_policy_version(PolicyArn=policy_arn, PolicyDocument=policy_document(allow("s3:*")), SetAsDefault=True)
    assert version["PolicyVersion"]["VersionId"] == "v2"
    assert iam.get_policy_version(PolicyArn=policy_arn, VersionId="v2")["PolicyVersion"]["Document"]["Statement"][0]["Action"] == "s3:*"
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=policy_arn)["Versions"]] == ["v2", "v1"]
    assert error(iam.delete_policy_version, PolicyArn=policy_arn, VersionId="v2") == ("DeleteConflict", 409)
    iam.set_default_policy_version(PolicyArn=policy_arn, VersionId="v1")
    iam.delete_policy_version(PolicyArn=policy_arn, VersionId="v2")
    assert iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"] == "v1"
    local = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    assert local == ["ReadS3"]
    assert "AdministratorAccess" in [p["PolicyName"] for p in iam.list_policies(Scope="AWS", MaxItems=1000)["Policies"]]
    iam.delete_policy(PolicyArn=policy_arn)
    assert error(iam.get_policy, PolicyArn=policy_arn) == ("NoSuchEntity", 404)


def test_aws_managed_policies_are_unmodifiable(iam):
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    assert iam.get_policy(PolicyArn=admin)["Policy"]["PolicyName"] == "AdministratorAccess"
    assert error(iam.delete_policy, PolicyArn=admin)[0] == "UnmodifiableEntity"


@pytest.mark.parametrize("kind, create", [
    ("User", lambda iam: iam.create_user(UserName="target")),
    ("Group", lambda iam: iam.create_group(GroupName="target")),
    ("Role", lambda iam: iam.create_role(RoleName="target", AssumeRolePolicyDocument=TRUST)),
])
def test_attached_and_inline_policies(iam, kind, create):
    create(iam)
    name = {f"{kind}Name": "target"}
    snake = kind.lower()
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    getattr(iam, f"attach_{snake}_policy")(PolicyArn=admin, **name)
    attached = getattr(iam, f"list_attached_{snake}_policies")(**name)["AttachedPolicies"]
    assert attached == [{"PolicyName": "AdministratorAccess", "PolicyArn": admin}]
    assert iam.get_policy(PolicyArn=admin)["Policy"]["AttachmentCount"] >= 1
    getattr(iam, f"detach_{snake}_policy")(PolicyArn=admin, **name)
    assert error(getattr(iam, f"detach_{snake}_policy"), PolicyArn=admin, **name) == ("NoSuchEntity", 404)
    getattr(iam, f"put_{snake}_policy")(PolicyName="inline", PolicyDocument=READ_S3, **name)
    assert getattr(iam, f"list_{snake}_policies")(**name)["PolicyNames"] == ["inline"]
    document = getattr(iam, f"get_{snake}_policy")(PolicyName="inline", **name)["PolicyDocument"]
    assert document == json.loads(READ_S3)
    getattr(iam, f"delete_{snake}_policy")(PolicyName="inline", **name)
    assert error(getattr(iam, f"get_{snake}_policy"), PolicyName="inline", **name) == ("NoSuchEntity", 404)
    assert error(getattr(iam, f"put_{snake}_policy"), PolicyName="bad", PolicyDocument="nope", **name)[0] == \
        "MalformedPolicyDocument"


def test_login_profiles(iam):
    iam.create_user(UserName="frank")
    assert error(iam.get_login_profile, UserName="frank") == ("NoSuchEntity", 404)
    profile = iam.create_login_profile(UserName="frank", Password="Correct-Horse-9!", PasswordResetRequired=True)
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    assert error(iam.create_login_profile, UserName="frank", Password="Correct-Horse-9!") == ("EntityAlreadyExists", 409)
    assert iam.get_login_profile(UserName="frank")["LoginProfile"]["UserName"] == "frank"
    iam.delete_login_profile(UserName="frank")
    assert error(iam.delete_login_profile, UserName="frank") == ("NoSuchEntity", 404)


def test_password_policy(account, iam):
    assert error(iam.get_account_password_policy) == ("NoSuchEntity", 404)
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, MaxPasswordAge=90)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert (policy["MinimumPasswordLength"], policy["RequireSymbols"], policy["ExpirePasswords"]) == (14, True, True)
    iam.create_user(UserName="gina")
    assert error(iam.create_login_profile, UserName="gina", Password="short")[0] == "PasswordPolicyViolation"
    iam.delete_account_password_policy()
    assert error(iam.delete_account_password_policy) == ("NoSuchEntity", 404)


def test_account_alias(account, iam):
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias="acme-sandbox")
    assert iam.list_account_aliases()["AccountAliases"] == ["acme-sandbox"]
    other = AccountFactory()
    other.alias = "taken-alias"
    other.save()
    assert error(iam.create_account_alias, AccountAlias="taken-alias")[0] == "EntityAlreadyExists"
    iam.delete_account_alias(AccountAlias="acme-sandbox")
    assert error(iam.delete_account_alias, AccountAlias="acme-sandbox") == ("NoSuchEntity", 404)


def test_account_summary_counts_this_account_only(account, iam):
    IAMUserFactory.create_batch(2, account=account)
    IAMUserFactory.create_batch(3, account=AccountFactory())
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["Users"] == 2 and summary["AccessKeysPerUserQuota"] == 2
    assert summary["AccountAccessKeysPresent"] == 1  # the root key this client signs with


def test_simulate_principal_and_custom_policies(account, iam, make_user):
    user = make_user(account, allow("s3:GetObject"), deny("s3:DeleteObject"), name="henry")
    results = iam.simulate_principal_policy(
        PolicySourceArn=user.arn, ActionNames=["s3:GetObject", "s3:DeleteObject", "ec2:RunInstances"]
    )["EvaluationResults"]
    assert [result["EvalDecision"] for result in results] == ["allowed", "explicitDeny", "implicitDeny"]
    assert results[0]["MatchedStatements"]
    custom = iam.simulate_custom_policy(
        PolicyInputList=[policy_document(allow("s3:*", Condition={"StringEquals": {"aws:username": "x"}}))],
        ActionNames=["s3:ListBucket"],
        ContextEntries=[{"ContextKeyName": "aws:username", "ContextKeyValues": ["x"], "ContextKeyType": "string"}],
    )["EvaluationResults"]
    assert custom[0]["EvalDecision"] == "allowed"
    assert error(iam.simulate_principal_policy, PolicySourceArn=f"arn:aws:iam::{account.account_id}:user/ghost",
                 ActionNames=["s3:GetObject"]) == ("NoSuchEntity", 404)


def test_resource_level_permissions_and_aws_wording(account, make_user, keys, client_for):
    IAMUserFactory(account=account, name="visible")
    IAMUserFactory(account=account, name="hidden")
    viewer = make_user(account, allow("iam:GetUser", resource=f"arn:aws:iam::{account.account_id}:user/visible"), name="viewer")
    iam = client_for("iam", *keys(account, viewer))
    assert iam.get_user(UserName="visible")["User"]["UserName"] == "visible"
    with pytest.raises(ClientError) as caught:
        iam.get_user(UserName="hidden")
    assert caught.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{account.account_id}:user/viewer is not authorized to perform: iam:GetUser on resource: "
        f"arn:aws:iam::{account.account_id}:user/hidden because no identity-based policy allows the iam:GetUser action"
    )


def test_a_key_of_one_account_never_reaches_another(account, iam, keys, client_for):
    other = AccountFactory()
    IAMUserFactory(account=other, name="theirs")
    stranger = client_for("iam", *keys(other))
    iam.create_user(UserName="mine")
    iam.create_group(GroupName="our-group")
    policy_arn = iam.create_policy(PolicyName="Ours", PolicyDocument=READ_S3)["Policy"]["Arn"]
    assert [user["UserName"] for user in stranger.list_users()["Users"]] == ["theirs"]
    assert error(stranger.get_user, UserName="mine") == ("NoSuchEntity", 404)
    assert error(stranger.delete_user, UserName="mine") == ("NoSuchEntity", 404)
    assert error(stranger.get_group, GroupName="our-group") == ("NoSuchEntity", 404)
    assert error(stranger.get_policy, PolicyArn=policy_arn) == ("NoSuchEntity", 404)
    assert error(stranger.attach_user_policy, UserName="theirs", PolicyArn=policy_arn) == ("NoSuchEntity", 404)
    assert error(stranger.create_access_key, UserName="mine") == ("NoSuchEntity", 404)
    assert error(stranger.simulate_principal_policy, PolicySourceArn=f"arn:aws:iam::{account.account_id}:user/mine",
                 ActionNames=["s3:GetObject"])[0] in ("NoSuchEntity", "AccessDenied")


def test_another_accounts_mfa_devices_do_not_exist(account, iam, keys, client_for):
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="mia")["VirtualMFADevice"]["SerialNumber"]
    stranger = client_for("iam", *keys(AccountFactory()))
    assert stranger.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    assert error(stranger.delete_virtual_mfa_device, SerialNumber=serial) == ("NoSuchEntity", 404)


def test_tags_on_users_and_roles(account, iam, make_user, keys, client_for):
    created = iam.create_user(UserName="tia", Tags=[{"Key": "team", "Value": "blue"}])["User"]
    assert created["Tags"] == [{"Key": "team", "Value": "blue"}]
    iam.tag_user(UserName="tia", Tags=[{"Key": "Cost", "Value": "42"}, {"Key": "TEAM", "Value": "red"}])
    assert iam.list_user_tags(UserName="tia")["Tags"] == [{"Key": "Cost", "Value": "42"}, {"Key": "TEAM", "Value": "red"}]
    iam.untag_user(UserName="tia", TagKeys=["cost"])
    assert iam.get_user(UserName="tia")["User"]["Tags"] == [{"Key": "TEAM", "Value": "red"}]
    assert error(iam.tag_user, UserName="tia", Tags=[{"Key": "aws:reserved", "Value": "x"}]) == ("ValidationError", 400)
    iam.create_role(RoleName="tagged", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "env", "Value": "prod"}])
    assert iam.list_role_tags(RoleName="tagged")["Tags"] == [{"Key": "env", "Value": "prod"}]
    iam.untag_role(RoleName="tagged", TagKeys=["env"])
    assert iam.list_role_tags(RoleName="tagged")["Tags"] == []
    only_team = make_user(account, allow("iam:TagUser", Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}),
                          name="tagger")
    tagger = client_for("iam", *keys(account, only_team))
    tagger.tag_user(UserName="tia", Tags=[{"Key": "team", "Value": "green"}])
    assert error(tagger.tag_user, UserName="tia", Tags=[{"Key": "owner", "Value": "me"}]) == ("AccessDenied", 403)


def test_login_profile_updates_and_changing_your_own_password(account, iam, keys, client_for):
    iam.create_user(UserName="lou")
    assert error(iam.update_login_profile, UserName="lou", Password="Correct-Horse-9!") == ("NoSuchEntity", 404)
    iam.create_login_profile(UserName="lou", Password="Correct-Horse-9!")
    iam.update_login_profile(UserName="lou", PasswordResetRequired=True)
    assert iam.get_login_profile(UserName="lou")["LoginProfile"]["PasswordResetRequired"] is True
    iam.update_login_profile(UserName="lou", Password="Battery-Staple-7?")
    assert iam.get_login_profile(UserName="lou")["LoginProfile"]["PasswordResetRequired"] is False
    key = iam.create_access_key(UserName="lou")["AccessKey"]
    lou = client_for("iam", key["AccessKeyId"], key["SecretAccessKey"])
    assert error(lou.change_password, OldPassword="Battery-Staple-7?", NewPassword="Another-Pass-8#") == ("AccessDenied", 403)
    iam.update_account_password_policy(AllowUsersToChangePassword=True)
    lou.change_password(OldPassword="Battery-Staple-7?", NewPassword="Another-Pass-8#")
    assert error(iam.change_password, OldPassword="x", NewPassword="y")[0] == "InvalidUserType"


def test_entities_for_a_policy_page_to_the_end_within_the_account(account, iam):
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    for name in ("u1", "u2"):
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn=admin)
    iam.create_group(GroupName="g1")
    iam.attach_group_policy(GroupName="g1", PolicyArn=admin)
    iam.create_role(RoleName="r1", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="r1", PolicyArn=admin)
    other = AccountFactory()
    IAMUserFactory(account=other, name="theirs").attached_policies.add(
        Policy.objects.get(account=None, name="AdministratorAccess"))
    pages = list(iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=admin, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 2
    assert [g["GroupName"] for page in pages for g in page["PolicyGroups"]] == ["g1"]
    assert [u["UserName"] for page in pages for u in page["PolicyUsers"]] == ["u1", "u2"]
    assert [r["RoleName"] for page in pages for r in page["PolicyRoles"]] == ["r1"]
    only_users = iam.list_entities_for_policy(PolicyArn=admin, EntityFilter="User")
    assert (len(only_users["PolicyUsers"]), only_users["PolicyGroups"], only_users["PolicyRoles"]) == (2, [], [])
