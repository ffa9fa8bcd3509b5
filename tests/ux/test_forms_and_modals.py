"""A form that comes back with errors puts focus on its error summary; a destructive action asks first,
in the page (no native confirm()), naming what is lost."""

import pytest

from cases.models import Case
from iam.models import AccessKey
from iam.services import create_access_key
from tests.browser import screenshot, sign_in_as_root
from tests.factories import AccountFactory, IAMUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_test_id(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.testid || null")


def test_a_bad_create_case_submit_focuses_the_error_summary_which_links_to_each_field(page):
    account = AccountFactory(name="Form Corp")
    sign_in_as_root(page, account, "/support/cases/new/")
    page.get_by_label("Subject", exact=True).fill("Kept after the error")
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Submit").click()

    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.testid === 'error-summary'")
    assert focused_test_id(page) == "error-summary"
    text = summary.inner_text()
    for field in ("Service", "Category", "Description", "Callback number"):
        assert field in text
    assert page.get_by_label("Subject", exact=True).input_value() == "Kept after the error"
    # The callback number is required with Phone (as in AWS's Support Center), so it is not labelled optional.
    assert "optional" not in page.locator("label[for=id_callback_number]").inner_text()
    assert page.locator("#id_callback_number_error").is_visible()
    screenshot(page, "ux-create-case-errors")

    summary.get_by_role("link", name="Description").click()
    assert page.evaluate("() => document.activeElement.id") == "id_description"
    assert Case.objects.count() == 0


def test_deleting_an_access_key_asks_in_a_modal_that_names_the_key(page):
    account = AccountFactory(name="Key Corp")
    user = IAMUserFactory(account=account, name="alice")
    key, _ = create_access_key(account, user)
    sign_in_as_root(page, account, "/iam/users/alice/?tab=credentials")  # the user page opens on that tab
    row = page.get_by_role("row").filter(has_text=key.access_key_id)

    row.get_by_role("button", name="Delete").click()
    modal = page.locator("#confirm-modal")
    modal.wait_for(state="visible")
    assert key.access_key_id in modal.get_by_role("heading").inner_text()
    assert "stops working" in modal.inner_text()
    confirm = modal.locator("[data-confirm-accept]")
    assert confirm.is_disabled()  # type the key ID first, as the console asks
    screenshot(page, "ux-delete-access-key-modal")
    modal.get_by_role("button", name="Cancel").click()
    modal.wait_for(state="hidden")
    assert AccessKey.objects.filter(pk=key.pk).exists()

    row.get_by_role("button", name="Delete").click()
    modal.get_by_role("textbox").fill(key.access_key_id[:-1])
    assert confirm.is_disabled()
    modal.get_by_role("textbox").fill(key.access_key_id)
    confirm.click()
    page.get_by_test_id("flashes").wait_for()
    page.get_by_text("No access keys.").wait_for()
    assert not AccessKey.objects.filter(pk=key.pk).exists()
