"""The account's primary (root user) email over the wire, on the console's change flow in accounts.services:
a one-time code mailed to the new address, then accepted with it."""

from accounts.exceptions import ResourceNotFoundException
from accounts.models import PendingRootEmailChange
from accounts.permissions import require
from accounts.services.root_user import confirm_root_email_change, start_root_email_change

from . import operations


@operations("GetPrimaryEmail")
def get_primary_email(call):
    require(call.principal, "account:GetPrimaryEmail")
    return {"PrimaryEmail": call.principal.account.root_email}


@operations("StartPrimaryEmailUpdate")
def start_primary_email_update(call):
    start_root_email_change(call.principal, call.params["PrimaryEmail"], action="account:StartPrimaryEmailUpdate")
    return {"Status": "PENDING"}


@operations("AcceptPrimaryEmailUpdate")
def accept_primary_email_update(call):
    confirm_root_email_change(call.principal, call.params["Otp"], action="account:AcceptPrimaryEmailUpdate",
                              new_email=call.params["PrimaryEmail"])
    return {"Status": "ACCEPTED"}


@operations("GetPrimaryEmailUpdateStatus")
def get_primary_email_update_status(call):
    require(call.principal, "account:GetPrimaryEmailUpdateStatus")
    if not PendingRootEmailChange.objects.filter(account=call.principal.account).exists():
        raise ResourceNotFoundException("No primary email update is in progress for this account.")
    return {"Status": "PENDING"}
