"""portal.hygiene.loads_json: documents nested deeper than the limit are refused, whatever else they hold."""

import json

import pytest

from portal.hygiene import MAX_JSON_DEPTH, loads_json


def nested(levels: int, inside: str = "1") -> str:
    return '{"a": ' * levels + inside + "}" * levels


def test_a_document_nested_to_the_limit_is_read_and_one_level_more_is_refused():
    assert loads_json(nested(MAX_JSON_DEPTH - 1, "[1]"))  # arrays count as levels too
    with pytest.raises(json.JSONDecodeError, match=f"deeper than {MAX_JSON_DEPTH} levels"):
        loads_json(nested(MAX_JSON_DEPTH, "[1]"))


def test_brackets_inside_strings_do_not_count_as_nesting():
    brackets = "[{" * MAX_JSON_DEPTH * 2
    assert loads_json(json.dumps({"text": brackets, "list": [1, [2]]}))["text"] == brackets


def test_many_shallow_brackets_are_read():
    assert len(loads_json(json.dumps([[i] for i in range(MAX_JSON_DEPTH * 3)]))) == MAX_JSON_DEPTH * 3


def test_a_deep_document_behind_many_shallow_brackets_is_still_refused():
    shallow = ", ".join("[1]" for _ in range(MAX_JSON_DEPTH))
    with pytest.raises(json.JSONDecodeError):
        loads_json(f"[{shallow}, {nested(MAX_JSON_DEPTH + 1)}]")
