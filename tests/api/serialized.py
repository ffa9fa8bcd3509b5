"""Requests built by botocore's own serializer from boto3-style parameters, signed, and served in this
thread by Django's test client (so a test can count their queries or change the database between calls)."""

from botocore.auth import SigV4Auth
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.credentials import Credentials
from botocore.serialize import create_serializer
from django.test import Client, RequestFactory

from api import service_models
from portal.after_response import wait_until_settled

SERVICES = {service.name: service for service in (service_models.SUPPORT, service_models.ACCOUNT, service_models.IAM,
                                                  service_models.STS, service_models.CLOUDTRAIL)}


def send(key_id: str, secret: str, service_name: str, operation: str, params: dict | None = None, token: str | None = None):
    """The portal's response to `operation` signed with this key (and session token, for temporary credentials),
    once the work it left for after its answer has run (tests/conftest.py: api_calls_settled)."""
    try:
        return _made_by(Client(), key_id, secret, service_name, operation, params, token)
    finally:
        wait_until_settled()


def signed_environ(key_id: str, secret: str, service_name: str, operation: str, params: dict | None = None) -> dict:
    """The WSGI environ of that signed request, for a test that plays the server itself."""
    return _made_by(RequestFactory(), key_id, secret, service_name, operation, params, None).environ


def _made_by(client, key_id, secret, service_name, operation, params, token):
    service = SERVICES[service_name]
    serialized = create_serializer(service.protocol).serialize_to_request(params or {}, service.operation(operation))
    prepare_request_dict(serialized, endpoint_url=f"http://testserver/api/{service_name}")
    request = create_request_object(serialized)
    SigV4Auth(Credentials(key_id, secret, token), service.signing_name, "us-east-1").add_auth(request)
    prepared = request.prepare()
    path, _, query = prepared.url.removeprefix("http://testserver").partition("?")
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in prepared.headers.items()
            if name.lower() not in ("content-type", "content-length")}
    return client.generic(
        prepared.method, path + (f"?{query}" if query else ""), prepared.body or b"",
        content_type=prepared.headers.get("Content-Type", ""), HTTP_HOST="testserver", **meta,
    )
