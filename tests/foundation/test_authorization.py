"""The one authorisation check: root, default deny, allow, explicit deny, wildcards."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iam.authorization import authorize, evaluate_principal, is_allowed
from iam.evaluator import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, SourcedPolicy, evaluate
from iam.exceptions import AccessDenied, MalformedPolicyDocument
from iam.models import Policy
from iam.patterns import action_matches
from iam.policy_language import parse_policy
from iam.principals import Principal
from tests.factories import IAMUserFactory, allow, deny, policy_document

pytestmark = pytest.mark.django_db


def decision(account, make_user, action, *statements, resource="*"):
    user = make_user(account, *statements)
    return evaluate_principal(Principal(account=account, user=user), action, resource).decision


def test_root_may_do_anything_in_its_own_account(account):
    root = Principal(account=account)
    assert is_allowed(root, "support:ResolveCase")
    assert is_allowed(root, "iam:DeleteUser", f"arn:aws:iam::{account.account_id}:user/bob")


def test_nobody_reaches_into_another_account(account, other_account, make_user):
    foreign = f"arn:aws:iam::{other_account.account_id}:user/bob"
    assert not is_allowed(Principal(account=account), "iam:GetUser", foreign)
    user = make_user(account, allow("*"))
    assert not is_allowed(Principal(account=account, user=user), "iam:GetUser", foreign)


def test_iam_users_are_denied_by_default(account, make_user):
    assert decision(account, make_user, "support:DescribeCases") == IMPLICIT_DENY


def test_an_attached_policy_allows(account, make_user):
    assert decision(account, make_user, "support:DescribeCases", allow("support:DescribeCases")) == ALLOWED


def test_explicit_deny_wins_over_any_allow(account, make_user):
    result = decision(account, make_user, "support:ResolveCase", allow("support:*"), deny("support:ResolveCase"))
    assert result == EXPLICIT_DENY


@pytest.mark.parametrize(
    "pattern, action, expected",
    [
        ("support:*", "support:CreateCase", True),
        ("support:Describe*", "support:DescribeCases", True),
        ("support:Describe*", "support:CreateCase", False),
        ("support:describe*", "SUPPORT:DescribeCases", True),
        ("support:Describe?ases", "support:DescribeCases", True),
        ("support:Describe?ases", "support:DescribeCCases", False),
        ("*", "iam:ListUsers", True),
        ("iam:*User", "iam:ListUsers", False),
        ("s*:Create*", "support:CreateCase", True),
    ],
)
def test_action_wildcards(pattern, action, expected):
    assert action_matches(pattern, action) is expected


def test_aws_support_access_allows_all_of_support_and_nothing_else(account):
    user = IAMUserFactory(account=account)
    user.attached_policies.add(Policy.objects.get(account=None, name="AWSSupportAccess"))
    principal = Principal(account=account, user=user)
    assert is_allowed(principal, "support:CreateCase")
    assert is_allowed(principal, "support:ResolveCase")
    assert not is_allowed(principal, "iam:ListUsers")


def test_inline_policies_count_too(account):
    user = IAMUserFactory(account=account)
    user.inline_policies.create(name="inline", document=policy_document(allow("account:Get*")))
    assert is_allowed(Principal(account=account, user=user), "account:GetContactInformation")


def test_not_action_allows_everything_but_the_listed_actions(account, make_user):
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert decision(account, make_user, "support:CreateCase", statement) == ALLOWED
    assert decision(account, make_user, "iam:CreateUser", statement) == IMPLICIT_DENY


def test_resources_match_arns_with_wildcards(account, make_user):
    arn = f"arn:aws:iam::{account.account_id}:user/team/alice"
    statement = allow("iam:GetUser", resource=f"arn:aws:iam::{account.account_id}:user/team/*")
    assert decision(account, make_user, "iam:GetUser", statement, resource=arn) == ALLOWED
    other = f"arn:aws:iam::{account.account_id}:user/ops/bob"
    assert decision(account, make_user, "iam:GetUser", statement, resource=other) == IMPLICIT_DENY


def test_mfa_condition_follows_the_session(account):
    user = IAMUserFactory(account=account)
    user.inline_policies.create(
        name="mfa",
        document=policy_document(allow("support:*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
    )
    from django.utils import timezone

    assert not is_allowed(Principal(account=account, user=user), "support:CreateCase")
    assert is_allowed(Principal(account=account, user=user, mfa_authenticated_at=timezone.now()), "support:CreateCase")


def test_policy_variables_name_the_caller(account):
    user = IAMUserFactory(account=account, name="dana")
    own = f"arn:aws:iam::{account.account_id}:user/${{aws:username}}"
    user.inline_policies.create(name="self", document=policy_document(allow("iam:ChangePassword", resource=own)))
    principal = Principal(account=account, user=user)
    assert is_allowed(principal, "iam:ChangePassword", f"arn:aws:iam::{account.account_id}:user/dana")
    assert not is_allowed(principal, "iam:ChangePassword", f"arn:aws:iam::{account.account_id}:user/erin")


def test_denial_names_the_principal_and_the_action_as_aws_does(account, make_user):
    user = make_user(account, name="alice")
    with pytest.raises(AccessDenied) as denied:
        authorize(Principal(account=account, user=user), "support:CreateCase")
    assert denied.value.message.startswith(
        f"User: arn:aws:iam::{account.account_id}:user/alice is not authorized to perform: support:CreateCase"
    )


@pytest.mark.parametrize(
    "document, fragment",
    [
        ("{", "not valid JSON at line 1"),
        ('{"Statement": []}', "must contain a Statement"),
        ('{"Version": "2012-10-17", "Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}', "Effect must be"),
        ('{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "x:y", "Resource": "*"}}', "exactly one of Action"),
        ('{"Statement": {"Effect": "Allow", "Action": "nonsense", "Resource": "*"}}', "service:Operation"),
        ('{"Statement": {"Effect": "Allow", "Action": "*"}}', "Resource or NotResource"),
        ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Sometimes": {"a": "b"}}}}', "unknown condition operator"),
    ],
)
def test_malformed_policies_are_refused_with_the_reason(document, fragment):
    with pytest.raises(MalformedPolicyDocument, match=fragment):
        parse_policy(document)


# Property: the evaluator agrees with a direct reading of the rules.
ACTIONS = ["support:CreateCase", "support:DescribeCases", "support:ResolveCase", "iam:ListUsers", "account:GetContactInformation"]
PATTERNS = ACTIONS + ["support:*", "support:Describe*", "*", "iam:*", "account:Get*", "support:?reateCase"]
statements = st.lists(
    st.tuples(st.sampled_from(["Allow", "Deny"]), st.booleans(), st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3)),
    min_size=0,
    max_size=5,
)


def oracle(raw_statements, action):
    import fnmatch

    def covers(not_action, patterns):
        hit = any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)
        return not hit if not_action else hit

    effects = {effect for effect, not_action, patterns in raw_statements if covers(not_action, patterns)}
    return EXPLICIT_DENY if "Deny" in effects else ALLOWED if "Allow" in effects else IMPLICIT_DENY


@given(statements, st.sampled_from(ACTIONS))
def test_evaluator_agrees_with_the_oracle(raw_statements, action):
    policies = [
        SourcedPolicy(
            f"p{index}",
            parse_policy(policy_document({"Effect": effect, ("NotAction" if not_action else "Action"): patterns, "Resource": "*"})),
        )
        for index, (effect, not_action, patterns) in enumerate(raw_statements)
    ]
    assert evaluate(policies, action).decision == oracle(raw_statements, action)
