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


def test_lists_sort_by_any_column_and_page(account, root_client):
    from iam.services import add_user_to_group, create_group, create_user

    crowd = create_group(account, "crowd")
    for number in range(12):
        user = create_user(account, f"user{number:02d}")
        if number % 3 == 0:
            add_user_to_group(crowd, user)
    first = root_client.get("/iam/users/?sort=-name&per_page=10")
    names = [user.name for user in first.context["table"].page]
    assert names == [f"user{number:02d}" for number in range(11, 1, -1)]
    page = first.content.decode()
    assert 'aria-sort="descending"' in page and "1–10 of 12" in page and "page=2" in page
    second = root_client.get("/iam/users/?sort=-name&per_page=10&page=2")
    assert [user.name for user in second.context["table"].page] == ["user01", "user00"]
    by_groups = root_client.get("/iam/users/?sort=-groups").context["table"].page
    assert [user.name for user in by_groups][:4] == ["user09", "user06", "user03", "user00"]
    # An unknown column falls back to the default order instead of failing.
    assert root_client.get("/iam/users/?sort=password").context["table"].sort == "name"


def detail_urls(objects):
    user, group, role, policy = objects["user"].name, objects["group"].name, objects["role"].name, objects["policy"]
    return [
        reverse("iam:home"), reverse("iam:user-detail", args=[user]), reverse("iam:group-detail", args=[group]),
        reverse("iam:role-detail", args=[role]), reverse("iam:policy-detail", args=[policy.policy_id]),
        reverse("iam:simulator"), reverse("iam:security-credentials"),
    ]


@pytest.mark.parametrize("as_root", [True, False], ids=["root", "iam-admin"])
def test_detail_pages_keep_their_query_count_as_data_grows(account, root_client, iam_objects, as_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iam.principals import Principal
    from iam.services import (
        add_user_to_group, attach_policy, create_customer_managed_policy, create_group, create_policy_version,
        create_role, create_user, put_inline_policy, tag_identity,
    )
    from tests.conftest import console_client_for
    from tests.factories import USER_PASSWORD, allow, policy_document

    admin = create_user(account, "admin")
    attach_policy(admin, Policy.objects.get(account=None, name="AdministratorAccess"))
    client = root_client if as_root else console_client_for(Principal(account=account, user=admin))
    user, group, role, policy = (iam_objects[key] for key in ("user", "group", "role", "policy"))

    def counts():
        found = {}
        for url in detail_urls(iam_objects):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, follow=True).status_code == 200, url
            found[url] = len(queries)
        return found

    few = counts()
    document = policy_document(allow("s3:Get*"))
    for number in range(6):
        other = create_user(account, f"bulk{number}", password=USER_PASSWORD)
        add_user_to_group(group, other)
        attach_policy(other, policy)
        extra_group = create_group(account, f"extra{number}")
        add_user_to_group(extra_group, user)
        extra_role = create_role(account, f"extra{number}", role.trust_policy)
        attach_policy(extra_role, policy)
        extra_policy = create_customer_managed_policy(account, f"Extra{number}", document)
        for identity in (user, group, role):
            put_inline_policy(identity, f"Inline{number}", document)
            attach_policy(identity, extra_policy)
        create_access_key(account, other)
        tag_identity(user, {f"tag{number}": "v"})
    for _ in range(3):
        create_policy_version(policy, document)
    create_access_key(account, user)
    assert counts() == few


def test_lists_search_by_name_and_keep_the_search_while_sorting_and_paging(account, root_client, iam_objects):
    from iam.services import create_user

    for number in range(12):
        create_user(account, f"team-{number:02d}")
    found = root_client.get("/iam/users/?q=TEAM&per_page=10&sort=-name")
    assert [user.name for user in found.context["table"].page][:2] == ["team-11", "team-10"]
    page = found.content.decode()
    assert 'value="TEAM"' in page and "1–10 of 12" in page and "q=TEAM" in page
    assert [user.name for user in root_client.get("/iam/users/?q=ali").context["table"].page] == ["alice"]
    aws_admin = root_client.get("/iam/policies/?scope=aws&q=admin").context["table"].page
    assert [policy.name for policy in aws_admin] == ["AdministratorAccess"]
    assert [g.name for g in root_client.get("/iam/groups/?q=dev").context["table"].page] == ["developers"]
    assert [r.name for r in root_client.get("/iam/roles/?q=nothing-like-this").context["table"].page] == []
