"""Support Center failures, each with the AWS Support API error code and a message fit to show a person."""


class SupportError(Exception):
    code = "InternalServerError"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseValidationError(SupportError):
    """Input the Support Center refuses; `field` names the form field (API parameter) at fault."""

    code = "ValidationException"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class _AboutOneIdentifier(SupportError):
    """An error about one named case, attachment set or attachment; `template` words the message."""

    template = "{}"

    def __init__(self, identifier: str):
        super().__init__(self.template.format(identifier))
        self.identifier = identifier


class CaseIdNotFound(_AboutOneIdentifier):
    code = "CaseIdNotFound"
    template = "Invalid case ID: {}"


class IllegalTransition(SupportError):
    """A status change the transition table does not allow (also: replying to a resolved case)."""

    code = "ValidationException"


class CaseCreationLimitExceeded(SupportError):
    code = "CaseCreationLimitExceeded"


class AttachmentSetIdNotFound(_AboutOneIdentifier):
    code = "AttachmentSetIdNotFound"
    template = "Attachment set {} could not be found."


class AttachmentSetExpired(_AboutOneIdentifier):
    code = "AttachmentSetExpired"
    template = "Attachment set {} has expired: a set can be used for 1 hour after it is created."


class AttachmentLimitExceeded(SupportError):
    """Too many attachment sets created in a short time."""

    code = "AttachmentLimitExceeded"


class AttachmentSetSizeLimitExceeded(SupportError):
    """More than three attachments in a set, or an attachment of 5 MB or more."""

    code = "AttachmentSetSizeLimitExceeded"


class AttachmentIdNotFound(_AboutOneIdentifier):
    code = "AttachmentIdNotFound"
    template = "Attachment {} could not be found."


class UnsupportedAttachmentType(CaseValidationError):
    """The content (not the name) is not an image, plain text or a PDF."""


class UploadIdNotFound(_AboutOneIdentifier):
    code = "UploadIdNotFound"
    template = "Upload {} could not be found."


class DryRunOperation(SupportError):
    """dryRun: the request was checked (permissions and input) and nothing was done."""

    code = "DryRunOperationException"

    def __init__(self):
        super().__init__("The request was valid, but the operation wasn't performed because dryRun was set to true.")
