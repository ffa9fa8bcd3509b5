"""Add permissions: a searchable list with descriptions instead of a bare dropdown; several policies at once."""

import pytest

from iam.models import Policy
from iam.services import attach_policy, create_role, create_user
from tests.factories import AccountFactory, allow, deny

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def test_the_list_shows_descriptions_and_leaves_out_attached_and_service_role_policies(account, root_client):
    user = create_user(account, "ann")
    attach_policy(user, Policy.objects.get(account=None, name="ReadOnlyAccess"))
    response = root_client.get("/iam/users/ann/policies/attach/")
    names = [policy.name for policy in response.context["policies"]]
    assert "ReadOnlyAccess" not in names and "IAMReadOnlyAccess" in names
    assert not any(policy.path.startswith("/aws-service-role/") for policy in response.context["policies"])
    body = response.content.decode()
    assert Policy.objects.get(account=None, name="IAMReadOnlyAccess").description in body
    assert "js/policy-picker.js" in body and "data-policy-search" in body


def test_several_policies_attach_at_once(account, root_client):
    create_role(account, "ops", TRUST)
    arns = [Policy.objects.get(account=None, name=name).arn for name in ("IAMReadOnlyAccess", "AWSSupportAccess")]
    response = root_client.post("/iam/roles/ops/policies/attach/", {"policy_arn": arns})
    assert response["Location"] == "/iam/roles/ops/?tab=permissions"
    page = root_client.get(response["Location"]).content.decode()
    assert "2 policies attached to ops." in page


def test_nothing_chosen_or_an_unknown_policy_is_explained(account, root_client):
    create_user(account, "bea")
    empty = root_client.post("/iam/users/bea/policies/attach/", {}, follow=True)
    assert "Choose at least one policy to attach." in empty.content.decode()
    unknown = root_client.post("/iam/users/bea/policies/attach/", {"policy_arn": "arn:aws:iam::aws:policy/Nope"}, follow=True)
    assert "NoSuchEntity" in unknown.content.decode() and unknown.redirect_chain[-1][0] == "/iam/users/bea/policies/attach/"


def test_each_policy_is_checked_with_its_arn(account, user_client):
    create_user(account, "cid")
    read_only, support = (Policy.objects.get(account=None, name=name) for name in ("ReadOnlyAccess", "AWSSupportAccess"))
    client = user_client(account, allow("iam:AttachUserPolicy"),
                         deny("iam:AttachUserPolicy", Condition={"ArnEquals": {"iam:PolicyARN": read_only.arn}}))
    assert client.get("/iam/users/cid/policies/attach/").status_code == 200
    refused = client.post("/iam/users/cid/policies/attach/", {"policy_arn": [support.arn, read_only.arn]})
    assert refused.status_code == 403 and not Policy.objects.get(pk=support.pk).attached_users.exists()
    assert client.post("/iam/users/cid/policies/attach/", {"policy_arn": [support.arn]}).status_code == 302


def test_another_accounts_user_is_not_found(account, root_client):
    create_user(AccountFactory(), "dee")
    assert root_client.get("/iam/users/dee/policies/attach/").status_code == 404
    assert root_client.post("/iam/users/dee/policies/attach/", {"policy_arn": "x"}).status_code == 404


def test_the_page_needs_attach_permission(account, user_client):
    create_user(account, "eve")
    assert user_client(account, allow("iam:GetUser")).get("/iam/users/eve/policies/attach/").status_code == 403


def test_the_list_query_count_does_not_grow(account, root_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iam.services import create_customer_managed_policy
    from tests.factories import policy_document

    create_user(account, "fay")
    create_customer_managed_policy(account, "One", policy_document(allow("iam:GetUser")))
    with CaptureQueriesContext(connection) as one:
        root_client.get("/iam/users/fay/policies/attach/")
    for number in range(15):
        create_customer_managed_policy(account, f"More{number}", policy_document(allow("iam:GetUser")))
    with CaptureQueriesContext(connection) as many:
        root_client.get("/iam/users/fay/policies/attach/")
    assert len(many) == len(one)
