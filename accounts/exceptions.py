"""Typed failures of Account Settings, carrying the Account Management API's error codes.

Every one is an `AccountError` with `.code`, `.status` and `.message`; access
denials are also `iam.exceptions.AccessDenied`, so the console shows its 403 page.
"""

from dataclasses import dataclass

from iam.exceptions import AccessDenied, IAMError


class AccountError(IAMError):
    code = "InternalServerException"
    status = 500


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input: `name` as the API spells it, `field` as the service's keyword argument."""

    name: str
    message: str
    field: str


class ValidationException(AccountError):
    code = "ValidationException"
    status = 400

    def __init__(self, message: str, field_list: list[FieldProblem] | None = None, reason: str = "fieldValidationFailed"):
        super().__init__(message)
        self.field_list = field_list or []
        self.reason = reason


class ResourceNotFoundException(AccountError):
    code = "ResourceNotFoundException"
    status = 404


class ConflictException(AccountError):
    code = "ConflictException"
    status = 409


class AccessDeniedException(AccessDenied, AccountError):
    code = "AccessDeniedException"
    status = 403


class TooManyAttempts(AccountError):
    """A one-time-code limit was reached; the message says when to try again."""

    code = "TooManyRequestsException"
    status = 429

