"""The Account pages: sub-navigation, edit in place, errors beside the fields, permissions."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import regions
from accounts.models import AccountStatus, AlternateContact, ContactInformation, RegionOptIn
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import ROOT_PASSWORD, AccountFactory, allow

from .conftest import VALID_ALTERNATE_CONTACT, VALID_CONTACT_INFORMATION

pytestmark = pytest.mark.django_db

PAGES = [
    "/account/",
    "/account/contact/",
    "/account/alternate-contacts/",
    "/account/challenge-questions/",
    "/account/regions/",
    "/account/alias/",
    "/account/billing-access/",
    "/account/support-plan/",
    "/account/close/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_account_sub_navigation(root_client, url):
    response = root_client.get(url)
    assert response.status_code == 200
    current = [section["url"] for section in response.context["sections"] if section["current"]]
    assert current == [url] and len(response.context["sections"]) == len(PAGES)


def test_edit_form_opens_in_place_and_keeps_what_was_typed_on_error(account, root_client):
    assert 'name="full_name"' in root_client.get("/account/contact/?edit=contact").content.decode()
    typed = {**VALID_CONTACT_INFORMATION, "phone_number": "206-555-0100", "city": "Tacoma", "panel": "contact"}
    response = root_client.post("/account/contact/", typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "PhoneNumber must start with +" in page and 'value="Tacoma"' in page and 'value="206-555-0100"' in page
    assert response.context["forms"]["contact"].errors == {
        "phone_number": ["PhoneNumber must start with + and the country code, then only digits, spaces, parentheses and -."]
    }
    assert not ContactInformation.objects.exists()
    response = root_client.post("/account/contact/", {**typed, "phone_number": "+1 206-555-0100"}, follow=True)
    assert "The contact information was updated." in response.content.decode()
    assert ContactInformation.objects.get(account=account).city == "Tacoma"


def test_alternate_contact_controls_follow_the_condition_key(account, user_client):
    client = user_client(
        account,
        allow("account:GetAlternateContact"),
        allow("account:PutAlternateContact", Condition={"ForAnyValue:StringEquals": {"account:AlternateContactTypes": "SECURITY"}}),
    )
    page = client.get("/account/alternate-contacts/").content.decode()
    assert '/account/alternate-contacts/security/"' in page and '/account/alternate-contacts/billing/"' not in page
    assert client.post("/account/alternate-contacts/billing/", VALID_ALTERNATE_CONTACT).status_code == 403
    response = client.post("/account/alternate-contacts/security/", VALID_ALTERNATE_CONTACT)
    assert response.status_code == 302
    assert list(AlternateContact.objects.values_list("contact_type", flat=True)) == ["SECURITY"]


def test_alternate_contact_error_beside_the_field_and_removal(account, root_client):
    response = root_client.post("/account/alternate-contacts/billing/", {**VALID_ALTERNATE_CONTACT, "email_address": "nope"})
    assert response.status_code == 200
    assert "EmailAddress must be a valid email address" in response.content.decode()
    assert 'value="nope"' in response.content.decode()
    root_client.post("/account/alternate-contacts/billing/", VALID_ALTERNATE_CONTACT)
    root_client.post("/account/alternate-contacts/billing/delete/")
    assert not AlternateContact.objects.exists()
    again = root_client.post("/account/alternate-contacts/billing/delete/", follow=True).content.decode()
    assert "No contact of the inputted alternate contact type found." in again


def test_regions_page_enables_and_refuses_a_second_change(account, root_client):
    root_client.post("/account/regions/af-south-1/enable/")
    assert RegionOptIn.objects.get(account=account, region_name="af-south-1").status == regions.ENABLING
    response = root_client.post("/account/regions/af-south-1/disable/", follow=True)
    assert "wait until the change completes" in response.content.decode()
    response = root_client.post("/account/regions/us-east-1/disable/", follow=True)
    assert "enabled by default" in response.content.decode()


def test_regions_page_hides_and_refuses_enable_without_permission(account, user_client):
    client = user_client(account, allow("account:ListRegions"))
    page = client.get("/account/regions/").content.decode()
    assert "/enable/" not in page
    assert client.post("/account/regions/af-south-1/enable/").status_code == 403
    assert not RegionOptIn.objects.exists()


def test_regions_page_query_count_is_constant(account, root_client):
    with CaptureQueriesContext(connection) as few:
        root_client.get("/account/regions/")
    for name in ("af-south-1", "ap-east-1", "me-south-1", "il-central-1"):
        RegionOptIn.objects.create(account=account, region_name=name, status=regions.ENABLED, changed_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        root_client.get("/account/regions/")
    assert len(many) == len(few)


def test_taken_alias_is_shown_beside_the_field_and_the_url_follows(account, root_client):
    AccountFactory(alias="taken")
    response = root_client.post("/account/alias/", {"panel": "alias", "alias": "taken"})
    assert response.status_code == 200
    assert response.context["forms"]["alias"].errors == {"alias": ["The account alias taken already exists."]}
    response = root_client.post("/account/alias/", {"panel": "alias", "alias": "acme"}, follow=True)
    assert "/signin/acme/" in response.content.decode()
    root_client.post("/account/alias/delete/", {"alias": "acme"})
    account.refresh_from_db()
    assert account.alias is None


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/account/", {"panel": "name", "name": "Renamed"}),
        ("/account/", {"panel": "password", "current_password": "x", "new_password": "Aa1!aaaaaa", "confirm_password": "Aa1!aaaaaa"}),
        ("/account/support-plan/", {"panel": "plan", "plan": "enterprise"}),
        ("/account/billing-access/", {"panel": "billing", "enabled": "on"}),
        ("/account/close/", {"confirmation": "placeholder"}),
    ],
)
def test_root_only_tasks_refuse_an_iam_administrator(account, user_client, url, data):
    client = user_client(account, allow("*"))
    before = (account.name, account.support_plan, account.iam_billing_access, account.status, account.root_password)
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Only the root user can" in response.content.decode()
    account.refresh_from_db()
    assert (account.name, account.support_plan, account.iam_billing_access, account.status, account.root_password) == before


def test_support_plan_change_takes_effect_immediately(account, root_client):
    response = root_client.post("/account/support-plan/", {"panel": "plan", "plan": "developer"}, follow=True)
    assert "takes effect immediately" in response.content.decode()
    account.refresh_from_db()
    assert account.support_plan == "developer"


def test_billing_access_toggle(account, root_client):
    root_client.post("/account/billing-access/", {"panel": "billing", "enabled": "on"})
    account.refresh_from_db()
    assert account.iam_billing_access
    root_client.post("/account/billing-access/", {"panel": "billing"})
    account.refresh_from_db()
    assert not account.iam_billing_access


def test_root_password_change_ends_other_sessions_only(account, root_client):
    other_session = console_client_for(Principal(account=account))
    weak = root_client.post(
        "/account/", {"panel": "password", "current_password": ROOT_PASSWORD, "new_password": "password", "confirm_password": "password"}
    )
    assert "at least three of" in weak.content.decode()
    wrong = root_client.post(
        "/account/", {"panel": "password", "current_password": "nope", "new_password": "N3w-Passw0rd!", "confirm_password": "N3w-Passw0rd!"}
    )
    assert wrong.context["forms"]["password"].errors == {"current_password": ["The current password is incorrect."]}
    done = root_client.post(
        "/account/", {"panel": "password", "current_password": ROOT_PASSWORD, "new_password": "N3w-Passw0rd!", "confirm_password": "N3w-Passw0rd!"}
    )
    assert done.status_code == 302
    assert root_client.get("/account/").status_code == 200
    assert other_session.get("/account/").status_code == 302  # sent to sign in


def test_root_email_change_needs_the_code_sent_to_the_new_address(account, root_client, django_capture_on_commit_callbacks):
    old_email = account.root_email
    with django_capture_on_commit_callbacks(execute=True):
        response = root_client.post("/account/", {"panel": "email", "new_email": "new-root@example.com"}, follow=True)
    assert "Waiting for the code" in response.content.decode()
    assert mail.outbox[-1].to == ["new-root@example.com"]
    code = next(word for word in mail.outbox[-1].body.split() if word.rstrip(".").isdigit() and len(word.rstrip(".")) == 6).rstrip(".")
    wrong = root_client.post("/account/", {"panel": "email_code", "otp": "000000" if code != "000000" else "111111"})
    assert wrong.context["forms"]["email_code"].errors == {"otp": ["The code is incorrect."]}
    account.refresh_from_db()
    assert account.root_email == old_email
    root_client.post("/account/", {"panel": "email_code", "otp": code})
    account.refresh_from_db()
    assert account.root_email == "new-root@example.com"


def test_email_already_used_by_another_account_is_refused(account, root_client):
    AccountFactory(root_email="used@example.com")
    response = root_client.post("/account/", {"panel": "email", "new_email": "USED@example.com"})
    assert "already in use" in response.content.decode()
    assert not mail.outbox


def test_challenge_questions_are_stored_hashed(account, root_client):
    data = {"panel": "questions"}
    for n, question in enumerate(["In what city were you born?", "What is your favourite book?", "What was the make of your first car?"], 1):
        data |= {f"question_{n}": question, f"answer_{n}": f"secret answer {n}"}
    same = {**data, "question_2": data["question_1"]}
    response = root_client.post("/account/challenge-questions/", same)
    assert response.context["forms"]["questions"].errors == {"question_2": ["Choose three different questions."]}
    root_client.post("/account/challenge-questions/", data)
    from accounts.services import check_security_challenge_answer

    stored = list(account.challenge_answers.values_list("answer_hash", flat=True))
    assert len(stored) == 3 and not any("secret" in value for value in stored)
    assert check_security_challenge_answer(account, 1, "  Secret   Answer 1 ")
    assert not check_security_challenge_answer(account, 1, "secret answer 2")


def test_close_then_only_details_and_reopen_remain(account, root_client):
    wrong = root_client.post("/account/close/", {"confirmation": "123"})
    assert wrong.status_code == 200 and "Type the account ID exactly" in wrong.content.decode()
    root_client.post("/account/close/", {"confirmation": account.account_id})
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    details = root_client.get("/account/").content.decode()
    assert "Contact support to reopen" in details and "/account/regions/" not in details
    assert "?edit=name" not in details
    assert "This account is closed" in root_client.get("/account/regions/").content.decode()
    again = root_client.post("/account/close/")
    assert again.status_code == 403  # the closed-account notice, not a second closure


def test_staff_reopen_action(account, admin_client):
    account.status, account.closed_at = AccountStatus.CLOSED, timezone.now()
    account.save()
    admin_client.post("/staff/accounts/account/", {"action": "reopen_selected", "_selected_action": [account.pk]})
    account.refresh_from_db()
    assert account.is_active


def test_a_writer_who_may_not_read_gets_an_empty_form(account, user_client):
    AlternateContact.objects.create(account=account, contact_type="BILLING", **VALID_ALTERNATE_CONTACT)
    client = user_client(account, allow("account:PutAlternateContact"))
    response = client.get("/account/alternate-contacts/billing/")
    assert response.status_code == 200
    assert VALID_ALTERNATE_CONTACT["email_address"] not in response.content.decode()


def test_alternate_contacts_page_query_count_is_constant(account, user_client):
    client = user_client(account, allow("account:*AlternateContact"))
    with CaptureQueriesContext(connection) as few:
        client.get("/account/alternate-contacts/")
    for contact_type in ("BILLING", "OPERATIONS", "SECURITY"):
        AlternateContact.objects.create(account=account, contact_type=contact_type, **VALID_ALTERNATE_CONTACT)
    with CaptureQueriesContext(connection) as many:
        client.get("/account/alternate-contacts/")
    assert len(many) == len(few)


def test_htmx_edit_returns_the_page_whose_panel_htmx_swaps_in(root_client):
    response = root_client.get("/account/support-plan/?edit=plan", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="panel-plan"' in page and 'name="plan"' in page and "Change plan" in page


def test_regions_page_offers_only_the_changes_the_condition_key_allows(account, user_client):
    from tests.factories import deny

    client = user_client(
        account,
        allow(["account:ListRegions", "account:EnableRegion"]),
        deny("account:EnableRegion", Condition={"StringEquals": {"account:TargetRegion": "me-south-1"}}),
    )
    page = client.get("/account/regions/").content.decode()
    assert "/account/regions/af-south-1/enable/" in page and "/account/regions/me-south-1/enable/" not in page


def test_details_page_shows_identifiers_and_links_the_plan_change_for_root_only(account, root_client, user_client):
    page = root_client.get("/account/").content.decode()
    assert account.account_id in page and account.canonical_user_id in page and account.name in page
    assert account.root_email in page and "/account/support-plan/?edit=plan" in page and "?edit=password" in page
    reader = user_client(account, allow("account:GetAccountInformation"))
    page = reader.get("/account/").content.decode()
    assert account.account_id in page and "?edit=" not in page and account.root_email not in page
    assert "What each plan gives" in page


def test_support_plan_page_lists_what_each_plan_gives_and_downgrades_at_once(account, root_client):
    page = root_client.get("/account/support-plan/").content.decode()
    for benefit in ("No technical support cases", "response within 24 business hours", "Production system down: response within 1 hour", "Technical Account Manager"):
        assert benefit in page
    root_client.post("/account/support-plan/", {"panel": "plan", "plan": "basic"})
    account.refresh_from_db()
    assert account.support_plan == "basic"
    refused = root_client.post("/account/support-plan/", {"panel": "plan", "plan": "gold"})
    assert refused.context["forms"]["plan"].errors["plan"] == ["Choose one of: Basic, Developer, Business, Enterprise."]
    account.refresh_from_db()
    assert account.support_plan == "basic"


@pytest.mark.parametrize(
    ("country", "phone", "seller", "zone"),
    [
        ("IN", "+91 22 5555 0100", "Amazon Internet Services Private Limited (AISPL)", "Asia/Kolkata"),
        ("JP", "+81 3-5555-0100", "Amazon Web Services", "Asia/Tokyo"),
        ("US", "+1 206-555-0100", "Amazon Web Services", "America/New_York"),
    ],
)
def test_the_contact_country_decides_seller_and_business_hours(account, root_client, country, phone, seller, zone):
    root_client.post("/account/contact/", {**VALID_CONTACT_INFORMATION, "country_code": country, "phone_number": phone, "panel": "contact"})
    page = root_client.get("/account/contact/").content.decode()
    assert seller in page and f"08:00–18:00 on weekdays, {zone} time" in page
    assert seller in root_client.get("/account/").content.decode()  # the details page says who the account is with


def test_regions_page_polls_only_while_a_change_is_settling(account, root_client):
    assert 'hx-trigger="every 5s"' not in root_client.get("/account/regions/").content.decode()
    RegionOptIn.objects.create(account=account, region_name="af-south-1", status=regions.ENABLING, changed_at=timezone.now())
    page = root_client.get("/account/regions/").content.decode()
    assert 'hx-trigger="every 5s"' in page and "Enabling…" in page


def test_console_changes_are_recorded_in_the_event_history(account, root_client):
    from events.models import Event

    root_client.post("/account/regions/af-south-1/enable/")
    root_client.post("/account/regions/af-south-1/disable/")  # refused: still ENABLING
    root_client.post("/account/alternate-contacts/security/", VALID_ALTERNATE_CONTACT)
    root_client.post("/account/alternate-contacts/security/", {**VALID_ALTERNATE_CONTACT, "email_address": "nope"})  # not sent
    root_client.post("/account/alternate-contacts/security/delete/")
    root_client.post("/account/contact/", {**VALID_CONTACT_INFORMATION, "panel": "contact"})
    root_client.post("/account/alias/", {"panel": "alias", "alias": "acme"})
    root_client.post("/account/alias/delete/", {"alias": "acme"})
    recorded = [(e.event_source, e.event_name, e.error_code) for e in Event.objects.filter(account=account).order_by("event_time", "pk")]
    assert recorded == [
        ("account.amazonaws.com", "EnableRegion", ""),
        ("account.amazonaws.com", "DisableRegion", "ConflictException"),
        ("account.amazonaws.com", "PutAlternateContact", ""),
        ("account.amazonaws.com", "DeleteAlternateContact", ""),
        ("account.amazonaws.com", "PutContactInformation", ""),
        ("iam.amazonaws.com", "CreateAccountAlias", ""),
        ("iam.amazonaws.com", "DeleteAccountAlias", ""),
    ]
