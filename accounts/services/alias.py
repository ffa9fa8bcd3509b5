"""The account alias (IAM CreateAccountAlias/DeleteAccountAlias): one per account, unique portal-wide."""

import re

from django.db import IntegrityError, transaction

from iam.exceptions import EntityAlreadyExists, IAMError, NoSuchEntity
from iam.principals import Principal

from ..models import Account
from ..permissions import require

# IAM's accountAliasType: 3-63 lowercase letters, digits and single hyphens, no hyphen at either end.
ALIAS_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


def alias_problem(alias: str) -> str | None:
    if not 3 <= len(alias) <= 63:
        return "The alias must be between 3 and 63 characters long."
    if not ALIAS_PATTERN.match(alias):
        return (
            "The alias may contain only lowercase letters, digits and single hyphens, "
            "and must not start or end with a hyphen."
        )
    if alias.isdigit():
        # An all-digit alias would be read as an account ID on the sign-in page.
        return "The alias can't consist of digits only."
    return None


@transaction.atomic
def create_account_alias(principal: Principal, alias: str) -> Account:
    """A new alias replaces the previous one; the old sign-in URL stops working."""
    require(principal, "iam:CreateAccountAlias")
    alias = alias or ""
    problem = alias_problem(alias)
    if problem:
        raise IAMError(problem)
    account = Account.objects.select_for_update().get(pk=principal.account.pk)
    if Account.objects.filter(alias=alias).exclude(pk=account.pk).exists():
        raise EntityAlreadyExists(f"The account alias {alias} already exists.")
    account.alias = alias
    try:
        with transaction.atomic():
            account.save(update_fields=["alias"])
    except IntegrityError:  # another account took it a moment ago
        raise EntityAlreadyExists(f"The account alias {alias} already exists.") from None
    principal.account.alias = alias
    return account


@transaction.atomic
def delete_account_alias(principal: Principal, alias: str) -> None:
    require(principal, "iam:DeleteAccountAlias")
    deleted = Account.objects.filter(pk=principal.account.pk, alias=alias).update(alias=None)
    if not deleted:
        raise NoSuchEntity(f"The account alias {alias} cannot be found.")
    principal.account.alias = None
