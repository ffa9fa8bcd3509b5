"""Service last accessed data through boto3, read from the event history."""

import pytest
from botocore.exceptions import ClientError

from tests.factories import allow

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def test_services_a_user_may_reach_and_when_it_last_did(account, root_api, make_user, keys, client_for):
    user = make_user(account, allow("iam:List*"), allow("sts:GetCallerIdentity"), allow("support:*"), name="worker")
    as_user = client_for("iam", *keys(account, user))
    as_user.list_users()
    as_user.list_roles()
    iam = root_api("iam")

    job = iam.generate_service_last_accessed_details(Arn=user.arn)["JobId"]
    details = iam.get_service_last_accessed_details(JobId=job)
    assert details["JobStatus"] == "COMPLETED"
    services = {s["ServiceNamespace"]: s for s in details["ServicesLastAccessed"]}
    assert set(services) == {"iam", "sts", "support"}  # what its policy allows
    assert services["iam"]["LastAuthenticatedEntity"] == user.arn
    assert services["iam"]["LastAuthenticatedRegion"] == "us-east-1"
    assert services["iam"]["TotalAuthenticatedEntities"] == 1
    assert "LastAuthenticated" not in services["support"]  # never used
    assert details["ServicesLastAccessed"][0]["ServiceNamespace"] == "iam"  # used services first

    first = iam.get_service_last_accessed_details(JobId=job, MaxItems=2)
    rest = iam.get_service_last_accessed_details(JobId=job, Marker=first["Marker"])
    assert len(first["ServicesLastAccessed"] + rest["ServicesLastAccessed"]) == 3

    actions = iam.get_service_last_accessed_details(JobId=iam.generate_service_last_accessed_details(
        Arn=user.arn, Granularity="ACTION_LEVEL")["JobId"])
    [iam_service] = [s for s in actions["ServicesLastAccessed"] if s["ServiceNamespace"] == "iam"]
    assert [a["ActionName"] for a in iam_service["TrackedActionsLastAccessed"]] == ["ListRoles", "ListUsers"]

    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")
    [listed] = entities["EntityDetailsList"]
    assert listed["EntityInfo"]["Name"] == "worker" and listed["EntityInfo"]["Type"] == "USER"
    assert listed["LastAuthenticated"]


def test_groups_and_policies_count_their_members(account, root_api, make_user, keys, client_for):
    iam = root_api("iam")
    member = make_user(account, allow("iam:ListUsers"), name="member")
    iam.create_group(GroupName="team")
    iam.add_user_to_group(GroupName="team", UserName="member")
    iam.put_group_policy(GroupName="team", PolicyName="p", PolicyDocument='{"Version": "2012-10-17", "Statement": '
                         '[{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}')
    client_for("iam", *keys(account, member)).list_users()
    group_arn = iam.get_group(GroupName="team")["Group"]["Arn"]
    job = iam.generate_service_last_accessed_details(Arn=group_arn)["JobId"]
    [service] = iam.get_service_last_accessed_details(JobId=job)["ServicesLastAccessed"]
    assert (service["ServiceNamespace"], service["LastAuthenticatedEntity"]) == ("iam", member.arn)


def test_unknown_entities_and_jobs(account, root_api):
    iam = root_api("iam")
    ghost = f"arn:aws:iam::{account.account_id}:user/ghost"
    assert error(iam.generate_service_last_accessed_details, Arn=ghost) == "NoSuchEntity"
    assert error(iam.get_service_last_accessed_details, JobId="00000000-0000-0000-0000-000000000000") == "NoSuchEntity"


def test_policies_granting_service_access(account, root_api, make_user):
    iam = root_api("iam")
    user = make_user(account, allow("iam:ListUsers"), name="granted")
    iam.put_user_policy(UserName="granted", PolicyName="support-inline", PolicyDocument='{"Version": "2012-10-17", '
                        '"Statement": [{"Effect": "Allow", "Action": "support:*", "Resource": "*"}]}')
    found = iam.list_policies_granting_service_access(Arn=user.arn, ServiceNamespaces=["iam", "support", "sts"])
    by_namespace = {entry["ServiceNamespace"]: entry["Policies"] for entry in found["PoliciesGrantingServiceAccess"]}
    assert [p["PolicyType"] for p in by_namespace["iam"]] == ["MANAGED"]
    assert by_namespace["support"] == [{"PolicyName": "support-inline", "PolicyType": "INLINE", "EntityType": "USER",
                                        "EntityName": "granted"}]
    assert by_namespace["sts"] == []
    ghost = f"arn:aws:iam::{account.account_id}:user/ghost"
    assert error(iam.list_policies_granting_service_access, Arn=ghost, ServiceNamespaces=["iam"]) == "NoSuchEntity"
