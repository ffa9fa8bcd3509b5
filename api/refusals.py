"""Operations that cannot mean anything for a sandbox account, answered as AWS answers an account in that situation.

Every sandbox account is a standalone AWS account: it belongs to no AWS Organizations organization, has no linked
GovCloud account, is not an onboarded delegation partner and has no role templates. AWS still serves these
operations to such an account; it refuses them with the errors below. Nothing else decides a refusal: an operation
is either served by a handler in api/operations/<service>/ or listed here (tests/api/test_coverage.py holds both
sides to the service models).

The error code and HTTP status come from the error shape the model declares for the operation, never from here.
"""

from dataclasses import dataclass

from botocore.model import OperationModel

from .errors import ApiError

# Errors every operation may return without declaring them (the common errors of each API reference).
COMMON_ERRORS = {"AccessDenied": ("AccessDenied", 403), "AccessDeniedException": ("AccessDeniedException", 403)}


@dataclass(frozen=True)
class Refusal:
    error_shape: str  # the name of an error shape of the operation (or a common error)
    message: str  # str.format()ed with the request's members
    why: str  # the account's situation that makes AWS answer so

    def error(self, operation: OperationModel, params: dict) -> ApiError:
        code, status = wire_error(operation, self.error_shape)
        return ApiError(code, self.message.format_map(_Members(params)), status=status)


class _Members(dict):
    def __missing__(self, key):
        return ""


def wire_error(operation: OperationModel, shape_name: str) -> tuple[str, int]:
    """(code, HTTP status) of one of the operation's error shapes, as its model declares them."""
    if shape_name in COMMON_ERRORS:
        return COMMON_ERRORS[shape_name]
    for shape in operation.error_shapes:
        if shape.name == shape_name:
            declared = shape.metadata.get("error", {})
            return declared.get("code", shape.name), declared.get("httpStatusCode", 400)
    raise LookupError(f"{operation.name} declares no error {shape_name}")


NO_ORGANIZATION = Refusal(
    "OrganizationNotFoundException",
    "The request was rejected because no organization is associated with your account.",
    "Centralized root access needs an AWS Organizations organization; a sandbox account is standalone.",
)
NOT_MANAGEMENT_ACCOUNT = Refusal(
    "AccessDenied",
    "Organizations access reports can only be generated from the management account of an organization; "
    "account is not a member of an organization.",
    "Organizations service last accessed data needs the organization's management account.",
)
NO_DELEGATION_REQUEST = Refusal(
    "NoSuchEntityException",
    "Delegation request {DelegationRequestId} does not exist.",
    "Delegation requests are created by onboarded AWS partners; none exists for a sandbox account.",
)
OUTBOUND_FEDERATION_DISABLED = Refusal(
    "FeatureDisabledException", "Outbound web identity federation is disabled for this account.",
    "Outbound identity federation is off in every account until enabled.",
)

REFUSALS: dict[str, dict[str, Refusal]] = {
    "iam": {
        "EnableOrganizationsRootCredentialsManagement": NO_ORGANIZATION,
        "DisableOrganizationsRootCredentialsManagement": NO_ORGANIZATION,
        "EnableOrganizationsRootSessions": NO_ORGANIZATION,
        "DisableOrganizationsRootSessions": NO_ORGANIZATION,
        "ListOrganizationsFeatures": NO_ORGANIZATION,
        "GenerateOrganizationsAccessReport": NOT_MANAGEMENT_ACCOUNT,
        "GetOrganizationsAccessReport": Refusal(
            "NoSuchEntityException", "Job with id {JobId} does not exist.",
            "No Organizations access report can be generated outside an organization, so no job exists.",
        ),
        "CreateDelegationRequest": Refusal(
            "AccessDenied",
            "CreateDelegationRequest is not available for general use: the caller's account is not onboarded as a "
            "delegation partner.",
            "Only onboarded AWS partners create delegation requests.",
        ),
        "AcceptDelegationRequest": NO_DELEGATION_REQUEST,
        "AssociateDelegationRequest": NO_DELEGATION_REQUEST,
        "GetDelegationRequest": NO_DELEGATION_REQUEST,
        "RejectDelegationRequest": NO_DELEGATION_REQUEST,
        "UpdateDelegationRequest": NO_DELEGATION_REQUEST,
        "SendDelegationToken": NO_DELEGATION_REQUEST,
        "GetHumanReadableSummary": Refusal(
            "NoSuchEntityException", "Entity {EntityArn} does not exist.",
            "The only entity type summarised is a delegation request, and none exists for a sandbox account.",
        ),
        # Outbound identity federation is off in every account until enabled (EnableOutboundWebIdentityFederation).
        "EnableOutboundWebIdentityFederation": Refusal(
            "AccessDenied",
            "Outbound web identity federation cannot be enabled for this account: its issuer URL would have to be "
            "reachable by the external services that verify its tokens.",
            "The sandbox cannot publish a token issuer (OpenID configuration and signing keys) at an address outside "
            "services could reach, so it cannot issue tokens they would accept; the feature stays disabled, as the "
            "other outbound federation operations answer.",
        ),
        "GetOutboundWebIdentityFederationInfo": OUTBOUND_FEDERATION_DISABLED,
        "DisableOutboundWebIdentityFederation": OUTBOUND_FEDERATION_DISABLED,
        "AcquireRole": Refusal(
            "NoSuchEntityException", "Role template {TemplateArn} does not exist.",
            "Role templates are published by AWS for Role Manager; none is shared with a sandbox account.",
        ),
        "GetRoleTemplateVersion": Refusal(
            "NoSuchEntityException", "Role template {TemplateArn} does not exist.",
            "Role templates are published by AWS for Role Manager; none is shared with a sandbox account.",
        ),
    },
    "sts": {
        "AssumeRoot": Refusal(
            "AccessDenied",
            "AssumeRoot can only be called from the management account or the delegated administrator for IAM of an "
            "organization with centralized root access enabled.",
            "A standalone account has no member accounts whose root user could be assumed.",
        ),
        "GetWebIdentityToken": Refusal(
            "OutboundWebIdentityFederationDisabledException",
            "The outbound web identity federation feature is not enabled for this account.",
            "Outbound identity federation is off in every account until enabled.",
        ),
        "DecodeAuthorizationMessage": Refusal(
            "InvalidAuthorizationMessageException",
            "The error message is not a valid encoded authorization message.",
            "The sandbox's services say why a request was denied in plain words; they never hand out encoded "
            "authorization messages, so no message can be one STS issued.",
        ),
        "GetDelegatedAccessToken": Refusal(
            "ExpiredTradeInTokenException",
            "The trade-in token provided in the request has expired and can no longer be exchanged for credentials.",
            "Trade-in tokens come from finalized delegation requests, and a sandbox account has none.",
        ),
    },
    "account": {
        "GetGovCloudAccountInformation": Refusal(
            "ResourceNotFoundException", "No AWS GovCloud (US) account is linked to this account.",
            "A sandbox account has never signed up for AWS GovCloud (US).",
        ),
    },
    "support": {},
}


def refusal_for(service_name: str, operation_name: str) -> Refusal | None:
    return REFUSALS.get(service_name, {}).get(operation_name)
