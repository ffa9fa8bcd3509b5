"""Service-linked roles: created for their service on request, deleted through a deletion task with AWS's rules
(the AWS Support role never; the Trusted Advisor role only while Trusted Advisor is disabled)."""

from iam.exceptions import InvalidInput, NoSuchEntity
from iam.identity_kinds import ROLE
from iam.models import ServiceLinkedRoleDeletion
from iam.services import create_service_linked_role, delete_service_linked_role

from . import operations
from .common import find_identity, role_shape


@operations("CreateServiceLinkedRole")
def create(call):
    params = call.params
    service = params["AWSServiceName"]
    call.authorize(f"arn:aws:iam::{call.principal.account.account_id}:role/aws-service-role/{service}/*",
                   {"iam:AWSServiceName": service})
    role = create_service_linked_role(call.principal.account, service, description=params.get("Description"),
                                      custom_suffix=params.get("CustomSuffix"))
    return {"Role": role_shape(role)}


@operations("DeleteServiceLinkedRole")
def delete(call):
    role = find_identity(call, ROLE, call.params["RoleName"])
    call.authorize(role.arn)
    return {"DeletionTaskId": delete_service_linked_role(role).task_id}


@operations("GetServiceLinkedRoleDeletionStatus")
def deletion_status(call):
    task_id = call.params["DeletionTaskId"]
    call.authorize()
    if not task_id.startswith("task/aws-service-role/"):
        raise InvalidInput(f"Invalid deletion task id {task_id}.")
    task = ServiceLinkedRoleDeletion.objects.filter(account=call.principal.account, task_id=task_id).first()
    if task is None:
        raise NoSuchEntity(f"Deletion task {task_id} does not exist.")
    output = {"Status": task.status}
    if task.reason:
        output["Reason"] = {"Reason": task.reason}
    return output
