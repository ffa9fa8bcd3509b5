"""Hand-made requests for what the SDKs refuse to send: bad bodies, odd signatures, skewed clocks."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from unittest import mock
from datetime import datetime, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from portal.after_response import wait_until_settled


@dataclass
class WireResponse:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def send(url: str, body: bytes = b"", headers: dict | None = None, method: str = "POST") -> WireResponse:
    request = urllib.request.Request(url, data=body if method != "GET" else None, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return WireResponse(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return WireResponse(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
    finally:
        wait_until_settled()  # what the call left for after its answer (tests/conftest.py: api_calls_settled)


def signed_headers(url: str, signing_name: str, key_id: str, secret: str, body: bytes = b"",
                   headers: dict | None = None, *, at: datetime | None = None) -> dict:
    """Headers signed exactly as botocore signs them, optionally at another moment."""
    request = AWSRequest(method="POST", url=url, data=body, headers=headers or {})
    signer = SigV4Auth(Credentials(key_id, secret), signing_name, "us-east-1")
    moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    with mock.patch("botocore.auth.get_current_datetime", return_value=moment):
        signer.add_auth(request)
    return dict(request.headers.items())


def send_signed(url: str, signing_name: str, key_id: str, secret: str, body: bytes = b"",
                headers: dict | None = None, **signing) -> WireResponse:
    return send(url, body, signed_headers(url, signing_name, key_id, secret, body, headers, **signing))
