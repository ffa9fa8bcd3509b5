"""How identity policies, a permissions boundary and session policies combine, case by case, and which type decided.

Every combination of each layer's own answer (allow, explicit deny, no statement, or the layer absent) is checked
against AWS's evaluation logic: an explicit deny anywhere wins and is blamed on the layer that holds it; otherwise
every present layer must allow, and the first that does not is the one named in the AccessDenied message.
"""

import itertools
import json

import pytest

from iam.evaluator import (
    ALLOWED,
    BOUNDARY,
    EXPLICIT_DENY,
    IDENTITY,
    IMPLICIT_DENY,
    SESSION,
    PolicyLayer,
    SourcedPolicy,
    evaluate_layers,
)
from iam.policy_language import parse_policy

ACTION = "iam:CreateUser"
ANSWERS = {
    "allow": [{"Effect": "Allow", "Action": ACTION, "Resource": "*"}],
    "deny": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": ACTION, "Resource": "*"}],
    "silent": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}],
}


def layer(policy_type: str, answer: str) -> PolicyLayer:
    document = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": ANSWERS[answer]}))
    return PolicyLayer(policy_type, [SourcedPolicy(f"{policy_type} ({answer})", document)])


# (identity, boundary, session) -> (decision, decided by); None: that type is absent.
TABLE = {
    ("allow", None, None): (ALLOWED, IDENTITY),
    ("silent", None, None): (IMPLICIT_DENY, IDENTITY),
    ("deny", None, None): (EXPLICIT_DENY, IDENTITY),
    ("allow", "allow", None): (ALLOWED, IDENTITY),
    ("allow", "silent", None): (IMPLICIT_DENY, BOUNDARY),
    ("allow", "deny", None): (EXPLICIT_DENY, BOUNDARY),
    ("silent", "allow", None): (IMPLICIT_DENY, IDENTITY),
    ("deny", "allow", None): (EXPLICIT_DENY, IDENTITY),
    ("allow", None, "allow"): (ALLOWED, IDENTITY),
    ("allow", None, "silent"): (IMPLICIT_DENY, SESSION),
    ("allow", None, "deny"): (EXPLICIT_DENY, SESSION),
    ("silent", None, "allow"): (IMPLICIT_DENY, IDENTITY),
    ("allow", "allow", "allow"): (ALLOWED, IDENTITY),
    ("allow", "silent", "deny"): (EXPLICIT_DENY, SESSION),
    ("silent", "deny", "allow"): (EXPLICIT_DENY, BOUNDARY),
    ("allow", "allow", "silent"): (IMPLICIT_DENY, SESSION),
    ("allow", "silent", "silent"): (IMPLICIT_DENY, BOUNDARY),
    ("deny", "deny", "deny"): (EXPLICIT_DENY, IDENTITY),
}


def expected(identity: str, boundary: str | None, session: str | None) -> tuple[str, str]:
    present = [(IDENTITY, identity), (BOUNDARY, boundary), (SESSION, session)]
    present = [(policy_type, answer) for policy_type, answer in present if answer is not None]
    for policy_type, answer in present:
        if answer == "deny":
            return EXPLICIT_DENY, policy_type
    for policy_type, answer in present:
        if answer != "allow":
            return IMPLICIT_DENY, policy_type
    return ALLOWED, IDENTITY


COMBINATIONS = list(itertools.product(ANSWERS, [None, *ANSWERS], [None, *ANSWERS]))


def test_the_rule_agrees_with_the_written_table():
    for combination, outcome in TABLE.items():
        assert expected(*combination) == outcome, combination


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda combination: "-".join(map(str, combination)))
def test_every_combination_of_policy_types(combination):
    identity, boundary, session = combination
    layers = [layer(IDENTITY, identity)]
    layers += [layer(BOUNDARY, boundary)] if boundary is not None else []
    layers += [layer(SESSION, session)] if session is not None else []
    result = evaluate_layers(layers, ACTION)
    assert (result.decision, result.decided_by) == expected(identity, boundary, session)
    if result.decision == EXPLICIT_DENY:
        assert {match.statement.effect for match in result.matched} == {"Deny"}
        assert {match.source for match in result.matched} == {f"{result.decided_by} (deny)"}
    elif result.decision == ALLOWED:
        assert {match.source for match in result.matched} == {f"{layer.policy_type} (allow)" for layer in layers}
    else:
        assert result.matched == ()
