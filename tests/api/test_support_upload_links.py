"""Support's upload-link workflow through boto3: links for each part, PUT the parts, complete, check the status,
attach the upload to a case, then fetch it again through a download link, with the attachment-set rules."""

from datetime import timedelta
from unittest import mock

import pytest
import requests
from django.utils import timezone

from cases.uploads import PART_SIZE
from tests.factories import allow

from .test_account_primary_email import error

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("support_catalog")]

EC2 = {"serviceCode": "amazon-elastic-compute-cloud-linux", "categoryCode": "instance-issue", "severityCode": "normal"}
# A text log a little over two parts long, so the upload comes in three.
LOG = b"".join(b"line %07d: instance i-0abc stopped answering\n" % n for n in range(2 * PART_SIZE // 45 + 10))


def put_parts(links: list[dict], data: bytes, part_size: int) -> list[dict]:
    completed = []
    for link in links:
        index = link["partIndex"]
        response = requests.put(link["url"], data=data[(index - 1) * part_size:index * part_size], timeout=30)
        assert response.status_code == 200, response.text
        completed.append({"partIndex": index, "eTag": response.headers["ETag"]})
    return completed


def test_a_large_file_goes_up_in_parts_onto_a_case_and_comes_back_down(root_api):
    support = root_api("support")
    started = support.get_attachment_upload_links(fileName="console.log", fileSizeBytes=len(LOG),
                                                  uploadRange={"startIndex": 1, "endIndex": 3})
    upload_id, part_size = started["uploadId"], started["partSizeBytes"]
    assert (started["totalParts"], started["nextIndex"]) == (3, 3)
    assert [link["partIndex"] for link in started["uploadUrls"]] == [1, 2]
    more = support.get_attachment_upload_links(fileName="console.log", uploadId=upload_id,
                                               uploadRange={"startIndex": 3})
    assert [link["partIndex"] for link in more["uploadUrls"]] == [3] and "nextIndex" not in more

    completed = put_parts(started["uploadUrls"] + more["uploadUrls"], LOG, part_size)
    status = support.describe_attachment_upload_status(uploadId=upload_id)
    assert (status["uploadStatus"], status["fileName"]) == ("attachment-not-ready", "console.log")
    assert support.complete_attachment_upload(uploadId=upload_id, completedUploads=completed[:2])[
        "uploadStatus"] == "attachment-not-ready"
    assert support.describe_attachment_upload_status(uploadId=upload_id)["uploadProgress"] == {
        "totalParts": 3, "completedPartsCount": 2}
    assert error(support.create_case, subject="Too soon", communicationBody="Log attached.", uploadIds=[upload_id],
                 **EC2) == "ValidationException"
    assert support.complete_attachment_upload(uploadId=upload_id, completedUploads=completed[2:])[
        "uploadStatus"] == "attachment-ready"

    case_id = support.create_case(subject="Instance down", communicationBody="Log attached.", uploadIds=[upload_id],
                                  **EC2)["caseId"]
    [sent] = support.describe_communications(caseId=case_id)["communications"][0]["attachmentSet"]
    assert sent["fileName"] == "console.log"
    link = support.get_attachment_download_link(attachmentId=sent["attachmentId"])
    assert link["fileName"] == "console.log"
    downloaded = requests.get(link["downloadUrl"]["url"], timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == LOG
    assert requests.get(link["downloadUrl"]["url"].replace("Signature=", "Signature=x"), timeout=30).status_code == 403
    assert error(support.describe_attachment_upload_status, uploadId=upload_id) == "UploadIdNotFound"  # used up


def test_upload_rules_errors_and_dry_runs(account, root_api, user_api):
    support = root_api("support")
    assert error(support.get_attachment_upload_links, fileName="huge.log",
                 fileSizeBytes=5 * 1024 * 1024) == "AttachmentSetSizeLimitExceeded"
    assert error(support.get_attachment_upload_links, fileName="a.log", fileSizeBytes=10,
                 uploadRange={"startIndex": 2}) == "ValidationException"
    assert error(support.get_attachment_upload_links, fileName="a.log", fileSizeBytes=10,
                 dryRun=True) == "DryRunOperationException"
    assert error(support.describe_attachment_upload_status, uploadId="upload-nope") == "UploadIdNotFound"
    assert error(support.get_attachment_download_link, attachmentId="attachment-nope") == "AttachmentIdNotFound"

    binary = b"\x00\x01\x02 not an image"
    started = support.get_attachment_upload_links(fileName="blob.bin", fileSizeBytes=len(binary))
    [link] = started["uploadUrls"]
    assert requests.put(link["url"], data=b"short", timeout=30).status_code == 400  # not the part's size
    tampered = link["url"].replace(started["uploadId"], started["uploadId"][:-1] + "x")  # IDs are hex: another upload
    assert requests.put(tampered, data=binary, timeout=30).status_code == 403
    completed = put_parts([link], binary, started["partSizeBytes"])
    assert error(support.complete_attachment_upload, uploadId=started["uploadId"],
                 completedUploads=[{"partIndex": 1, "eTag": '"0123"'}]) == "ValidationException"
    # Only images, text and PDFs may be attached: the upload fails as AddAttachmentsToSet would refuse the file.
    assert support.complete_attachment_upload(uploadId=started["uploadId"], completedUploads=completed)[
        "uploadStatus"] == "failed"

    later = timezone.now() + timedelta(hours=1, minutes=1)
    expiring = support.get_attachment_upload_links(fileName="late.txt", fileSizeBytes=4)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert requests.put(expiring["uploadUrls"][0]["url"], data=b"late", timeout=30).status_code == 403

    reader = user_api("support", account, allow("support:DescribeAttachmentUploadStatus"))
    assert error(reader.get_attachment_upload_links, fileName="a.txt", fileSizeBytes=4) == "AccessDeniedException"
