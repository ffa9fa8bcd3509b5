"""Playwright driving Debian's chromium (never a downloaded browser)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# How long a browser test waits for what the user waits on (an element, the end of an htmx swap).
# Generous because CI shares 2 cores: a wait returns as soon as the page is ready, so only a failing
# test ever takes this long.
WAIT_MS = 30_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Without these, chromium keeps trying to reach Google's hosts on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests but {CHROMIUM} is missing")
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (bin/test installs it)")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# What the user waits on: htmx has finished a request and its swap (no element carries htmx's
# in-flight classes) and static/js/console.js has set up what was swapped in.
HTMX_IDLE = (
    "() => window.htmx !== undefined && document.documentElement.dataset.consoleReady === 'true'"
    " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
)


def wait_for_htmx(page) -> None:
    page.wait_for_function(HTMX_IDLE)


def sign_out(page) -> None:
    """Sign out from the account menu of the top bar, as a user does."""
    page.get_by_test_id("account-menu").locator("summary").click()
    page.get_by_role("button", name="Sign out").click()


def confirm_in_modal(page, *, typed: str | None = None) -> None:
    """Answer the in-page confirmation modal (templates/includes/confirm_modal.html)."""
    modal = page.locator("#confirm-modal")
    modal.wait_for(state="visible")
    if typed is not None:
        modal.get_by_role("textbox").fill(typed)
    modal.locator("[data-confirm-accept]").click()
    modal.wait_for(state="hidden")


def sign_in_as_root(page, account, target: str, password: str | None = None) -> None:
    """Open `target`, sign in on the page it redirects to as the account's root user, and wait to be back."""
    from .factories import ROOT_PASSWORD

    page.goto(target)
    page.get_by_label("Root user email address").fill(account.root_email)
    page.get_by_label("Password").fill(password or ROOT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{target}*")  # a page with tabs adds the open tab's #fragment
    wait_for_htmx(page)
