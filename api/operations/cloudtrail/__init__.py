"""CloudTrail's LookupEvents over the event history (events.selectors, as the console's Event history page)."""

import json
import uuid

from events.selectors import lookup_events

from ...errors import ApiError
from ...paging import page
from ...service_models import CLOUDTRAIL
from .. import Operations

operations = Operations(CLOUDTRAIL)

DEFAULT_MAX_RESULTS = 50
# LookupAttributes key -> events.selectors.lookup_events filter. The history records no resources, so a
# ResourceType or ResourceName lookup matches no event.
ATTRIBUTE_FILTERS = {
    "EventName": "event_name",
    "EventSource": "event_source",
    "Username": "user_name",
    "AccessKeyId": "access_key_id",
}


def _filters(attributes: list[dict]) -> dict | None:
    """The selector's filters for the lookup attributes; None when nothing can match."""
    if len(attributes) > 1:
        raise ApiError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.")
    if not attributes:
        return {}
    key, value = attributes[0]["AttributeKey"], attributes[0]["AttributeValue"]
    if key in ATTRIBUTE_FILTERS:
        return {ATTRIBUTE_FILTERS[key]: value}
    if key == "ReadOnly":
        if value.lower() not in ("true", "false"):
            raise ApiError("InvalidLookupAttributesException", "ReadOnly must be true or false.")
        return {"read_only": value.lower() == "true"}
    if key == "EventId":
        try:
            return {"event_id": uuid.UUID(value)}
        except ValueError:
            return None
    return None  # ResourceType, ResourceName


def _shape(event) -> dict:
    return {
        "EventId": str(event.event_id),
        "EventName": event.event_name,
        "ReadOnly": "true" if event.read_only else "false",
        "AccessKeyId": event.access_key_id or None,
        "EventTime": event.event_time,
        "EventSource": event.event_source,
        "Username": event.user_name or None,
        "Resources": [],
        "CloudTrailEvent": json.dumps(event.as_record()),
    }


@operations("LookupEvents")
def lookup(call):
    call.authorize()
    params = call.params
    start, end = params.get("StartTime"), params.get("EndTime")
    if start is not None and end is not None and start > end:
        raise ApiError("InvalidTimeRangeException", "Start time must be earlier than end time.")
    filters = _filters(params.get("LookupAttributes", []))
    if filters is None or params.get("EventCategory") == "insight":  # no Insights events are recorded
        return {"Events": []}
    events = lookup_events(call.principal.account, start=start, end=end, **filters).select_related("account")
    rows, token = page(
        events.order_by("-event_time", "-pk"), limit=params.get("MaxResults", DEFAULT_MAX_RESULTS),
        token=params.get("NextToken"), scope=f"cloudtrail:LookupEvents:{call.principal.account.pk}:{sorted(filters.items())}:{start}:{end}",
        error_code="InvalidNextTokenException",
    )
    return {"Events": [_shape(event) for event in rows], "NextToken": token}
