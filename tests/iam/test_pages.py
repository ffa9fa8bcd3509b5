"""Every IAM page renders for the root user and keeps its query count as data grows."""

import pytest
from django.urls import reverse

from iam.models import IAMUser, Policy
from iam.services import create_access_key

pytestmark = pytest.mark.django_db


def page_urls(objects):
    user, group, role, policy = objects["user"].name, objects["group"].name, objects["role"].name, objects["policy"]
    aws_policy = Policy.objects.get(account=None, name="ReadOnlyAccess")
    return [
        reverse("iam:home"),
        reverse("iam:user-list"), reverse("iam:user-create"), reverse("iam:user-detail", args=[user]),
        reverse("iam:user-delete", args=[user]), reverse("iam:user-password", args=[user]),
        reverse("iam:user-inline-new", args=[user]), reverse("iam:user-mfa", args=[user]),
        reverse("iam:user-access-key-create", args=[user]),
        reverse("iam:group-list"), reverse("iam:group-create"), reverse("iam:group-detail", args=[group]),
        reverse("iam:group-delete", args=[group]), reverse("iam:group-inline-new", args=[group]),
        reverse("iam:role-list"), reverse("iam:role-create"), reverse("iam:role-detail", args=[role]),
        reverse("iam:role-edit", args=[role]), reverse("iam:role-trust", args=[role]), reverse("iam:role-delete", args=[role]),
        reverse("iam:role-inline-new", args=[role]),
        reverse("iam:policy-list"), reverse("iam:policy-create"), reverse("iam:policy-detail", args=[policy.policy_id]),
        reverse("iam:policy-detail", args=[aws_policy.policy_id]), reverse("iam:policy-delete", args=[policy.policy_id]),
        reverse("iam:policy-version-create", args=[policy.policy_id]),
        reverse("iam:password-policy"), reverse("iam:password-policy-edit"),
        reverse("iam:security-credentials"), reverse("iam:root-mfa"), reverse("iam:root-access-key-create"),
        reverse("iam:simulator"),
    ]


def test_every_page_renders_for_the_root_user(account, root_client, iam_objects):
    create_access_key(account, iam_objects["user"])
    for url in page_urls(iam_objects):
        response = root_client.get(url)
        assert response.status_code == 200, url


def test_policy_list_filters_by_type(account, root_client, iam_objects):
    customer = root_client.get("/iam/policies/?scope=customer&per_page=100").context["table"].page
    assert [policy.name for policy in customer] == ["Custom"]
    aws = root_client.get("/iam/policies/?scope=aws&per_page=100").context["table"].page
    assert "AdministratorAccess" in [policy.name for policy in aws] and "Custom" not in [p.name for p in aws]


@pytest.mark.parametrize("url_name", ["iam:user-list", "iam:group-list", "iam:role-list", "iam:policy-list"])
def test_list_query_counts_do_not_grow(account, root_client, iam_objects, url_name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iam.services import create_group, create_role, create_customer_managed_policy

    with CaptureQueriesContext(connection) as few:
        root_client.get(reverse(url_name))
    for number in range(12):
        IAMUser.objects.create(account=account, name=f"bulk{number}")
        create_group(account, f"group{number}")
        create_role(account, f"role{number}", iam_objects["role"].trust_policy)
        create_customer_managed_policy(account, f"Bulk{number}", iam_objects["policy"].versions.get().document)
    with CaptureQueriesContext(connection) as many:
        root_client.get(reverse(url_name))
    assert len(many) == len(few)
