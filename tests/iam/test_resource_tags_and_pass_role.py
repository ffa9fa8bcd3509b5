"""ABAC on the target (aws:ResourceTag / iam:ResourceTag) and iam:PassRole, through the one authorize()."""

import pytest

from iam.authorization import authorize, authorize_pass_role, is_allowed
from iam.exceptions import AccessDenied
from iam.principals import Principal
from iam.services import create_customer_managed_policy, create_role, create_user, tag_identity
from iam.services.instance_profiles import create_instance_profile
from iam.services.policies import tag_policy
from tests.factories import allow, deny, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db

SAME_TEAM = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}


def test_resource_tags_of_the_target_user_decide(account, make_user):
    caller = make_user(account, allow("iam:DeleteUser", Condition=SAME_TEAM), name="lead")
    tag_identity(caller, {"team": "blue"})
    teammate = create_user(account, "teammate", path="/staff/")
    tag_identity(teammate, {"team": "blue"})
    stranger = create_user(account, "stranger")
    tag_identity(stranger, {"team": "red"})
    untagged = create_user(account, "untagged")
    principal = Principal(account, caller)
    authorize(principal, "iam:DeleteUser", teammate.arn)
    assert not is_allowed(principal, "iam:DeleteUser", stranger.arn)
    with pytest.raises(AccessDenied):
        authorize(principal, "iam:DeleteUser", untagged.arn)
    # A name with another path is another resource: no tags to match.
    assert not is_allowed(principal, "iam:DeleteUser", f"arn:aws:iam::{account.account_id}:user/teammate")


def test_iam_resource_tag_keys_and_denies_on_roles_and_instance_profiles(account, make_user):
    protected = {"StringEquals": {"iam:ResourceTag/protected": "true"}}
    caller = make_user(account, allow("iam:*"), deny("iam:Delete*", Condition=protected), name="operator")
    keep = create_role(account, "keep", TRUST)
    tag_identity(keep, {"protected": "true"})
    scratch = create_role(account, "scratch", TRUST)
    profile = create_instance_profile(account, "web", tags={"protected": "true"})
    principal = Principal(account, caller)
    assert not is_allowed(principal, "iam:DeleteRole", keep.arn)
    assert is_allowed(principal, "iam:DeleteRole", scratch.arn)
    assert not is_allowed(principal, "iam:DeleteInstanceProfile", profile.arn)
    assert is_allowed(principal, "iam:GetRole", keep.arn)  # the deny covers deletes only
    policy = create_customer_managed_policy(account, "kept", policy_document(allow("s3:*")), path="/team/")
    tag_policy(policy, {"protected": "true"})
    assert not is_allowed(principal, "iam:DeletePolicy", policy.arn)


def test_resource_tags_cost_a_query_only_when_a_policy_reads_them(account, make_user, django_assert_num_queries):
    target = create_user(account, "target")
    plain = Principal(account, make_user(account, allow("iam:GetUser"), name="plain"))
    abac = Principal(account, make_user(account, allow("iam:GetUser", Condition=SAME_TEAM), name="abac"))
    plain.policy_layers, abac.policy_layers  # noqa: B018  (policies load once per request, outside the count)
    with django_assert_num_queries(0):
        authorize(plain, "iam:GetUser", target.arn)
    with django_assert_num_queries(1):
        assert not is_allowed(abac, "iam:GetUser", target.arn)


def test_pass_role_is_checked_with_the_service_it_is_passed_to(account, make_user):
    ec2_only = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    role = create_role(account, "web-role", TRUST)
    other = create_role(account, "admin-role", TRUST)
    caller = make_user(account, allow("iam:PassRole", role.arn, Condition=ec2_only), name="deployer")
    principal = Principal(account, caller)
    instances = f"arn:aws:ec2:*:{account.account_id}:instance/*"
    authorize_pass_role(principal, role, "ec2.amazonaws.com", instances)
    with pytest.raises(AccessDenied) as denied:
        authorize_pass_role(principal, role, "lambda.amazonaws.com", instances)
    assert "iam:PassRole" in denied.value.message and role.arn in denied.value.message
    with pytest.raises(AccessDenied):
        authorize_pass_role(principal, other, "ec2.amazonaws.com", instances)
    authorize_pass_role(Principal(account), other, "ec2.amazonaws.com", instances)  # the root user may pass any role
