"""The IAM checks of Account Settings: API action names, the account ARN, root-only tasks."""

from collections.abc import Mapping

from iam.authorization import authorize, is_allowed
from iam.exceptions import AccessDenied
from iam.principals import Principal

from .exceptions import AccessDeniedException
from .models import Account


def account_arn(account: Account) -> str:
    """The standalone-account ARN the Account Management actions are granted on."""
    return f"arn:aws:account::{account.account_id}:account"


def _resource_for(principal: Principal, action: str) -> str:
    # iam:*AccountAlias actions have no resource-level permissions.
    return account_arn(principal.account) if action.startswith("account:") else "*"


def require(principal: Principal, action: str, context: Mapping[str, object] | None = None) -> None:
    try:
        authorize(principal, action, _resource_for(principal, action), context)
    except AccessDenied as denial:
        raise AccessDeniedException(denial.message, action=denial.action, resource=denial.resource) from None


def allows(principal: Principal, action: str, context: Mapping[str, object] | None = None) -> bool:
    return is_allowed(principal, action, _resource_for(principal, action), context)


def require_root(principal: Principal, task: str) -> None:
    """Tasks the guide lists under "Tasks that require root user credentials"."""
    if not principal.is_root:
        raise AccessDeniedException(
            f"Only the root user can {task}. Sign in with the account's email address and password to do this.",
            action="root-only",
            resource=account_arn(principal.account),
        )


def alternate_contact_context(contact_type: str) -> dict[str, list[str]]:
    return {"account:AlternateContactTypes": [contact_type]}


def region_context(region_name: str) -> dict[str, str]:
    return {"account:TargetRegion": region_name}
