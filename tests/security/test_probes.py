"""Finding-independent probes (issue 13, "your own probe suite"): every console URL pattern and every
API operation, enumerated at run time so a new one is covered automatically, tried with another
account's identifiers, by a principal without permissions, without a CSRF token, and with NUL,
overlong and unusual unicode input. Never a 500, never another account's data, never a change.
"""

import pytest
from django.test import Client

from api.service_models import IAM
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import AccountFactory, IAMUserFactory

from .conftest import SERVICES
from .probes import MARKER, PROBER, api_operations, console_routes, fill, form_fields, make_victim, params_for

pytestmark = pytest.mark.django_db
INTERNAL_ERRORS = {service.internal_error for service in SERVICES}
BAD_TEXT = {
    "nul": "bad\x00value",
    "overlong": "x" * 100_000,
    "unicode": "\u202eÜnïcødé 𝔘𝔫𝔦 🙂 \u200b\ufeff 中文 \U0010ffff",
}


@pytest.fixture
def victim(settings):
    settings.API_RATE_LIMITS = False  # the sweep makes hundreds of calls a second
    return make_victim()


def assert_safe(response, label: str) -> None:
    assert response.status_code < 500, f"{label}: HTTP {response.status_code}"
    assert MARKER not in response.content.decode(errors="replace").lower(), f"{label}: shows the other account's data"


def test_operations_are_enumerated_from_every_service_model():
    swept = {service.name for service, _ in api_operations()}
    assert swept == {service.name for service in SERVICES} >= {"support", "account", "iam", "sts"}


def test_routes_are_enumerated_from_the_resolver():
    routes = console_routes()
    assert len(routes) > 150 and "support/cases/new/" in routes and "iam/users/<str:name>/" in routes


def test_another_accounts_identifiers_give_nothing_away_and_change_nothing(victim):
    before = victim.snapshot()
    attacker = console_client_for(Principal(account=AccountFactory()))
    for route in console_routes():
        path = fill(route, victim)
        assert_safe(attacker.get(path), f"GET {path}")
        assert_safe(attacker.post(path, {"name": "x", "confirm": "x", "action": "reply", "body": "x"}), f"POST {path}")
    assert victim.snapshot() == before


def test_a_principal_without_permissions_changes_nothing(victim):
    before = victim.snapshot()
    nobody = console_client_for(Principal(account=victim.account, user=IAMUserFactory(account=victim.account, name=PROBER)))
    for route in console_routes():
        if route in ("signout/", "iam/my-password/"):
            continue  # ending one's own session and changing one's own password need no permission
        path = fill(route, victim)  # reads are swept by the other probes; here: no write gets through
        assert nobody.post(path, {"name": "x", "confirm": "x"}).status_code < 500, path
    assert victim.snapshot() == before


def test_every_post_without_a_csrf_token_is_refused(victim):
    before = victim.snapshot()
    forger = console_client_for(Principal(account=victim.account))
    forger.handler.enforce_csrf_checks = True
    for route in console_routes():
        path = fill(route, victim)
        assert forger.post(path, {"name": "x", "confirm": "x"}).status_code == 403, path
    assert victim.snapshot() == before


def test_bad_text_in_every_form_field_never_fails(victim):
    root = Principal(account=victim.account)
    for route in console_routes():
        if route.startswith("staff/") or route in ("signout/", "account/close/"):
            continue  # the staff site is probed below; closing the account would end the sweep early
        client = console_client_for(root)
        path = fill(route, victim)
        page = client.get(path)
        assert page.status_code < 500, path
        if page.status_code != 200 or page.streaming:  # a download has no form
            continue
        fields = form_fields(page.content.decode(errors="replace"))
        if not fields:
            continue
        for kind, text in BAD_TEXT.items():
            response = client.post(path, dict.fromkeys(fields, text))
            assert response.status_code < 500, f"{kind} in {path}"


NO_PERMISSION_NEEDED = {
    # "No permissions are required to perform this operation" (STS API reference, both operations).
    "sts:GetCallerIdentity",
    "sts:GetSessionToken",
}


def sweep(call, victim, text: str | None = None):
    """(label, answer or the exception) of every API operation, filled with the victim's identifiers (or `text`)."""
    for service, operation in api_operations():
        label = f"{service.name}:{operation}"
        try:
            answer = call(service, operation, params_for(service, operation, victim.values, text=text))
            answer.error_code  # parses the error as boto3 would: well-formed even when it echoes the input
        except Exception as error:  # noqa: BLE001 - every operation is tried, every problem reported
            yield label, error
        else:
            yield label, answer


def failure(answer) -> bool:
    return isinstance(answer, Exception) or answer.status >= 500 or answer.error_code in INTERNAL_ERRORS


def test_every_api_operation_with_another_accounts_identifiers(victim, wire):
    before = victim.snapshot()
    answers = list(sweep(wire(AccountFactory()), victim))
    assert [label for label, answer in answers if failure(answer)] == []
    assert [label for label, answer in answers if MARKER.encode() in answer.body.lower()] == []
    assert victim.snapshot() == before


def test_every_api_operation_by_a_principal_without_permissions(victim, wire):
    before = victim.snapshot()
    answers = list(sweep(wire(victim.account, IAMUserFactory(account=victim.account, name=PROBER)), victim))
    assert [label for label, answer in answers if failure(answer)] == []
    allowed = {label for label, answer in answers if answer.status < 400}
    assert allowed <= NO_PERMISSION_NEEDED
    assert victim.snapshot() == before


@pytest.mark.parametrize("kind", BAD_TEXT)
def test_every_api_operation_with_bad_text_in_every_string(victim, wire, kind):
    answers = sweep(wire(victim.account), victim, BAD_TEXT[kind])
    assert [f"{label}: {answer!r}" for label, answer in answers if failure(answer)] == []
