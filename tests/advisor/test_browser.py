"""In real chromium: the dashboard's counts, a check expanded to its flagged resources, an exclusion,
and a refresh whose status line polls until the worker has finished."""

import pytest

from advisor import services, tasks
from iam.principals import Principal
from iam.services import create_access_key, create_service_linked_roles
from tests.browser import confirm_in_modal, screenshot
from tests.factories import ROOT_PASSWORD, AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT_KEYS, IAM_USE = "Ro0tAkEy01", "zXCkfM1nI3"


@pytest.fixture
def worker_queue(monkeypatch):
    """Refreshes sent to Celery wait here until the test plays the worker (run_next)."""
    sent = []
    monkeypatch.setattr(tasks.run_check_refresh, "apply_async", lambda args, **options: sent.append(*args))

    def run_next():
        return services.run_refresh(sent.pop(0))

    return sent, run_next


def test_dashboard_expand_exclude_and_live_refresh(page, worker_queue):
    sent, run_next = worker_queue
    account = AccountFactory(name="Advisor Corp")
    create_service_linked_roles(account)
    root = Principal(account=account)
    key, _ = create_access_key(account)
    services.refresh_check(root, ROOT_KEYS)
    assert run_next() == "success"

    page.goto("/trusted-advisor/")
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/trusted-advisor/")
    totals = page.get_by_test_id("status-totals")
    assert totals.locator('[data-status="error"]').inner_text() == "1"

    check = page.locator(f'[data-check-id="{ROOT_KEYS}"]')
    check.get_by_text("Details and flagged resources").click()
    row = check.get_by_role("row").filter(has_text=key.access_key_id)
    row.wait_for()
    assert "Access Key ID" in check.locator("thead").inner_text()
    screenshot(page, "advisor-dashboard-expanded")
    row.get_by_role("button", name="Exclude").click()
    check.get_by_role("button", name="Include").wait_for()
    # The exclusion re-renders the check's status line: nothing left to act on.
    check.locator(".advisor-check-head").get_by_text("No problems detected").wait_for()
    page.wait_for_function("() => document.querySelector('[data-status=\"ok\"]').textContent === '1'")
    assert totals.locator('[data-status="error"]').inner_text() == "0"

    iam_use = page.locator(f'[data-check-id="{IAM_USE}"]')
    assert "Not yet refreshed" in iam_use.inner_text()
    iam_use.get_by_role("button", name="Refresh").click()
    iam_use.get_by_text("Refresh enqueued…").wait_for()
    assert run_next() == "success"  # the worker finishes; the page is polling every 2 seconds
    iam_use.get_by_text("Last refreshed").wait_for(timeout=10_000)
    assert iam_use.get_by_role("button", name="Refresh in 5 min").is_disabled()
    assert "Investigation recommended" in iam_use.locator(".advisor-check-head").inner_text()
    page.wait_for_function("() => document.querySelector('[data-status=\"warning\"]').textContent === '1'")
    security = page.get_by_test_id("category-counts").locator('[data-category="security"] td')
    assert security.all_inner_texts() == ["0", "1", "1", "10"]
    screenshot(page, "advisor-dashboard-refreshed")


def test_disable_from_preferences_then_enable_from_the_banner(page):
    account = AccountFactory(name="Advisor Corp")
    create_service_linked_roles(account)
    page.goto("/trusted-advisor/preferences/")
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/trusted-advisor/preferences/")

    page.get_by_role("button", name="Disable Trusted Advisor").click()
    confirm_in_modal(page)  # "Disable Trusted Advisor?" in the page, not the browser's confirm()
    page.wait_for_url("**/trusted-advisor/")
    banner = page.get_by_test_id("disabled-banner")
    banner.wait_for()
    assert "Disabled Trusted Advisor" in banner.inner_text()
    assert page.get_by_text("Trusted Advisor recommendations").count() == 0
    screenshot(page, "advisor-disabled-banner")

    banner.get_by_role("button", name="Enable Trusted Advisor Role").click()
    page.get_by_role("heading", name="Trusted Advisor recommendations").wait_for()
    assert page.get_by_text("Trusted Advisor is enabled.").is_visible()
