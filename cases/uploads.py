"""Attachments sent in parts to presigned links: GetAttachmentUploadLinks, CompleteAttachmentUpload,
DescribeAttachmentUploadStatus, and GetAttachmentDownloadLink's link to a sent attachment.

A link is the portal's own URL signed with the installation's secret (no S3 here): the part goes into the
attachments storage, and the completed file becomes an attachment set of its own through the same
rules as AddAttachmentsToSet (size, content type, count, the hour the set lives), so CreateCase and
AddCommunicationToCase accept it by uploadId.
"""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import Account
from iam.authorization import authorize
from iam.principals import Principal
from portal.hygiene import disallowed_character

from . import services
from .attachments import MAX_ATTACHMENT_BYTES
from .exceptions import (
    AttachmentIdNotFound,
    AttachmentSetSizeLimitExceeded,
    CaseValidationError,
    SupportError,
    UploadIdNotFound,
)
from .models import Attachment, AttachmentUpload, UploadStatus
from .selectors import history_cutoff
from .storage import attachment_storage, delete_after_commit

# The portal's parts are 1 MiB (AWS allows up to 100 MB): a file under the 5 MB attachment limit comes in up to 5.
PART_SIZE = 1024 * 1024
MAX_LINKS_PER_CALL = 10
DOWNLOAD_LINK_LIFETIME = timedelta(minutes=15)
_SIGNER = signing.Signer(salt="cases.uploads.link")


# ---- signed links ----------------------------------------------------------------------------------


def link_signature(target: str, expires: int) -> str:
    return _SIGNER.signature(f"{target}:{expires}")


def link_is_valid(target: str, expires: str, signature: str, now: datetime | None = None) -> bool:
    """The signature matches and the link has not expired (`expires`: epoch seconds, as signed)."""
    if not expires.isdigit() or int(expires) < int((now or timezone.now()).timestamp()):
        return False
    return constant_time_compare(link_signature(target, int(expires)), signature)


def part_target(upload_id: str, index: int) -> str:
    return f"upload/{upload_id}/{index}"


def download_target(attachment_id: str) -> str:
    return f"download/{attachment_id}"


# ---- uploads ---------------------------------------------------------------------------------------


def _check_file(file_name: str, size: int | None) -> None:
    if not file_name or not file_name.strip():
        raise CaseValidationError("Give the file a name (fileName).", field="fileName")
    if character := disallowed_character(file_name):
        raise CaseValidationError(f"File names can't contain the control character {character}.", field="fileName")
    if size is None:
        raise CaseValidationError("Give the file's size (fileSizeBytes) to start an upload.", field="fileSizeBytes")
    if size >= MAX_ATTACHMENT_BYTES:
        raise AttachmentSetSizeLimitExceeded(f"{file_name} is too large: each attachment must be less than 5 MB.")


def upload_for(account: Account, upload_id: str, *, lock: bool = False) -> AttachmentUpload:
    queryset = AttachmentUpload.objects.select_for_update() if lock else AttachmentUpload.objects
    upload = queryset.filter(account=account, upload_id=upload_id).first()
    if upload is None:
        raise UploadIdNotFound(upload_id)
    return upload


def upload_links(
    principal: Principal,
    *,
    file_name: str,
    size: int | None = None,
    upload_id: str | None = None,
    start_index: int = 1,
    end_index: int | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> tuple[AttachmentUpload, list[int], int | None]:
    """Start an upload (no upload_id) or return more links for one; (upload, part indexes, next index or None)."""
    authorize(principal, "support:GetAttachmentUploadLinks")
    now = now or timezone.now()
    if upload_id:
        upload = upload_for(principal.account, upload_id)
        if upload.status != UploadStatus.NOT_READY or upload.expiry_time <= now:
            raise UploadIdNotFound(upload_id)
    else:
        _check_file(file_name, size)
        upload = AttachmentUpload(account=principal.account, file_name=file_name[:255], size=size, part_size=PART_SIZE,
                                  created_at=now, expiry_time=now + services.ATTACHMENT_SET_LIFETIME)
    total = upload.total_parts
    end_index = min(end_index or start_index + MAX_LINKS_PER_CALL, total + 1)
    if not 1 <= start_index <= total:
        raise CaseValidationError(f"uploadRange.startIndex must be between 1 and {total}.", field="uploadRange")
    if not start_index < end_index <= start_index + MAX_LINKS_PER_CALL:
        raise CaseValidationError(
            f"uploadRange.endIndex must be above startIndex and at most {MAX_LINKS_PER_CALL} parts past it.",
            field="uploadRange")
    if dry_run:
        return upload, [], None
    if upload.pk is None:
        upload.upload_id = f"upload-{secrets.token_hex(20)}"
        upload.save()
    return upload, list(range(start_index, end_index)), end_index if end_index <= total else None


def store_part(upload_id: str, index: int, data: bytes, *, now: datetime | None = None) -> str:
    """A PUT to a signed part link (the signature is the permission); returns the part's ETag (MD5, hex)."""
    now = now or timezone.now()
    upload = AttachmentUpload.objects.filter(upload_id=upload_id).select_related("account").first()
    if upload is None or upload.status != UploadStatus.NOT_READY or upload.expiry_time <= now:
        raise UploadIdNotFound(upload_id)
    if not 1 <= index <= upload.total_parts:
        raise CaseValidationError(f"Upload {upload_id} has no part {index}.")
    if len(data) != upload.expected_part_size(index):
        raise CaseValidationError(f"Part {index} must be {upload.expected_part_size(index)} bytes; got {len(data)}.")
    etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
    name = attachment_storage().save(f"{upload.account.account_id}/uploads/{upload_id}/{index}", ContentFile(data))
    with transaction.atomic():
        upload = upload_for(upload.account, upload_id, lock=True)
        replaced = upload.parts.get(str(index))
        upload.parts[str(index)] = {"name": name, "etag": etag}
        upload.save(update_fields=["parts"])
        if replaced:
            delete_after_commit(replaced["name"])
    return etag


@transaction.atomic
def complete_upload(
    principal: Principal, upload_id: str, completed: Sequence[tuple[int, str]], *, dry_run: bool = False,
    now: datetime | None = None,
) -> AttachmentUpload:
    """Record parts as done (their ETags must match what was received); the last one assembles the file."""
    authorize(principal, "support:CompleteAttachmentUpload")
    now = now or timezone.now()
    upload = upload_for(principal.account, upload_id, lock=True)
    if upload.status != UploadStatus.NOT_READY:
        return upload
    if upload.expiry_time <= now:
        raise UploadIdNotFound(upload_id)
    if not completed:
        raise CaseValidationError("Name at least one uploaded part (completedUploads).", field="completedUploads")
    for index, etag in completed:
        received = upload.parts.get(str(index))
        if received is None or received["etag"] != etag.strip('"').lower():
            raise CaseValidationError(f"Part {index} of {upload_id} was not uploaded, or its ETag does not match.",
                                      field="completedUploads")
    if dry_run:
        return upload
    upload.completed_parts = sorted({*upload.completed_parts, *(index for index, _ in completed)})
    if len(upload.completed_parts) == upload.total_parts:
        _assemble(upload, now)
    upload.save()
    return upload


def _assemble(upload: AttachmentUpload, now: datetime) -> None:
    storage = attachment_storage()
    chunks = []
    for index in range(1, upload.total_parts + 1):
        with storage.open(upload.parts[str(index)]["name"], "rb") as part:
            chunks.append(part.read())
    try:
        with transaction.atomic():
            upload.attachment_set = services.store_attachments(upload.account, [(upload.file_name, b"".join(chunks))],
                                                               now=now)
    except SupportError as refused:
        upload.status, upload.failure = UploadStatus.FAILED, refused.message[:300]
    else:
        upload.status = UploadStatus.READY
    for part in upload.parts.values():
        delete_after_commit(part["name"])
    upload.parts = {}


def describe_upload(principal: Principal, upload_id: str) -> AttachmentUpload:
    authorize(principal, "support:DescribeAttachmentUploadStatus")
    return upload_for(principal.account, upload_id)


# ---- downloads -------------------------------------------------------------------------------------


def attachment_to_download(principal: Principal, attachment_id: str) -> Attachment:
    """GetAttachmentDownloadLink: an attachment sent with a communication of one of the caller's visible cases."""
    authorize(principal, "support:GetAttachmentDownloadLink")
    attachment = Attachment.objects.filter(
        attachment_id=attachment_id,
        attachment_set__account=principal.account,
        attachment_set__communication__case__time_created__gte=history_cutoff(),
    ).first()
    if attachment is None:
        raise AttachmentIdNotFound(attachment_id)
    return attachment


def attachment_by_link(attachment_id: str) -> Attachment | None:
    """The file a valid signed download link names, if it was not deleted since."""
    return Attachment.objects.filter(attachment_id=attachment_id, attachment_set__communication__isnull=False).first()
