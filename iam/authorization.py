"""The one authorisation check. Every page, API operation and task asks here."""

from collections.abc import Mapping

from .evaluator import ALLOWED, EXPLICIT_DENY, EvaluationResult, evaluate
from .exceptions import AccessDenied
from .principals import Principal


def _arn_account(resource: str) -> str:
    parts = resource.split(":", 5)
    return parts[4] if len(parts) == 6 else ""


def evaluate_principal(
    principal: Principal, action: str, resource: str = "*", context: Mapping[str, object] | None = None
) -> EvaluationResult:
    owner = _arn_account(resource)
    if owner.isdigit() and owner != principal.account.account_id:
        # Nothing in this portal is shared across accounts: no resource policy can allow it.
        return EvaluationResult("implicitDeny")
    if principal.is_root:
        return EvaluationResult(ALLOWED)
    request_context = principal.request_context()
    request_context.update(context or {})
    return evaluate(principal.identity_policies, action, resource, request_context)


def denial_message(principal: Principal, action: str, resource: str, result: EvaluationResult) -> str:
    target = f" on resource: {resource}" if resource != "*" else ""
    reason = (
        "with an explicit deny in an identity-based policy"
        if result.decision == EXPLICIT_DENY
        else f"because no identity-based policy allows the {action} action"
    )
    return f"User: {principal.arn} is not authorized to perform: {action}{target} {reason}"


def authorize(
    principal: Principal, action: str, resource: str = "*", context: Mapping[str, object] | None = None
) -> EvaluationResult:
    """Return the decision when allowed; raise AccessDenied (with AWS's wording) otherwise."""
    result = evaluate_principal(principal, action, resource, context)
    if not result.allowed:
        raise AccessDenied(denial_message(principal, action, resource, result), action=action, resource=resource)
    return result


def is_allowed(
    principal: Principal, action: str, resource: str = "*", context: Mapping[str, object] | None = None
) -> bool:
    """For showing or hiding a control; the action itself still calls authorize()."""
    return evaluate_principal(principal, action, resource, context).allowed
