class IAMError(Exception):
    """An IAM failure with an AWS error code and a message fit to show a person."""

    code = "ValidationError"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        # The form field the message belongs beside, when one input caused it.
        self.field = field


class ValidationError(IAMError):
    """A parameter that breaks a rule (name pattern, range, password policy)."""


class MalformedPolicyDocument(IAMError):
    code = "MalformedPolicyDocument"


class AccessDenied(IAMError):
    code = "AccessDenied"
    status = 403

    def __init__(self, message: str, *, action: str, resource: str):
        super().__init__(message)
        self.action = action
        self.resource = resource


class EntityAlreadyExists(IAMError):
    code = "EntityAlreadyExists"
    status = 409


class NoSuchEntity(IAMError):
    code = "NoSuchEntity"
    status = 404


class LimitExceeded(IAMError):
    code = "LimitExceeded"
    status = 409


class DeleteConflict(IAMError):
    code = "DeleteConflict"
    status = 409


class UnmodifiableEntity(IAMError):
    code = "UnmodifiableEntity"
    status = 400


class InvalidInput(IAMError):
    code = "InvalidInput"


class PolicyNotAttachable(IAMError):
    code = "PolicyNotAttachable"


class InvalidAuthenticationCode(IAMError):
    code = "InvalidAuthenticationCode"
    status = 403


class PasswordPolicyViolation(IAMError):
    code = "PasswordPolicyViolation"


class InvalidPublicKey(IAMError):
    code = "InvalidPublicKey"


class DuplicateSSHPublicKey(IAMError):
    code = "DuplicateSSHPublicKey"


class UnrecognizedPublicKeyEncoding(IAMError):
    code = "UnrecognizedPublicKeyEncoding"


class MalformedCertificate(IAMError):
    code = "MalformedCertificate"


class DuplicateCertificate(IAMError):
    code = "DuplicateCertificate"
    status = 409


class KeyPairMismatch(IAMError):
    code = "KeyPairMismatch"


class ServiceNotSupported(IAMError):
    code = "NotSupportedService"
    status = 404


class SignInRefused(Exception):
    """A console sign-in that did not succeed; the message never says which part was wrong.

    `account` is the account whose sign-in was tried, when one was found, and `user_name` the IAM
    user name typed (the account's event history records the failure); neither is ever shown."""

    def __init__(self, message: str = "", *, account=None, user_name: str = "", user=None):
        super().__init__(message)
        self.account, self.user_name, self.user = account, user_name, user
