"""A trainee, in a real browser, starts a practice account from the front page and completes one exercise."""

import pytest

from accounts.models import Account, AlternateContact
from tests.browser import screenshot
from training.models import ExerciseCompletion
from training.exercises import CATALOGUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "walk.through@example.com"
PASSWORD = "Tr4ining!Walk"


def start_practice_account(page):
    page.goto("/")
    page.get_by_role("link", name="Start a practice account").click()
    page.wait_for_url("**/training/start/")
    page.get_by_label("Root user email address").fill(EMAIL)
    page.get_by_label("Root user password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm root user password").fill(PASSWORD)
    page.get_by_label("Business").check()
    screenshot(page, "training-start")
    page.get_by_role("button", name="Create practice account").click()
    page.wait_for_url("**/training/")


def test_a_trainee_adds_the_security_contact_and_the_exercise_turns_done(page):
    start_practice_account(page)
    account = Account.objects.get(root_email=EMAIL)
    assert page.get_by_test_id("practice-account-id").inner_text() == account.account_id
    assert f"0 of {len(CATALOGUE)} done" in page.get_by_test_id("done-count").inner_text()
    screenshot(page, "training-home")

    page.get_by_role("link", name="Add a security alternate contact").click()
    page.get_by_role("heading", name="Instructions").wait_for()
    page.get_by_text("Hint 1").click()
    assert page.get_by_text("only the security contact is missing").is_visible()
    page.get_by_role("button", name="Check my work").click()
    page.get_by_test_id("exercise-status").get_by_text("Not yet").wait_for()
    screenshot(page, "training-exercise-not-yet")

    # The instructions stay open in one tab; the work happens in another.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Go to the console").click(modifiers=["Control"])
    console = opened.value
    console.get_by_role("navigation", name="Account settings").get_by_role("link", name="Alternate contacts").click()
    security = console.locator("#panel-security")
    security.get_by_role("link", name="Add").click()
    security.get_by_label("Full name").fill("Sam Secure")
    security.get_by_label("Title").fill("Security lead")
    security.get_by_label("Email address").fill("security@example.com")
    security.get_by_label("Phone number").fill("+1 206-555-0111")
    security.get_by_role("button", name="Update").click()
    console.locator("#panel-security").get_by_text("security@example.com").wait_for()
    assert AlternateContact.objects.filter(account=account, contact_type="SECURITY").exists()

    page.get_by_role("button", name="Check my work").click()
    page.get_by_test_id("exercise-status").get_by_text("Done").wait_for()
    assert not page.get_by_role("button", name="Check my work").is_visible()
    screenshot(page, "training-exercise-done")

    page.get_by_role("link", name="Training").first.click()
    assert f"1 of {len(CATALOGUE)} done" in page.get_by_test_id("done-count").inner_text()
    assert ExerciseCompletion.objects.filter(profile__account=account, exercise="security-contact").exists()
