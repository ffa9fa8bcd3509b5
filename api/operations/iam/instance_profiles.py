"""Instance profiles over the wire, on iam.services.instance_profiles."""

from django.db.models import Prefetch

from iam.authorization import authorize_pass_role
from iam.exceptions import NoSuchEntity
from iam.identity_kinds import ROLE
from iam.models import InstanceProfile, Role
from iam.services import instance_profiles as services

from . import operations
from .common import arn, find_identity, paged, role_shape, tags
from .tags import request_tag_context, tags_page

_PROFILES = InstanceProfile.objects.select_related("account").prefetch_related(
    Prefetch("roles", queryset=Role.objects.select_related("account").order_by("name")))


def _profile(call) -> InstanceProfile:
    name = call.params["InstanceProfileName"]
    profile = _PROFILES.filter(account=call.principal.account, name__lower=name.lower()).first()
    if profile is None:
        raise NoSuchEntity(f"Instance Profile {name} cannot be found.")
    return profile


def _shape(profile: InstanceProfile) -> dict:
    return {"Path": profile.path, "InstanceProfileName": profile.name, "InstanceProfileId": profile.instance_profile_id,
            "Arn": profile.arn, "CreateDate": profile.created_at, "Roles": [role_shape(role) for role in profile.roles.all()],
            "Tags": tags(profile.tags)}


@operations("CreateInstanceProfile")
def create(call):
    path, name = call.params.get("Path", "/"), call.params["InstanceProfileName"]
    given = {tag["Key"]: tag["Value"] for tag in call.params.get("Tags", ())}
    call.authorize(arn(call, "instance-profile", path, name), request_tag_context(given))
    profile = services.create_instance_profile(call.principal.account, name, path=path, tags=given)
    return {"InstanceProfile": _shape(_PROFILES.get(pk=profile.pk))}


@operations("GetInstanceProfile")
def get(call):
    profile = _profile(call)
    call.authorize(profile.arn)
    return {"InstanceProfile": _shape(profile)}


@operations("DeleteInstanceProfile")
def delete(call):
    profile = _profile(call)
    call.authorize(profile.arn)
    services.delete_instance_profile(profile)


@operations("ListInstanceProfiles")
def list_profiles(call):
    prefix = call.params.get("PathPrefix", "/")
    call.authorize(arn(call, "instance-profile", prefix, ""))
    profiles = _PROFILES.filter(account=call.principal.account, path__startswith=prefix).order_by("name", "pk")
    rows, more = paged(call, profiles, f"ListInstanceProfiles:{prefix}")
    return {"InstanceProfiles": [_shape(profile) for profile in rows], **more}


@operations("ListInstanceProfilesForRole")
def list_for_role(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    rows, more = paged(call, _PROFILES.filter(roles=role).order_by("name", "pk"), f"ListInstanceProfilesForRole:{role.pk}")
    return {"InstanceProfiles": [_shape(profile) for profile in rows], **more}


def _profile_and_role(call):
    profile = _profile(call)
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(profile.arn)
    return profile, role


@operations("AddRoleToInstanceProfile")
def add_role(call):
    profile, role = _profile_and_role(call)
    # Instance profiles hand their role to EC2 instances; AWS documents this exact associated-resource pattern.
    instances = f"arn:aws:ec2:*:{call.principal.account.account_id}:instance/*"
    authorize_pass_role(call.principal, role, "ec2.amazonaws.com", instances)
    services.add_role_to_instance_profile(profile, role)


@operations("RemoveRoleFromInstanceProfile")
def remove_role(call):
    services.remove_role_from_instance_profile(*_profile_and_role(call))


@operations("TagInstanceProfile")
def tag(call):
    profile = _profile(call)
    given = {item["Key"]: item["Value"] for item in call.params["Tags"]}
    call.authorize(profile.arn, request_tag_context(given))
    services.tag_instance_profile(profile, given)


@operations("UntagInstanceProfile")
def untag(call):
    profile = _profile(call)
    call.authorize(profile.arn, {"aws:TagKeys": call.params["TagKeys"]})
    services.untag_instance_profile(profile, call.params["TagKeys"])


@operations("ListInstanceProfileTags")
def list_tags(call):
    profile = _profile(call)
    call.authorize(profile.arn)
    return tags_page(call, profile.tags, f"ListInstanceProfileTags:{profile.pk}")
