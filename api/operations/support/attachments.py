from cases import selectors, services

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
