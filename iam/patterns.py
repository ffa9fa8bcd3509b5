"""IAM wildcards: `*` spans any run of characters, `?` exactly one."""

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str, ignore_case: bool) -> re.Pattern:
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(f"^{body}$", (re.IGNORECASE | re.DOTALL) if ignore_case else re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """Action names compare case-insensitively."""
    return bool(_wildcard_regex(pattern, True).match(action))


def resource_matches(pattern: str, resource: str) -> bool:
    """ARNs and string values compare case-sensitively."""
    return bool(_wildcard_regex(pattern, False).match(resource))
