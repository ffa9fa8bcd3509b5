"""The AWS Support API (JSON 1.1). cases.services and cases.selectors make the IAM check and the rules."""

from accounts.models import SupportPlan

from ...errors import ApiError
from ...service_models import SUPPORT
from .. import Call, Operations

# "Customers with a Business or Enterprise support plan can also access AWS Support and Trusted
# Advisor operations programmatically by using the AWS Support API." (support-getting-started.md)
PLANS_WITH_API = frozenset({SupportPlan.BUSINESS, SupportPlan.ENTERPRISE})


def require_api_plan(call: Call) -> None:
    if call.principal.account.support_plan not in PLANS_WITH_API:
        raise ApiError("SubscriptionRequiredException", "AWS Premium Support Subscription is required to use this service.")


operations = Operations(SUPPORT, precondition=require_api_plan)

from . import attachments, cases, catalog, trusted_advisor  # noqa: E402,F401  (they register their handlers)
