"""Finding 5: a Content-Security-Policy without inline scripts, in production mode (and development)."""

import re

import pytest

from tests.foundation.test_settings import manage

PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "console.example.com",
}
# Any answer carries the header; this one renders no template, so no collected static files are needed.
READ_HEADER = (
    "from django.test import Client; "
    "print(Client().get('/healthz', secure=True, HTTP_HOST='console.example.com')['Content-Security-Policy'])"
)


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_production_answers_with_a_policy_that_refuses_inline_scripts():
    result = manage("shell", "-c", READ_HEADER, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    policy = directives(result.stdout.strip().splitlines()[-1])  # after the shell's own banner
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("path", ["/signin/", "/support/", "/support/create-case/", "/iam/", "/account/"])
def test_pages_have_no_inline_scripts_and_carry_the_policy(root_client, path):
    response = root_client.get(path)
    assert "'unsafe-inline'" not in directives(response["Content-Security-Policy"])["script-src"]
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script> blocks are refused by the policy"
    assert not re.search(r"\son[a-z]+=", page), "inline event handlers are refused by the policy"
    assert ' style="' not in page, "style attributes are refused by the policy"
