import pytest

from iam.principals import Principal


@pytest.fixture
def root(account):
    return Principal(account=account)


@pytest.fixture
def iam_principal(make_user):
    """iam_principal(account, *statements) -> a Principal for a fresh IAM user with those permissions."""

    def make(account, *statements):
        return Principal(account=account, user=make_user(account, *statements))

    return make


VALID_CONTACT_INFORMATION = {
    "full_name": "Jane Doe",
    "company_name": "Example Corp",
    "address_line_1": "410 Terry Ave N",
    "address_line_2": "",
    "address_line_3": "",
    "city": "Seattle",
    "state_or_region": "WA",
    "district_or_county": "",
    "postal_code": "98109",
    "country_code": "US",
    "phone_number": "+1 206-555-0100",
    "website_url": "https://example.com",
}

VALID_ALTERNATE_CONTACT = {
    "name": "Carlos Salazar",
    "title": "CFO",
    "email_address": "carlos@example.com",
    "phone_number": "206-555-0199",
}


@pytest.fixture
def travel(monkeypatch):
    """travel(delta): move the clock forward for the rest of the test. Everything that asks
    django.utils.timezone.now() (services, model properties, sign-in, the beat jobs) sees it."""
    from datetime import timedelta

    from django.utils import timezone

    real_now, offset = timezone.now, [timedelta()]
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset[0])

    def move(delta):
        offset[0] += delta

    return move
