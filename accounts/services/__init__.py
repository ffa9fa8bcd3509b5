"""Writes on accounts. Every function runs in a transaction; reads live in accounts.selectors."""

from .alias import create_account_alias, delete_account_alias
from .contacts import delete_alternate_contact, put_alternate_contact, put_contact_information
from .lifecycle import close_account, create_account, reopen_account, request_reopen, terminate_expired_accounts
from .recovery import finish_root_recovery, start_root_recovery, verify_root_recovery_code
from .regions import disable_region, enable_region, settle_due_regions, settle_region
from .root_user import (
    change_root_password,
    change_support_plan,
    check_security_challenge_answer,
    confirm_root_email_change,
    put_account_name,
    put_security_challenge_questions,
    set_iam_billing_access,
    start_root_email_change,
)

__all__ = [
    "change_root_password",
    "change_support_plan",
    "check_security_challenge_answer",
    "close_account",
    "confirm_root_email_change",
    "create_account",
    "create_account_alias",
    "delete_account_alias",
    "delete_alternate_contact",
    "disable_region",
    "enable_region",
    "finish_root_recovery",
    "put_account_name",
    "put_alternate_contact",
    "put_contact_information",
    "put_security_challenge_questions",
    "reopen_account",
    "request_reopen",
    "set_iam_billing_access",
    "settle_due_regions",
    "settle_region",
    "start_root_email_change",
    "start_root_recovery",
    "terminate_expired_accounts",
    "verify_root_recovery_code",
]
