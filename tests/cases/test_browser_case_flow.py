"""In real chromium: a customer opens a case with an attachment, staff answer in /staff/, the customer replies and closes it."""

import pytest

from cases.models import Case, CaseStatus
from tests.browser import confirm_in_modal, screenshot, wait_for_htmx
from tests.factories import ROOT_PASSWORD, AccountFactory

from .conftest import PNG, STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as_root(page, account):
    page.goto("/support/")
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/support/")


def test_a_case_from_creation_to_close(page, chromium, live_server, support_engineer):
    """Staff here is a least-privilege support engineer (not a superuser), like the demo `engineer`."""
    account = AccountFactory(name="Browser Corp")

    sign_in_as_root(page, account)
    page.get_by_role("link", name="Create case").click()
    # Each choice re-renders the classification panel through htmx: wait for that swap, as the user
    # waits for the next field to appear, before touching what it replaces.
    page.get_by_label("Service", exact=True).select_option(label="Elastic Compute Cloud (EC2 - Linux)")
    wait_for_htmx(page)
    page.get_by_label("Category", exact=True).select_option(label="Instance Issue")
    wait_for_htmx(page)
    page.get_by_label("Instance ID(s)").fill("i-0abc1234def567890")
    page.get_by_label("Severity", exact=True).select_option("high")
    assert not page.get_by_label("Callback number").is_visible()  # web is the contact method
    page.get_by_label("Phone").check()
    assert page.get_by_label("Callback number").is_visible()
    page.get_by_label("Web").check()
    page.get_by_label("Subject", exact=True).fill("Failed status checks")
    assert page.get_by_text("230 characters remaining").is_visible()
    page.get_by_label("Description", exact=True).fill("One of my instances is uncontactable since this morning.")
    page.get_by_label("Attachments").set_input_files([{"name": "failedStatus.png", "mimeType": "image/png", "buffer": PNG}])
    screenshot(page, "cases-create-case")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/support/cases/*/")
    case = Case.objects.get(account=account)
    assert f"Case {case.display_id} was created" in page.get_by_test_id("flashes").inner_text()
    assert page.get_by_test_id("case-status").inner_text() == "Unassigned"
    assert page.get_by_role("link", name="failedStatus.png").is_visible()

    staff = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}).new_page()
    staff.goto("/staff/")
    staff.get_by_label("Username").fill(support_engineer.username)
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.goto("/staff/cases/case/")
    screenshot(staff, "cases-staff-queue")
    staff.get_by_role("link", name="Failed status checks").click()
    attachment = staff.get_by_role("link", name="failedStatus.png")
    assert staff.context.request.get(attachment.get_attribute("href")).body().startswith(PNG[:8])
    staff.get_by_label("Reply as Amazon Web Services").fill("Please stop and start the instance, then tell us the result.")
    staff.get_by_label("Then set the case to").select_option(CaseStatus.PENDING_CUSTOMER_ACTION.value)
    staff.get_by_role("button", name="Send reply").click()
    staff.get_by_text("Your reply was sent to the customer.").wait_for()
    screenshot(staff, "cases-staff-case")
    staff.context.close()

    page.reload()
    assert page.get_by_test_id("case-status").inner_text() == "Pending customer action"
    assert page.get_by_test_id("communication").first.inner_text().startswith("Amazon Web Services")
    screenshot(page, "cases-customer-sees-reply")
    page.get_by_label("Your message").fill("Stopped and started it: it answers again.")
    page.get_by_role("button", name="Submit reply").click()
    page.get_by_test_id("communication").first.get_by_text("it answers again").wait_for()
    wait_for_htmx(page)  # the header with the new status comes in the same response, out of band
    assert "Your reply was sent." in page.get_by_test_id("flashes").inner_text()
    assert page.get_by_test_id("case-status").inner_text() == "Customer action completed"  # swapped in by htmx
    assert page.get_by_label("Your message").input_value() == ""
    page.get_by_role("button", name="Close case").click()
    assert f"Close case {case.display_id}?" in page.locator("#confirm-modal").inner_text()
    confirm_in_modal(page)
    page.get_by_role("button", name="Reopen case").wait_for()
    assert "was resolved" in page.get_by_test_id("flashes").inner_text()
    assert page.get_by_test_id("case-status").inner_text() == "Resolved"
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    screenshot(page, "cases-closed")
    page.goto("/support/?status=all")
    assert page.get_by_role("link", name="Failed status checks").is_visible()
    screenshot(page, "cases-list")
