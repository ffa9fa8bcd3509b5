"""JSON 1.1 (X-Amz-Target picks the operation) and REST-JSON (the path picks it)."""

import json
import operator
from collections.abc import Callable
from functools import cached_property
from weakref import WeakKeyDictionary

import orjson
from botocore.model import OperationModel, Shape
from django.http import HttpResponse

from portal.hygiene import loads_json

from ..errors import ApiError, AuthenticationFailure
from ..validation import InputReader
from .base import Protocol


Writer = Callable[["_JsonFamily", object], object]
# Shapes live as long as their service model, which is loaded once per process.
_WRITERS: "WeakKeyDictionary[Shape, Writer | None]" = WeakKeyDictionary()


def _writer(shape: Shape) -> Writer | None:
    """How a shape's values are written, worked out once per shape. None means as they are (strings, numbers,
    booleans: nearly all of a large answer), so writing a page of 100 cases walks its structures and lists only."""
    if shape in _WRITERS:
        return _WRITERS[shape]
    if shape.type_name == "structure":
        write = _structure_writer(shape)
    elif shape.type_name == "list":
        write = _list_writer(_writer(shape.member))
    elif shape.type_name == "map":
        write = _map_writer(_writer(shape.value))
    elif shape.type_name in ("timestamp", "blob"):
        write = lambda protocol, value: protocol.scalar(shape, value)  # noqa: E731
    else:
        write = None
    _WRITERS[shape] = write
    return write


def _structure_writer(shape: Shape) -> Writer:
    members = known = nested = None

    def write(protocol, value):
        nonlocal members, known, nested
        if members is None:  # on first use: a shape may contain itself
            members = [
                (name, member.serialization.get("name", name), _writer(member))
                for name, member in shape.members.items()
                if "location" not in member.serialization
            ]
            # Where no member is renamed on the wire, an answer built of the shape's own members and no None (a
            # page of 100 cases: 600 structures) is taken as it is, written again only where a member needs it.
            renamed = any(name != wire_name for name, wire_name, _ in members)
            known = frozenset() if renamed else frozenset(name for name, _, _ in members)
            nested = [(name, write_member) for name, _, write_member in members if write_member is not None]
        if known and known.issuperset(value) and None not in value.values():
            written = value
            for name, write_member in nested:
                if name in value and (item := write_member(protocol, value[name])) is not value[name]:
                    if written is value:
                        written = dict(value)
                    written[name] = item
            return written
        written = {}
        for name, wire_name, write_member in members:
            item = value.get(name)
            if item is not None:
                written[wire_name] = item if write_member is None else write_member(protocol, item)
        return written

    return write


def _list_writer(write_item: Writer | None) -> Writer:
    if write_item is None:
        return lambda protocol, value: value if type(value) is list else list(value)

    def write(protocol, value):
        written = [None if item is None else write_item(protocol, item) for item in value]
        # The list as it came when each item did (no copy of a page of structures that are written as they are).
        return value if type(value) is list and all(map(operator.is_, written, value)) else written

    return write


def _map_writer(write_item: Writer | None) -> Writer:
    if write_item is None:
        return lambda protocol, value: dict(value.items())
    return lambda protocol, value: {
        key: None if item is None else write_item(protocol, item) for key, item in value.items()
    }


def _encoded(payload: dict) -> bytes:
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:  # a lone surrogate echoed from the request: not UTF-8, but json escapes it
        return json.dumps(payload).encode()


class _JsonFamily(Protocol):
    authentication_codes = {
        AuthenticationFailure.MISSING: ("MissingAuthenticationTokenException", 403),
        AuthenticationFailure.UNKNOWN_KEY: ("UnrecognizedClientException", 403),
        AuthenticationFailure.BAD_SIGNATURE: ("InvalidSignatureException", 403),
        AuthenticationFailure.INCOMPLETE: ("IncompleteSignatureException", 400),
        AuthenticationFailure.EXPIRED: ("ExpiredTokenException", 403),
    }
    access_denied = ("AccessDeniedException", 400)
    validation_code = "ValidationException"
    default_timestamp_format = "unixTimestamp"
    content_type = "application/json"

    def unknown_operation(self, name: str = "") -> ApiError:
        return ApiError("UnknownOperationException", f"Unknown operation {name}".strip())

    def read_params(self, operation: OperationModel, body: bytes, request) -> dict:
        if operation.input_shape is None:
            return {}
        try:
            raw = loads_json(body.decode("utf-8")) if body.strip() else {}
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            raise ApiError("SerializationException", "Could not parse the request body as JSON.") from None
        if not isinstance(raw, dict):
            raise ApiError("SerializationException", "Start of structure or map found where not expected.")
        return InputReader(error_code=self.validation_code).read(operation.input_shape, raw)

    def _json(self, shape: Shape, value):
        write = _writer(shape)
        return value if value is None or write is None else write(self, value)

    def _response(self, payload: dict, status: int, request_id: str, **headers) -> HttpResponse:
        response = HttpResponse(_encoded(payload), status=status, content_type=self.content_type)
        response["x-amzn-RequestId"] = request_id
        for name, value in headers.items():
            response[name] = value
        return response

    def success(self, operation: OperationModel, output: dict, request_id: str) -> HttpResponse:
        payload = self._json(operation.output_shape, output) if operation.output_shape is not None else {}
        return self._response(payload, 200, request_id)

    def failure(self, error: ApiError, request_id: str) -> HttpResponse:
        payload = {"__type": error.code, "message": error.message}
        payload.update({name: value for name, value in error.fields.items() if name in self.error_members(error.code)})
        return self._response(
            payload, self.error_status(error.code, error.status), request_id, **{"x-amzn-ErrorType": error.code}
        )


class JsonProtocol(_JsonFamily):
    content_type = "application/x-amz-json-1.1"

    def operation(self, request, body: bytes) -> OperationModel:
        # The prefix may itself hold dots (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101).
        prefix, _, name = request.META.get("HTTP_X_AMZ_TARGET", "").rpartition(".")
        operation = self.service.operation(name) if prefix == self.service.model.metadata["targetPrefix"] else None
        if operation is None:
            raise self.unknown_operation(name)
        return operation


class RestJsonProtocol(_JsonFamily):
    access_denied = ("AccessDeniedException", 403)

    @cached_property
    def _routes(self) -> dict[tuple[str, str], OperationModel]:
        model = self.service.model
        routes = {}
        for name in model.operation_names:
            operation = model.operation_model(name)
            routes[(operation.http["method"], operation.http["requestUri"])] = operation
        return routes

    def operation(self, request, body: bytes) -> OperationModel:
        route = "/" + request.resolver_match.kwargs.get("route", "")
        operation = self._routes.get((request.method, route))
        if operation is None:
            raise self.unknown_operation(f"{request.method} {route}")
        return operation
