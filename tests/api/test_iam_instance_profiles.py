"""Instance profiles through boto3: one role each, tags, paging, and what blocks deletion."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.factories import allow

pytestmark = pytest.mark.django_db(transaction=True)
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def test_instance_profile_lifecycle(account, root_api):
    iam = root_api("iam")
    created = iam.create_instance_profile(InstanceProfileName="web", Path="/app/",
                                          Tags=[{"Key": "tier", "Value": "front"}])["InstanceProfile"]
    assert created["Arn"] == f"arn:aws:iam::{account.account_id}:instance-profile/app/web"
    assert created["InstanceProfileId"].startswith("AIPA") and created["Roles"] == []
    assert error(iam.create_instance_profile, InstanceProfileName="WEB") == "EntityAlreadyExists"
    iam.create_role(RoleName="web-role", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="other-role", AssumeRolePolicyDocument=TRUST)
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")
    assert error(iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="other-role") == "LimitExceeded"
    assert [r["RoleName"] for r in iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]] == [
        "web-role"]
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName="web-role")[
        "InstanceProfiles"]] == ["web"]
    assert error(iam.delete_instance_profile, InstanceProfileName="web") == "DeleteConflict"
    assert error(iam.delete_role, RoleName="web-role") == "DeleteConflict"
    assert iam.get_account_summary()["SummaryMap"]["InstanceProfiles"] == 1

    iam.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "owner", "Value": "ops"}])
    iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["tier"])
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [{"Key": "owner", "Value": "ops"}]

    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="web-role")
    assert error(iam.remove_role_from_instance_profile, InstanceProfileName="web", RoleName="web-role") == "NoSuchEntity"
    iam.delete_instance_profile(InstanceProfileName="web")
    assert error(iam.get_instance_profile, InstanceProfileName="web") == "NoSuchEntity"
    assert error(iam.create_instance_profile, InstanceProfileName="bad name") == "ValidationError"


def test_instance_profiles_page_by_path(root_api):
    iam = root_api("iam")
    for name in ("a", "b", "c"):
        iam.create_instance_profile(InstanceProfileName=name, Path="/fleet/")
    iam.create_instance_profile(InstanceProfileName="elsewhere")
    first = iam.list_instance_profiles(PathPrefix="/fleet/", MaxItems=2)
    assert first["IsTruncated"]
    rest = iam.list_instance_profiles(PathPrefix="/fleet/", Marker=first["Marker"])
    assert [p["InstanceProfileName"] for p in first["InstanceProfiles"] + rest["InstanceProfiles"]] == ["a", "b", "c"]


def test_account_authorization_details(account, root_api, make_user):
    from tests.factories import allow

    iam = root_api("iam")
    make_user(account, allow("iam:ListUsers"), name="detailed")
    iam.put_user_policy(UserName="detailed", PolicyName="inline", PolicyDocument='{"Version": "2012-10-17", '
                        '"Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}')
    iam.create_group(GroupName="crew")
    iam.add_user_to_group(GroupName="crew", UserName="detailed")
    iam.create_role(RoleName="runner", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="runner-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="runner-profile", RoleName="runner")
    details = iam.get_account_authorization_details()
    [user] = details["UserDetailList"]
    assert (user["UserName"], user["GroupList"], user["UserPolicyList"][0]["PolicyName"]) == ("detailed", ["crew"], "inline")
    assert user["UserPolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"] == "sts:GetCallerIdentity"
    assert len(user["AttachedManagedPolicies"]) == 1
    assert [g["GroupName"] for g in details["GroupDetailList"]] == ["crew"]
    [role] = details["RoleDetailList"]
    assert role["InstanceProfileList"][0]["InstanceProfileName"] == "runner-profile"
    [policy] = details["Policies"]
    assert policy["AttachmentCount"] == 1 and policy["PolicyVersionList"][0]["IsDefaultVersion"]

    only_roles = iam.get_account_authorization_details(Filter=["Role"])
    assert only_roles["UserDetailList"] == [] and len(only_roles["RoleDetailList"]) == 1
    first = iam.get_account_authorization_details(MaxItems=2)
    rest = iam.get_account_authorization_details(Marker=first["Marker"])
    assert first["IsTruncated"] and not rest["IsTruncated"]
    assert len(first["UserDetailList"] + first["GroupDetailList"] + rest["RoleDetailList"] + rest["Policies"]) == 4


def test_adding_a_role_needs_pass_role_for_ec2(account, root_api, user_api):
    iam = root_api("iam")
    iam.create_instance_profile(InstanceProfileName="web")
    role_arn = iam.create_role(RoleName="web-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    to_ec2 = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    without = user_api("iam", account, allow("iam:AddRoleToInstanceProfile"), name="no-pass")
    assert error(without.add_role_to_instance_profile, InstanceProfileName="web", RoleName="web-role") == "AccessDenied"
    elsewhere = user_api("iam", account, allow("iam:AddRoleToInstanceProfile"),
                         allow("iam:PassRole", role_arn, Condition={"StringEquals": {
                             "iam:PassedToService": "lambda.amazonaws.com"}}), name="lambda-only")
    assert error(elsewhere.add_role_to_instance_profile, InstanceProfileName="web", RoleName="web-role") == (
        "AccessDenied")
    allowed = user_api("iam", account, allow("iam:AddRoleToInstanceProfile"),
                       allow("iam:PassRole", role_arn, Condition=to_ec2), name="deployer")
    allowed.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"][0]["Arn"] == role_arn
