from iam import services
from iam.identity_kinds import GROUP, USER
from iam.services.identities import rename_identity
from iam.models import IAMGroup

from . import operations
from .common import arn, find_identity, group_shape, paged, user_shape


@operations("CreateGroup")
def create_group(call):
    path, name = call.params.get("Path", "/"), call.params["GroupName"]
    call.authorize(arn(call, "group", path, name))
    return {"Group": group_shape(services.create_group(call.principal.account, name, path=path))}


@operations("GetGroup")
def get_group(call):
    group = find_identity(call, GROUP, call.params["GroupName"])
    call.authorize(group.arn)
    members, more = paged(call, group.members.select_related("account").order_by("name", "pk"), f"GetGroup:{group.pk}")
    return {"Group": group_shape(group), "Users": [user_shape(user) for user in members], **more}


@operations("ListGroups")
def list_groups(call):
    prefix = call.params.get("PathPrefix", "/")
    call.authorize(arn(call, "group", prefix, ""))
    groups = IAMGroup.objects.filter(account=call.principal.account, path__startswith=prefix).select_related("account")
    rows, more = paged(call, groups.order_by("name", "pk"), "ListGroups")
    return {"Groups": [group_shape(group) for group in rows], **more}


@operations("ListGroupsForUser")
def list_groups_for_user(call):
    user = find_identity(call, USER, call.params["UserName"])
    call.authorize(user.arn)
    rows, more = paged(call, user.groups.select_related("account").order_by("name", "pk"), f"ListGroupsForUser:{user.pk}")
    return {"Groups": [group_shape(group) for group in rows], **more}


@operations("UpdateGroup")
def update_group(call):
    group = find_identity(call, GROUP, call.params["GroupName"])
    call.authorize(group.arn)
    rename_identity(group, new_name=call.params.get("NewGroupName"), new_path=call.params.get("NewPath"))


@operations("DeleteGroup")
def delete_group(call):
    group = find_identity(call, GROUP, call.params["GroupName"])
    call.authorize(group.arn)
    services.delete_group(group)


@operations("AddUserToGroup")
def add_user_to_group(call):
    group = find_identity(call, GROUP, call.params["GroupName"])
    call.authorize(group.arn)
    services.add_user_to_group(group, find_identity(call, USER, call.params["UserName"]))


@operations("RemoveUserFromGroup")
def remove_user_from_group(call):
    group = find_identity(call, GROUP, call.params["GroupName"])
    call.authorize(group.arn)
    services.remove_user_from_group(group, find_identity(call, USER, call.params["UserName"]))
