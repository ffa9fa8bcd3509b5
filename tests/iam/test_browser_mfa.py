"""A person enrols a virtual MFA device with an authenticator app, then signs in with a code."""

import time

import pyotp
import pytest

from iam.services import attach_policy, create_user
from iam.models import Policy
from tests.browser import screenshot, sign_out
from tests.factories import USER_PASSWORD, AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, account_id, name):
    page.goto(f"/signin/{account_id}/")
    page.get_by_label("IAM user name").fill(name)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_virtual_mfa_and_sign_in_with_a_code(page):
    account = AccountFactory(name="MFA Corp")
    user = create_user(account, "maria", password=USER_PASSWORD)
    attach_policy(user, Policy.objects.get(account=None, name="IAMFullAccess"))

    sign_in(page, account.account_id, "maria")
    page.wait_for_url("**/")
    page.goto("/iam/security-credentials/")
    page.wait_for_url("**/iam/users/maria/?tab=credentials*")  # the tabs script adds #credentials
    screenshot(page, "iam-user-detail")
    page.get_by_role("link", name="Assign MFA device").click()
    page.get_by_role("button", name="Set up virtual MFA device").click()
    assert page.get_by_test_id("mfa-qr").locator("svg").count() == 1
    page.get_by_text("Can't scan? Show secret key").click()
    app = pyotp.TOTP(page.get_by_test_id("mfa-seed").inner_text().strip())
    screenshot(page, "iam-mfa-enrol")
    # Two consecutive codes the app showed a moment ago (the current one stays unused for sign-in).
    now = time.time()
    page.get_by_label("MFA code 1").fill(app.at(now - 60))
    page.get_by_label("MFA code 2").fill(app.at(now - 30))
    page.get_by_role("button", name="Add MFA").click()
    page.wait_for_url("**/iam/users/maria/?tab=credentials*")  # the tabs script adds #credentials
    assert "mfa/maria" in page.get_by_test_id("mfa-device").inner_text()

    sign_out(page)
    sign_in(page, account.account_id, "maria")
    page.wait_for_url("**/iam/signin/mfa/")
    page.get_by_label("MFA code").fill("000000" if app.now() != "000000" else "111111")
    page.get_by_role("button", name="Submit").click()
    assert "not valid" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("MFA code").fill(app.now())
    screenshot(page, "iam-signin-mfa")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/")
    assert "maria @" in page.get_by_test_id("principal").inner_text()
    page.goto("/iam/")
    screenshot(page, "iam-dashboard")
