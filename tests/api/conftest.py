"""Real boto3 clients (and the AWS CLI) against the live test server, signed with the portal's own keys."""

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django.db import connection

from iam.services import create_access_key
from portal.after_response import wait_until_settled

# No retries: an error must surface at once, and a retried 500 would only slow the suite.
CLIENT_CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
AWS_CLI = Path(sys.executable).with_name("aws")


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch, tmp_path):
    """Nothing from the machine's own AWS configuration may reach the clients."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


@pytest.fixture
def endpoint(live_server):
    return lambda service: f"{live_server.url}/api/{service}/"


@pytest.fixture
def client_for(endpoint):
    """client_for(service, key_id, secret) -> a boto3 client signed with that key."""

    def make(service: str, key_id: str, secret: str, **config):
        return boto3.session.Session().client(
            service,
            endpoint_url=endpoint(service),
            region_name="us-east-1",
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=CLIENT_CONFIG.merge(Config(**config)) if config else CLIENT_CONFIG,
        )

    return make


@pytest.fixture
def keys():
    """keys(account, user=None) -> (access key id, secret) of a fresh key (root's when user is None)."""

    def make(account, user=None):
        key, secret = create_access_key(account, user)
        return key.access_key_id, secret

    return make


@pytest.fixture
def root_api(account, keys, client_for):
    """root_api(service) -> a client of the account's root user."""
    key_id, secret = keys(account)
    return lambda service: client_for(service, key_id, secret)


@pytest.fixture
def user_api(make_user, keys, client_for):
    """user_api(service, account, *statements, name=...) -> a client of a fresh IAM user with those permissions."""

    def make(service, account, *statements, **fields):
        user = make_user(account, *statements, **fields)
        return client_for(service, *keys(account, user))

    return make


@pytest.fixture
def aws_cli(endpoint):
    """aws_cli(service, key_id, secret, *args, session_token=None) -> the CLI's completed process, JSON output."""

    def run(service: str, key_id: str, secret: str, *args: str, session_token: str | None = None) -> subprocess.CompletedProcess:
        environment = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "AWS_ACCESS_KEY_ID": key_id,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.environ["AWS_CONFIG_FILE"],
            "AWS_SHARED_CREDENTIALS_FILE": os.environ["AWS_SHARED_CREDENTIALS_FILE"],
            "AWS_MAX_ATTEMPTS": "1",
            **({"AWS_SESSION_TOKEN": session_token} if session_token else {}),
        }
        command = [str(AWS_CLI), service, *args, "--endpoint-url", endpoint(service), "--output", "json"]
        completed = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)
        wait_until_settled()  # what the call left for after its answer (tests/conftest.py: api_calls_settled)
        return completed

    return run



@pytest.fixture
def support_catalog(transactional_db):
    """The case catalog is migration data, which transactional tests flush away: load it again (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("cases.migrations.0002_catalog").load_catalog(apps, None)


@pytest.fixture
def database_ends_the_connection(monkeypatch):
    """database_ends_the_connection(): PostgreSQL ends this process's session, as a restart does; the next
    request finds out without a health check query of its own (Django's SELECT 1 fails the test)."""

    def end() -> None:
        other = connection.copy()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        other.close()
        connection.health_check_done = False  # as at the start of every request (the test client skips it)
        monkeypatch.setattr(connection, "is_usable", lambda: pytest.fail("a separate health check query was made"))

    return end
