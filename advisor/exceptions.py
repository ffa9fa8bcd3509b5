"""Trusted Advisor failures, each with the AWS error code the Support API answers with."""

from iam.exceptions import AccessDenied


class AdvisorError(Exception):
    code = "InvalidParameterValue"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidParameterValue(AdvisorError):
    code = "InvalidParameterValue"


class SubscriptionRequired(AdvisorError):
    code = "SubscriptionRequiredException"


class ServiceLinkedRoleMissing(AdvisorError):
    code = "NoSuchEntity"
    status = 404


class TrustedAdvisorDisabled(AccessDenied):
    """ "API calls to Trusted Advisor will return an Access Denied error" while it is disabled."""

    def __init__(self, account_id: str, action: str):
        super().__init__(
            f"Trusted Advisor is disabled for account {account_id}. Enable it from the Trusted Advisor "
            "console's Preferences page before calling this operation.",
            action=action,
            resource="*",
        )
