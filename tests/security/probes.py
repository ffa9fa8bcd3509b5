"""What the probe suite sweeps: every console URL pattern and every API operation, found at run time.

A victim account is filled with one of everything; its identifiers fill the URL patterns and the
API parameters, and its secrets (markers) must never show up in another account's answers.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.urls import URLPattern, URLResolver, get_resolver

from api.dispatch import _registry
from cases import services as case_services
from events.models import Event
from iam.models import AccessKey
from iam.principals import Principal
from iam.services import create_access_key, create_group, create_role, put_inline_policy
from tests.factories import AccountFactory, IAMUserFactory, PolicyFactory, policy_document

from .conftest import SERVICES

MARKER = "zqvictimsecretzq"
PROBER = "nobody"  # the victim account's own user without permissions  # in the victim's content, never in an identifier an attacker types
TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'


@dataclass
class Victim:
    account: object
    values: dict  # URL/API parameter name -> the victim's identifier

    def snapshot(self) -> tuple:
        """Everything an attacker could change, reduced to comparable values (the probing user, PROBER, aside)."""
        account = type(self.account).objects.get(pk=self.account.pk)
        users = account.iam_users.exclude(name=PROBER)
        return (
            account.name, account.root_email, account.root_password, account.status, account.alias,
            sorted(users.values_list("name", "password", "enabled")),
            sorted(AccessKey.objects.filter(account=account).exclude(user__name=PROBER).values_list("access_key_id", "status")),
            sorted(account.support_cases.values_list("display_id", "status", "subject")),
            sum(case.communications.count() for case in account.support_cases.all()),
            sorted(account.iam_groups.values_list("name", flat=True)),
            sorted(account.policies.values_list("name", flat=True)),
            sorted((user.name, user.inline_policies.count()) for user in users),
        )


def make_victim() -> Victim:
    account = AccountFactory(name=f"Account {MARKER}", root_email=f"{MARKER}@example.com")
    user = IAMUserFactory(account=account, name="victim-user", tags={"team": MARKER})
    policy = PolicyFactory(account=account, name="victim-policy", document=policy_document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{MARKER}/*"}))
    user.attached_policies.add(policy)
    group = create_group(account, "victim-group")
    role = create_role(account, "victim-role", TRUST)
    put_inline_policy(user, "victim-inline", policy_document({"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{MARKER}"}))
    key, _ = create_access_key(account, user)
    root = Principal(account=account)
    attachment_set = case_services.add_attachments_to_set(root, [(f"{MARKER}.txt", MARKER.encode())])
    case = case_services.create_case(root, subject=f"Subject {MARKER}", communication_body=f"Body {MARKER}",
                                     attachment_set_id=attachment_set.attachment_set_id)
    attachment = attachment_set.attachments.get()
    event = Event.objects.filter(account=account).first()
    values = {
        "display_id": case.display_id, "attachment_id": attachment.attachment_id, "access_key_id": key.access_key_id,
        "policy_id": policy.policy_id, "policy_name": "victim-inline", "version_id": "v1", "slug": "billing",
        "region_name": "af-south-1", "check_id": "Pfx0RwqBli", "resource_pk": 1, "rule_id": 1, "key": "exercise",
        "pk": 1, "id": 1, "object_id": 1, "profile_pk": 1, "case_pk": case.pk, "event_id": event.event_id if event else "00000000-0000-0000-0000-000000000000",
        "reference": account.account_id, "app_label": "cases", "content_type_id": 1, "url": "x",
        # API members
        "UserName": user.name, "GroupName": group.name, "RoleName": role.name, "PolicyName": "victim-inline",
        "PolicyArn": policy.arn, "AccessKeyId": key.access_key_id, "caseId": case.case_id, "caseIdList": [case.case_id],
        "attachmentId": attachment.attachment_id, "attachmentSetId": attachment_set.attachment_set_id,
        "RoleArn": role.arn, "AccountId": account.account_id, "SerialNumber": f"arn:aws:iam::{account.account_id}:mfa/victim-user",
    }
    return Victim(account, values | {"user": user.name, "group": group.name, "role": role.name})


# ---- console URL patterns ------------------------------------------------------------------------

def url_patterns(patterns=None, prefix: str = ""):
    """(route, pattern) for every URL pattern the resolver knows, nested includes flattened."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def console_routes() -> list[str]:
    """Every route but the wire API (probed operation by operation instead)."""
    return [route for route, _ in url_patterns() if not route.startswith("api/")]


def fill(route: str, victim: Victim) -> str:
    """The route as a path, each parameter filled with the victim's identifier of that kind."""
    kind = next((kind for kind in ("user", "group", "role") if f"iam/{kind}s/" in route), "user")

    def value(name: str) -> str:
        if name == "name":
            return str(victim.values[kind])
        return str(victim.values.get(name, "x"))

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda found: value(found.group(1)), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda found: value(found.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


FIELD_NAMES = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def form_fields(page: str) -> list[str]:
    skip = {"csrfmiddlewaretoken", "submission_token"}
    return sorted({name for name in FIELD_NAMES.findall(page) if name not in skip})


# ---- API operations ------------------------------------------------------------------------------

def api_operations():
    """(service, operation name) for every operation the registry serves."""
    for service in SERVICES:
        for name in _registry(service).names:
            yield service, name


def example(shape, name: str, values: dict, text: str | None = None, depth: int = 0):
    """A value of the shape: the victim's identifier for members that name one, else a plain example
    (or `text` for every string, to probe bad input)."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return {}
        members = shape.members if text is not None and depth == 0 else {m: shape.members[m] for m in shape.required_members}
        return {member: example(shape.members[member], member, values, text, depth + 1) for member in members}
    if kind == "list":
        return [example(shape.member, name, values, text, depth + 1)]
    if kind == "map":
        return {}
    if kind == "string":
        if text is not None:
            return text
        if name in values and not isinstance(values[name], list):
            return str(values[name])
        return shape.enum[0] if shape.enum else "probe"
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime.now(UTC)
    if kind == "blob":
        return b"probe"
    return None


def params_for(service, operation: str, values: dict, text: str | None = None) -> dict:
    shape = service.operation(operation).input_shape
    if shape is None:
        return {}
    params = example(shape, "", values, text)
    for name, value in values.items():
        if isinstance(value, list) and name in shape.members and text is None:
            params[name] = value
    return params
