"""What the policy editor tells a person about a document as they type: is it valid, how big is
it, which names look wrong, and what it grants, in words (services -> access level -> resources).

The grammar is iam.policy_language's (the same parse the save runs); names are checked against
iam.action_catalog, which is generated from botocore's service models.
"""

import difflib
import json
from dataclasses import dataclass, field

from .action_catalog import ServiceActions, catalog, is_known_condition_key, known_condition_keys
from .exceptions import MalformedPolicyDocument
from .identity_kinds import KINDS
from .policy_language import Statement, parse_policy, policy_size
from .services.identities import TRUST_POLICY_SIZE
from .services.policies import MANAGED_POLICY_SIZE

# What the document is for -> its size quota (characters, whitespace not counted).
SIZE_LIMITS = {"managed": MANAGED_POLICY_SIZE, "trust": TRUST_POLICY_SIZE} | {
    f"inline-{key}": kind.inline_size_limit for key, kind in KINDS.items()
}
ACCESS_LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")
_READ_VERBS = ("Get", "Describe", "View", "Lookup", "Search", "Simulate", "Download", "Check", "Validate", "Preview",
               "Estimate", "Export", "Query", "Scan", "Select", "BatchGet")
_WRITE_VERBS = ("Put", "Attach", "Detach", "Delete", "Create", "Update", "Set", "Add", "Remove", "Replace")


def access_level(operation: str) -> str:
    """The access level of an operation, read from its verb.

    The Service Authorization Reference, which lists AWS's own levels, is not part of botocore;
    the verb gives the same answer for the sandbox's services (iam:CreatePolicy and
    iam:AttachUserPolicy are Permissions management, iam:ListUsers List, support:CreateCase Write).
    """
    if operation.startswith(("Tag", "Untag")):
        return "Tagging"
    if operation.startswith("List"):
        return "List"
    if operation.startswith(_READ_VERBS):
        return "Read"
    if operation.startswith(_WRITE_VERBS) and ("Policy" in operation or "Permission" in operation):
        return "Permissions management"
    return "Write"


@dataclass(frozen=True)
class Finding:
    severity: str  # "warning" or "info"
    message: str
    statement: int | None = None  # 1-based, as the editor numbers them


@dataclass
class ServiceSummary:
    effect: str
    prefix: str  # "" for a statement over every service
    name: str
    actions: set[str] = field(default_factory=set)
    total: int = 0  # actions the service has (0: not known)
    full: bool = False
    except_actions: list[str] = field(default_factory=list)  # NotAction
    resources: set[str] = field(default_factory=set)
    condition_keys: set[str] = field(default_factory=set)

    @property
    def access(self) -> str:
        if self.except_actions:
            return "All actions except " + ", ".join(self.except_actions)
        if self.full:
            return "Full access"
        levels = {access_level(action.partition(":")[2]) for action in self.actions}
        return "Limited: " + ", ".join(level for level in ACCESS_LEVELS if level in levels)

    @property
    def counted(self) -> str:
        if self.full or self.except_actions or not self.total:
            return ""
        return f"{len(self.actions)} of {self.total} actions"

    @property
    def sorted_resources(self) -> list[str]:
        return sorted(self.resources)

    @property
    def sorted_condition_keys(self) -> list[str]:
        return sorted(self.condition_keys)

    @property
    def sorted_actions(self) -> list[str]:
        return sorted(self.actions, key=lambda action: (ACCESS_LEVELS.index(access_level(action.partition(':')[2])), action))


@dataclass
class PolicyReview:
    size: int
    limit: int
    error: str = ""
    findings: list[Finding] = field(default_factory=list)
    summary: list[ServiceSummary] = field(default_factory=list)

    @property
    def over_limit(self) -> bool:
        return self.size > self.limit

    @property
    def overflow(self) -> int:
        return max(self.size - self.limit, 0)

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]


def pretty_document(text: str) -> str:
    """A stored policy indented for reading (documents sent through the API are often minified)."""
    try:
        return json.dumps(json.loads(text), indent=4, ensure_ascii=False)
    except (TypeError, ValueError):
        return text


def _suggest(word: str, candidates) -> str:
    close = difflib.get_close_matches(word.lower(), [candidate.lower() for candidate in candidates], n=1, cutoff=0.75)
    if not close:
        return ""
    spelled = {candidate.lower(): candidate for candidate in candidates}
    return f" Did you mean {spelled[close[0]]}?"


class _Reviewer:
    def __init__(self):
        self.catalog = catalog()
        self.findings: list[Finding] = []
        self.rows: dict[tuple[str, str], ServiceSummary] = {}

    def warn(self, message: str, statement: Statement, severity: str = "warning") -> None:
        self.findings.append(Finding(severity, message, statement.index + 1))

    def row(self, effect: str, service: ServiceActions | None) -> ServiceSummary:
        """The summary row of one service (None: every service) under one effect."""
        key = (effect, service.prefix if service else "")
        if key not in self.rows:
            name = service.name if service else "All services"
            total = len(service.actions) if service and service.complete else 0
            self.rows[key] = ServiceSummary(effect, key[1], name, total=total)
        return self.rows[key]

    def actions(self, statement: Statement) -> list[ServiceSummary]:
        """Check each action name; return the summary rows the statement adds to."""
        touched = []
        if statement.not_actions:
            row = self.row(statement.effect, None)
            row.except_actions.extend(statement.not_actions)
            touched.append(row)
        for action in statement.not_actions:
            self.resolve(action, statement)
        for action in statement.actions:
            resolved = self.resolve(action, statement)
            if resolved is None:
                continue
            service, names = resolved
            row = self.row(statement.effect, service)
            if names is None:
                row.full = True
            else:
                row.actions.update(names)
                row.full = row.full or (service is not None and service.complete and len(row.actions) == len(service.actions))
            touched.append(row)
        return touched

    def resolve(self, action: str, statement: Statement) -> tuple[ServiceActions | None, set[str] | None] | None:
        """(service, the actions named) with None for "all of them"; warns and gives None for a bad name."""
        if action == "*":
            return None, None
        prefix, _, operation = action.partition(":")
        service = self.catalog.service(prefix)
        if service is None:
            self.warn(f"Unknown service {prefix!r} in {action}." + _suggest(prefix, self.catalog.services), statement)
            return None
        if operation == "*":
            return service, None
        if not service.complete:
            self.warn(f"The sandbox cannot check action names of {service.prefix}; {action} is taken as written.",
                      statement, "info")
            return service, {action}
        if "*" in operation or "?" in operation:
            matched = service.matching(operation)
            if not matched:
                self.warn(f"{action} matches no {service.prefix} action.", statement)
                return None
            return service, {f"{service.prefix}:{name}" for name in matched}
        canonical = service.actions.get(operation.lower())
        if canonical is None:
            candidates = [f"{service.prefix}:{name}" for name in service.actions.values()]
            self.warn(f"Unknown action {action}: {service.name} has no {operation} action." + _suggest(action, candidates),
                      statement)
            return None
        return service, {f"{service.prefix}:{canonical}"}

    def conditions(self, statement: Statement, rows: list[ServiceSummary]) -> None:
        for operator, keys in statement.condition.items():
            for key in keys:
                known = is_known_condition_key(key)
                if known is False:
                    self.warn(f"Unknown condition key {key}: no request in the sandbox carries it, so the condition "
                              f"({operator}) never sees a value." + _suggest(key, known_condition_keys()), statement)
                elif known is None:
                    self.warn(f"The sandbox does not check condition keys of {key.partition(':')[0]}; {key} is "
                              "never present in its requests.", statement, "info")
                for row in rows:
                    row.condition_keys.add(key)


def review_policy(text: str, purpose: str = "managed") -> PolicyReview:
    """Everything the editor shows beside a document; `purpose` is a key of SIZE_LIMITS."""
    trust = purpose == "trust"
    # Built on first use (a few seconds): the editor's first call, made as its page loads, pays for it even
    # while the starter document is still invalid, so the trainee's first keystrokes are answered at once.
    reviewer = _Reviewer()
    review = PolicyReview(size=policy_size(text or ""), limit=SIZE_LIMITS.get(purpose, MANAGED_POLICY_SIZE))
    try:
        document = parse_policy(text or "", trust=trust)
    except MalformedPolicyDocument as error:
        review.error = error.message
        return review
    for statement in document.statements:
        rows = reviewer.actions(statement)
        for row in rows:
            if statement.resources:
                row.resources.update(statement.resources)
            elif statement.not_resources:
                row.resources.update(f"All except {resource}" for resource in statement.not_resources)
            elif trust:
                row.resources.add("(the role)")
        reviewer.conditions(statement, rows)
    review.findings = reviewer.findings
    review.summary = sorted(reviewer.rows.values(), key=lambda row: (row.effect != "Allow", row.prefix != "", row.name.lower()))
    return review
