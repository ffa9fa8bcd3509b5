"""Input hygiene in one place: which characters text may hold, how echoed text is shown, how deep JSON may nest.

- NUL and the other C0 control characters except tab, line feed and carriage return (plus DEL and
  lone UTF-16 surrogates) are refused in every text that reaches the database: PostgreSQL refuses NUL
  outright, and XML 1.0 can't carry the rest, so an IAM answer echoing them could not be parsed.
  The API refuses them in api.validation (the protocol's validation error), console forms through
  `refuse_control_characters`, which PortalConfig.ready adds to every forms.CharField.
- `shown(text)` writes such characters as \\uXXXX wherever text is echoed (error messages, the event
  history), so an answer or a history line is always well formed.
- `loads_json` bounds nesting depth before parsing, so a document nested thousands of levels deep is
  a clear refusal instead of a RecursionError.
"""

import json
import re

from django.core.exceptions import ValidationError

DISALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def disallowed_character(text: str) -> str | None:
    """'U+0000' for the first character text may not hold, else None."""
    found = DISALLOWED.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def shown(text: str) -> str:
    return DISALLOWED.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def shown_deep(value):
    """`shown` applied to every string inside a JSON value (keys included)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown_deep(key): shown_deep(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [shown_deep(item) for item in value]
    return value


def refuse_control_characters(value) -> None:
    """A form field validator."""
    if isinstance(value, str) and (character := disallowed_character(value)):
        raise ValidationError(f"Remove the control character ({character}); it can't be saved.", code="control_character")


def json_depth_error(text: str, max_depth: int = MAX_JSON_DEPTH) -> json.JSONDecodeError | None:
    """The error to raise when `text` nests arrays and objects deeper than max_depth (strings skipped)."""
    if text.count("[") + text.count("{") <= max_depth:
        return None  # nesting can't go deeper than there are brackets (an API call's body has a few)
    depth = 0
    without_strings = _JSON_STRING.sub('""', text)
    for bracket in _JSON_BRACKET.finditer(without_strings):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > max_depth:
            return json.JSONDecodeError(f"Nesting is deeper than {max_depth} levels", without_strings, bracket.start())
    return None


def loads_json(text: str, max_depth: int = MAX_JSON_DEPTH):
    """json.loads, refusing (json.JSONDecodeError) documents nested deeper than max_depth."""
    error = json_depth_error(text, max_depth)
    if error is not None:
        raise error
    return json.loads(text)
