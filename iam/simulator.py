"""The policy simulator (SimulatePrincipalPolicy / SimulateCustomPolicy), on the one evaluator.

Nothing here reads a request: the console page and the wire API call the same functions.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .conditions import split_operator
from .evaluator import BOUNDARY, IDENTITY, EvaluationResult, MatchedStatement, PolicyLayer, SourcedPolicy, evaluate_layers
from .exceptions import MalformedPolicyDocument, NoSuchEntity
from .models import IAMUser
from .policy_language import parse_policy
from .selectors import boundary_policies, find_identity_by_arn, policies_of


@dataclass(frozen=True)
class SimulationResult:
    action: str
    resource: str
    decision: str  # allowed, implicitDeny or explicitDeny
    matched: tuple[MatchedStatement, ...]
    missing_context_keys: tuple[str, ...]
    decided_by: str = IDENTITY  # the policy type whose answer decided (identity-based policy, permissions boundary)
    allowed_by_boundary: bool | None = None  # None: the identity has no permissions boundary


def _missing_keys(policies: Sequence[SourcedPolicy], action: str, context: Mapping[str, object]) -> tuple[str, ...]:
    """Condition keys of statements covering the action that the context did not supply."""
    supplied = {key.lower() for key in context}
    missing = []
    for policy in policies:
        for statement in policy.document.statements_covering(action):
            for operator, keys in statement.condition.items():
                if split_operator(operator)[1] == "null":
                    continue
                missing.extend(key for key in keys if key.lower() not in supplied and key not in missing)
    return tuple(missing)


def simulate(
    policies: Sequence[SourcedPolicy],
    actions: Iterable[str],
    resources: Iterable[str] = ("*",),
    context: Mapping[str, object] | None = None,
    boundary: Sequence[SourcedPolicy] | None = None,
) -> list[SimulationResult]:
    """One result per (action, resource): the decision, the statements and the policy type that decided it."""
    context = dict(context or {})
    layers = [PolicyLayer(IDENTITY, policies)] + ([PolicyLayer(BOUNDARY, boundary)] if boundary is not None else [])
    results = []
    for action in actions:
        for resource in resources:
            outcome: EvaluationResult = evaluate_layers(layers, action, resource, context)
            within_boundary = None
            if boundary is not None:
                within_boundary = evaluate_layers([PolicyLayer(BOUNDARY, boundary)], action, resource, context).allowed
            results.append(SimulationResult(
                action, resource, outcome.decision, outcome.matched, _missing_keys(policies, action, context),
                outcome.decided_by, within_boundary,
            ))
    return results


def simulate_principal_policy(
    account,
    source_arn: str,
    actions: Iterable[str],
    resources: Iterable[str] = ("*",),
    context: Mapping[str, object] | None = None,
    extra_policies: Iterable[str] = (),
) -> list[SimulationResult]:
    """Simulate the policies of a user (with its groups'), group or role, plus optional extra documents."""
    identity = find_identity_by_arn(account, source_arn)
    if identity is None:
        raise NoSuchEntity(f"The entity {source_arn} cannot be found.", field="source_arn")
    policies = policies_of(identity) + custom_policies(extra_policies)
    caller_context = {"aws:username": identity.name} if isinstance(identity, IAMUser) else {}
    has_boundary = getattr(identity, "permissions_boundary_id", None) is not None
    boundary = boundary_policies(identity) if has_boundary else None
    return simulate(policies, actions, resources, {**caller_context, **(context or {})}, boundary)


def context_keys(policies: Sequence[SourcedPolicy]) -> list[str]:
    """GetContextKeysFor*Policy: every condition key the policies name, once each (first spelling kept)."""
    seen: dict[str, str] = {}
    for policy in policies:
        for statement in policy.document.statements:
            for keys in statement.condition.values():
                for key in keys:
                    seen.setdefault(key.lower(), key)
    return sorted(seen.values(), key=str.lower)


def principal_context_keys(account, source_arn: str, extra_policies: Iterable[str] = ()) -> list[str]:
    identity = find_identity_by_arn(account, source_arn)
    if identity is None:
        raise NoSuchEntity(f"The entity {source_arn} cannot be found.", field="source_arn")
    return context_keys(policies_of(identity) + custom_policies(extra_policies))


def custom_policies(documents: Iterable[str]) -> list[SourcedPolicy]:
    """Validate pasted policies (MalformedPolicyDocument names the one at fault)."""
    parsed = []
    for number, document in enumerate(documents, start=1):
        try:
            parsed.append(SourcedPolicy(f"PolicyInputList.{number}", parse_policy(document)))
        except MalformedPolicyDocument as error:
            raise MalformedPolicyDocument(f"Policy {number}: {error.message}") from error
    return parsed


def simulate_custom_policy(
    documents: Iterable[str],
    actions: Iterable[str],
    resources: Iterable[str] = ("*",),
    context: Mapping[str, object] | None = None,
) -> list[SimulationResult]:
    return simulate(custom_policies(documents), actions, resources, context)
