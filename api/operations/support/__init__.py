"""The AWS Support API (JSON 1.1). cases.services and cases.selectors make the IAM check and the rules."""

from cases.plans import has_support_api

from ...errors import ApiError
from ...service_models import SUPPORT
from .. import Call, Operations


def require_api_plan(call: Call) -> None:
    if not has_support_api(call.principal.account):
        raise ApiError("SubscriptionRequiredException", "AWS Premium Support Subscription is required to use this service.")


operations = Operations(SUPPORT, precondition=require_api_plan)

from . import attachments, cases, catalog, trusted_advisor  # noqa: E402,F401  (they register their handlers)
