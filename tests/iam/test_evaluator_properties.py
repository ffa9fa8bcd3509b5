"""The evaluator agrees with a small, independent reference oracle on random policies and requests.

The oracle is written straight from the IAM user guide's rules, with fnmatch for
wildcards, so a shared bug with iam.evaluator is unlikely.
"""

import ipaddress
import json
from datetime import datetime
from fnmatch import fnmatchcase

from hypothesis import given, settings
from hypothesis import strategies as st

from iam.evaluator import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, SourcedPolicy, evaluate
from iam.policy_language import parse_policy

ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:CreateUser", "iam:DeleteUser", "iam:GetUser"]
RESOURCES = ["arn:aws:s3:::reports/q1", "arn:aws:s3:::reports/q2", "arn:aws:s3:::secret/k", "arn:aws:iam::123456789012:user/alice"]
USERNAMES = ["alice", "bob", "carol"]
# String-valued condition keys and the values a request may carry for them.
STRING_KEYS = {
    "aws:username": USERNAMES,
    "aws:PrincipalTag/team": ["blue", "red", "green"],
    "aws:RequestedRegion": ["us-east-1", "eu-west-1", "ap-south-1"],
}
SOURCE_IPS = ["10.0.0.7", "10.1.2.3", "192.168.1.20", "203.0.113.9"]
NETWORKS = ["10.0.0.0/8", "10.0.0.0/24", "192.168.1.0/24", "203.0.113.9/32", "0.0.0.0/0"]
TIMES = ["2026-01-01T00:00:00Z", "2026-06-30T12:00:00Z", "2027-03-01T08:30:00Z"]


def wildcarded(values, keep_service=False):
    """A concrete value, or one with a * suffix, a ? in place of a character, or just *.

    Actions keep their "service:" prefix, which the policy grammar requires.
    """

    @st.composite
    def build(draw):
        value = draw(st.sampled_from(values))
        shape = draw(st.sampled_from(["exact", "star-suffix", "question", "all"]))
        first = value.index(":") + 1 if keep_service else 0
        if shape == "star-suffix":
            return value[: draw(st.integers(first, len(value)))] + "*"
        if shape == "question":
            index = draw(st.integers(first, len(value) - 1))
            return value[:index] + "?" + value[index + 1:]
        return "*" if shape == "all" else value

    return build()


@st.composite
def string_conditions(draw):
    key = draw(st.sampled_from(sorted(STRING_KEYS)))
    operator = draw(st.sampled_from(["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists", "StringNotEqualsIfExists"]))
    return {operator: {key: draw(st.lists(wildcarded(STRING_KEYS[key]), min_size=1, max_size=2))}}


condition_blocks = st.one_of(
    st.just({}),
    string_conditions(),
    st.builds(lambda op, value: {op: {"aws:MultiFactorAuthPresent": value}},
              st.sampled_from(["Bool", "BoolIfExists"]), st.sampled_from(["true", "false"])),
    st.builds(lambda op, value: {op: {"aws:MultiFactorAuthAge": str(value)}},
              st.sampled_from(["NumericLessThan", "NumericLessThanIfExists"]), st.integers(0, 7200)),
    st.builds(lambda op, values: {op: {"aws:SourceIp": values}},
              st.sampled_from(["IpAddress", "IpAddressIfExists"]), st.lists(st.sampled_from(NETWORKS), min_size=1, max_size=2)),
    st.builds(lambda op, value: {op: {"aws:CurrentTime": value}},
              st.sampled_from(["DateGreaterThan", "DateGreaterThanIfExists"]), st.sampled_from(TIMES)),
)


@st.composite
def statements(draw):
    statement = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    statement[draw(st.sampled_from(["Action", "NotAction"]))] = draw(st.lists(wildcarded(ACTIONS, keep_service=True), min_size=1, max_size=3))
    statement[draw(st.sampled_from(["Resource", "NotResource"]))] = draw(st.lists(wildcarded(RESOURCES), min_size=1, max_size=2))
    condition = draw(condition_blocks)
    if condition:
        statement["Condition"] = condition
    return statement


contexts = st.fixed_dictionaries({}, optional={
    **{key: st.sampled_from(values) for key, values in STRING_KEYS.items()},
    "aws:SourceIp": st.sampled_from(SOURCE_IPS),
    "aws:CurrentTime": st.sampled_from(TIMES),
    "aws:MultiFactorAuthPresent": st.booleans(),
    "aws:MultiFactorAuthAge": st.integers(0, 7200),
})


# --- the oracle ----------------------------------------------------------------------------------

def oracle_condition(operator: str, key: str, expected, context: dict) -> bool:
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    expected = expected if isinstance(expected, list) else [expected]
    if key not in context:
        return if_exists or base.startswith("StringNot")
    value = context[key]
    if base == "StringEquals":
        return value in expected
    if base == "StringNotEquals":
        return value not in expected
    if base == "StringLike":
        return any(fnmatchcase(value, pattern) for pattern in expected)
    if base == "Bool":
        return any(str(value).lower() == item for item in expected)
    if base == "NumericLessThan":
        return any(value < int(item) for item in expected)
    if base == "IpAddress":
        return any(ipaddress.ip_address(value) in ipaddress.ip_network(item) for item in expected)
    if base == "DateGreaterThan":
        return any(datetime.fromisoformat(value) > datetime.fromisoformat(item) for item in expected)
    raise AssertionError(operator)


def oracle_applies(statement: dict, action: str, resource: str, context: dict) -> bool:
    def any_match(patterns, value, ignore_case):
        if ignore_case:
            return any(fnmatchcase(value.lower(), pattern.lower()) for pattern in patterns)
        return any(fnmatchcase(value, pattern) for pattern in patterns)

    if "Action" in statement and not any_match(statement["Action"], action, True):
        return False
    if "NotAction" in statement and any_match(statement["NotAction"], action, True):
        return False
    if "Resource" in statement and not any_match(statement["Resource"], resource, False):
        return False
    if "NotResource" in statement and any_match(statement["NotResource"], resource, False):
        return False
    return all(
        oracle_condition(operator, key, expected, context)
        for operator, keys in statement.get("Condition", {}).items()
        for key, expected in keys.items()
    )


def oracle(policies: list[list[dict]], action: str, resource: str, context: dict) -> str:
    effects = {s["Effect"] for policy in policies for s in policy if oracle_applies(s, action, resource, context)}
    if "Deny" in effects:
        return EXPLICIT_DENY
    return ALLOWED if "Allow" in effects else IMPLICIT_DENY


@settings(max_examples=200, deadline=None)
@given(
    policies=st.lists(st.lists(statements(), min_size=1, max_size=3), min_size=1, max_size=3),
    action=st.sampled_from(ACTIONS),
    resource=st.sampled_from(RESOURCES),
    context=contexts,
)
def test_evaluator_matches_the_oracle(policies, action, resource, context):
    sourced = [
        SourcedPolicy(f"policy{number}", parse_policy(json.dumps({"Version": "2012-10-17", "Statement": statements_})))
        for number, statements_ in enumerate(policies)
    ]
    result = evaluate(sourced, action, resource, context)
    assert result.decision == oracle(policies, action, resource, context)
    # The statements reported as deciding are exactly the oracle's applicable ones of the winning effect.
    if result.decision != IMPLICIT_DENY:
        effect = "Deny" if result.decision == EXPLICIT_DENY else "Allow"
        expected = sum(
            1 for policy in policies for s in policy if s["Effect"] == effect and oracle_applies(s, action, resource, context)
        )
        assert len(result.matched) == expected


@settings(max_examples=100, deadline=None)
@given(statement=statements(), action=st.sampled_from(ACTIONS), resource=st.sampled_from(RESOURCES), context=contexts)
def test_adding_a_deny_never_grants_and_removing_an_allow_never_grants(statement, action, resource, context):
    base = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    deny_all = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}))
    assert evaluate([SourcedPolicy("a", base), SourcedPolicy("d", deny_all)], action, resource, context).decision == EXPLICIT_DENY
    assert evaluate([], action, resource, context).decision == IMPLICIT_DENY
