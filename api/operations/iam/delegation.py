"""Delegation requests are created by onboarded AWS partners only (api/refusals.py): a sandbox account owns none."""

from . import operations


@operations("ListDelegationRequests")
def list_delegation_requests(call):
    call.authorize()
    return {"DelegationRequests": [], "isTruncated": False}
