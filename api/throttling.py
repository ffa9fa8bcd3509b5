"""API rate limits: a bucket of calls per account, service and operation family, as AWS throttles.

Each bucket holds `calls` per window of `seconds` (settings.API_RATE_LIMITS_PER_FAMILY): reads
(Describe*, Get*, List*) and writes (everything else) have their own, and the Support API's
DescribeAttachment its own smaller one, answered with the error its reference names
(DescribeAttachmentLimitExceeded). Other refusals use the throttling error the service model names
(Account: TooManyRequestsException, HTTP 429), else AWS's generic ones with HTTP 400, which boto3's
retry logic recognises: ThrottlingException in the JSON protocols, Throttling in Query.
The counters are portal.limits counters in the Django cache (one round trip per call; shared by
every web machine through Redis). API_RATE_LIMITS=off in the environment turns them off.
"""

import logging

from django.conf import settings
from redis.exceptions import RedisError

from portal.limits import Limit, LimitReached, take

from .errors import ApiError

logger = logging.getLogger(__name__)

READ_PREFIXES = ("Describe", "Get", "List")
# Operations with a limit (and an error) of their own, from their service's API reference.
OWN_LIMIT_ERRORS = {
    "support:DescribeAttachment": (
        "DescribeAttachmentLimitExceeded",
        "The limit for the number of DescribeAttachment requests in a short period of time has been exceeded.",
    ),
}


def family(service_name: str, operation_name: str) -> str:
    own = f"{service_name}:{operation_name}"
    if own in OWN_LIMIT_ERRORS:
        return own
    return "read" if operation_name.startswith(READ_PREFIXES) else "write"


def _throttling_error(service) -> ApiError:
    if "TooManyRequestsException" in service.model.shape_names:
        return ApiError("TooManyRequestsException", "Rate exceeded", status=429)
    return ApiError("Throttling" if service.protocol == "query" else "ThrottlingException", "Rate exceeded", status=400)


def throttle(account_id: str, service, operation_name: str) -> None:
    """Take one call from the account's bucket for this operation; ApiError when it is empty."""
    if not settings.API_RATE_LIMITS:
        return
    bucket = family(service.name, operation_name)
    calls, seconds = settings.API_RATE_LIMITS_PER_FAMILY[bucket]
    try:
        take(Limit(f"api:{bucket}", calls, seconds), f"{account_id}:{service.name}")
    except RedisError:
        # The shared cache is unreachable: serve the call unthrottled rather than fail every API call
        # (sign-in lockouts and one-time-code limits stay strict; they do not pass through here).
        logger.warning("API rate limit not counted: the cache is unreachable", exc_info=True)
    except LimitReached:
        if bucket in OWN_LIMIT_ERRORS:
            raise ApiError(*OWN_LIMIT_ERRORS[bucket], status=400) from None
        raise _throttling_error(service) from None
