"""The UX suite: the demo sandbox (realistic data in every app), signed in as its root user."""

import pytest

from iam.models import IAMUser
from iam.services import create_access_key
from portal.sandbox import demo
from portal.sandbox.services import seed_demo
from tests.browser import WAIT_MS, sign_in_as_root


@pytest.fixture
def demo_account(transactional_db):  # the test module says django_db(transaction=True): the live server sees the data
    account, _ = seed_demo()
    # An access key, so that the credentials table shows its row actions (Deactivate, Delete).
    create_access_key(account, IAMUser.objects.get(account=account, name="admin"))
    return account


def signed_in_page(chromium, live_server, account, width: int):
    """One browser context per viewport, signed in once as the demo root user."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    sign_in_as_root(page, account, "/", demo.ROOT_PASSWORD)
    return page
