"""The policy simulator (SimulatePrincipalPolicy / SimulateCustomPolicy), on the one evaluator.

Nothing here reads a request: the console page and the wire API call the same functions.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .conditions import split_operator
from .evaluator import (
    BOUNDARY,
    IDENTITY,
    EvaluationResult,
    MatchedStatement,
    PolicyLayer,
    SourcedPolicy,
    evaluate_layers,
    evaluate_with_resource_policy,
)
from .exceptions import InvalidInput, MalformedPolicyDocument, NoSuchEntity
from .models import IAMUser
from .policy_language import PolicyDocument, parse_policy
from .selectors import boundary_policies, find_identity_by_arn, policies_of


@dataclass(frozen=True)
class SimulationResult:
    action: str
    resource: str
    decision: str  # allowed, implicitDeny or explicitDeny
    matched: tuple[MatchedStatement, ...]
    missing_context_keys: tuple[str, ...]
    # The policy type whose answer decided: identity-based policy, permissions boundary, resource-based policy.
    decided_by: str = IDENTITY
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
    resource_policy: SourcedPolicy | None = None,
    caller_arn: str = "",
) -> list[SimulationResult]:
    """One result per (action, resource): the decision, the statements and the policy type that decided it.
    `resource_policy` is the resources' own policy, as it applies to `caller_arn` in the same account."""
    context = dict(context or {})
    layers = [PolicyLayer(IDENTITY, policies)] + ([PolicyLayer(BOUNDARY, boundary)] if boundary is not None else [])
    results = []
    for action in actions:
        for resource in resources:
            outcome: EvaluationResult = (
                evaluate_with_resource_policy(layers, resource_policy, caller_arn, action, resource, context)
                if resource_policy is not None else evaluate_layers(layers, action, resource, context)
            )
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
    *,
    boundary_documents: Sequence[str] = (),
    resource_policy: str | None = None,
    caller_arn: str | None = None,
) -> list[SimulationResult]:
    """Simulate the policies of a user (with its groups'), group or role, plus optional extra documents;
    `boundary_documents` stands in for the identity's own permissions boundary, as in AWS."""
    identity = find_identity_by_arn(account, source_arn)
    if identity is None:
        raise NoSuchEntity(f"The entity {source_arn} cannot be found.", field="source_arn")
    policies = policies_of(identity) + custom_policies(extra_policies)
    caller_context = {"aws:username": identity.name} if isinstance(identity, IAMUser) else {}
    boundary = simulated_boundary(boundary_documents)
    if boundary is None and getattr(identity, "permissions_boundary_id", None) is not None:
        boundary = boundary_policies(identity)
    return simulate(policies, actions, resources, {**caller_context, **(context or {})}, boundary,
                    parsed_resource_policy(resource_policy), caller_arn or source_arn)


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


def simulated_boundary(documents: Sequence[str]) -> list[SourcedPolicy] | None:
    """PermissionsBoundaryPolicyInputList: at most one document (an identity has one boundary)."""
    if len(documents) > 1:
        raise MalformedPolicyDocument("Give at most one permissions boundary policy to simulate.")
    return [SourcedPolicy("PermissionsBoundaryPolicyInputList.1", _parsed(documents[0], "Permissions boundary"))] \
        if documents else None


def parsed_resource_policy(document: str | None) -> SourcedPolicy | None:
    if document is None:
        return None
    return SourcedPolicy("ResourcePolicy", _parsed(document, "Resource policy", resource_policy=True))


def _parsed(document: str, label: str, **kinds) -> PolicyDocument:
    try:
        return parse_policy(document, **kinds)
    except MalformedPolicyDocument as error:
        raise MalformedPolicyDocument(f"{label}: {error.message}") from error


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
    *,
    boundary_documents: Sequence[str] = (),
    resource_policy: str | None = None,
    caller_arn: str | None = None,
) -> list[SimulationResult]:
    if resource_policy is not None and not caller_arn:
        raise InvalidInput("CallerArn is required with a ResourcePolicy when no IAM user is simulated.")
    return simulate(custom_policies(documents), actions, resources, context, simulated_boundary(boundary_documents),
                    parsed_resource_policy(resource_policy), caller_arn or "")
