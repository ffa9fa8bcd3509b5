from iam import services
from iam.identity_kinds import USER
from iam.services.identities import rename_identity
from iam.models import IAMUser
from portal.inserts import write_waiting

from . import operations
from .common import arn, find_user, paged, user_or_caller, user_shape
from .boundaries import boundary_on_create, boundary_shape
from .tags import tag_on_create


@operations("CreateUser", key_confirmed_by_write=True)
def create_user(call):
    path, name = call.params.get("Path", "/"), call.params["UserName"]
    call.authorize(arn(call, "user", path, name))
    user = services.create_user(call.principal.account, name, path=path, defer=True)
    if call.params.get("Tags") or "PermissionsBoundary" in call.params:
        write_waiting()  # the user's row, for the tags and boundary that refer to it; else it goes with the event
    boundary_on_create(call, user)
    tag_on_create(call, user, USER)
    return {"User": user_shape(user)}


@operations("GetUser")
def get_user(call):
    user = user_or_caller(call)
    if user is None:
        account = call.principal.account
        call.authorize(account.root_arn)
        return {"User": {"UserId": account.account_id, "Arn": account.root_arn, "CreateDate": account.created_at}}
    call.authorize(user.arn)
    return {"User": {**user_shape(user), "PermissionsBoundary": boundary_shape(user)}}


@operations("ListUsers")
def list_users(call):
    prefix = call.params.get("PathPrefix", "/")
    call.authorize(arn(call, "user", prefix, ""))
    users = IAMUser.objects.filter(account=call.principal.account, path__startswith=prefix).select_related("account")
    rows, more = paged(call, users.order_by("name", "pk"), "ListUsers")
    return {"Users": [user_shape(user) for user in rows], **more}


@operations("UpdateUser")
def update_user(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    rename_identity(user, new_name=call.params.get("NewUserName"), new_path=call.params.get("NewPath"))


@operations("DeleteUser")
def delete_user(call):
    user = find_user(call, call.params["UserName"])
    call.authorize(user.arn)
    services.delete_user(user)
