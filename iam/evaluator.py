"""The policy evaluator: explicit deny wins, then any allow, otherwise implicit deny.

Pure functions over parsed documents, so that the console, the API and the
policy simulator reach the same answer for the same inputs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .conditions import conditions_match
from .policy_language import PolicyDocument, Statement

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"


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

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


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
