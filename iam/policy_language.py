"""The IAM policy language: parsing, validation and pattern matching.

Documents are parsed into immutable statements once and evaluated many times.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from portal.hygiene import MAX_JSON_DEPTH, json_depth_error

from .conditions import SUPPORTED_OPERATORS, split_operator, substitute_variables
from .exceptions import MalformedPolicyDocument
from .patterns import any_action_matches, any_resource_matches

SUPPORTED_VERSIONS = ("2012-10-17", "2008-10-17")
TRUST_PRINCIPAL_TYPES = {"AWS", "Service", "Federated"}
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Principal", "NotPrincipal"}


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    condition: dict = field(default_factory=dict, hash=False, compare=False)
    sid: str = ""
    index: int = 0
    # Only trust policies name principals: {"AWS": [...], "Service": [...]} or "*".
    principals: object = field(default=None, hash=False, compare=False)

    def covers_action(self, action: str) -> bool:
        if self.actions:
            return any_action_matches(self.actions, action)
        return not any_action_matches(self.not_actions, action)

    @property
    def reads_context(self) -> bool:
        """Whether deciding the statement reads the request context: a condition, or a policy variable."""
        return bool(self.condition) or any("${" in pattern for pattern in self.resources + self.not_resources)

    def covers_resource(self, resource: str, context: Mapping[str, object]) -> bool:
        """Resource/NotResource against an ARN, policy variables such as ${aws:username} filled from `context`."""
        if self.resources:
            return any_resource_matches(_with_variables(self.resources, context), resource)
        if self.not_resources:
            return not any_resource_matches(_with_variables(self.not_resources, context), resource)
        return True


def _with_variables(patterns: tuple[str, ...], context: Mapping[str, object]) -> tuple[str, ...]:
    if not any("${" in pattern for pattern in patterns):
        return patterns  # unchanged, so the compiled regex for the tuple is reused
    return tuple(substitute_variables(pattern, context) for pattern in patterns)


_COVERING_CACHE_SIZE = 512


@dataclass(frozen=True)
class PolicyDocument:
    version: str
    statements: tuple[Statement, ...]
    # Stored documents are parsed once and asked about the same few actions over and over.
    _covering: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def statements_covering(self, action: str) -> tuple[Statement, ...]:
        key = action.lower()
        if key not in self._covering:
            if len(self._covering) >= _COVERING_CACHE_SIZE:  # action names can come from API callers
                self._covering.clear()
            self._covering[key] = tuple(statement for statement in self.statements if statement.covers_action(action))
        return self._covering[key]


def _string_list(statement: dict, key: str, index: int) -> tuple[str, ...]:
    value = statement.get(key)
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise MalformedPolicyDocument(f"Statement {index + 1}: {key} must be a non-empty string or list of strings.")
    return tuple(values)


def _principals(raw: dict, index: int) -> object:
    value = raw.get("Principal", raw.get("NotPrincipal"))
    if "NotPrincipal" in raw:
        raise MalformedPolicyDocument(f"Statement {index + 1}: NotPrincipal is not supported in a trust policy.")
    if value is None:
        raise MalformedPolicyDocument(f"Statement {index + 1}: a trust policy statement must name a Principal.")
    if value == "*":
        return value
    if not isinstance(value, dict) or not value or set(value) - TRUST_PRINCIPAL_TYPES:
        raise MalformedPolicyDocument(
            f"Statement {index + 1}: Principal must be \"*\" or an object with AWS, Service or Federated."
        )
    return {kind: _string_list(value, kind, index) for kind in value}


def _parse_statement(
    raw: object, index: int, *, resource_required: bool, trust: bool = False, resource_policy: bool = False
) -> Statement:
    if not isinstance(raw, dict):
        raise MalformedPolicyDocument(f"Statement {index + 1} must be a JSON object.")
    unknown = sorted(set(raw) - _STATEMENT_KEYS)
    if unknown:
        raise MalformedPolicyDocument(f"Statement {index + 1}: unknown field {unknown[0]}.")
    if trust or resource_policy:
        principals = _principals(raw, index)
        if trust and ("Resource" in raw or "NotResource" in raw):
            raise MalformedPolicyDocument(f"Statement {index + 1}: a trust policy has no Resource field.")
    elif "Principal" in raw or "NotPrincipal" in raw:
        raise MalformedPolicyDocument(f"Statement {index + 1}: Policy document should not specify a principal.")
    else:
        principals = None
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise MalformedPolicyDocument(f"Statement {index + 1}: Effect must be Allow or Deny.")
    actions, not_actions = _string_list(raw, "Action", index), _string_list(raw, "NotAction", index)
    if bool(actions) == bool(not_actions):
        raise MalformedPolicyDocument(f"Statement {index + 1}: give exactly one of Action and NotAction.")
    for action in actions + not_actions:
        if action != "*" and not re.fullmatch(r"[A-Za-z0-9-]+:[A-Za-z0-9*?]+", action):
            raise MalformedPolicyDocument(
                f"Statement {index + 1}: action {action!r} must look like service:Operation."
            )
    resources, not_resources = _string_list(raw, "Resource", index), _string_list(raw, "NotResource", index)
    if resources and not_resources:
        raise MalformedPolicyDocument(f"Statement {index + 1}: give only one of Resource and NotResource.")
    if resource_required and not (resources or not_resources):
        raise MalformedPolicyDocument(f"Statement {index + 1}: Resource or NotResource is required.")
    condition = raw.get("Condition", {})
    if not isinstance(condition, dict) or not all(isinstance(v, dict) for v in condition.values()):
        raise MalformedPolicyDocument(
            f"Statement {index + 1}: Condition must map operators to objects of keys and values."
        )
    for operator in condition:
        if split_operator(operator)[1] not in SUPPORTED_OPERATORS:
            raise MalformedPolicyDocument(f"Statement {index + 1}: unknown condition operator {operator}.")
    sid = raw.get("Sid", "")
    if not isinstance(sid, str) or (sid and not re.fullmatch(r"[A-Za-z0-9]*", sid)):
        raise MalformedPolicyDocument(f"Statement {index + 1}: Sid may contain only letters and digits.")
    return Statement(effect, actions, not_actions, resources, not_resources, condition, sid, index, principals)


def policy_size(text: str) -> int:
    """Characters that count against IAM's size quotas: whitespace is not counted."""
    return sum(1 for character in text if not character.isspace())


def parse_policy(
    text: str, *, resource_required: bool = True, trust: bool = False, resource_policy: bool = False
) -> PolicyDocument:
    """Parse and validate an identity policy (with trust=True, a role trust policy; with resource_policy=True, a
    resource-based policy, whose statements name a Principal and a Resource).

    Raises MalformedPolicyDocument naming the line and column of a JSON error, or
    the statement and field that breaks the grammar.
    """
    too_deep = json_depth_error(text) if isinstance(text, str) else None
    if too_deep is not None:
        raise MalformedPolicyDocument(f"The policy nests arrays and objects more than {MAX_JSON_DEPTH} levels deep.")
    try:
        raw = json.loads(text)
    except (TypeError, json.JSONDecodeError) as error:
        position = f" at line {error.lineno}, column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        raise MalformedPolicyDocument(f"The policy is not valid JSON{position}.") from error
    if not isinstance(raw, dict):
        raise MalformedPolicyDocument("The policy must be a JSON object.")
    unknown = sorted(set(raw) - {"Version", "Id", "Statement"})
    if unknown:
        raise MalformedPolicyDocument(f"Unknown field {unknown[0]} at the top level of the policy.")
    version = raw.get("Version", "2008-10-17")
    if version not in SUPPORTED_VERSIONS:
        raise MalformedPolicyDocument(f"Version must be one of {', '.join(SUPPORTED_VERSIONS)}.")
    statements = raw.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise MalformedPolicyDocument("The policy must contain a Statement.")
    parsed = tuple(
        _parse_statement(item, index, resource_required=resource_required and not trust, trust=trust,
                         resource_policy=resource_policy)
        for index, item in enumerate(statements)
    )
    return PolicyDocument(version, parsed)


@lru_cache(maxsize=2048)
def parse_stored_policy(text: str, *, trust: bool = False) -> PolicyDocument:
    """Stored documents were validated on save; parsing them again is pure, so cache it."""
    return parse_policy(text, trust=trust)
