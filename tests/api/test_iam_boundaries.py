"""Permissions boundaries of users and roles through boto3: they cap identity policies, in API calls and the simulator."""

import json

import pytest
from botocore.exceptions import ClientError

from iam.models import Policy
from tests.factories import allow, policy_document

pytestmark = pytest.mark.django_db(transaction=True)

READ_ONLY_IAM = policy_document(allow("iam:Get*"), allow("iam:List*"))


def error(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


@pytest.fixture
def iam(root_api):
    return root_api("iam")


@pytest.fixture
def boundary_arn(iam):
    return iam.create_policy(PolicyName="ReadOnlyIAM", PolicyDocument=READ_ONLY_IAM)["Policy"]["Arn"]


def test_a_users_boundary_caps_what_its_policies_allow(account, iam, boundary_arn, make_user, keys, client_for):
    user = make_user(account, allow("iam:*"), name="bounded")
    as_user = client_for("iam", *keys(account, user))
    iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=boundary_arn)
    assert iam.get_user(UserName="bounded")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": boundary_arn}
    as_user.list_users()
    code, message = error(as_user.create_user, UserName="new")
    assert code == "AccessDenied" and "because no permissions boundary allows the iam:CreateUser action" in message
    assert error(iam.delete_policy, PolicyArn=boundary_arn)[0] == "DeleteConflict"
    iam.delete_user_permissions_boundary(UserName="bounded")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bounded")["User"]
    as_user.create_user(UserName="new")
    assert error(iam.delete_user_permissions_boundary, UserName="bounded")[0] == "NoSuchEntity"
    ghost = f"arn:aws:iam::{account.account_id}:policy/Ghost"
    assert error(iam.put_user_permissions_boundary, UserName="bounded", PermissionsBoundary=ghost)[0] == "NoSuchEntity"


def test_a_roles_boundary_caps_its_sessions_and_is_set_at_creation(account, iam, boundary_arn, make_user, keys,
                                                                   client_for, endpoint):
    from .test_sts_sessions import as_session, trust

    iam.create_role(RoleName="capped", AssumeRolePolicyDocument=trust(account.account_id),
                    PermissionsBoundary=boundary_arn)
    iam.put_role_policy(RoleName="capped", PolicyName="all", PolicyDocument=policy_document(allow("iam:*")))
    assert iam.get_role(RoleName="capped")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary_arn
    role_arn = f"arn:aws:iam::{account.account_id}:role/capped"
    user = make_user(account, allow("sts:AssumeRole", resource=role_arn), name="assumer")
    credentials = client_for("sts", *keys(account, user)).assume_role(RoleArn=role_arn, RoleSessionName="capped")[
        "Credentials"]
    session = as_session(endpoint, "iam", credentials)
    session.list_roles()
    assert error(session.create_user, UserName="x")[0] == "AccessDenied"
    iam.delete_role_permissions_boundary(RoleName="capped")
    session.create_user(UserName="x")


def test_the_simulator_reports_the_boundary(account, iam, boundary_arn, make_user):
    user = make_user(account, allow("iam:*"), name="simulated")
    iam.put_user_permissions_boundary(UserName="simulated", PermissionsBoundary=boundary_arn)
    results = iam.simulate_principal_policy(PolicySourceArn=user.arn, ActionNames=["iam:ListUsers", "iam:CreateUser"])[
        "EvaluationResults"]
    assert [r["EvalDecision"] for r in results] == ["allowed", "implicitDeny"]
    assert [r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] for r in results] == [True, False]

    # A boundary given with the call stands in for the user's own; a resource policy naming the user grants alone.
    wider = policy_document(allow("iam:CreateUser"), allow("iam:ListUsers"))
    results = iam.simulate_principal_policy(PolicySourceArn=user.arn, ActionNames=["iam:CreateUser"],
                                            PermissionsBoundaryPolicyInputList=[wider])["EvaluationResults"]
    assert results[0]["EvalDecision"] == "allowed"
    resource_policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": "s3:GetObject", "Resource": "*"}]})
    [granted] = iam.simulate_custom_policy(
        PolicyInputList=[policy_document(allow("iam:GetUser"))], ActionNames=["s3:GetObject"],
        ResourcePolicy=resource_policy, CallerArn=user.arn)["EvaluationResults"]
    assert granted["EvalDecision"] == "allowed"
    assert granted["MatchedStatements"][0]["SourcePolicyType"] == "resource"
    assert error(iam.simulate_custom_policy, PolicyInputList=[wider], ActionNames=["s3:GetObject"],
                 ResourcePolicy=resource_policy)[0] == "InvalidInput"


def test_service_linked_role_policies_attach_to_their_role_only(account, iam):
    Policy.objects.get_or_create(account=None, name="AWSTrustedAdvisorServiceRolePolicy",
                                 defaults={"path": "/aws-service-role/"})
    iam.create_user(UserName="someone")
    arn = "arn:aws:iam::aws:policy/aws-service-role/AWSTrustedAdvisorServiceRolePolicy"
    assert error(iam.attach_user_policy, UserName="someone", PolicyArn=arn)[0] == "PolicyNotAttachable"
    assert error(iam.put_user_permissions_boundary, UserName="someone", PermissionsBoundary=arn)[0] == (
        "PolicyNotAttachable")
    assert json.loads(json.dumps(iam.list_attached_user_policies(UserName="someone")["AttachedPolicies"])) == []


def test_context_keys_and_role_description(account, iam, make_user):
    user = make_user(account, allow("iam:ListUsers", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}),
                     name="keyed")
    extra = policy_document(allow("iam:GetUser", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    assert iam.get_context_keys_for_principal_policy(PolicySourceArn=user.arn, PolicyInputList=[extra])[
        "ContextKeyNames"] == ["aws:MultiFactorAuthPresent", "aws:PrincipalTag/team"]
    assert iam.get_context_keys_for_custom_policy(PolicyInputList=[extra])["ContextKeyNames"] == [
        "aws:MultiFactorAuthPresent"]
    assert error(iam.get_context_keys_for_custom_policy, PolicyInputList=["{"])[0] == "MalformedPolicyDocument"
    iam.create_role(RoleName="described", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    assert iam.update_role_description(RoleName="described", Description="Runs builds")["Role"]["Description"] == (
        "Runs builds")
