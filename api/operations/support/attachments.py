from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from cases import selectors, services, uploads
from cases.exceptions import DryRunOperation

from . import operations
from .wire import support_time


@operations("AddAttachmentsToSet")
def add_attachments_to_set(call):
    files = [(attachment.get("fileName", ""), attachment.get("data", b"")) for attachment in call.params["attachments"]]
    attachment_set = services.add_attachments_to_set(
        call.principal, files, attachment_set_id=call.params.get("attachmentSetId")
    )
    return {"attachmentSetId": attachment_set.attachment_set_id, "expiryTime": support_time(attachment_set.expiry_time)}


@operations("DescribeAttachment")
def describe_attachment(call):
    attachment = selectors.describe_attachment(call.principal, call.params["attachmentId"])
    return {"attachment": {"fileName": attachment.file_name, "data": attachment.read_bytes()}}


def _dry_run(call) -> None:
    """dryRun: permissions and input were checked by the time this runs; nothing more is done."""
    if call.params.get("dryRun"):
        raise DryRunOperation()


def _signed_link(call, route: str, args: tuple, target: str, expires_at) -> dict:
    expires = int(expires_at.timestamp())
    query = urlencode({"Expires": expires, "Signature": uploads.link_signature(target, expires)})
    return {"url": f"{call.base_url.rstrip('/')}{reverse(route, args=args)}?{query}", "expiryDate": support_time(expires_at)}


@operations("GetAttachmentUploadLinks")
def get_attachment_upload_links(call):
    params, upload_range = call.params, call.params.get("uploadRange") or {}
    upload, indexes, next_index = uploads.upload_links(
        call.principal, file_name=params["fileName"], size=params.get("fileSizeBytes"), upload_id=params.get("uploadId"),
        start_index=upload_range.get("startIndex", 1), end_index=upload_range.get("endIndex"),
        dry_run=bool(params.get("dryRun")),
    )
    _dry_run(call)
    links = [
        {"partIndex": index, **_signed_link(call, "api:support-upload-part", (upload.upload_id, index),
                                            uploads.part_target(upload.upload_id, index), upload.expiry_time)}
        for index in indexes
    ]
    return {"uploadId": upload.upload_id, "partSizeBytes": upload.part_size, "totalParts": upload.total_parts,
            "nextIndex": next_index, "uploadUrls": links}


@operations("CompleteAttachmentUpload")
def complete_attachment_upload(call):
    completed = [(part["partIndex"], part["eTag"]) for part in call.params["completedUploads"]]
    upload = uploads.complete_upload(call.principal, call.params["uploadId"], completed,
                                     dry_run=bool(call.params.get("dryRun")))
    _dry_run(call)
    return {"uploadStatus": upload.status}


@operations("DescribeAttachmentUploadStatus")
def describe_attachment_upload_status(call):
    upload = uploads.describe_upload(call.principal, call.params["uploadId"])
    _dry_run(call)
    return {"uploadStatus": upload.status, "fileName": upload.file_name,
            "uploadProgress": {"totalParts": upload.total_parts, "completedPartsCount": len(upload.completed_parts)}}


@operations("GetAttachmentDownloadLink")
def get_attachment_download_link(call):
    attachment = uploads.attachment_to_download(call.principal, call.params["attachmentId"])
    _dry_run(call)
    expires_at = timezone.now() + uploads.DOWNLOAD_LINK_LIFETIME
    link = _signed_link(call, "api:support-download", (attachment.attachment_id,),
                        uploads.download_target(attachment.attachment_id), expires_at)
    return {"fileName": attachment.file_name, "downloadUrl": link}
