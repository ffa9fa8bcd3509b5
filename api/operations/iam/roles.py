from iam import services
from iam.identity_kinds import ROLE
from iam.models import Role

from . import operations
from .common import arn, find_identity, paged, role_shape
from .boundaries import boundary_on_create, boundary_shape
from .tags import tag_on_create


@operations("CreateRole")
def create_role(call):
    params = call.params
    path, name = params.get("Path", "/"), params["RoleName"]
    call.authorize(arn(call, "role", path, name))
    optional = {"max_session_duration": params["MaxSessionDuration"]} if "MaxSessionDuration" in params else {}
    role = services.create_role(
        call.principal.account, name, params["AssumeRolePolicyDocument"], path=path,
        description=params.get("Description", ""), **optional,
    )
    boundary_on_create(call, role)
    tag_on_create(call, role, ROLE)
    return {"Role": role_shape(role)}


@operations("GetRole")
def get_role(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    return {"Role": {**role_shape(role), "PermissionsBoundary": boundary_shape(role)}}


@operations("ListRoles")
def list_roles(call):
    prefix = call.params.get("PathPrefix", "/")
    call.authorize(arn(call, "role", prefix, ""))
    roles = Role.objects.filter(account=call.principal.account, path__startswith=prefix).select_related("account")
    rows, more = paged(call, roles.order_by("name", "pk"), "ListRoles")
    return {"Roles": [role_shape(role) for role in rows], **more}


@operations("UpdateRole")
def update_role(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    services.update_role(role, description=call.params.get("Description"),
                         max_session_duration=call.params.get("MaxSessionDuration"))


@operations("UpdateRoleDescription")
def update_role_description(call):
    """The older form of UpdateRole: a service-linked role accepts it too (its description is the customer's)."""
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    return {"Role": role_shape(services.update_role(role, description=call.params["Description"]))}


@operations("UpdateAssumeRolePolicy")
def update_assume_role_policy(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    services.update_trust_policy(role, call.params["PolicyDocument"])


@operations("DeleteRole")
def delete_role(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    services.delete_role(role)
