"""The Account Management API (REST-JSON). accounts.services and accounts.selectors make the IAM check and the rules."""

from ...service_models import ACCOUNT
from .. import Call, Operations


def own_account_only(call: Call) -> None:
    """AccountId may name only the caller's own account. Organizations are not modelled, so another
    account is outside every policy, and the one IAM check refuses it in AWS's words."""
    account_id = call.params.get("AccountId")
    if account_id and account_id != call.principal.account.account_id:
        call.authorize(f"arn:aws:account::{account_id}:account")


operations = Operations(ACCOUNT, precondition=own_account_only)

from . import contacts, information, primary_email, regions  # noqa: E402,F401  (they register their handlers)
