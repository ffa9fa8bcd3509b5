"""The policy evaluator: explicit deny wins, then any allow, otherwise implicit deny.

Pure functions over parsed documents, so that the console, the API and the
policy simulator reach the same answer for the same inputs. Several policy types
(identity policies, a permissions boundary, session policies) combine as in AWS's
evaluation logic: an explicit deny in any of them wins; otherwise the request is
allowed only if every type present allows it, so boundaries and session policies
cap what identity policies grant and never grant anything themselves.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .conditions import conditions_match
from .policy_language import PolicyDocument, Statement

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# Policy types, in AWS's words (they appear in AccessDenied messages and in the simulator).
IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
TRUST = "trust policy"


@dataclass(frozen=True)
class SourcedPolicy:
    """A parsed policy and where it came from (shown by the simulator)."""

    source: str
    document: PolicyDocument


@dataclass(frozen=True)
class MatchedStatement:
    source: str
    statement: Statement


@dataclass(frozen=True)
class EvaluationResult:
    decision: str
    matched: tuple[MatchedStatement, ...] = ()
    decided_by: str = IDENTITY  # the policy type whose answer decided

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


@dataclass(frozen=True)
class PolicyLayer:
    """The policies of one type that apply to a request."""

    policy_type: str
    policies: Sequence[SourcedPolicy]


def _resource_and_condition_match(statement: Statement, resource: str, context: Mapping[str, object]) -> bool:
    return statement.covers_resource(resource, context) and conditions_match(statement.condition, context)


def evaluate(
    policies: Iterable[SourcedPolicy],
    action: str,
    resource: str = "*",
    context: Mapping[str, object] | None = None,
) -> EvaluationResult:
    context = {key.lower(): value for key, value in (context or {}).items()}
    allows: list[MatchedStatement] = []
    denies: list[MatchedStatement] = []
    for policy in policies:
        for statement in policy.document.statements_covering(action):
            if _resource_and_condition_match(statement, resource, context):
                bucket = denies if statement.effect == "Deny" else allows
                bucket.append(MatchedStatement(policy.source, statement))
    if denies:
        return EvaluationResult(EXPLICIT_DENY, tuple(denies))
    if allows:
        return EvaluationResult(ALLOWED, tuple(allows))
    return EvaluationResult(IMPLICIT_DENY)


def evaluate_layers(
    layers: Sequence[PolicyLayer],
    action: str,
    resource: str = "*",
    context: Mapping[str, object] | None = None,
) -> EvaluationResult:
    """Identity policies first, then the types that cap them; see the module docstring."""
    results = [(layer.policy_type, evaluate(layer.policies, action, resource, context)) for layer in layers]
    for policy_type, result in results:
        if result.decision == EXPLICIT_DENY:
            return EvaluationResult(EXPLICIT_DENY, result.matched, policy_type)
    for policy_type, result in results:
        if not result.allowed:
            return EvaluationResult(IMPLICIT_DENY, (), policy_type)
    matched = tuple(statement for _, result in results for statement in result.matched)
    return EvaluationResult(ALLOWED, matched, results[0][0] if results else IDENTITY)
