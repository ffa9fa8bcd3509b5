"""Signature Version 4 on every request: what AWS answers when a request is not signed right."""

import json
from xml.etree import ElementTree
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from iam.models import AccessKey
from iam.services import update_access_key_status

from .conftest import CLIENT_CONFIG
from .wire import send, send_signed

pytestmark = pytest.mark.django_db(transaction=True)

JSON_TARGET = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSSupport_20130415.DescribeSeverityLevels"}


def error_of(call) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response
    return error["Error"]["Code"], error["Error"]["Message"], error["ResponseMetadata"]["HTTPStatusCode"]


# One signed call per service, and the code each protocol gives each kind of authentication failure.
CALLS = {
    "iam": lambda client: client.list_users(),
    "support": lambda client: client.describe_severity_levels(),
    "account": lambda client: client.get_account_information(),
}
CODES = {
    "iam": {"mismatch": "SignatureDoesNotMatch", "unknown": "InvalidClientTokenId", "missing": "MissingAuthenticationToken"},
    "support": {"mismatch": "InvalidSignatureException", "unknown": "UnrecognizedClientException",
                "missing": "MissingAuthenticationTokenException"},
    "account": {"mismatch": "InvalidSignatureException", "unknown": "UnrecognizedClientException",
                "missing": "MissingAuthenticationTokenException"},
}
INVALID_TOKEN = "The security token included in the request is invalid."


@pytest.mark.parametrize("service", CALLS)
def test_a_wrong_secret_is_a_signature_mismatch(account, keys, client_for, service):
    key_id, secret = keys(account)
    client = client_for(service, key_id, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert error_of(lambda: CALLS[service](client)) == (
        CODES[service]["mismatch"],
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
        "Access Key and signing method. Consult the service documentation for details.",
        403,
    )


@pytest.mark.parametrize("service", CALLS)
def test_an_unknown_key_is_not_recognised(db, client_for, service):
    client = client_for(service, "AKIAUNKNOWNUNKNOWN00", "x" * 40)
    assert error_of(lambda: CALLS[service](client)) == (CODES[service]["unknown"], INVALID_TOKEN, 403)


@pytest.mark.parametrize("service", CALLS)
def test_an_inactive_key_is_refused_until_activated_again(account, keys, client_for, service):
    key_id, secret = keys(account)
    client = client_for(service, key_id, secret)
    update_access_key_status(AccessKey.objects.get(access_key_id=key_id), "Inactive")
    assert error_of(lambda: CALLS[service](client)) == (CODES[service]["unknown"], INVALID_TOKEN, 403)
    update_access_key_status(AccessKey.objects.get(access_key_id=key_id), "Active")
    assert CALLS[service](client)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_closed_accounts_keys_stop_working(account, keys, client_for):
    key_id, secret = keys(account)
    account.status = "CLOSED"
    account.save()
    assert error_of(client_for("iam", key_id, secret).list_users)[0] == "InvalidClientTokenId"


SIGNED_CALLS = {
    "support": ("", b"{}", JSON_TARGET),
    "account": ("getAccountInformation", b"{}", {"Content-Type": "application/json"}),
    "iam": ("", b"Action=ListUsers&Version=2010-05-08", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}),
}


def wire_error(response) -> str:
    if response.headers["content-type"].startswith("text/xml"):
        return ElementTree.fromstring(response.body).findtext("{https://iam.amazonaws.com/doc/2010-05-08/}Error/"
                                                             "{https://iam.amazonaws.com/doc/2010-05-08/}Code")
    return json.loads(response.body)["__type"]


@pytest.mark.parametrize("service", CALLS)
@pytest.mark.parametrize("skew, wording", [(timedelta(minutes=-16), "Signature expired"),
                                           (timedelta(minutes=16), "Signature not yet current")])
def test_a_clock_more_than_15_minutes_off_is_refused(account, keys, endpoint, service, skew, wording):
    path, body, headers = SIGNED_CALLS[service]
    response = send_signed(endpoint(service) + path, service, *keys(account), body, headers,
                           at=datetime.now(timezone.utc) + skew)
    assert (response.status, wire_error(response)) == (403, CODES[service]["mismatch"])
    assert wording in response.text


def test_a_clock_a_few_minutes_off_is_fine(account, keys, endpoint):
    key_id, secret = keys(account)
    response = send_signed(endpoint("iam"), "iam", key_id, secret, b"Action=ListUsers&Version=2010-05-08",
                           {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                           at=datetime.now(timezone.utc) - timedelta(minutes=10))
    assert response.status == 200


@pytest.mark.parametrize("amz_date", ["2026-12-01T10:00:00Z", "20261301T100000Z", "20261201T100000", "2026120lT100000Z"])
def test_a_date_not_in_basic_format_is_an_incomplete_signature(db, endpoint, amz_date):
    response = send(endpoint("iam"), b"Action=ListUsers", {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261201/us-east-1/iam/aws4_request, "
                         "SignedHeaders=host;x-amz-date, Signature=00",
        "X-Amz-Date": amz_date,
        "Content-Type": "application/x-www-form-urlencoded",
    })
    assert response.status == 400
    assert "<Code>IncompleteSignature</Code>" in response.text
    assert "Date must be in ISO-8601" in response.text


@pytest.mark.parametrize("service", CALLS)
def test_an_unsigned_request_is_missing_its_token(db, endpoint, service):
    client = boto3.session.Session().client(
        service, endpoint_url=endpoint(service), region_name="us-east-1",
        config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED)),
    )
    assert error_of(lambda: CALLS[service](client))[0::2] == (CODES[service]["missing"], 403)


def test_a_half_written_authorization_header_is_an_incomplete_signature(db, endpoint):
    response = send(endpoint("iam"), b"Action=ListUsers", {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/iam/aws4_request",
        "X-Amz-Date": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        "Content-Type": "application/x-www-form-urlencoded",
    })
    assert response.status == 400
    assert "<Code>IncompleteSignature</Code>" in response.text
    assert "Authorization header requires &apos;SignedHeaders&apos; parameter" in response.text or \
        "Authorization header requires 'SignedHeaders' parameter" in response.text


def test_a_key_signed_for_another_service_is_refused(account, keys, endpoint):
    key_id, secret = keys(account)
    response = send_signed(endpoint("support"), "iam", key_id, secret, b"{}", JSON_TARGET)
    assert response.status == 403
    assert json.loads(response.body)["message"] == "Credential should be scoped to correct service: 'support'."


def test_a_body_changed_after_signing_is_refused(account, keys, endpoint):
    from .wire import signed_headers

    key_id, secret = keys(account)
    headers = signed_headers(endpoint("support"), "support", key_id, secret, b"{}", JSON_TARGET)
    response = send(endpoint("support"), b'{"language": "ja"}', headers)
    assert response.status == 403
    assert json.loads(response.body)["__type"] == "InvalidSignatureException"


def test_a_signed_call_records_when_and_where_the_key_was_used(account, keys, client_for):
    key_id, secret = keys(account)
    client_for("iam", key_id, secret).list_users()
    key = AccessKey.objects.get(access_key_id=key_id)
    assert key.last_used_at is not None
    assert (key.last_used_service, key.last_used_region) == ("iam", "us-east-1")
