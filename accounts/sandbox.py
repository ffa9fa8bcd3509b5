"""Demo data for Account Settings: contact information, two alternate contacts, one opt-in Region."""

from iam.principals import Principal

from .models import AlternateContactType, RegionOptIn
from .regions import ENABLED
from .services import put_alternate_contact, put_contact_information


def populate(account) -> None:
    root = Principal(account=account)
    put_contact_information(
        root,
        full_name="Jane Doe",
        company_name=account.name,
        address_line_1="410 Terry Ave N",
        city="Seattle",
        state_or_region="WA",
        postal_code="98109",
        country_code="US",
        phone_number="+1 206-555-0100",
        website_url="https://example.com",
    )
    put_alternate_contact(
        root, AlternateContactType.BILLING, "Bill Ing", "Finance lead", "billing@example.com", "+1 206-555-0101"
    )
    put_alternate_contact(
        root, AlternateContactType.OPERATIONS, "Opal Ops", "Site reliability", "ops@example.com", "+1 206-555-0102"
    )
    # One opt-in Region already in use, so the Regions page shows every kind of row.
    RegionOptIn.objects.update_or_create(
        account=account, region_name="eu-south-1", defaults={"status": ENABLED, "changed_at": account.created_at}
    )
