"""In a real browser: a trainee chats with the simulated engineer on a production-down case, and the transcript
joins the correspondence when the chat ends."""

import pytest

from iam.principals import Principal
from tests.browser import screenshot
from tests.factories import ROOT_PASSWORD, AccountFactory
from tests.training.test_simulated_engineer import open_case
from training.models import TrainingProfile
from training.services.chat_engineer import ENGINEER_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_chats_with_the_simulated_engineer_on_a_production_down_case(page, task_runner):
    account = AccountFactory()
    TrainingProfile.objects.create(account=account, is_practice=True, time_speed_factor=3600)
    case = open_case(account, subject="Production web shop down", severity="urgent")
    assert Principal(account=account).is_root
    page.goto("/signin/")
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.goto(f"/support/cases/{case.display_id}/")
    page.get_by_test_id("chat-panel").get_by_role("button", name="Chat").click()
    page.get_by_text(f"Connected to {ENGINEER_NAME}").wait_for()
    page.get_by_label("Chat message").fill("Checkout returns 502 for every customer since 09:10.")
    page.get_by_role("button", name="Send").click()
    messages = page.get_by_test_id("chat-message")
    messages.nth(2).wait_for()  # greeting, the trainee's message, the engineer's answer
    assert page.get_by_label("Chat message").input_value() == ""  # chat.js emptied the box
    assert ENGINEER_NAME in messages.nth(2).inner_text()
    screenshot(page, "case-chat")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End chat").click()
    page.get_by_test_id("communication").filter(has_text="Chat transcript").wait_for()
    assert "Checkout returns 502" in page.get_by_test_id("communication").first.inner_text()
