"""The policy simulator over the wire, on iam.simulator (the same one the console uses)."""

from iam.simulator import (
    SimulationResult,
    context_keys,
    custom_policies,
    principal_context_keys,
    simulate_custom_policy,
    simulate_principal_policy,
)

from . import operations


def _context(call) -> dict:
    context = {}
    for entry in call.params.get("ContextEntries", []):
        values = entry.get("ContextKeyValues", [])
        many = entry.get("ContextKeyType", "string").endswith("List")
        context[entry["ContextKeyName"]] = values if many or len(values) != 1 else values[0]
    return context


def _boundary_detail(result: SimulationResult) -> dict | None:
    if result.allowed_by_boundary is None:
        return None
    return {"AllowedByPermissionsBoundary": result.allowed_by_boundary}


def _other_policies(call) -> dict:
    """The permissions boundary to simulate instead of the identity's own, and the resources' own policy."""
    params = call.params
    return {"boundary_documents": params.get("PermissionsBoundaryPolicyInputList", ()),
            "resource_policy": params.get("ResourcePolicy"), "caller_arn": params.get("CallerArn")}


def _results(results: list[SimulationResult]) -> dict:
    return {
        "EvaluationResults": [
            {
                "PermissionsBoundaryDecisionDetail": _boundary_detail(result),
                "EvalActionName": result.action,
                "EvalResourceName": result.resource,
                "EvalDecision": result.decision,
                "MatchedStatements": [
                    {"SourcePolicyId": statement.source,
                     "SourcePolicyType": "resource" if statement.source == "ResourcePolicy" else "IAM Policy"}
                    for statement in result.matched
                ],
                "MissingContextValues": list(result.missing_context_keys),
            }
            for result in results
        ],
        "IsTruncated": False,
    }


@operations("SimulatePrincipalPolicy")
def simulate_principal(call):
    params = call.params
    call.authorize(params["PolicySourceArn"])
    return _results(simulate_principal_policy(
        call.principal.account, params["PolicySourceArn"], params["ActionNames"], params.get("ResourceArns") or ["*"],
        _context(call), params.get("PolicyInputList", ()), **_other_policies(call),
    ))


@operations("SimulateCustomPolicy")
def simulate_custom(call):
    params = call.params
    call.authorize()
    return _results(simulate_custom_policy(
        params["PolicyInputList"], params["ActionNames"], params.get("ResourceArns") or ["*"], _context(call),
        **_other_policies(call),
    ))


@operations("GetContextKeysForCustomPolicy")
def context_keys_for_custom(call):
    call.authorize()
    return {"ContextKeyNames": context_keys(custom_policies(call.params["PolicyInputList"]))}


@operations("GetContextKeysForPrincipalPolicy")
def context_keys_for_principal(call):
    call.authorize(call.params["PolicySourceArn"])
    return {"ContextKeyNames": principal_context_keys(
        call.principal.account, call.params["PolicySourceArn"], call.params.get("PolicyInputList", ()))}
