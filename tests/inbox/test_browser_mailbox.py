"""In a real browser: a trainee changes the root email address with the code read from Mail, which shows the
message while its page is open (no reload), and the top bar counts it as unread."""

import re

import pytest

from accounts.models import Account
from tests.browser import screenshot
from training.services.practice import open_practice_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "mail.trainee@example.com"
PASSWORD = "Maple-Tiger-River-47"
NEW_EMAIL = "moved.trainee@example.com"
SUBJECT = "Confirm your new AWS account email address"


def test_a_trainee_changes_the_root_email_with_the_code_from_mail(page):
    open_practice_account(email=EMAIL, password=PASSWORD, support_plan="business")
    page.goto("/signin/")
    page.get_by_label("Root user email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    mail = page.context.new_page()
    mail.goto("/mail/")
    mail.get_by_role("heading", name="Mail").wait_for()

    page.goto("/account/")
    page.locator("#panel-email").get_by_role("link", name="Change").click()
    page.get_by_label("New email address").fill(NEW_EMAIL)
    page.get_by_role("button", name="Send code").click()
    page.get_by_text(f"Waiting for the code we sent to {NEW_EMAIL}").wait_for()

    # The open Mail page shows the message without a reload (htmx polling), and the top bar counts it.
    message = mail.get_by_role("link", name=SUBJECT)
    message.wait_for(timeout=20_000)
    mail.get_by_test_id("mail-unread").wait_for(timeout=20_000)
    screenshot(mail, "mail-list-new-message")
    message.click()
    text = mail.get_by_test_id("mail-text").inner_text()
    code = re.search(r"verification code is (\d{6})", text).group(1)
    screenshot(mail, "mail-message")

    page.get_by_role("textbox", name="Verification code").fill(code)
    page.get_by_role("button", name="Confirm new address").click()
    page.get_by_text("The root user email address was changed.").wait_for()
    assert page.get_by_test_id("root-email").inner_text() == NEW_EMAIL
    assert Account.objects.get(root_email=NEW_EMAIL).root_email != EMAIL
