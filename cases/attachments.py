"""What an attachment really is, judged by its bytes rather than its name."""

from .exceptions import UnsupportedAttachmentType

MAX_ATTACHMENTS_PER_SET = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # "each less than 5 MB"

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def sniff_content_type(data: bytes) -> str | None:
    """image/png|jpeg|gif|webp, application/pdf or text/plain; None for anything else."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def content_type_of(file_name: str, data: bytes) -> str:
    content_type = sniff_content_type(data)
    if content_type is None:
        raise UnsupportedAttachmentType(
            f"{file_name} is not an image, a text file or a PDF. Only those can be attached.", field="attachments"
        )
    return content_type
