"""The primary contact's phone number verified through boto3: SendPhoneNumberVerification "texts" a code, which the
sandbox delivers to the account's mailbox, and VerifyPhoneNumber proves it; GetContactInformation shows the status."""

import pytest
from django.core import mail

from tests.factories import allow

from .test_account_primary_email import error, mailed_code

pytestmark = pytest.mark.django_db(transaction=True)
CONTACT = {"FullName": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle", "PostalCode": "98101",
           "CountryCode": "US", "PhoneNumber": "+1 206-555-0100"}


def test_a_texted_code_verifies_the_number_until_the_number_changes(account, root_api):
    api = root_api("account")
    assert error(api.send_phone_number_verification) == "ResourceNotFoundException"
    api.put_contact_information(ContactInformation=CONTACT)
    assert api.get_contact_information()["VerificationStatus"] == "UNVERIFIED"
    assert error(api.verify_phone_number, Otp="123456") == "ConflictException"

    assert api.send_phone_number_verification()["Status"] == "PENDING"
    texted = mail.outbox[-1]
    assert texted.to == [account.root_email] and "+1 206-555-0100" in texted.subject
    assert api.get_contact_information()["VerificationStatus"] == "PENDING"
    assert error(api.verify_phone_number, Otp="abc") == "ValidationException"  # the model's pattern
    assert error(api.verify_phone_number, Otp="000000" if mailed_code() != "000000" else "111111") == (
        "ValidationException")
    assert api.verify_phone_number(Otp=mailed_code())["Status"] == "VERIFIED"
    assert api.get_contact_information()["VerificationStatus"] == "VERIFIED"
    assert error(api.send_phone_number_verification) == "ConflictException"

    api.put_contact_information(ContactInformation={**CONTACT, "PhoneNumber": "+1 206-555-0199"})
    assert api.get_contact_information()["VerificationStatus"] == "UNVERIFIED"
    api.send_phone_number_verification()
    code = mailed_code()
    api.put_contact_information(ContactInformation=CONTACT)
    assert error(api.verify_phone_number, Otp=code) == "ConflictException"  # the code went to another number


def test_each_step_needs_its_own_permission(account, root_api, user_api):
    root_api("account").put_contact_information(ContactInformation=CONTACT)
    sender = user_api("account", account, allow("account:SendPhoneNumberVerification"))
    assert sender.send_phone_number_verification()["Status"] == "PENDING"
    assert error(sender.verify_phone_number, Otp=mailed_code()) == "AccessDeniedException"
