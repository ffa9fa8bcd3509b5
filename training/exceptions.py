class TrainingError(Exception):
    """A training request that cannot be done, with an AWS-like code and a message fit to show a person."""

    code = "ValidationException"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        # The form field the message belongs beside, when there is one.
        self.field = field


class SignUpThrottled(TrainingError):
    code = "ThrottlingException"
    status = 429


class RootUserOnly(TrainingError):
    code = "AccessDeniedException"
    status = 403
