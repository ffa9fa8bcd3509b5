"""Service last accessed data over the wire, on iam.access_advisor (the console's Access Advisor tab reads the same).

A job is recorded when generated; the sandbox reads the history at once, so every job is COMPLETED."""

from iam.access_advisor import entities_last_accessed, policies_granting_service_access, service_last_accessed
from iam.exceptions import NoSuchEntity
from iam.models import ServiceLastAccessedJob

from . import operations
from .common import paged


def _entity_missing(arn: str) -> NoSuchEntity:
    return NoSuchEntity(f"The entity {arn} cannot be found.")


@operations("GenerateServiceLastAccessedDetails")
def generate(call):
    arn = call.params["Arn"]
    call.authorize(arn)
    if service_last_accessed(call.principal.account, arn) is None:
        raise _entity_missing(arn)
    job = ServiceLastAccessedJob.objects.create(
        account=call.principal.account, entity_arn=arn, granularity=call.params.get("Granularity", "SERVICE_LEVEL"))
    return {"JobId": str(job.job_id)}


def _job(call) -> ServiceLastAccessedJob:
    job = ServiceLastAccessedJob.objects.filter(account=call.principal.account, job_id=call.params["JobId"]).first()
    if job is None:
        raise NoSuchEntity(f"Job {call.params['JobId']} does not exist.")
    return job


def _job_members(job) -> dict:
    return {"JobStatus": "COMPLETED", "JobCreationDate": job.created_at, "JobCompletionDate": job.created_at}


def _service_shape(service, action_level: bool) -> dict:
    shape = {
        "ServiceName": service.name,
        "ServiceNamespace": service.namespace,
        "LastAuthenticated": service.last_authenticated,
        "LastAuthenticatedEntity": service.entity_arn or None,
        "LastAuthenticatedRegion": service.region or None,
        "TotalAuthenticatedEntities": service.total_entities,
    }
    if action_level and service.actions:
        shape["TrackedActionsLastAccessed"] = [
            {"ActionName": action.action, "LastAccessedTime": action.last_accessed} for action in service.actions
        ]
    return shape


@operations("GetServiceLastAccessedDetails")
def get(call):
    call.authorize()
    job = _job(call)
    services = service_last_accessed(call.principal.account, job.entity_arn, job.granularity)
    if services is None:
        raise _entity_missing(job.entity_arn)
    rows, more = paged(call, services, f"GetServiceLastAccessedDetails:{job.job_id}")
    action_level = job.granularity == "ACTION_LEVEL"
    return {**_job_members(job), "JobType": job.granularity,
            "ServicesLastAccessed": [_service_shape(service, action_level) for service in rows], **more}


@operations("GetServiceLastAccessedDetailsWithEntities")
def get_with_entities(call):
    call.authorize()
    job = _job(call)
    listed = entities_last_accessed(call.principal.account, job.entity_arn, call.params["ServiceNamespace"])
    if listed is None:
        raise _entity_missing(job.entity_arn)
    rows, more = paged(call, listed, f"GetServiceLastAccessedDetailsWithEntities:{job.job_id}")
    return {**_job_members(job), "EntityDetailsList": [
        {"EntityInfo": {"Arn": item.identity.arn, "Name": item.identity.name, "Type": item.kind,
                        "Id": item.identity.user_id if item.kind == "USER" else item.identity.role_id,
                        "Path": item.identity.path},
         "LastAuthenticated": item.last_authenticated}
        for item in rows
    ], **more}


@operations("ListPoliciesGrantingServiceAccess")
def list_policies_granting_service_access(call):
    arn = call.params["Arn"]
    call.authorize(arn)
    found = policies_granting_service_access(call.principal.account, arn, call.params["ServiceNamespaces"])
    if found is None:
        raise _entity_missing(arn)
    return {"PoliciesGrantingServiceAccess": [
        {"ServiceNamespace": namespace, "Policies": [
            {"PolicyName": grant.name, "PolicyType": grant.policy_type, "PolicyArn": grant.arn or None,
             "EntityType": grant.entity_type or None, "EntityName": grant.entity_name or None}
            for grant in grants]}
        for namespace, grants in found
    ], "IsTruncated": False}
