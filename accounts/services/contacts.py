"""The primary contact and the three alternate contacts (Account Management API)."""

from django.db import transaction

from iam.principals import Principal

from ..countries import AISPL_COUNTRY
from ..exceptions import FieldProblem, ResourceNotFoundException, ValidationException
from ..models import AlternateContact, ContactInformation
from ..permissions import alternate_contact_context, require
from ..validation import ALTERNATE_CONTACT, ALTERNATE_CONTACT_TYPE, CONTACT_INFORMATION, validate

NO_ALTERNATE_CONTACT = "No contact of the inputted alternate contact type found."


def valid_contact_type(contact_type: str) -> str:
    return validate((ALTERNATE_CONTACT_TYPE,), {"contact_type": contact_type})["contact_type"]


def _keep_aispl_country(principal: Principal, country_code: str) -> None:
    # "After you create an account with AISPL, you can't change the country in your contact information."
    current = ContactInformation.objects.filter(account=principal.account).values_list("country_code", flat=True).first()
    if current == AISPL_COUNTRY and country_code != AISPL_COUNTRY:
        problem = FieldProblem(
            "CountryCode", "An AISPL (India) account can't change the country of its contact address.", "country_code"
        )
        raise ValidationException(problem.message, field_list=[problem])


@transaction.atomic
def put_contact_information(principal: Principal, **fields: str) -> ContactInformation:
    """PutContactInformation: replace the primary contact (fields as ContactInformation's snake_case names)."""
    require(principal, "account:PutContactInformation")
    cleaned = validate(CONTACT_INFORMATION, fields, strip=True)
    _keep_aispl_country(principal, cleaned["country_code"])
    contact, _ = ContactInformation.objects.update_or_create(account=principal.account, defaults=cleaned)
    return contact


@transaction.atomic
def put_alternate_contact(
    principal: Principal, contact_type: str, name: str, title: str, email_address: str, phone_number: str
) -> AlternateContact:
    """PutAlternateContact: the first call adds the contact, later calls replace it."""
    contact_type = valid_contact_type(contact_type)
    require(principal, "account:PutAlternateContact", alternate_contact_context(contact_type))
    cleaned = validate(
        ALTERNATE_CONTACT,
        {"name": name, "title": title, "email_address": email_address, "phone_number": phone_number},
        strip=True,
    )
    contact, _ = AlternateContact.objects.update_or_create(
        account=principal.account, contact_type=contact_type, defaults=cleaned
    )
    return contact


@transaction.atomic
def delete_alternate_contact(principal: Principal, contact_type: str) -> None:
    """DeleteAlternateContact: succeeds once; deleting it again is ResourceNotFoundException."""
    contact_type = valid_contact_type(contact_type)
    require(principal, "account:DeleteAlternateContact", alternate_contact_context(contact_type))
    deleted, _ = AlternateContact.objects.filter(account=principal.account, contact_type=contact_type).delete()
    if not deleted:
        raise ResourceNotFoundException(NO_ALTERNATE_CONTACT)
