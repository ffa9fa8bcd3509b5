"""Failures the wire API reports, each with an AWS error code, an HTTP status and a message."""


class ApiError(Exception):
    def __init__(self, code: str, message: str, *, status: int = 400, sender: bool = True, **fields):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender
        # Extra members some error shapes carry (Account's ValidationException has reason and fieldList).
        self.fields = fields


class AuthenticationFailure(Exception):
    """A request whose signature could not be accepted. `kind` picks the protocol's error code."""

    MISSING = "missing"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    INCOMPLETE = "incomplete"
    EXPIRED = "expired"  # a session token past its expiration

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def validation_message(problems: list[str]) -> str:
    """AWS's wording: '2 validation errors detected: <problem>; <problem>'."""
    count = len(problems)
    noun = "validation error" if count == 1 else "validation errors"
    return f"{count} {noun} detected: " + "; ".join(problems)
