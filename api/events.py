"""API calls into the event history, with the request and response as CloudTrail shows them."""

import json
from datetime import datetime

from botocore.model import Shape

from events.services import HIDDEN, is_read_only, record_event

# CloudTrail leaves out response elements too large to be useful in a list of events.
MAX_RESPONSE_CHARACTERS = 10_000


def _plain(shape: Shape | None, value):
    """A JSON value for the history: secrets hidden, binary data (attachments) left out."""
    if shape is not None and shape.metadata.get("sensitive"):
        return HIDDEN
    if isinstance(value, dict):
        members = getattr(shape, "members", {}) if shape is not None and shape.type_name == "structure" else {}
        plain = {}
        for name, item in value.items():
            member = members.get(name) if members else getattr(shape, "value", None)
            if isinstance(item, (bytes, bytearray)) or (member is not None and member.type_name == "blob"):
                continue
            plain[_lower_first(name)] = _plain(member, item)
        return plain
    if isinstance(value, list):
        return [_plain(getattr(shape, "member", None), item) for item in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _response_elements(outcome) -> dict | None:
    if outcome.error is not None or not outcome.output or is_read_only(outcome.operation.name):
        return None
    elements = _plain(outcome.operation.output_shape, outcome.output)
    if len(json.dumps(elements)) > MAX_RESPONSE_CHARACTERS:
        return {"trimmed": True}
    return elements


def record_api_call(outcome) -> None:
    operation = outcome.operation
    record_event(
        outcome.principal,
        event_source=outcome.service.event_source,
        event_name=operation.name,
        aws_region=outcome.region,
        access_key_id=outcome.access_key_id,
        request_parameters=_plain(operation.input_shape, outcome.params) or None,
        response_elements=_response_elements(outcome),
        request_id=outcome.request_id,
        error_code=outcome.error.code if outcome.error else "",
        error_message=outcome.error.message if outcome.error else "",
        identity=outcome.identity,
        # In a write's transaction the event is as durable as the write. A read's is written alone, after the answer,
        # and need not wait for the disk (CloudTrail itself promises no time for an event to appear).
        defer=True,
        durable=False,
    )
