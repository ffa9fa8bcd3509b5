"""Permissions boundaries of users and roles: the managed policy that caps what their identity policies grant."""

from iam.identity_kinds import ROLE, USER
from iam.services.policies import delete_permissions_boundary, put_permissions_boundary

from . import operations
from .common import find_identity, find_policy


def boundary_shape(identity) -> dict | None:
    """PermissionsBoundary in GetUser/GetRole (listings leave it out, as IAM's do)."""
    if identity.permissions_boundary_id is None:
        return None
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": identity.permissions_boundary.arn}


def boundary_on_create(call, identity) -> None:
    """CreateUser/CreateRole with PermissionsBoundary."""
    if "PermissionsBoundary" in call.params:
        put_permissions_boundary(identity, find_policy(call, call.params["PermissionsBoundary"]))


def _register(kind) -> None:
    noun = kind.noun

    @operations(f"Put{noun}PermissionsBoundary")
    def put(call):
        identity = find_identity(call, kind, call.params[f"{noun}Name"])
        call.authorize(identity.arn, {"iam:PermissionsBoundary": call.params["PermissionsBoundary"]})
        put_permissions_boundary(identity, find_policy(call, call.params["PermissionsBoundary"]))

    @operations(f"Delete{noun}PermissionsBoundary")
    def delete(call):
        identity = find_identity(call, kind, call.params[f"{noun}Name"])
        call.authorize(identity.arn)
        delete_permissions_boundary(identity)


for _kind in (USER, ROLE):
    _register(_kind)
