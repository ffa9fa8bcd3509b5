from accounts import selectors, services
from accounts.models import AlternateContact, ContactInformation
from accounts.services.phone import contact_phone_status, send_phone_number_verification, verify_phone_number

from . import operations

# ContactInformation members on the wire -> the model's fields.
CONTACT_FIELDS = {
    "FullName": "full_name",
    "CompanyName": "company_name",
    "AddressLine1": "address_line_1",
    "AddressLine2": "address_line_2",
    "AddressLine3": "address_line_3",
    "City": "city",
    "StateOrRegion": "state_or_region",
    "DistrictOrCounty": "district_or_county",
    "PostalCode": "postal_code",
    "CountryCode": "country_code",
    "PhoneNumber": "phone_number",
    "WebsiteUrl": "website_url",
}


def _alternate_contact(contact: AlternateContact) -> dict:
    return {
        "AlternateContactType": contact.contact_type,
        "Name": contact.name,
        "Title": contact.title,
        "EmailAddress": contact.email_address,
        "PhoneNumber": contact.phone_number,
    }


def _contact_information(contact: ContactInformation) -> dict:
    return {wire: getattr(contact, field) or None for wire, field in CONTACT_FIELDS.items()}


@operations("GetAlternateContact")
def get_alternate_contact(call):
    contact = selectors.get_alternate_contact(call.principal, call.params["AlternateContactType"])
    return {"AlternateContact": _alternate_contact(contact)}


@operations("PutAlternateContact")
def put_alternate_contact(call):
    params = call.params
    services.put_alternate_contact(
        call.principal, params["AlternateContactType"], name=params["Name"], title=params["Title"],
        email_address=params["EmailAddress"], phone_number=params["PhoneNumber"],
    )


@operations("DeleteAlternateContact")
def delete_alternate_contact(call):
    services.delete_alternate_contact(call.principal, call.params["AlternateContactType"])


@operations("GetContactInformation")
def get_contact_information(call):
    contact = selectors.get_contact_information(call.principal)
    return {"ContactInformation": _contact_information(contact), "VerificationStatus": contact_phone_status(contact)}


@operations("PutContactInformation")
def put_contact_information(call):
    given = call.params["ContactInformation"]
    services.put_contact_information(
        call.principal, **{field: given.get(wire, "") for wire, field in CONTACT_FIELDS.items()}
    )


@operations("SendPhoneNumberVerification")
def send_phone_verification(call):
    return {"Status": send_phone_number_verification(call.principal)}


@operations("VerifyPhoneNumber")
def verify_phone(call):
    return {"Status": verify_phone_number(call.principal, call.params["Otp"])}
