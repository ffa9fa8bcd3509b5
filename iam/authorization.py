"""The one authorisation check. Every page, API operation and task asks here."""

from collections.abc import Mapping

from .evaluator import ALLOWED, EXPLICIT_DENY, EvaluationResult, evaluate_layers
from .exceptions import AccessDenied
from .principals import Principal
from .resource_tags import names_resource_tags, resource_tag_context


def _arn_account(resource: str) -> str:
    parts = resource.split(":", 5)
    return parts[4] if len(parts) == 6 else ""


def evaluate_principal(
    principal: Principal,
    action: str,
    resource: str = "*",
    context: Mapping[str, object] | None = None,
    *,
    resource_policy_allows: bool = False,
) -> EvaluationResult:
    """`resource_policy_allows`: the resource's own policy lets the caller's account in (a role's trust policy,
    for a cross-account sts:AssumeRole); without it another account's resource is out of reach."""
    owner = _arn_account(resource)
    if owner.isdigit() and owner != principal.account.account_id and not resource_policy_allows:
        return EvaluationResult("implicitDeny")
    if principal.is_root:
        return EvaluationResult(ALLOWED)
    deciding = [policy.document.statements_covering(action) for layer in principal.policy_layers for policy in layer.policies]
    if not any(statement.reads_context for statements in deciding for statement in statements):
        # The common case (a policy without conditions): nothing would read the request context.
        return evaluate_layers(principal.policy_layers, action, resource)
    request_context = principal.request_context()
    if any(names_resource_tags(statements) for statements in deciding):
        request_context.update(resource_tag_context(resource))
    request_context.update(context or {})
    return evaluate_layers(principal.policy_layers, action, resource, request_context)


def authorize_pass_role(principal: Principal, role, passed_to_service: str, associated_resource: str) -> None:
    """iam:PassRole, which AWS asks of whoever hands a role to a service (AddRoleToInstanceProfile hands it to EC2);
    policies narrow it with iam:PassedToService and iam:AssociatedResourceArn."""
    authorize(principal, "iam:PassRole", role.arn,
              {"iam:PassedToService": passed_to_service, "iam:AssociatedResourceArn": associated_resource})


def denial_message(principal: Principal, action: str, resource: str, result: EvaluationResult) -> str:
    target = f" on resource: {resource}" if resource != "*" else ""
    kind = result.decided_by
    article = "an" if kind[0] in "aeiou" else "a"
    reason = (
        f"with an explicit deny in {article} {kind}"
        if result.decision == EXPLICIT_DENY
        else f"because no {kind} allows the {action} action"
    )
    return f"User: {principal.arn} is not authorized to perform: {action}{target} {reason}"


def authorize(
    principal: Principal,
    action: str,
    resource: str = "*",
    context: Mapping[str, object] | None = None,
    *,
    resource_policy_allows: bool = False,
) -> EvaluationResult:
    """Return the decision when allowed; raise AccessDenied (with AWS's wording) otherwise."""
    result = evaluate_principal(principal, action, resource, context, resource_policy_allows=resource_policy_allows)
    if not result.allowed:
        raise AccessDenied(denial_message(principal, action, resource, result), action=action, resource=resource)
    return result


def is_allowed(
    principal: Principal, action: str, resource: str = "*", context: Mapping[str, object] | None = None
) -> bool:
    """For showing or hiding a control; the action itself still calls authorize()."""
    return evaluate_principal(principal, action, resource, context).allowed
