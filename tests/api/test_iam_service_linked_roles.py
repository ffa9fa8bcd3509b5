"""Service-linked roles through boto3, with the AWS Support User Guide's rules."""

import pytest
from botocore.exceptions import ClientError

from advisor.services.preferences import disable_trusted_advisor, enable_trusted_advisor
from iam.principals import Principal
from iam.services import create_service_linked_roles

pytestmark = pytest.mark.django_db(transaction=True)
TA, SUPPORT = "AWSServiceRoleForTrustedAdvisor", "AWSServiceRoleForSupport"


def error(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"]


@pytest.fixture
def iam(account, root_api):
    create_service_linked_roles(account)
    return root_api("iam")


def test_the_support_role_is_never_deleted(iam):
    task = iam.delete_service_linked_role(RoleName=SUPPORT)["DeletionTaskId"]
    assert task.startswith("task/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport/")
    status = iam.get_service_linked_role_deletion_status(DeletionTaskId=task)
    assert status["Status"] == "FAILED" and "can't be deleted" in status["Reason"]["Reason"]
    assert iam.get_role(RoleName=SUPPORT)["Role"]["Path"] == "/aws-service-role/support.amazonaws.com/"


def test_the_trusted_advisor_role_goes_only_while_trusted_advisor_is_disabled_and_comes_back(account, iam):
    failed = iam.delete_service_linked_role(RoleName=TA)["DeletionTaskId"]
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=failed)["Status"] == "FAILED"
    root = Principal(account=account)
    disable_trusted_advisor(root)
    done = iam.delete_service_linked_role(RoleName=TA)["DeletionTaskId"]
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=done)["Status"] == "SUCCEEDED"
    assert error(iam.get_role, RoleName=TA) == "NoSuchEntity"

    created = iam.create_service_linked_role(AWSServiceName="trustedadvisor.amazonaws.com")["Role"]
    assert created["RoleName"] == TA
    assert created["Arn"].endswith(":role/aws-service-role/trustedadvisor.amazonaws.com/AWSServiceRoleForTrustedAdvisor")
    assert error(iam.create_service_linked_role, AWSServiceName="trustedadvisor.amazonaws.com") == "InvalidInput"
    enable_trusted_advisor(root)  # possible again now that the role is back


def test_bad_requests(iam):
    assert error(iam.create_service_linked_role, AWSServiceName="elasticbeanstalk.amazonaws.com") == "InvalidInput"
    assert error(iam.get_service_linked_role_deletion_status, DeletionTaskId="task/aws-service-role/x/y/z") == (
        "NoSuchEntity")
    assert error(iam.get_service_linked_role_deletion_status, DeletionTaskId="nonsense") == "InvalidInput"
    iam.create_role(RoleName="plain", AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": '
                    '"Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
    assert error(iam.delete_service_linked_role, RoleName="plain") == "InvalidInput"
