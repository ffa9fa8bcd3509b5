"""Probing the portal the way an attacker would: in-process (no live server), so the suite stays fast."""

import json
import os
import threading
from urllib.parse import urlencode
from dataclasses import dataclass
from xml.etree import ElementTree

import pytest
from botocore.serialize import create_serializer
from django.db import connection
from django.test import Client

from api import service_models
from iam.services import create_access_key
from tests.api.wire import signed_headers

# Every service api/service_models.py describes, so a new one is probed without touching this suite.
SERVICES = tuple(value for value in vars(service_models).values() if isinstance(value, service_models.Service))


@dataclass
class WireAnswer:
    status: int
    body: bytes
    headers: dict

    @property
    def error_code(self) -> str | None:
        """The AWS error code, parsed as boto3 would (JSON __type, x-amzn-ErrorType or the Query XML)."""
        if self.status < 400:
            return None
        if self.body.lstrip().startswith(b"<"):
            root = ElementTree.fromstring(self.body)  # raises on XML boto3 could not parse either
            code = root.find(".//{*}Code")
            return code.text if code is not None else None
        kind = json.loads(self.body or b"{}").get("__type") or self.headers.get("x-amzn-ErrorType", "")
        return kind.split("#")[-1].split(":")[0]


def wire_caller(key_id: str, secret: str):
    """call(service, operation, params) -> WireAnswer, the request serialised by botocore from the service model."""
    client = Client()

    def call(service: service_models.Service, operation: str, params: dict) -> WireAnswer:
        model = service.operation(operation)
        request = create_serializer(service.protocol, include_validation=False).serialize_to_request(params, model)
        path = request["url_path"].lstrip("/")
        url = f"http://testserver/api/{service.name}/{path}"
        query = request.get("query_string") or {}
        body = _encode(request["body"])
        headers = {name: value for name, value in request["headers"].items()}
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        signed = signed_headers(url, service.signing_name, key_id, secret, body, headers)
        meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in signed.items() if name != "Content-Type"}
        response = client.generic(
            request["method"], f"/api/{service.name}/{path}", body, content_type=headers["Content-Type"], HTTP_HOST="testserver",
            QUERY_STRING="&".join(f"{k}={v}" for k, v in query.items()) if isinstance(query, dict) else query, **meta
        )
        return WireAnswer(response.status_code, response.content, {k.lower(): v for k, v in response.items()})

    return call


def _encode(body) -> bytes:
    """The query protocols leave a dict for the HTTP layer to form-encode; the others give text or bytes."""
    if isinstance(body, dict):
        return urlencode(body).encode()
    return body.encode() if isinstance(body, str) else (body or b"")


@pytest.fixture
def wire():
    """wire(account, user=None) -> call(service, operation, params) signed with a fresh key of that principal."""

    def make(account, user=None):
        key, secret = create_access_key(account, user)
        return wire_caller(key.access_key_id, secret)

    return make


def require_postgresql() -> None:
    """Parallel requests need a real database: skip on SQLite, except in CI where it must be PostgreSQL."""
    if connection.vendor == "sqlite":
        if os.environ.get("CI"):
            pytest.fail("CI runs the parallel-request tests on PostgreSQL (DATABASE_URL)")
        pytest.skip("parallel requests need PostgreSQL (DATABASE_URL)")


def at_once(*calls) -> list:
    """Run the calls in threads released together; their results, in order of completion."""
    start = threading.Barrier(len(calls))
    results = []

    def run(call):
        start.wait()
        try:
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def load_support_catalog() -> None:
    """Transactional tests flush the catalog the migrations loaded."""
    from importlib import import_module

    from django.apps import apps

    import_module("cases.migrations.0002_catalog").load_catalog(apps, None)
