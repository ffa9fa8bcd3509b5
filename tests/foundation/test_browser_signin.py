import pytest

from tests.browser import screenshot, sign_out
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, AccountFactory, IAMUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_root_user_signs_in_and_moves_between_services(page):
    account = AccountFactory(name="Browser Corp")
    page.goto("/account/")
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    assert page.get_by_test_id("account-id").inner_text() == account.account_id
    page.get_by_role("navigation", name="Services").get_by_role("link", name="IAM").click()
    page.wait_for_url("**/iam/")
    assert f"/signin/{account.account_id}/" in page.get_by_test_id("sign-in-url").inner_text()
    screenshot(page, "foundation-iam-dashboard")


def test_iam_user_without_permission_sees_the_denied_action(page):
    user = IAMUserFactory(name="intern", account=AccountFactory(alias="browser-corp"))
    page.goto("/signin/browser-corp/")
    page.get_by_label("IAM user name").fill("intern")
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/support/")
    assert "is not authorized to perform: support:DescribeCases" in page.get_by_test_id("denial-message").inner_text()
    screenshot(page, "foundation-access-denied")
    sign_out(page)
    page.wait_for_url("**/signin/")
    assert user.name not in page.content()
