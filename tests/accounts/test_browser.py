"""The Account pages in a real browser: edit in place with htmx, errors beside the field, screenshots."""

import pytest

from accounts.models import ContactInformation
from accounts.services import put_contact_information
from iam.principals import Principal
from tests.browser import confirm_in_modal, screenshot, sign_in_as_root
from tests.factories import AccountFactory

from .conftest import VALID_CONTACT_INFORMATION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contact_information_edits_in_place_and_shows_errors_beside_fields(page):
    account = AccountFactory(name="Browser Corp")
    put_contact_information(Principal(account=account), **VALID_CONTACT_INFORMATION)
    sign_in_as_root(page, account, "/account/contact/")
    screenshot(page, "accounts-contact-information")
    page.locator("#panel-contact").get_by_role("link", name="Edit").click()
    page.get_by_label("Phone number").fill("206 555 0100")
    page.get_by_label("City").fill("Tacoma")
    page.get_by_role("button", name="Update").click()
    error = page.locator("#id_phone_number_error")
    assert "must start with +" in error.inner_text()
    assert page.get_by_label("City").input_value() == "Tacoma"
    screenshot(page, "accounts-contact-information-error")
    page.get_by_label("Phone number").fill("+1 206 555 0100")
    page.get_by_role("button", name="Update").click()
    page.get_by_text("The contact information was updated.").wait_for()
    assert ContactInformation.objects.get(account=account).city == "Tacoma"


def test_account_pages_look_calm(page):
    account = AccountFactory(name="Browser Corp")
    sign_in_as_root(page, account, "/account/")
    screenshot(page, "accounts-details")
    for path, name in [
        ("/account/alternate-contacts/", "accounts-alternate-contacts"),
        ("/account/regions/", "accounts-regions"),
        ("/account/support-plan/", "accounts-support-plan"),
        ("/account/alias/", "accounts-alias"),
        ("/account/close/", "accounts-close"),
        ("/account/recover/", "accounts-recover"),
    ]:
        page.goto(path)
        screenshot(page, name)
    page.goto("/account/regions/")
    page.get_by_test_id("region-af-south-1").get_by_role("button", name="Enable").click()
    assert "Enable Africa (Cape Town)?" in page.locator("#confirm-modal").inner_text()
    confirm_in_modal(page)
    page.get_by_text("af-south-1 is now").wait_for()
    page.goto("/account/alternate-contacts/")
    page.locator("#panel-security").get_by_role("link", name="Add").click()
    page.locator("#panel-security").get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Update").click()
    assert "valid email address" in page.locator("#id_email_address_error").inner_text()
    screenshot(page, "accounts-alternate-contact-error")


def test_closing_leaves_the_root_user_only_the_details_and_a_reopen_button(page):
    account = AccountFactory(name="Closing Corp")
    sign_in_as_root(page, account, "/account/close/")
    page.get_by_label("Type the account ID to confirm").fill(account.account_id)
    page.get_by_role("button", name="Close account").click()
    page.get_by_test_id("closed-notice").wait_for()
    assert page.get_by_role("navigation", name="Account settings").get_by_role("link").count() == 1
    assert page.get_by_role("button", name="Contact support to reopen").is_visible()
    screenshot(page, "accounts-closed-details")
