"""Service last accessed data (IAM's "Access Advisor"), read from the event history.

`service_last_accessed(account, arn)` is the one selector: the wire API's GenerateServiceLastAccessedDetails
family and the console's Access Advisor tab both call it. For a user, group, role or managed policy it lists
every service the entity's policies allow, with when an entity it covers last called that service (within the
history's 90 days), from which Region, and how many such entities did.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Max, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Coalesce

from events.models import Event

from .evaluator import SourcedPolicy
from .models import IAMGroup, IAMUser, Policy, Role
from .selectors import find_identity_by_arn, find_policy_by_arn, policies_of
from .policy_language import parse_stored_policy

# The services this sandbox answers, by IAM namespace (what "*" in a policy reaches).
SERVICE_NAMES = {
    "account": "AWS Account Management",
    "cloudtrail": "AWS CloudTrail",
    "iam": "AWS Identity and Access Management",
    "sts": "AWS Security Token Service",
    "support": "AWS Support",
    "trustedadvisor": "AWS Trusted Advisor",
}
# IAM reports action-level data for a few services only (IAM User Guide, "action last accessed information").
ACTION_LEVEL_SERVICES = {"iam"}


@dataclass(frozen=True)
class ActionAccess:
    action: str
    last_accessed: datetime
    entity_arn: str
    region: str


@dataclass(frozen=True)
class ServiceAccess:
    namespace: str
    name: str
    last_authenticated: datetime | None = None
    entity_arn: str = ""
    region: str = ""
    total_entities: int = 0
    actions: tuple[ActionAccess, ...] = field(default=())


@dataclass(frozen=True)
class EntityAccess:
    """GetServiceLastAccessedDetailsWithEntities: one user or role and when it last used the service."""

    identity: object
    kind: str  # USER or ROLE
    last_authenticated: datetime | None


def _covered(account, arn: str):
    """(the entity, the users and roles whose calls count for it, the policies that decide what it may reach)."""
    entity = find_identity_by_arn(account, arn) or find_policy_by_arn(account, arn)
    if entity is None:
        return None
    if isinstance(entity, IAMUser):
        return entity, [entity], [], policies_of(entity)
    if isinstance(entity, Role):
        return entity, [], [entity], policies_of(entity)
    if isinstance(entity, IAMGroup):
        return entity, list(entity.members.select_related("account")), [], policies_of(entity)
    users = IAMUser.objects.filter(Q(attached_policies=entity) | Q(groups__attached_policies=entity)).distinct()
    roles = entity.attached_roles.all()
    version = entity.versions.filter(is_default=True).first()
    documents = [parse_stored_policy(version.document)] if version else []
    return entity, list(users.select_related("account")), list(roles.select_related("account")), [
        SourcedPolicy(entity.arn, document) for document in documents]


def _namespaces(document) -> set[str]:
    """The services a policy document's Allow statements reach."""
    namespaces = set()
    for statement in document.statements:
        if statement.effect != "Allow":
            continue
        for action in statement.actions or ("*",):
            prefix = "*" if action == "*" else action.split(":", 1)[0].lower()
            namespaces.update(SERVICE_NAMES if prefix == "*" else [prefix] if prefix in SERVICE_NAMES else [])
    return namespaces


def _allowed_namespaces(policies) -> list[str]:
    return sorted(set().union(*(_namespaces(policy.document) for policy in policies)))


@dataclass(frozen=True)
class PolicyGrant:
    """ListPoliciesGrantingServiceAccess: one policy of the identity (or of its groups) that reaches a service."""

    name: str
    policy_type: str  # MANAGED or INLINE
    arn: str = ""  # managed policies
    entity_type: str = ""  # inline policies: USER, GROUP or ROLE
    entity_name: str = ""
    document: object = None


_POLICIES = (Prefetch("attached_policies", queryset=Policy.objects.select_related("account")),
             "attached_policies__versions", "inline_policies")


def _grants_of(identity) -> list[PolicyGrant]:
    """The same few queries however many groups and policies there are: each kind of row is prefetched at once."""
    prefetch_related_objects([identity], *_POLICIES)
    owners = [identity]
    if isinstance(identity, IAMUser):
        owners += list(identity.groups.prefetch_related(*_POLICIES))
    grants = []
    for owner in owners:
        kind = "USER" if isinstance(owner, IAMUser) else "ROLE" if isinstance(owner, Role) else "GROUP"
        for policy in owner.attached_policies.all():
            version = next((v for v in policy.versions.all() if v.is_default), None)
            if version is not None:
                grants.append(PolicyGrant(policy.name, "MANAGED", arn=policy.arn,
                                          document=parse_stored_policy(version.document)))
        for inline in owner.inline_policies.all():
            grants.append(PolicyGrant(inline.name, "INLINE", entity_type=kind, entity_name=owner.name,
                                      document=parse_stored_policy(inline.document)))
    return grants


def policies_granting_service_access(account, arn: str, namespaces) -> list[tuple[str, list[PolicyGrant]]] | None:
    """For each namespace, the identity's policies (a user's with its groups') that allow some action in it."""
    identity = find_identity_by_arn(account, arn)
    if identity is None:
        return None
    grants = _grants_of(identity)
    return [(namespace, [grant for grant in grants if namespace in _namespaces(grant.document)])
            for namespace in namespaces]


def _events(account, users, roles):
    """The covered entities' events, each with the ARN it counts under (a role session counts as its role)."""
    user_arns, role_arns = [user.arn for user in users], [role.arn for role in roles]
    return Event.objects.filter(account=account).filter(
        Q(user_identity__arn__in=user_arns) | Q(user_identity__sessionContext__sessionIssuer__arn__in=role_arns)
    ).annotate(entity=Coalesce(F("user_identity__sessionContext__sessionIssuer__arn"), F("user_identity__arn")))


def _namespace(event_source: str) -> str:
    return event_source.removesuffix(".amazonaws.com")


def service_last_accessed(account, arn: str, granularity: str = "SERVICE_LEVEL") -> list[ServiceAccess] | None:
    """Every service the entity's policies allow, most recently used first; None when the ARN names nothing."""
    covered = _covered(account, arn)
    if covered is None:
        return None
    _, users, roles, policies = covered
    events = _events(account, users, roles)
    per_entity = events.values("event_source", "entity").annotate(last=Max("event_time"))
    latest: dict[str, tuple] = {}
    entities: dict[str, set] = {}
    for row in per_entity:
        namespace = _namespace(row["event_source"])
        entities.setdefault(namespace, set()).add(row["entity"])
        if namespace not in latest or row["last"] > latest[namespace][0]:
            latest[namespace] = (row["last"], row["entity"])
    regions = {
        _namespace(row["event_source"]): row["aws_region"]
        for row in events.filter(event_time__in=[moment for moment, _ in latest.values()])
        .order_by("event_time").values("event_source", "aws_region")
    }
    actions = _action_level(events) if granularity == "ACTION_LEVEL" else {}
    services = []
    for namespace in _allowed_namespaces(policies):
        moment, entity = latest.get(namespace, (None, ""))
        services.append(ServiceAccess(
            namespace, SERVICE_NAMES[namespace], moment, entity, regions.get(namespace, ""),
            len(entities.get(namespace, ())), tuple(actions.get(namespace, ())),
        ))
    return sorted(services, key=lambda service: (service.last_authenticated is None, service.name))


def _action_level(events) -> dict[str, list[ActionAccess]]:
    rows = (
        events.filter(event_source__in=[f"{namespace}.amazonaws.com" for namespace in ACTION_LEVEL_SERVICES])
        .values("event_source", "event_name").annotate(last=Max("event_time"))
    )
    found: dict[str, list[ActionAccess]] = {}
    for row in rows:
        found.setdefault(_namespace(row["event_source"]), []).append(
            ActionAccess(row["event_name"], row["last"], "", "")
        )
    return {namespace: sorted(items, key=lambda item: item.action) for namespace, items in found.items()}


def entities_last_accessed(account, arn: str, namespace: str) -> list[EntityAccess] | None:
    """The users and roles the entity covers, with when each last used the service (never: None)."""
    covered = _covered(account, arn)
    if covered is None:
        return None
    _, users, roles, _ = covered
    last = dict(
        _events(account, users, roles).filter(event_source=f"{namespace}.amazonaws.com")
        .values_list("entity").annotate(last=Max("event_time"))
    )
    listed = [EntityAccess(user, "USER", last.get(user.arn)) for user in users]
    listed += [EntityAccess(role, "ROLE", last.get(role.arn)) for role in roles]
    return sorted(listed, key=lambda item: (item.last_authenticated is None, item.identity.name))
