"""The presigned links the Support API hands out (GetAttachmentUploadLinks, GetAttachmentDownloadLink).

The link's signature and expiry are the permission, as with S3's presigned URLs: the IAM check was made when
the link was issued. Answers are plain, like S3's: 200 with the part's ETag, 403 for a bad or expired link.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cases.exceptions import SupportError
from cases.uploads import PART_SIZE, attachment_by_link, download_target, link_is_valid, part_target, store_part
from cases.views import attachment_download


def _refused(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _signed(request, target: str) -> bool:
    return link_is_valid(target, request.GET.get("Expires", ""), request.GET.get("Signature", ""))


@csrf_exempt
@require_http_methods(["PUT"])
def upload_part(request, upload_id: str, index: int):
    if not _signed(request, part_target(upload_id, index)):
        return _refused(403, "This upload link is not valid or has expired.")
    data = request.read(PART_SIZE + 1)
    try:
        etag = store_part(upload_id, index, data)
    except SupportError as refused:
        return _refused(404 if refused.code == "UploadIdNotFound" else 400, refused.message)
    response = HttpResponse(status=200)
    response["ETag"] = f'"{etag}"'
    return response


@require_GET
def download(request, attachment_id: str):
    attachment = attachment_by_link(attachment_id) if _signed(request, download_target(attachment_id)) else None
    if attachment is None:
        return _refused(403, "This download link is not valid or has expired.")
    return attachment_download(attachment)
