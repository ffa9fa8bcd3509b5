"""Every operation of the four service models is served, or refused exactly as AWS refuses a standalone account."""

import pytest
from botocore.exceptions import ClientError

from api.coverage import SERVICES, coverage
from api.refusals import REFUSALS
from tests.factories import allow


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_every_operation_is_served_or_refused(service):
    found = coverage(service)
    print(found)
    assert not found.missing, f"{found}; missing {sorted(found.missing)}"


def test_refusals_name_operations_of_their_models():
    for service in SERVICES:
        unknown = set(REFUSALS[service.name]) - set(service.model.operation_names)
        assert not unknown, f"{service.name} has no operations {sorted(unknown)}"


@pytest.mark.django_db(transaction=True)
def test_a_refused_operation_answers_as_aws_answers_a_standalone_account(account, root_api, user_api):
    with pytest.raises(ClientError) as caught:
        root_api("iam").list_organizations_features()
    assert caught.value.response["Error"]["Code"] == "OrganizationNotFoundException"
    assert "no organization is associated with your account" in caught.value.response["Error"]["Message"]

    with pytest.raises(ClientError) as caught:
        root_api("account").get_gov_cloud_account_information()
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    with pytest.raises(ClientError) as caught:
        root_api("iam").get_delegation_request(DelegationRequestId="dr-0123456789abcdef")
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
    assert "dr-0123456789abcdef" in caught.value.response["Error"]["Message"]


@pytest.mark.django_db(transaction=True)
def test_the_iam_check_comes_before_the_refusal(account, user_api):
    unpermitted = user_api("iam", account, allow("iam:ListUsers"))
    with pytest.raises(ClientError) as caught:
        unpermitted.list_organizations_features()
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    permitted = user_api("iam", account, allow("iam:ListOrganizationsFeatures"), name="org-reader")
    with pytest.raises(ClientError) as caught:
        permitted.list_organizations_features()
    assert caught.value.response["Error"]["Code"] == "OrganizationNotFoundException"
