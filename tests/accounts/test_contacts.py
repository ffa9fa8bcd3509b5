"""Primary and alternate contacts: every field rule of the Account Management API, and the condition key."""

import pytest

from accounts.exceptions import AccessDeniedException, ResourceNotFoundException, ValidationException
from accounts.models import AlternateContact, ContactInformation
from accounts.selectors import get_alternate_contact, get_contact_information
from accounts.services import delete_alternate_contact, put_alternate_contact, put_contact_information
from tests.factories import allow, deny

from .conftest import VALID_ALTERNATE_CONTACT, VALID_CONTACT_INFORMATION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "api_name"),
    [
        ("name", "", "Name"),
        ("name", "n" * 65, "Name"),
        ("title", "", "Title"),
        ("title", "t" * 51, "Title"),
        ("email_address", "", "EmailAddress"),
        ("email_address", "not-an-email", "EmailAddress"),
        ("email_address", "a@b", "EmailAddress"),
        ("email_address", "a" * 243 + "@example.com", "EmailAddress"),
        ("phone_number", "", "PhoneNumber"),
        ("phone_number", "call me", "PhoneNumber"),
        ("phone_number", "1" * 26, "PhoneNumber"),
    ],
)
def test_alternate_contact_field_rules(root, field, value, api_name):
    with pytest.raises(ValidationException) as refusal:
        put_alternate_contact(root, "BILLING", **{**VALID_ALTERNATE_CONTACT, field: value})
    assert [(problem.name, problem.field) for problem in refusal.value.field_list] == [(api_name, field)]
    assert not AlternateContact.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "n" * 64), ("title", "t" * 50), ("email_address", "a" * 242 + "@example.com"), ("phone_number", "+1 (206) 555-0123")],
)
def test_alternate_contact_limits_are_inclusive(root, field, value):
    contact = put_alternate_contact(root, "SECURITY", **{**VALID_ALTERNATE_CONTACT, field: value})
    assert getattr(contact, field) == value


def test_put_adds_then_replaces_and_delete_succeeds_once(root):
    put_alternate_contact(root, "OPERATIONS", **VALID_ALTERNATE_CONTACT)
    put_alternate_contact(root, "OPERATIONS", **{**VALID_ALTERNATE_CONTACT, "name": "Mateo Jackson"})
    assert get_alternate_contact(root, "OPERATIONS").name == "Mateo Jackson"
    assert AlternateContact.objects.count() == 1
    delete_alternate_contact(root, "OPERATIONS")
    with pytest.raises(ResourceNotFoundException):
        delete_alternate_contact(root, "OPERATIONS")
    with pytest.raises(ResourceNotFoundException):
        get_alternate_contact(root, "OPERATIONS")


def test_unknown_contact_type_is_a_validation_error(root):
    with pytest.raises(ValidationException) as refusal:
        put_alternate_contact(root, "LEGAL", **VALID_ALTERNATE_CONTACT)
    assert refusal.value.field_list[0].name == "AlternateContactType"


def test_alternate_contact_types_condition_key(account, iam_principal):
    security_only = iam_principal(
        account,
        allow(
            ["account:PutAlternateContact", "account:GetAlternateContact"],
            Condition={"ForAnyValue:StringEquals": {"account:AlternateContactTypes": ["SECURITY"]}},
        ),
    )
    put_alternate_contact(security_only, "SECURITY", **VALID_ALTERNATE_CONTACT)
    with pytest.raises(AccessDeniedException) as denial:
        put_alternate_contact(security_only, "BILLING", **VALID_ALTERNATE_CONTACT)
    assert "account:PutAlternateContact" in denial.value.message
    assert denial.value.code == "AccessDeniedException"
    assert list(AlternateContact.objects.values_list("contact_type", flat=True)) == ["SECURITY"]


def test_explicit_deny_on_a_type_wins(account, iam_principal):
    principal = iam_principal(
        account,
        allow("account:*AlternateContact"),
        deny(
            "account:DeleteAlternateContact",
            Condition={"ForAnyValue:StringEquals": {"account:AlternateContactTypes": ["BILLING"]}},
        ),
    )
    put_alternate_contact(principal, "BILLING", **VALID_ALTERNATE_CONTACT)
    with pytest.raises(AccessDeniedException):
        delete_alternate_contact(principal, "BILLING")
    assert AlternateContact.objects.filter(contact_type="BILLING").exists()


def test_resource_is_the_standalone_account_arn(account, other_account, iam_principal):
    own = iam_principal(account, allow("account:PutAlternateContact", f"arn:aws:account::{account.account_id}:account"))
    put_alternate_contact(own, "BILLING", **VALID_ALTERNATE_CONTACT)
    elsewhere = iam_principal(
        account, allow("account:PutAlternateContact", f"arn:aws:account::{other_account.account_id}:account")
    )
    with pytest.raises(AccessDeniedException):
        put_alternate_contact(elsewhere, "BILLING", **VALID_ALTERNATE_CONTACT)


@pytest.mark.parametrize(
    ("field", "value", "api_name"),
    [
        ("full_name", "", "FullName"),
        ("full_name", "x" * 51, "FullName"),
        ("company_name", "x" * 51, "CompanyName"),
        ("address_line_1", "", "AddressLine1"),
        ("address_line_1", "x" * 61, "AddressLine1"),
        ("address_line_2", "x" * 61, "AddressLine2"),
        ("address_line_3", "x" * 61, "AddressLine3"),
        ("city", "", "City"),
        ("city", "x" * 51, "City"),
        ("state_or_region", "x" * 51, "StateOrRegion"),
        ("district_or_county", "x" * 51, "DistrictOrCounty"),
        ("postal_code", "", "PostalCode"),
        ("postal_code", "x" * 21, "PostalCode"),
        ("country_code", "", "CountryCode"),
        ("country_code", "USA", "CountryCode"),
        ("country_code", "XX", "CountryCode"),
        ("phone_number", "", "PhoneNumber"),
        ("phone_number", "206-555-0100", "PhoneNumber"),
        ("phone_number", "+1 206 555 0100 ext 2", "PhoneNumber"),
        ("phone_number", "+" + "1" * 20, "PhoneNumber"),
        ("website_url", "x" * 257, "WebsiteUrl"),
    ],
)
def test_contact_information_field_rules(root, field, value, api_name):
    with pytest.raises(ValidationException) as refusal:
        put_contact_information(root, **{**VALID_CONTACT_INFORMATION, field: value})
    assert [problem.name for problem in refusal.value.field_list] == [api_name]
    assert not ContactInformation.objects.exists()


def test_contact_information_round_trip_and_every_problem_reported_at_once(root):
    with pytest.raises(ResourceNotFoundException):
        get_contact_information(root)
    with pytest.raises(ValidationException) as refusal:
        put_contact_information(root, **{**VALID_CONTACT_INFORMATION, "full_name": "", "city": ""})
    assert {problem.field for problem in refusal.value.field_list} == {"full_name", "city"}
    put_contact_information(root, **VALID_CONTACT_INFORMATION)
    assert get_contact_information(root).city == "Seattle"


def test_an_aispl_account_keeps_its_india_address(root):
    put_contact_information(root, **{**VALID_CONTACT_INFORMATION, "country_code": "IN", "phone_number": "+91 22 5555 0100"})
    with pytest.raises(ValidationException) as refusal:
        put_contact_information(root, **VALID_CONTACT_INFORMATION)
    assert refusal.value.field_list[0].field == "country_code"
    assert get_contact_information(root).country_code == "IN"


def test_contact_information_needs_its_own_actions(account, iam_principal):
    reader = iam_principal(account, allow("account:GetContactInformation"))
    with pytest.raises(AccessDeniedException):
        put_contact_information(reader, **VALID_CONTACT_INFORMATION)
    writer = iam_principal(account, allow("account:PutContactInformation"))
    put_contact_information(writer, **VALID_CONTACT_INFORMATION)
    with pytest.raises(AccessDeniedException):
        get_contact_information(writer)


@pytest.mark.parametrize("operator", ["ForAnyValue:StringEquals", "ForAllValues:StringEquals"])
def test_alternate_contact_types_condition_key_on_get_and_delete(account, root, iam_principal, operator):
    for contact_type in ("BILLING", "SECURITY"):
        put_alternate_contact(root, contact_type, **VALID_ALTERNATE_CONTACT)
    billing_only = iam_principal(
        account,
        allow(
            ["account:GetAlternateContact", "account:DeleteAlternateContact"],
            Condition={operator: {"account:AlternateContactTypes": ["BILLING"]}},
        ),
    )
    assert get_alternate_contact(billing_only, "BILLING").name == VALID_ALTERNATE_CONTACT["name"]
    with pytest.raises(AccessDeniedException, match="account:GetAlternateContact"):
        get_alternate_contact(billing_only, "SECURITY")
    with pytest.raises(AccessDeniedException, match="account:DeleteAlternateContact"):
        delete_alternate_contact(billing_only, "SECURITY")
    delete_alternate_contact(billing_only, "BILLING")
    assert list(AlternateContact.objects.values_list("contact_type", flat=True)) == ["SECURITY"]
