"""Every main page at a laptop's and a phone's width: no horizontal page scroll, no control whose text
is below AA contrast, no serious accessibility violation (axe-core), a distinct title, and a screenshot.

One browser (the session's chromium), one signed-in context per width, every page visited in it.
"""

import pytest

from cases.models import Case
from tests.browser import screenshot, wait_for_htmx

from .checks import HORIZONTAL_OVERFLOW, LOW_CONTRAST_CONTROLS, serious_axe_violations
from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP, PHONE = 1366, 390

MAIN_PAGES = (
    ("home", "/"),
    ("support-cases", "/support/?status=all"),
    ("support-create-case", "/support/cases/new/"),
    ("support-case", "/support/cases/{case}/"),
    ("account-details", "/account/"),
    ("account-contact", "/account/contact/"),
    ("account-alternate-contacts", "/account/alternate-contacts/"),
    ("account-regions", "/account/regions/"),
    ("account-support-plan", "/account/support-plan/"),
    ("account-alias", "/account/alias/"),
    ("iam-users", "/iam/users/"),
    ("iam-user", "/iam/users/admin/"),
    ("iam-roles", "/iam/roles/"),
    ("iam-policies", "/iam/policies/"),
    ("trusted-advisor", "/trusted-advisor/"),
    ("event-history", "/cloudtrail/"),
    ("training", "/training/"),
)


def visit_every_main_page(page, account, *, scan_accessibility: bool):
    case = Case.objects.filter(account=account).order_by("display_id").first()
    found = {"overflow": [], "contrast": [], "axe": [], "titles": {}}
    for name, path in MAIN_PAGES:
        page.goto(path.format(case=case.display_id))
        wait_for_htmx(page)
        width = page.viewport_size["width"]
        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
        if overflow > 0:
            found["overflow"].append(f"{name}: {overflow}px wider than the {width}px viewport")
        found["contrast"] += [f"{name}: {failure}" for failure in page.evaluate(LOW_CONTRAST_CONTROLS)]
        if scan_accessibility:
            found["axe"] += [f"{name}: {violation}" for violation in serious_axe_violations(page)]
        found["titles"][name] = page.title()
        screenshot(page, f"ux-{name}-{width}")
    return found


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_main_pages_fit_read_well_and_pass_an_accessibility_scan(chromium, live_server, demo_account, width):
    page = signed_in_page(chromium, live_server, demo_account, width)
    found = visit_every_main_page(page, demo_account, scan_accessibility=width == LAPTOP)

    assert not found["overflow"], "horizontal page scroll:\n" + "\n".join(found["overflow"])
    assert not found["contrast"], "controls below 4.5:1 text contrast:\n" + "\n".join(found["contrast"])
    assert not found["axe"], "serious or critical accessibility violations:\n" + "\n".join(found["axe"])
    titles = found["titles"]
    assert all(title.endswith(" – Console Sandbox") for title in titles.values()), titles
    assert len(set(titles.values())) == len(titles), f"titles repeat: {titles}"

    # The account menu, opened: name and ID with copy, Security credentials, Sign out; still within the page.
    page.goto("/iam/users/")
    menu = page.get_by_test_id("account-menu")
    menu.locator("summary").click()
    for control in ("Copy account ID", "Sign out"):
        assert page.get_by_role("button", name=control).is_visible()
    assert menu.get_by_role("link", name="Security credentials").is_visible()
    assert "Demo Corp" in menu.inner_text() and "1234-5678-9012" in menu.inner_text()
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    assert page.evaluate(LOW_CONTRAST_CONTROLS) == []
    screenshot(page, f"ux-account-menu-{width}")
    page.context.close()


def test_the_top_bar_stays_on_one_line_on_a_laptop(chromium, live_server, demo_account):
    page = signed_in_page(chromium, live_server, demo_account, LAPTOP)
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.topbar .services a')].map(link => link.getBoundingClientRect().height)"
    )
    assert len(heights) == 6 and max(heights) - min(heights) <= 1, heights  # "Support / Center" would be taller
    assert page.locator(".topbar").bounding_box()["height"] <= 56
    page.context.close()
