"""What every protocol codec shares: operation lookup, AWS's generic errors, the output walker."""

import base64
from datetime import datetime, timezone as dt_timezone

from botocore.model import OperationModel, Shape

from ..errors import ApiError, AuthenticationFailure
from ..service_models import Service


class Protocol:
    # Error codes this protocol family uses for the failures every service shares.
    authentication_codes: dict[str, tuple[str, int]]
    access_denied: tuple[str, int]
    validation_code: str
    default_timestamp_format: str

    def __init__(self, service: Service):
        self.service = service

    def operation(self, request, body: bytes) -> OperationModel:
        raise NotImplementedError

    def read_params(self, operation: OperationModel, body: bytes, request) -> dict:
        raise NotImplementedError

    def success(self, operation: OperationModel, output: dict, request_id: str):
        raise NotImplementedError

    def failure(self, error: ApiError, request_id: str):
        raise NotImplementedError

    def authentication_error(self, failure: AuthenticationFailure) -> ApiError:
        code, status = self.authentication_codes[failure.kind]
        return ApiError(code, failure.message, status=status)

    def access_denied_error(self, message: str) -> ApiError:
        code, status = self.access_denied
        return ApiError(code, message, status=status)

    def unknown_operation(self, name: str) -> ApiError:
        raise NotImplementedError

    def internal_failure(self) -> ApiError:
        return ApiError(self.service.internal_error, "We encountered an internal error. Please try again.", status=500, sender=False)

    def _error_shape(self, code: str) -> Shape | None:
        for shape in self.service.model.error_shapes:
            if code in (shape.name, shape.metadata.get("error", {}).get("code")):
                return shape
        return None

    def error_status(self, code: str, default: int) -> int:
        """The HTTP status the service model gives an error code, if it gives one."""
        shape = self._error_shape(code)
        return shape.metadata.get("error", {}).get("httpStatusCode", default) if shape else default

    def error_members(self, code: str) -> set[str]:
        shape = self._error_shape(code)
        if shape is None:
            return set()
        return {name for name, member in shape.members.items() if "location" not in member.serialization}

    def scalar(self, shape: Shape, value):
        """A Python value as the protocol writes it: timestamps and blobs need converting."""
        if shape.type_name == "timestamp" and isinstance(value, datetime):
            moment = value.astimezone(dt_timezone.utc)
            style = shape.serialization.get("timestampFormat", self.default_timestamp_format)
            if style == "unixTimestamp":
                return moment.timestamp()
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if shape.type_name == "blob" and isinstance(value, (bytes, bytearray)):
            return base64.b64encode(value).decode()
        return value
