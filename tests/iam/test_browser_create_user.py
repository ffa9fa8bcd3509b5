"""In real chromium: an administrator creates a user with the wizard (details → permissions → review and
create), and the policy editor warns about a misspelt action as it is typed. Waits are on elements and
URLs the person waits for (and htmx's swap of the editor panel), never on time."""

import pytest
from playwright.sync_api import expect

from iam.models import IAMUser, Policy
from iam.services import attach_policy, create_group, create_user
from tests.browser import screenshot
from tests.factories import AccountFactory

from .test_browser_mfa import sign_in
from tests.factories import USER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def administrator(account):
    admin = create_user(account, "admin", password=USER_PASSWORD)
    attach_policy(admin, Policy.objects.get(account=None, name="AdministratorAccess"))
    return admin


def test_create_user_wizard_end_to_end(page):
    account = AccountFactory(name="Wizard Corp")
    administrator(account)
    create_group(account, "support-team")
    sign_in(page, account.account_id, "admin")
    page.wait_for_url("**/")

    page.goto("/iam/users/")
    page.get_by_role("link", name="Create user").click()
    page.wait_for_url("**/iam/users/create/")
    expect(page.get_by_role("navigation", name="Steps").locator('[aria-current="step"]')).to_contain_text("Specify user details")
    # A mistake first: the reason appears beside the field and what was typed stays.
    page.get_by_label("User name").fill("bad name!")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert").filter(has_text="Names may contain only")).to_be_visible()
    expect(page.get_by_label("User name")).to_have_value("bad name!")
    page.get_by_label("User name").fill("trainee")
    page.get_by_label("Provide user access to the AWS Management Console").check()
    page.get_by_label("Console password").fill("Trainee-Passw0rd!")
    screenshot(page, "iam-create-user-step1")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/iam/users/create/permissions/")
    page.get_by_label("support-team").check()
    # The search filters the policy list as it is typed (static/js/policy-picker.js).
    page.get_by_label("Search policies").fill("IAMRead")
    expect(page.get_by_role("row", name="ReadOnlyAccess", exact=False).filter(has_not_text="IAM")).to_be_hidden()
    page.get_by_label("IAMReadOnlyAccess").check()
    screenshot(page, "iam-create-user-step2")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/iam/users/create/review/")
    expect(page.get_by_test_id("review-details")).to_contain_text("trainee")
    expect(page.get_by_test_id("review-permissions")).to_contain_text("support-team")
    expect(page.get_by_test_id("review-permissions")).to_contain_text("IAMReadOnlyAccess")
    page.get_by_role("textbox", name="Tags").fill("Team=Support")
    screenshot(page, "iam-create-user-step3")
    page.get_by_role("button", name="Create user").click()

    page.wait_for_url("**/iam/users/trainee/*")  # the tabs script adds the open tab's #fragment
    expect(page.get_by_text("User trainee created.")).to_be_visible()
    expect(page.get_by_role("link", name="IAMReadOnlyAccess")).to_be_visible()
    expect(page.get_by_role("tab", name="Permissions")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("link", name="support-team")).to_be_hidden()
    page.get_by_role("tab", name="Groups").click()
    expect(page.get_by_role("link", name="support-team")).to_be_visible()
    screenshot(page, "iam-user-tabs")

    user = IAMUser.objects.get(account=account, name="trainee")
    assert user.has_console_password and user.tags == {"Team": "Support"}


def test_the_policy_editor_warns_as_you_type(page):
    account = AccountFactory(name="Editor Corp")
    administrator(account)
    sign_in(page, account.account_id, "admin")
    page.wait_for_url("**/")
    page.goto("/iam/policies/create/")
    review = page.get_by_test_id("policy-review")
    # The panel's first htmx load has settled; in a fresh process it also builds the action catalog from
    # every botocore model (bench/policy_catalog.py), hence the longer wait for this one element.
    expect(review.get_by_test_id("policy-size")).to_be_visible(timeout=60_000)
    document = page.get_by_label("Policy document (JSON)")
    document.fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["support:DescribeCase", "support:DescribeCases"], "Resource": "*"}]}')
    expect(review.get_by_test_id("policy-findings")).to_contain_text("Did you mean support:DescribeCases?")
    expect(review.get_by_test_id("policy-summary")).to_contain_text("AWS Support")
    document.fill('{"Version": "2012-10-17", "Statement": [')
    expect(review.get_by_test_id("policy-error")).to_contain_text("not valid JSON")
    screenshot(page, "iam-policy-editor")
