from accounts import selectors, services

from . import operations


@operations("GetAccountInformation")
def get_account_information(call):
    information = selectors.get_account_information(call.principal)
    return {
        "AccountId": information.account_id,
        "AccountName": information.account_name,
        "AccountCreatedDate": information.account_created_date,
        "AccountState": information.account_state,
    }


@operations("PutAccountName")
def put_account_name(call):
    services.put_account_name(call.principal, call.params["AccountName"])
