"""IAM wildcards: `*` spans any run of characters, `?` exactly one."""

import re
from functools import lru_cache


def _wildcard_body(pattern: str) -> str:
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)


@lru_cache(maxsize=8192)
def _any_of_regex(patterns: tuple[str, ...], ignore_case: bool) -> re.Pattern:
    # One alternation per statement list: a decision walks every statement of every policy, so one
    # regex match per list instead of one per pattern keeps large identities fast (bench/evaluator.py).
    body = "|".join(f"(?:{_wildcard_body(pattern)})" for pattern in patterns)
    return re.compile(f"^(?:{body})$", (re.IGNORECASE | re.DOTALL) if ignore_case else re.DOTALL)


def any_action_matches(patterns: tuple[str, ...], action: str) -> bool:
    """Action names compare case-insensitively."""
    return bool(patterns) and bool(_any_of_regex(patterns, True).match(action))


def any_resource_matches(patterns: tuple[str, ...], resource: str) -> bool:
    """ARNs and string values compare case-sensitively."""
    return bool(patterns) and bool(_any_of_regex(patterns, False).match(resource))


def action_matches(pattern: str, action: str) -> bool:
    return any_action_matches((pattern,), action)


def resource_matches(pattern: str, resource: str) -> bool:
    return any_resource_matches((pattern,), resource)
