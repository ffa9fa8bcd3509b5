"""The Query protocol: form-encoded parameters in, XML out (IAM)."""

from urllib.parse import parse_qsl
from xml.etree import ElementTree

from botocore.model import OperationModel, Shape
from django.http import HttpResponse

from portal.hygiene import shown

from ..errors import ApiError, AuthenticationFailure
from ..validation import InputReader
from .base import Protocol


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _nest(pairs: list[tuple[str, str]]) -> dict:
    """Name.member.1.Key=v becomes {"Name": {"member": {"1": {"Key": "v"}}}}."""
    tree: dict = {}
    for key, value in pairs:
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ApiError("InvalidQueryParameter", f"The parameter {key} conflicts with another parameter.")
        if isinstance(node.get(leaf), dict):
            raise ApiError("InvalidQueryParameter", f"The parameter {key} conflicts with another parameter.")
        node[leaf] = value
    return tree


class QueryProtocol(Protocol):
    authentication_codes = {
        AuthenticationFailure.MISSING: ("MissingAuthenticationToken", 403),
        AuthenticationFailure.UNKNOWN_KEY: ("InvalidClientTokenId", 403),
        AuthenticationFailure.BAD_SIGNATURE: ("SignatureDoesNotMatch", 403),
        AuthenticationFailure.INCOMPLETE: ("IncompleteSignature", 400),
        AuthenticationFailure.EXPIRED: ("ExpiredToken", 403),
    }
    access_denied = ("AccessDenied", 403)
    validation_code = "ValidationError"
    default_timestamp_format = "iso8601"

    @property
    def namespace(self) -> str:
        return self.service.model.metadata["xmlNamespace"]

    @staticmethod
    def _form(request, body: bytes) -> list[tuple[str, str]]:
        text = request.META.get("QUERY_STRING", "").encode() if request.method == "GET" else body
        try:
            return parse_qsl(text.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(text), errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise ApiError("MalformedQueryString", "The query string contains a syntax error.") from None

    def operation(self, request, body: bytes) -> OperationModel:
        action = dict(self._form(request, body)).get("Action")
        if not action:
            raise ApiError("MissingAction", "Missing Action")
        operation = self.service.operation(action)
        if operation is None:
            raise self.unknown_operation(action)
        return operation

    def unknown_operation(self, name: str) -> ApiError:
        return ApiError("InvalidAction", f"Could not find operation {name} for version {self.service.model.api_version}")

    def read_params(self, operation: OperationModel, body: bytes, request) -> dict:
        if operation.input_shape is None:
            return {}
        pairs = [(key, value) for key, value in self._form(request, body) if key not in ("Action", "Version")]
        reader = InputReader(from_text=True, member_label=_lower_first, error_code=self.validation_code)
        return reader.read(operation.input_shape, _nest(pairs))

    def _write(self, parent: ElementTree.Element, shape: Shape, value, name: str) -> None:
        if value is None:
            return
        if shape.type_name == "list" and shape.serialization.get("flattened"):
            for item in value:
                self._write(parent, shape.member, item, name)
            return
        element = ElementTree.SubElement(parent, name)
        if shape.type_name == "structure":
            for member_name, member in shape.members.items():
                self._write(element, member, value.get(member_name), member.serialization.get("name", member_name))
        elif shape.type_name == "list":
            for item in value:
                self._write(element, shape.member, item, shape.member.serialization.get("name", "member"))
        elif shape.type_name == "map":
            for key, item in value.items():
                entry = ElementTree.SubElement(element, "entry")
                self._write(entry, shape.key, key, shape.key.serialization.get("name", "key"))
                self._write(entry, shape.value, item, shape.value.serialization.get("name", "value"))
        elif shape.type_name == "boolean":
            element.text = "true" if value else "false"
        else:
            element.text = str(self.scalar(shape, value))

    def _xml(self, root: ElementTree.Element, status: int, request_id: str) -> HttpResponse:
        body = ElementTree.tostring(root, encoding="unicode")
        response = HttpResponse(body, status=status, content_type="text/xml")
        response["x-amzn-RequestId"] = request_id
        return response

    def success(self, operation: OperationModel, output: dict, request_id: str) -> HttpResponse:
        root = ElementTree.Element(f"{operation.name}Response", xmlns=self.namespace)
        shape = operation.output_shape
        if shape is not None:
            self._write(root, shape, output, shape.serialization.get("resultWrapper", f"{operation.name}Result"))
        metadata = ElementTree.SubElement(root, "ResponseMetadata")
        ElementTree.SubElement(metadata, "RequestId").text = request_id
        return self._xml(root, 200, request_id)

    def failure(self, error: ApiError, request_id: str) -> HttpResponse:
        root = ElementTree.Element("ErrorResponse", xmlns=self.namespace)
        detail = ElementTree.SubElement(root, "Error")
        ElementTree.SubElement(detail, "Type").text = "Sender" if error.sender else "Receiver"
        ElementTree.SubElement(detail, "Code").text = error.code
        ElementTree.SubElement(detail, "Message").text = shown(error.message)  # messages may echo input
        ElementTree.SubElement(root, "RequestId").text = request_id
        return self._xml(root, self.error_status(error.code, error.status), request_id)
