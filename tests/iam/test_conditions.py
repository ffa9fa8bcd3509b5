"""The evaluator's condition operators and global keys as a real principal's request carries them,
and the user and role tags that aws:PrincipalTag/<key> reads."""

import pytest

from iam.authorization import evaluate_principal, is_allowed
from iam.exceptions import LimitExceeded, UnmodifiableEntity, ValidationError
from iam.models import IAMUser, Role
from iam.principals import Principal
from iam.services import (
    SUPPORT_ROLE,
    TAGS_PER_IDENTITY,
    attach_policy,
    create_group,
    create_role,
    create_user,
    put_inline_policy,
    tag_identity,
    untag_identity,
)
from iam.selectors import find_role
from tests.conftest import console_client_for
from tests.factories import PolicyFactory, allow, deny, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def user_with(account, *statements, **principal_fields):
    user = create_user(account, "u")
    attach_policy(user, PolicyFactory(account=account, document=policy_document(*statements)))
    return lambda **more: Principal(account=account, user=IAMUser.objects.get(pk=user.pk), **{**principal_fields, **more})


# --- global condition keys ------------------------------------------------------------------------


def test_current_time_with_date_operators(account):
    principal = user_with(
        account,
        allow("s3:GetObject", Condition={"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
        allow("s3:PutObject", Condition={"DateGreaterThan": {"aws:CurrentTime": "2999-01-01T00:00:00Z"}}),
        deny("s3:DeleteObject", Condition={"DateLessThan": {"aws:CurrentTime": "2999-01-01T00:00:00Z"}}),
        allow("s3:DeleteObject"),
    )()
    assert is_allowed(principal, "s3:GetObject")
    assert evaluate_principal(principal, "s3:PutObject").decision == "implicitDeny"
    assert evaluate_principal(principal, "s3:DeleteObject").decision == "explicitDeny"


def test_source_ip_with_ip_address_operators(account):
    make = user_with(
        account,
        allow("ec2:*", Condition={"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
        deny("ec2:TerminateInstances", Condition={"NotIpAddress": {"aws:SourceIp": "10.1.0.0/16"}}),
    )
    assert is_allowed(make(source_ip="10.1.2.3"), "ec2:TerminateInstances")
    assert is_allowed(make(source_ip="2001:db8::1"), "ec2:RunInstances")
    assert evaluate_principal(make(source_ip="10.9.9.9"), "ec2:TerminateInstances").decision == "explicitDeny"
    assert evaluate_principal(make(source_ip="192.0.2.1"), "ec2:RunInstances").decision == "implicitDeny"


def test_requested_region_is_us_east_1_in_the_console_and_the_signed_region_for_the_api(account):
    make = user_with(account, allow("support:*", Condition={"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}))
    assert make().request_context()["aws:RequestedRegion"] == "us-east-1"
    assert is_allowed(make(), "support:DescribeCases")
    assert is_allowed(make(requested_region="eu-west-1", via_access_key=True), "support:DescribeCases")
    assert not is_allowed(make(requested_region="ap-south-1", via_access_key=True), "support:DescribeCases")


def test_if_exists_turns_an_absent_key_into_a_match(account):
    make = user_with(
        account,
        allow("iam:Get*", Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
        allow("iam:List*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    # Long-term access keys carry no MFA key at all: ...IfExists matches, the plain operator does not.
    by_key = make(via_access_key=True)
    assert "aws:MultiFactorAuthPresent" not in by_key.request_context()
    assert is_allowed(by_key, "iam:GetUser") and not is_allowed(by_key, "iam:ListUsers")
    # A console session without MFA carries the key as false: both refuse.
    assert not is_allowed(make(), "iam:GetUser") and not is_allowed(make(), "iam:ListUsers")


def test_not_action_and_not_resource(account):
    bucket = "arn:aws:s3:::public/*"
    principal = user_with(
        account,
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "NotResource": bucket},
    )()
    assert is_allowed(principal, "s3:GetObject", "arn:aws:s3:::public/readme.txt")
    assert evaluate_principal(principal, "s3:GetObject", "arn:aws:s3:::private/key").decision == "explicitDeny"
    assert evaluate_principal(principal, "iam:CreateUser").decision == "implicitDeny"
    assert is_allowed(principal, "support:DescribeCases")


# --- tags and aws:PrincipalTag -------------------------------------------------------------------------


def test_principal_tags_of_users_and_roles_feed_conditions(account):
    team_only = policy_document(allow("support:*", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))
    user = create_user(account, "u")
    put_inline_policy(user, "Team", team_only)
    assert not is_allowed(Principal(account=account, user=user), "support:DescribeCases")
    tag_identity(user, {"Team": "blue"})  # keys compare case-insensitively
    assert is_allowed(Principal(account=account, user=IAMUser.objects.get(pk=user.pk)), "support:DescribeCases")
    role = create_role(account, "r", TRUST)
    put_inline_policy(role, "Team", team_only)
    tag_identity(role, {"team": "red"})
    assert not is_allowed(Principal(account=account, role=Role.objects.get(pk=role.pk), role_session_name="s"), "support:DescribeCases")


def test_tagging_overwrites_case_insensitively_and_untagging_ignores_unknown_keys(account):
    user = create_user(account, "u")
    tag_identity(user, {"Team": "blue", "CostCenter": "42"})
    assert tag_identity(user, {"team": "red"}) == {"CostCenter": "42", "team": "red"}
    assert untag_identity(user, ["COSTCENTER", "missing"]) == {"team": "red"}
    assert IAMUser.objects.get(pk=user.pk).tags == {"team": "red"}


@pytest.mark.parametrize("key, value, message", [
    ("aws:team", "x", "reserved"),
    ("", "x", "length between 1 and 128"),
    ("k" * 129, "x", "length between 1 and 128"),
    ("bad#key", "x", "contain only"),
    ("ok", "v" * 257, "less than or equal to 256"),
    ("ok", "semi;colon", "contain only"),
])
def test_invalid_tags_are_refused_and_change_nothing(account, key, value, message):
    user = create_user(account, "u")
    tag_identity(user, {"Keep": "me"})
    with pytest.raises(ValidationError, match=message):
        tag_identity(user, {"New": "fine", key: value})
    assert IAMUser.objects.get(pk=user.pk).tags == {"Keep": "me"}


def test_at_most_fifty_tags(account):
    user = create_user(account, "u")
    tag_identity(user, {f"k{number}": "v" for number in range(TAGS_PER_IDENTITY)})
    tag_identity(user, {"K0": "replaced"})  # overwriting does not count twice
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for TagsPerUser: 50"):
        tag_identity(user, {"one-more": "v"})
    assert len(IAMUser.objects.get(pk=user.pk).tags) == 50


def test_groups_and_service_linked_roles_take_no_tags(account, opened_account):
    with pytest.raises(ValidationError, match="groups cannot be tagged"):
        tag_identity(create_group(account, "g"), {"a": "b"})
    with pytest.raises(UnmodifiableEntity):
        tag_identity(find_role(opened_account, SUPPORT_ROLE), {"a": "b"})


def test_tags_in_the_console(account, root_client, user_client):
    create_user(account, "tagged")
    page = root_client.get("/iam/users/tagged/").content.decode()
    assert "No tags." in page and "Add tag" in page
    refused = root_client.post("/iam/users/tagged/tags/", {"key": "aws:x", "value": "1"})
    assert refused.status_code == 200 and "reserved for AWS use" in refused.context["form"].errors["key"][0]
    assert root_client.post("/iam/users/tagged/tags/", {"key": "Team", "value": "blue"})["Location"] == "/iam/users/tagged/?tab=tags"
    assert "blue" in root_client.get("/iam/users/tagged/").content.decode()
    reader = user_client(account, allow(["iam:Get*", "iam:List*"]))
    assert "Add tag" not in reader.get("/iam/users/tagged/").content.decode()
    assert reader.post("/iam/users/tagged/tags/remove/", {"key": "Team"}).status_code == 403
    # aws:RequestTag/<key> lets an administrator limit which tags others may set.
    limited = user_client(account, allow("iam:TagUser", Condition={"StringEquals": {"aws:RequestTag/Team": ["blue", "red"]}}))
    assert limited.post("/iam/users/tagged/tags/", {"key": "Team", "value": "green"}).status_code == 403
    assert limited.post("/iam/users/tagged/tags/", {"key": "Team", "value": "red"}).status_code == 302
    root_client.post("/iam/users/tagged/tags/remove/", {"key": "Team"})
    assert IAMUser.objects.get(name="tagged").tags == {}
    create_role(account, "tagged-role", TRUST)
    assert root_client.post("/iam/roles/tagged-role/tags/", {"key": "env", "value": "prod"}).status_code == 302
    assert Role.objects.get(name="tagged-role").tags == {"env": "prod"}
