"""Least privilege on the staff site: the Support engineers and Support catalog editors groups."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import AccountStatus
from cases import services
from cases.models import Service
from cases.staff_roles import (
    CATALOG_EDITORS,
    INSTRUCTORS,
    STAFF_GROUPS,
    SUPPORT_ENGINEERS,
    ensure_staff_groups,
    remove_staff_groups,
)

from .conftest import PNG, ec2_case_arguments

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/case/"


def group_permissions(name: str) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}


def test_the_migration_builds_the_groups_with_exactly_their_permissions_and_can_be_undone():
    for name in ("0003_staff_groups", "0004_instructors_group"):
        migration = importlib.import_module(f"cases.migrations.{name}").Migration
        assert all(operation.reversible for operation in migration.operations)
    ensure_staff_groups()
    ensure_staff_groups()  # running it again changes nothing
    assert Group.objects.filter(name__in=STAFF_GROUPS).count() == 3
    assert group_permissions(SUPPORT_ENGINEERS) == set(STAFF_GROUPS[SUPPORT_ENGINEERS])
    assert group_permissions(CATALOG_EDITORS) == set(STAFF_GROUPS[CATALOG_EDITORS])
    assert group_permissions(INSTRUCTORS) == {"training.view_cohort", "training.add_cohort", "training.change_cohort"}
    assert not any(name.startswith(("iam.", "auth.", "training.")) for name in STAFF_GROUPS[SUPPORT_ENGINEERS])
    remove_staff_groups()
    assert not Group.objects.filter(name__in=STAFF_GROUPS).exists()
    assert Permission.objects.filter(codename="view_case").exists()  # undoing keeps Django's own permissions


@pytest.fixture
def engineer_client(client, support_engineer):
    client.force_login(support_engineer)
    return client


def test_a_support_engineer_sees_only_the_queue_and_accounts(engineer_client, account):
    index = engineer_client.get("/staff/").content.decode()
    assert 'href="/staff/cases/case/"' in index and 'href="/staff/accounts/account/"' in index
    for hidden in ("/staff/auth/", "/staff/cases/service/", "/staff/cases/severitylevel/", "/staff/training/"):
        assert f'href="{hidden}' not in index
    for forbidden in (
        "/staff/auth/user/", "/staff/auth/user/add/", "/staff/auth/group/", "/staff/cases/service/",
        "/staff/cases/severitylevel/", "/staff/training/replytemplate/", "/staff/training/trainingprofile/",
    ):
        assert engineer_client.get(forbidden).status_code == 403, forbidden
    assert engineer_client.get("/staff/iam/").status_code == 404  # no IAM model is on the staff site
    page = engineer_client.get(f"/staff/accounts/account/{account.pk}/change/").content.decode()
    assert account.account_id in page and account.root_password not in page and "password hash" not in page


def test_a_support_engineer_reopens_a_closed_account(engineer_client, account):
    account.status, account.closed_at = AccountStatus.CLOSED, timezone.now()
    account.save()
    response = engineer_client.post(
        "/staff/accounts/account/", {"action": "reopen_selected", "_selected_action": [account.pk]}, follow=True
    )
    assert "was reopened" in response.content.decode()
    account.refresh_from_db()
    assert account.is_active


@pytest.fixture
def case_with_file(root):
    """A case the customer opened with a screenshot, and the staff site's download URL for it."""
    attachment_set = services.add_attachments_to_set(root, [("shot.png", PNG)])
    case = services.create_case(root, **ec2_case_arguments(), attachment_set_id=attachment_set.attachment_set_id)
    return case, f"{QUEUE}{case.pk}/attachments/{attachment_set.attachments.get().attachment_id}/"


def test_staff_without_case_permissions_cannot_open_cases_or_files(client, django_user_model, case_with_file):
    case, download = case_with_file
    client.force_login(django_user_model.objects.create_user("bystander", is_staff=True))
    for url in (QUEUE, f"{QUEUE}{case.pk}/change/", download):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{QUEUE}{case.pk}/change/", {"action": "assign"}).status_code == 403


def test_a_read_only_staff_member_reads_the_case_but_cannot_work_it(client, django_user_model, case_with_file):
    case, download = case_with_file
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(content_type__app_label="cases", codename="view_case"))
    client.force_login(reader)
    page = client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert case.subject in page and "Send reply" not in page and "Assign to me" not in page and download not in page
    assert client.post(f"{QUEUE}{case.pk}/change/", {"action": "assign"}).status_code == 403
    assert client.get(download).status_code == 403
    queue = client.get(QUEUE).content.decode()
    assert case.subject in queue and "Assign selected cases to me" not in queue and "action-select" not in queue
    case.refresh_from_db()
    assert case.assignee is None


def test_a_catalog_editor_edits_the_catalog_but_not_cases(client, django_user_model):
    ensure_staff_groups()
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=CATALOG_EDITORS))
    client.force_login(editor)
    ec2 = Service.objects.get(code="amazon-elastic-compute-cloud-linux")
    assert "Instance Issue" in client.get(f"/staff/cases/service/{ec2.pk}/change/").content.decode()
    assert client.get("/staff/training/replytemplate/").status_code == 200
    assert client.get(QUEUE).status_code == 403
