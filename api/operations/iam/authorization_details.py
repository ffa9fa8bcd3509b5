"""GetAccountAuthorizationDetails: every user, group, role and managed policy in use, with their policies, in a fixed
number of queries however large the account."""

from django.db.models import Count, Prefetch, Q

from iam.models import IAMGroup, IAMUser, Policy, PolicyVersion, Role

from . import operations
from .boundaries import boundary_shape
from .common import group_shape, paged, policy_document, role_shape, user_shape
from .policies import policy_shape, version_shape

ENTITY_TYPES = ("User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy")
_MANAGED = Prefetch("attached_policies", queryset=Policy.objects.select_related("account"))


def _inline(owner) -> list[dict]:
    return [{"PolicyName": inline.name, "PolicyDocument": policy_document(inline.document)}
            for inline in owner.inline_policies.all()]


def _attached(owner) -> list[dict]:
    return [{"PolicyName": policy.name, "PolicyArn": policy.arn} for policy in owner.attached_policies.all()]


def _user(user) -> tuple[str, dict]:
    shape = {**user_shape(user), "UserPolicyList": _inline(user), "GroupList": [g.name for g in user.groups.all()],
             "AttachedManagedPolicies": _attached(user), "PermissionsBoundary": boundary_shape(user)}
    shape.pop("PasswordLastUsed", None)
    return "UserDetailList", shape


def _group(group) -> tuple[str, dict]:
    return "GroupDetailList", {**group_shape(group), "GroupPolicyList": _inline(group),
                               "AttachedManagedPolicies": _attached(group)}


def _role(role) -> tuple[str, dict]:
    profiles = [{"Path": p.path, "InstanceProfileName": p.name, "InstanceProfileId": p.instance_profile_id,
                 "Arn": p.arn, "CreateDate": p.created_at, "Roles": []} for p in role.instance_profiles.all()]
    return "RoleDetailList", {**role_shape(role), "InstanceProfileList": profiles, "RolePolicyList": _inline(role),
                              "AttachedManagedPolicies": _attached(role), "PermissionsBoundary": boundary_shape(role)}


def _policy(policy) -> tuple[str, dict]:
    shape = policy_shape(policy, policy.users + policy.groups + policy.roles)
    shape["PermissionsBoundaryUsageCount"] = policy.bounded
    shape["PolicyVersionList"] = [version_shape(v, with_document=True) for v in policy.versions.all()]
    return "Policies", shape


def _entities(account, wanted: set[str]) -> list:
    entities = []
    if "User" in wanted:
        users = IAMUser.objects.filter(account=account).select_related("account", "permissions_boundary__account")
        entities += [(_user, u) for u in users.prefetch_related(_MANAGED, "inline_policies", "groups").order_by("name")]
    if "Group" in wanted:
        groups = IAMGroup.objects.filter(account=account).select_related("account")
        entities += [(_group, g) for g in groups.prefetch_related(_MANAGED, "inline_policies").order_by("name")]
    if "Role" in wanted:
        roles = Role.objects.filter(account=account).select_related("account", "permissions_boundary__account")
        roles = roles.prefetch_related(_MANAGED, "inline_policies", "instance_profiles__account").order_by("name")
        entities += [(_role, r) for r in roles]
    scopes = Q(pk__in=[])
    if "LocalManagedPolicy" in wanted:
        scopes |= Q(account=account)
    if "AWSManagedPolicy" in wanted:  # only those in use in this account, as IAM lists them
        scopes |= Q(account=None) & (Q(attached_users__account=account) | Q(attached_groups__account=account)
                                     | Q(attached_roles__account=account))
    policies = (
        Policy.objects.filter(pk__in=Policy.objects.filter(scopes).values("pk")).select_related("account")
        .prefetch_related(Prefetch("versions", queryset=PolicyVersion.objects.order_by("created_at")))
        .annotate(users=Count("attached_users", filter=Q(attached_users__account=account), distinct=True),
                  groups=Count("attached_groups", filter=Q(attached_groups__account=account), distinct=True),
                  roles=Count("attached_roles", filter=Q(attached_roles__account=account), distinct=True),
                  bounded=Count("bounded_users", distinct=True) + Count("bounded_roles", distinct=True))
        .order_by("name")
    )
    return entities + [(_policy, p) for p in policies]


@operations("GetAccountAuthorizationDetails")
def get_account_authorization_details(call):
    call.authorize()
    wanted = set(call.params.get("Filter") or ENTITY_TYPES)
    rows, more = paged(call, _entities(call.principal.account, wanted), f"GetAccountAuthorizationDetails:{sorted(wanted)}")
    details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    for shape, entity in rows:
        member, value = shape(entity)
        details[member].append(value)
    return {**details, **more}
