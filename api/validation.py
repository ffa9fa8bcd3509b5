"""Reading request members against the service model: types, required members, enums, lengths, ranges, patterns.

Every problem is worded as AWS words it ("Value 'x' at 'maxResults' failed to satisfy
constraint: ..."), and all problems of one request are reported together.
"""

import base64
import binascii
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone

from botocore.model import Shape, StructureShape
from django.utils.dateparse import parse_datetime

from portal.hygiene import disallowed_character, shown

from .errors import ApiError, validation_message

TYPE_NAMES = {"string": "String", "integer": "Integer", "long": "Long", "boolean": "Boolean", "double": "Double",
              "float": "Float", "timestamp": "Timestamp", "blob": "Blob", "list": "List", "map": "Map",
              "structure": "Structure"}


@dataclass
class Problem:
    path: str
    message: str


@dataclass
class InputReader:
    """Converts wire values to Python values following the shapes.

    `from_text` is True for the Query protocol, whose scalars all arrive as text;
    `member_label` names a member the way the protocol's error messages do.
    """

    from_text: bool = False
    member_label: Callable[[str], str] = str
    error_code: str = "ValidationException"
    problems: list[Problem] = field(default_factory=list)

    def read(self, shape: StructureShape, raw: dict) -> dict:
        value = self._structure(shape, raw, "")
        if self.problems:
            messages = [problem.message for problem in self.problems]
            raise ApiError(
                self.error_code, validation_message(messages),
                fieldList=[{"name": problem.path, "message": problem.message} for problem in self.problems],
                reason="fieldValidationFailed",
            )
        return value

    def _problem(self, shape: Shape, value, path: str, constraint: str) -> None:
        shown = "" if shape.metadata.get("sensitive") else f" '{_display(value)}'"
        self.problems.append(Problem(path, f"Value{shown} at '{path}' failed to satisfy constraint: {constraint}"))

    def _structure(self, shape: StructureShape, raw, path: str):
        if not isinstance(raw, dict):
            return self._wrong_type(shape, raw, path)
        result = {}
        for name, member, wire_name, label, required in _members(shape, self.member_label):
            member_path = f"{path}.{label}" if path else label
            if raw.get(wire_name) is None:
                if required:
                    self.problems.append(Problem(
                        member_path, f"Value null at '{member_path}' failed to satisfy constraint: Member must not be null"
                    ))
                continue
            value = self._value(member, raw[wire_name], member_path)
            if value is not None:
                result[name] = value
        return result

    def _value(self, shape: Shape, raw, path: str):
        reader = getattr(self, f"_{shape.type_name}", None)
        value = reader(shape, raw, path) if reader else raw
        if value is not None:
            self._check_constraints(shape, value, path)
        return value

    def _wrong_type(self, shape: Shape, raw, path: str):
        self._problem(shape, raw, path, f"Member must be of type {TYPE_NAMES.get(shape.type_name, shape.type_name)}")
        return None

    def _numbered(self, raw, wrapper: str | None):
        """Query lists and maps arrive as Name.member.1, Name.member.2 (or Name.1 when flattened)."""
        if raw == "":
            return []
        if wrapper is not None:
            if not isinstance(raw, dict) or set(raw) != {wrapper}:
                return raw
            raw = raw[wrapper]
        if not isinstance(raw, dict) or not all(index.isdigit() for index in raw):
            return raw
        return [raw[index] for index in sorted(raw, key=int)]

    def _list(self, shape, raw, path):
        if self.from_text:
            raw = self._numbered(raw, None if shape.serialization.get("flattened") else "member")
        if not isinstance(raw, list):
            return self._wrong_type(shape, raw, path)
        return [self._value(shape.member, item, f"{path}.{position}") for position, item in enumerate(raw, 1)]

    def _map(self, shape, raw, path):
        if self.from_text:
            entries = self._numbered(raw, None if shape.serialization.get("flattened") else "entry")
            if not isinstance(entries, list):
                return self._wrong_type(shape, raw, path)
            key_name = shape.key.serialization.get("name", "key")
            value_name = shape.value.serialization.get("name", "value")
            raw = {entry.get(key_name): entry.get(value_name) for entry in entries if isinstance(entry, dict)}
        if not isinstance(raw, dict):
            return self._wrong_type(shape, raw, path)
        return {
            self._value(shape.key, key, path): self._value(shape.value, value, f"{path}.{key}")
            for key, value in raw.items()
        }

    def _string(self, shape, raw, path):
        if not isinstance(raw, str):
            return self._wrong_type(shape, raw, path)
        if character := disallowed_character(raw):  # portal.hygiene: NUL and other control characters
            self._problem(shape, raw, path, f"Member must not contain the control character {character}")
            return None
        return raw

    def _integer(self, shape, raw, path):
        if self.from_text and isinstance(raw, str):
            try:
                return int(raw)
            except ValueError:
                return self._wrong_type(shape, raw, path)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else self._wrong_type(shape, raw, path)

    _long = _integer

    def _double(self, shape, raw, path):
        if self.from_text and isinstance(raw, str):
            try:
                return float(raw)
            except ValueError:
                return self._wrong_type(shape, raw, path)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
        return self._wrong_type(shape, raw, path)

    _float = _double

    def _boolean(self, shape, raw, path):
        if self.from_text and raw in ("true", "false"):
            return raw == "true"
        return raw if isinstance(raw, bool) else self._wrong_type(shape, raw, path)

    def _timestamp(self, shape, raw, path):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return datetime.fromtimestamp(raw, tz=dt_timezone.utc)
        if isinstance(raw, str):
            try:
                parsed = parse_datetime(raw)
            except ValueError:
                parsed = None
            if parsed is not None:
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt_timezone.utc)
        return self._wrong_type(shape, raw, path)

    def _blob(self, shape, raw, path):
        if isinstance(raw, str):
            try:
                return base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                pass
        return self._wrong_type(shape, "(binary)", path)

    def _check_constraints(self, shape: Shape, value, path: str) -> None:
        metadata = shape.metadata
        if isinstance(value, (str, bytes, list, dict)):
            if "min" in metadata and len(value) < metadata["min"]:
                self._problem(shape, value, path, f"Member must have length greater than or equal to {metadata['min']}")
            if "max" in metadata and len(value) > metadata["max"]:
                self._problem(shape, value, path, f"Member must have length less than or equal to {metadata['max']}")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "min" in metadata and value < metadata["min"]:
                self._problem(shape, value, path, f"Member must have value greater than or equal to {metadata['min']}")
            if "max" in metadata and value > metadata["max"]:
                self._problem(shape, value, path, f"Member must have value less than or equal to {metadata['max']}")
        if isinstance(value, str):
            if "enum" in metadata and value not in metadata["enum"]:
                self._problem(shape, value, path, f"Member must satisfy enum value set: [{', '.join(metadata['enum'])}]")
            if "pattern" in metadata and not _matches(metadata["pattern"], value):
                self._problem(shape, value, path, f"Member must satisfy regular expression pattern: {metadata['pattern']}")


@functools.lru_cache(maxsize=4096)
def _members(shape: StructureShape, member_label: Callable[[str], str]) -> tuple:
    """(name, shape, name on the wire, name in messages, required) of each member: read on every call."""
    required = set(shape.required_members)
    return tuple((name, member, member.serialization.get("name", name), member_label(name), name in required)
                 for name, member in shape.members.items())


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value, flags=re.DOTALL) is not None
    except re.error:  # a pattern Python's engine cannot read is not a reason to refuse the request
        return True


def _display(value) -> str:
    if isinstance(value, (list, dict)):
        return f"[{len(value)} items]"
    text = shown(str(value))
    return text if len(text) <= 200 else text[:200] + "..."
