"""Account-wide IAM: summary, password policy, alias."""

from accounts import selectors as account_selectors
from accounts import services as account_services
from iam import services
from iam.exceptions import NoSuchEntity
from iam.selectors import account_password_policy
from iam.services import account_settings
from iam.summary import account_summary_map

from . import operations

# API member -> PasswordPolicy field.
PASSWORD_POLICY_FIELDS = {
    "MinimumPasswordLength": "minimum_length",
    "RequireSymbols": "require_symbols",
    "RequireNumbers": "require_numbers",
    "RequireUppercaseCharacters": "require_uppercase",
    "RequireLowercaseCharacters": "require_lowercase",
    "AllowUsersToChangePassword": "allow_users_to_change",
    "MaxPasswordAge": "max_age_days",
    "PasswordReusePrevention": "reuse_prevention",
    "HardExpiry": "hard_expiry",
}


@operations("GetAccountSummary")
def get_account_summary(call):
    call.authorize()
    return {"SummaryMap": account_summary_map(call.principal.account)}


@operations("GetAccountPasswordPolicy")
def get_account_password_policy(call):
    call.authorize()
    policy = account_password_policy(call.principal.account)
    if policy is None:
        raise NoSuchEntity(f"The Password Policy with domain name {call.principal.account.account_id} cannot be found.")
    shape = {member: getattr(policy, field) for member, field in PASSWORD_POLICY_FIELDS.items()}
    return {"PasswordPolicy": {**shape, "ExpirePasswords": policy.max_age_days is not None}}


@operations("UpdateAccountPasswordPolicy")
def update_account_password_policy(call):
    call.authorize()
    services.update_password_policy(
        call.principal.account,
        **{field: call.params[member] for member, field in PASSWORD_POLICY_FIELDS.items() if member in call.params},
    )


@operations("DeleteAccountPasswordPolicy")
def delete_account_password_policy(call):
    call.authorize()
    services.delete_password_policy(call.principal.account)


@operations("CreateAccountAlias")
def create_account_alias(call):
    account_services.create_account_alias(call.principal, call.params["AccountAlias"])


@operations("DeleteAccountAlias")
def delete_account_alias(call):
    account_services.delete_account_alias(call.principal, call.params["AccountAlias"])


@operations("ListAccountAliases")
def list_account_aliases(call):
    return {"AccountAliases": account_selectors.list_account_aliases(call.principal), "IsTruncated": False}


@operations("SetSecurityTokenServicePreferences")
def set_security_token_service_preferences(call):
    call.authorize()
    account_settings.set_global_endpoint_token_version(call.principal.account, call.params["GlobalEndpointTokenVersion"])


@operations("GetAccountProperties")
def get_account_properties(call):
    call.authorize()
    return {"Properties": account_settings.account_properties(call.principal.account)}


@operations("PutAccountProperties")
def put_account_properties(call):
    call.authorize()
    account_settings.put_account_properties(call.principal.account, call.params["Properties"])
