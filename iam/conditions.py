"""Condition blocks: operators, ...IfExists, ForAnyValue/ForAllValues, policy variables.

Semantics follow the IAM user guide: keys inside an operator are ANDed, the
values listed for one key are ORed; a key absent from the request makes a
positive operator false and a negated one true; ...IfExists turns an absent
key into a match.
"""

import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .patterns import resource_matches

_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_VARIABLE_LITERALS = {"*": "*", "?": "?", "$": "$"}


def substitute_variables(value: str, context: Mapping[str, object]) -> str:
    """Replace ${aws:username} and friends; an unknown variable leaves no match possible."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in _VARIABLE_LITERALS:
            return _VARIABLE_LITERALS[name]
        name, _, default = name.partition(", '")
        resolved = context.get(name.strip().lower())
        if resolved is None:
            return default.rstrip("'") if default else "\x00"
        return str(resolved)

    return _VARIABLE.sub(replace, value)


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value).strip()
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _as_number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _ip_in(context_value: object, policy_value: str) -> bool:
    try:
        return ipaddress.ip_address(str(context_value)) in ipaddress.ip_network(policy_value, strict=False)
    except ValueError:
        return False


def _compare(convert: Callable[[object], object], test: Callable[[object, object], bool]):
    def compare(context_value: object, policy_value: str) -> bool:
        left, right = convert(context_value), convert(policy_value)
        return left is not None and right is not None and test(left, right)

    return compare


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


_POSITIVE: dict[str, Callable[[object, str], bool]] = {
    "stringequals": lambda c, p: _text(c) == p,
    "stringequalsignorecase": lambda c, p: _text(c).lower() == p.lower(),
    "stringlike": lambda c, p: resource_matches(p, _text(c)),
    "numericequals": _compare(_as_number, lambda a, b: a == b),
    "numericlessthan": _compare(_as_number, lambda a, b: a < b),
    "numericlessthanequals": _compare(_as_number, lambda a, b: a <= b),
    "numericgreaterthan": _compare(_as_number, lambda a, b: a > b),
    "numericgreaterthanequals": _compare(_as_number, lambda a, b: a >= b),
    "dateequals": _compare(_as_datetime, lambda a, b: a == b),
    "datelessthan": _compare(_as_datetime, lambda a, b: a < b),
    "datelessthanequals": _compare(_as_datetime, lambda a, b: a <= b),
    "dategreaterthan": _compare(_as_datetime, lambda a, b: a > b),
    "dategreaterthanequals": _compare(_as_datetime, lambda a, b: a >= b),
    "bool": lambda c, p: _text(c).lower() == p.lower(),
    "ipaddress": _ip_in,
    "arnequals": lambda c, p: resource_matches(p, _text(c)),
    "arnlike": lambda c, p: resource_matches(p, _text(c)),
}
# Each negated operator is true exactly when its positive twin matches none of the values.
_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "numericnotequals": "numericequals",
    "datenotequals": "dateequals",
    "notipaddress": "ipaddress",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
}
SUPPORTED_OPERATORS = frozenset(_POSITIVE) | frozenset(_NEGATED) | {"null"}


def _values(raw: object) -> list:
    if isinstance(raw, list):
        return raw
    return [raw]


@lru_cache(maxsize=512)
def split_operator(operator: str) -> tuple[str, str, bool]:
    """'ForAnyValue:StringLikeIfExists' -> ('foranyvalue', 'stringlike', True)."""
    qualifier, _, name = operator.rpartition(":")
    name = name.lower()
    if_exists = name.endswith("ifexists") and name != "ifexists"
    if if_exists:
        name = name[: -len("ifexists")]
    return qualifier.lower(), name, if_exists


def _key_matches(operator: str, key: str, policy_values: list, context: Mapping[str, object]) -> bool:
    qualifier, name, if_exists = split_operator(operator)
    present = key.lower() in context
    context_value = context.get(key.lower())
    if name == "null":
        return any(_text(value).lower() == ("false" if present else "true") for value in policy_values)
    if not present:
        if if_exists:
            return True
        if qualifier == "forallvalues":
            return True
        return name in _NEGATED
    positive = _POSITIVE[_NEGATED.get(name, name)]
    policy_strings = [substitute_variables(_text(value), context) for value in policy_values]
    context_values = _values(context_value)

    def single_matches(value: object) -> bool:
        matched = any(positive(value, expected) for expected in policy_strings)
        return not matched if name in _NEGATED else matched

    if qualifier == "forallvalues":
        return all(single_matches(value) for value in context_values)
    return any(single_matches(value) for value in context_values)


def conditions_match(condition: Mapping[str, Mapping[str, object]], context: Mapping[str, object]) -> bool:
    """True when every operator's every key matches the request context."""
    for operator, keys in condition.items():
        if split_operator(operator)[1] not in SUPPORTED_OPERATORS:
            return False
        for key, raw_values in keys.items():
            if not _key_matches(operator, key, _values(raw_values), context):
                return False
    return True
