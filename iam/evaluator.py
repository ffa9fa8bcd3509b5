"""The policy evaluator: explicit deny wins, then any allow, otherwise implicit deny.

Pure functions over parsed documents, so that the console, the API and the
policy simulator reach the same answer for the same inputs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .conditions import conditions_match, substitute_variables
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


def statement_applies(statement: Statement, action: str, resource: str, context: Mapping[str, object]) -> bool:
    if not statement.covers_action(action):
        return False
    if statement.resources or statement.not_resources:
        substituted = Statement(
            statement.effect,
            resources=tuple(substitute_variables(pattern, context) for pattern in statement.resources),
            not_resources=tuple(substitute_variables(pattern, context) for pattern in statement.not_resources),
            actions=("*",),
        )
        if not substituted.covers_resource(resource):
            return False
    return conditions_match(statement.condition, context)


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
        for statement in policy.document.statements:
            if statement_applies(statement, action, resource, context):
                bucket = denies if statement.effect == "Deny" else allows
                bucket.append(MatchedStatement(policy.source, statement))
    if denies:
        return EvaluationResult(EXPLICIT_DENY, tuple(denies))
    if allows:
        return EvaluationResult(ALLOWED, tuple(allows))
    return EvaluationResult(IMPLICIT_DENY)
