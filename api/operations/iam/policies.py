"""Managed policies and their versions."""

from django.db.models import Count, Q

from iam import services
from iam.authorization import authorize
from iam.exceptions import NoSuchEntity
from iam.models import Policy, PolicyVersion

from . import operations
from .common import arn, find_policy, paged, policy_document, tags
from .tags import request_tag_context, tags_page

SCOPES = {"All": Q(), "AWS": Q(account__isnull=True), "Local": Q(account__isnull=False)}


def policy_shape(policy: Policy, attachments: int | None = None) -> dict:
    default = next((version for version in policy.versions.all() if version.is_default), None)
    return {
        "PolicyName": policy.name,
        "PolicyId": policy.policy_id,
        "Arn": policy.arn,
        "Path": policy.path,
        "DefaultVersionId": default.version_id if default else None,
        "AttachmentCount": services.policies.attachment_count(policy) if attachments is None else attachments,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "Description": policy.description or None,
        "CreateDate": policy.created_at,
        "UpdateDate": policy.updated_at,
        "Tags": tags(policy.tags),
    }


def version_shape(version, *, with_document: bool) -> dict:
    return {
        "Document": policy_document(version.document) if with_document else None,
        "VersionId": version.version_id,
        "IsDefaultVersion": version.is_default,
        "CreateDate": version.created_at,
    }


def _version(policy: Policy, version_id: str) -> PolicyVersion:
    version = policy.versions.filter(version_id=version_id).first()
    if version is None:
        raise NoSuchEntity(f"Policy {policy.arn} version {version_id} does not exist or is not attachable.")
    return version


@operations("CreatePolicy")
def create_policy(call):
    params = call.params
    path, name = params.get("Path", "/"), params["PolicyName"]
    call.authorize(arn(call, "policy", path, name))
    policy = services.create_customer_managed_policy(
        call.principal.account, name, params["PolicyDocument"], path=path, description=params.get("Description", "")
    )
    given = {tag["Key"]: tag["Value"] for tag in params.get("Tags", ())}
    if given:  # tagging is its own action, as in IAM
        authorize(call.principal, "iam:TagPolicy", policy.arn, request_tag_context(given))
        services.policies.tag_policy(policy, given)
    return {"Policy": policy_shape(policy)}


@operations("GetPolicy")
def get_policy(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    return {"Policy": policy_shape(policy)}


@operations("ListPolicies")
def list_policies(call):
    params = call.params
    prefix = params.get("PathPrefix", "/")
    call.authorize()
    policies = Policy.objects.filter(Q(account=call.principal.account) | Q(account__isnull=True))
    policies = policies.filter(SCOPES[params.get("Scope", "All")], path__startswith=prefix)
    if params.get("OnlyAttached"):
        mine = call.principal.account
        policies = policies.filter(
            Q(attached_users__account=mine) | Q(attached_groups__account=mine) | Q(attached_roles__account=mine)
        ).distinct()
    policies = policies.annotate(
        users=Count("attached_users", distinct=True), groups=Count("attached_groups", distinct=True),
        roles=Count("attached_roles", distinct=True),
    )
    rows, more = paged(call, policies.select_related("account").prefetch_related("versions").order_by("name", "pk"),
                       "ListPolicies")
    return {"Policies": [policy_shape(policy, policy.users + policy.groups + policy.roles) for policy in rows], **more}


@operations("DeletePolicy")
def delete_policy(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    services.delete_policy(policy)


@operations("CreatePolicyVersion")
def create_policy_version(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    version = services.create_policy_version(
        policy, call.params["PolicyDocument"], set_as_default=call.params.get("SetAsDefault", False)
    )
    return {"PolicyVersion": version_shape(version, with_document=False)}


@operations("GetPolicyVersion")
def get_policy_version(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    version = _version(policy, call.params["VersionId"])
    return {"PolicyVersion": version_shape(version, with_document=True)}


@operations("ListPolicyVersions")
def list_policy_versions(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    rows, more = paged(call, policy.versions.order_by("-created_at", "-pk"), f"ListPolicyVersions:{policy.pk}")
    return {"Versions": [version_shape(version, with_document=False) for version in rows], **more}


@operations("SetDefaultPolicyVersion")
def set_default_policy_version(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    services.set_default_policy_version(policy, call.params["VersionId"])


@operations("DeletePolicyVersion")
def delete_policy_version(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    services.delete_policy_version(policy, call.params["VersionId"])


# EntityFilter -> the kinds of identity ListEntitiesForPolicy lists; without one (or with a policy-type filter) all three.
ENTITY_KINDS = {"User": ("users",), "Group": ("groups",), "Role": ("roles",)}
ALL_KINDS = ("groups", "users", "roles")


@operations("ListEntitiesForPolicy")
def list_entities_for_policy(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    prefix, account = call.params.get("PathPrefix", "/"), call.principal.account
    holders = {"groups": policy.attached_groups, "users": policy.attached_users, "roles": policy.attached_roles}
    entities = [
        (kind, entity)
        for kind in ENTITY_KINDS.get(call.params.get("EntityFilter"), ALL_KINDS)
        for entity in holders[kind].filter(account=account, path__startswith=prefix).order_by("name", "pk")
    ]
    rows, more = paged(call, entities, f"ListEntitiesForPolicy:{policy.pk}")
    return {
        "PolicyGroups": [{"GroupName": e.name, "GroupId": e.group_id} for kind, e in rows if kind == "groups"],
        "PolicyUsers": [{"UserName": e.name, "UserId": e.user_id} for kind, e in rows if kind == "users"],
        "PolicyRoles": [{"RoleName": e.name, "RoleId": e.role_id} for kind, e in rows if kind == "roles"],
        **more,
    }


@operations("TagPolicy")
def tag_policy(call):
    policy = find_policy(call, call.params["PolicyArn"])
    given = {item["Key"]: item["Value"] for item in call.params["Tags"]}
    call.authorize(policy.arn, request_tag_context(given))
    services.policies.tag_policy(policy, given)


@operations("UntagPolicy")
def untag_policy(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn, {"aws:TagKeys": call.params["TagKeys"]})
    services.policies.untag_policy(policy, call.params["TagKeys"])


@operations("ListPolicyTags")
def list_policy_tags(call):
    policy = find_policy(call, call.params["PolicyArn"])
    call.authorize(policy.arn)
    return tags_page(call, policy.tags, f"ListPolicyTags:{policy.pk}")
