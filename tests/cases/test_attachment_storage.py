"""Attachment bytes live in the attachments storage: local files by default, an S3 bucket when configured."""

from datetime import timedelta

import boto3
import pytest
from django.conf import settings
from django.utils import timezone
from moto import mock_aws

from cases import selectors, services
from cases.jobs import purge_case_history
from cases.storage import attachment_storage

from .conftest import PNG, TEXT, ec2_case_arguments

BUCKET = "console-sandbox-attachments"


@pytest.fixture
def s3_bucket(settings):
    """The attachments storage on a (moto) S3 bucket, as STORAGE_S3_BUCKET configures it; yields the bucket's client."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = settings.STORAGES | {
            "attachments": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "location": "attachments", "file_overwrite": False},
            }
        }
        yield s3


def stored_keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_files_go_to_the_bucket_and_come_back_through_the_console_and_the_api(s3_bucket, account, root, root_client):
    attachment_set = services.add_attachments_to_set(root, [("shot.png", PNG), ("log.txt", TEXT)])
    services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    shot, log = attachment_set.attachments.all()

    assert sorted(stored_keys(s3_bucket)) == sorted(
        f"attachments/{account.account_id}/{attachment.attachment_id}" for attachment in (shot, log)
    )
    response = root_client.get(f"/support/attachments/{shot.attachment_id}/")
    assert response.status_code == 200 and response.getvalue() == PNG
    assert response["Content-Disposition"] == 'attachment; filename="shot.png"'
    assert selectors.describe_attachment(root, log.attachment_id).read_bytes() == TEXT


def test_purged_attachments_leave_no_object_behind(s3_bucket, root, django_capture_on_commit_callbacks):
    now = timezone.now()
    sent = services.add_attachments_to_set(root, [("shot.png", PNG)], now=now - timedelta(days=400))
    services.create_case(root, **ec2_case_arguments(), attachment_set_id=sent.attachment_set_id, now=now - timedelta(days=400))
    services.add_attachments_to_set(root, [("never-sent.txt", TEXT)], now=now - timedelta(hours=2))
    kept = services.add_attachments_to_set(root, [("fresh.txt", TEXT)], now=now)
    assert len(stored_keys(s3_bucket)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        purge_case_history(now)

    assert stored_keys(s3_bucket) == [f"attachments/{kept.account.account_id}/{kept.attachments.get().attachment_id}"]


def test_a_rolled_back_deletion_keeps_the_file(root, django_capture_on_commit_callbacks):
    attachment = services.add_attachments_to_set(root, [("log.txt", TEXT)]).attachments.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment.delete()
    # Nothing is deleted until the transaction commits; a rollback drops the callback with the file still there.
    assert len(callbacks) == 1 and attachment_storage().exists(attachment.file.name)
    callbacks[0]()
    assert not attachment_storage().exists(attachment.file.name)


def test_by_default_files_are_local_and_outside_the_database(account, root):
    attachment = services.add_attachments_to_set(root, [("log.txt", TEXT)]).attachments.get()
    location = settings.STORAGES["attachments"]["OPTIONS"]["location"]
    assert (location / account.account_id / attachment.attachment_id).read_bytes() == TEXT
