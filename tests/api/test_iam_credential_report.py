"""The credential report through boto3 and the AWS CLI: IAM's columns, root first, then each user."""

import base64
import csv
import io
import json
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.utils import timezone

from iam.credential_report import COLUMNS, ReportExpired, credential_report, generate_credential_report
from iam.services import create_access_key, create_user, create_virtual_mfa_device, enable_mfa_device
from iam.services.mfa import seed_of
from tests.factories import USER_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_generate_then_get_the_report(account, root_api):
    import time

    import pyotp

    iam = root_api("iam")
    with pytest.raises(ClientError) as caught:
        iam.get_credential_report()
    assert caught.value.response["Error"]["Code"] == "ReportNotPresent"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410

    alice = create_user(account, "alice", password=USER_PASSWORD)
    create_access_key(account, alice)
    device = create_virtual_mfa_device(account, alice)
    app = pyotp.TOTP(seed_of(device))
    enable_mfa_device(device, app.at(time.time() - 30), app.at(time.time()))
    create_user(account, "bot")

    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"  # the report is fresh: no new one
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    header = report["Content"].decode().splitlines()[0]
    assert tuple(header.split(",")) == COLUMNS
    root, first, second = rows(report["Content"])
    assert (root["user"], root["arn"], root["password_enabled"]) == ("<root_account>", account.root_arn, "not_supported")
    assert root["access_key_1_active"] == "true"  # the key this client signs with
    assert (first["user"], first["password_enabled"], first["mfa_active"]) == ("alice", "true", "true")
    assert first["password_last_used"] == "no_information"
    assert first["access_key_1_active"] == "true" and first["access_key_1_last_used_date"] == "N/A"
    assert (second["user"], second["password_enabled"], second["password_last_used"]) == ("bot", "false", "N/A")


def test_a_report_expires_after_four_hours(account):
    generated = timezone.now() - timedelta(hours=5)
    generate_credential_report(account, now=generated)
    with pytest.raises(ReportExpired):
        credential_report(account)
    assert generate_credential_report(account)[0] == "STARTED"
    assert credential_report(account).generated_at > generated


def test_the_credential_report_in_the_cli(account, keys, aws_cli):
    key_id, secret = keys(account)
    started = aws_cli("iam", key_id, secret, "generate-credential-report")
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["State"] == "STARTED"
    got = aws_cli("iam", key_id, secret, "get-credential-report")
    assert got.returncode == 0, got.stderr
    content = base64.b64decode(json.loads(got.stdout)["Content"])
    assert [row["user"] for row in rows(content)] == ["<root_account>"]


def test_the_console_page_downloads_the_report(account, make_user):
    from iam.principals import Principal
    from tests.conftest import console_client_for
    from tests.factories import allow

    root = console_client_for(Principal(account=account))
    page = root.get("/iam/credential-report/")
    assert page.status_code == 200 and b"Never" in page.content
    download = root.get("/iam/credential-report/download/")
    assert download["Content-Type"] == "text/csv"
    assert download.content.decode().splitlines()[0] == ",".join(COLUMNS)
    assert b"Last generated" in root.get("/iam/credential-report/").content

    reader = console_client_for(Principal(account=account, user=make_user(
        account, allow("iam:GetCredentialReport"), name="r")))
    assert b"Download credentials report" not in reader.get("/iam/credential-report/").content
    assert reader.get("/iam/credential-report/download/").status_code == 403
