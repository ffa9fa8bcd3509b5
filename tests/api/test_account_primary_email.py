"""The primary email through boto3: StartPrimaryEmailUpdate mails a code to the new address, AcceptPrimaryEmailUpdate
finishes with it, as the console's Account page does."""

import pytest
from botocore.exceptions import ClientError
from django.core import mail

from tests.factories import AccountFactory, allow

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def mailed_code() -> str:
    return next(w.rstrip(".") for w in mail.outbox[-1].body.split() if w.rstrip(".").isdigit() and len(w.rstrip(".")) == 6)


def test_the_primary_email_changes_with_the_code_mailed_to_the_new_address(account, root_api):
    api, own = root_api("account"), account.account_id
    assert api.get_primary_email(AccountId=own)["PrimaryEmail"] == account.root_email
    assert error(api.get_primary_email_update_status, AccountId=own) == "ResourceNotFoundException"
    assert api.start_primary_email_update(AccountId=own, PrimaryEmail="new-owner@example.com")["Status"] == "PENDING"
    assert mail.outbox[-1].to == ["new-owner@example.com"]
    assert api.get_primary_email_update_status(AccountId=own)["Status"] == "PENDING"
    assert error(api.accept_primary_email_update, AccountId=own, PrimaryEmail="new-owner@example.com",
                 Otp="000000") == "ValidationException"
    assert error(api.accept_primary_email_update, AccountId=own, PrimaryEmail="someone-else@example.com",
                 Otp=mailed_code()) == "ValidationException"
    accepted = api.accept_primary_email_update(AccountId=own, PrimaryEmail="new-owner@example.com", Otp=mailed_code())
    assert accepted["Status"] == "ACCEPTED"
    assert api.get_primary_email(AccountId=own)["PrimaryEmail"] == "new-owner@example.com"


def test_validation_conflicts_and_permissions(account, root_api, user_api):
    api, own = root_api("account"), account.account_id
    assert error(api.start_primary_email_update, AccountId=own, PrimaryEmail="not-an-address") == "ValidationException"
    taken = AccountFactory()
    assert error(api.start_primary_email_update, AccountId=own, PrimaryEmail=taken.root_email) == "ConflictException"
    reader = user_api("account", account, allow("account:GetPrimaryEmail"))
    assert reader.get_primary_email(AccountId=own)["PrimaryEmail"] == account.root_email
    assert error(reader.start_primary_email_update, AccountId=own, PrimaryEmail="x@example.com") == (
        "AccessDeniedException")
    assert error(api.get_primary_email, AccountId=taken.account_id) == "AccessDeniedException"
