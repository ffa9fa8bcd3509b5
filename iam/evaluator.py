"""The policy evaluator: explicit deny wins, then any allow, otherwise implicit deny.

Pure functions over parsed documents, so that the console, the API and the
policy simulator reach the same answer for the same inputs. Several policy types
(identity policies, a permissions boundary, session policies) combine as in AWS's
evaluation logic: an explicit deny in any of them wins; otherwise the request is
allowed only if every type present allows it, so boundaries and session policies
cap what identity policies grant and never grant anything themselves. A resource-based policy in the same
account grants on its own to a principal it names directly (an IAM user or a role session, by ARN), past an
implicit deny of the boundary or the session policies; naming a role's ARN grants as an identity policy of
that role would, so the role's boundary and session policies still cap it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .conditions import conditions_match
from .patterns import resource_matches
from .policy_language import PolicyDocument, Statement

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# Policy types, in AWS's words (they appear in AccessDenied messages and in the simulator).
IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
TRUST = "trust policy"
RESOURCE = "resource-based policy"


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


def _names(statement: Statement, caller_arn: str) -> bool:
    if statement.principals == "*":
        return True
    return any(name == "*" or resource_matches(name, caller_arn) for name in statement.principals.get("AWS", ()))


def evaluate_with_resource_policy(
    layers: Sequence[PolicyLayer],
    resource_policy: SourcedPolicy,
    caller_arn: str,
    action: str,
    resource: str = "*",
    context: Mapping[str, object] | None = None,
) -> EvaluationResult:
    """The layers plus a same-account resource-based policy's statements that name `caller_arn` (see the module
    docstring for what naming a user or a role session directly changes)."""
    naming = SourcedPolicy(resource_policy.source, PolicyDocument(resource_policy.document.version, tuple(
        statement for statement in resource_policy.document.statements if _names(statement, caller_arn))))
    granted = evaluate([naming], action, resource, context)
    outcome = evaluate_layers(layers, action, resource, context)
    if outcome.decision == EXPLICIT_DENY or granted.decision == IMPLICIT_DENY:
        return outcome
    if granted.decision == EXPLICIT_DENY:
        return EvaluationResult(EXPLICIT_DENY, granted.matched, RESOURCE)
    if ":role/" in caller_arn:  # the role's own ARN: granted as one of its identity policies, still capped
        identity, *caps = layers
        capped = evaluate_layers([PolicyLayer(identity.policy_type, [*identity.policies, naming]), *caps],
                                 action, resource, context)
        identity_alone = evaluate(identity.policies, action, resource, context).allowed
        return capped if identity_alone or not capped.allowed else replace(capped, decided_by=RESOURCE)
    return outcome if outcome.allowed else EvaluationResult(ALLOWED, granted.matched, RESOURCE)
