"""The selectors the dashboard and Trusted Advisor read, and the dashboard itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iam.models import AccessKey, Role
from iam.selectors import (
    access_key_ages,
    account_password_policy,
    policies_allowing_everything,
    root_access_keys,
    root_mfa_enabled,
    security_recommendations,
    unused_roles,
    users_without_mfa,
)
from iam.services import create_access_key, create_customer_managed_policy, create_role, create_user, update_password_policy
from tests.factories import USER_PASSWORD, allow, policy_document

from .conftest import TRUST
from .test_mfa import enrolled

pytestmark = pytest.mark.django_db


def by_key(account, **kwargs):
    return {item.key: item.ok for item in security_recommendations(account, **kwargs)}


def test_a_fresh_account_is_asked_for_root_mfa_only(account):
    assert by_key(account) == {"root-mfa": False, "root-access-keys": True, "users-mfa": True, "old-access-keys": True}
    enrolled(account)
    assert root_mfa_enabled(account) and by_key(account)["root-mfa"]


def test_root_access_keys_are_flagged(account):
    key, _ = create_access_key(account)
    assert root_access_keys(account) == [key] and not by_key(account)["root-access-keys"]


def test_console_users_without_mfa_are_listed(account):
    with_password = create_user(account, "human", password=USER_PASSWORD)
    create_user(account, "robot")  # no console password: MFA does not apply
    assert users_without_mfa(account) == [with_password]
    enrolled(account, with_password)
    assert users_without_mfa(account) == []


def test_active_keys_older_than_90_days(account):
    user = create_user(account, "u")
    key, _ = create_access_key(account, user)
    AccessKey.objects.filter(pk=key.pk).update(created_at=timezone.now() - timedelta(days=91))
    ages = access_key_ages(account)
    assert ages[0].owner == "u" and ages[0].is_old and ages[0].last_used_at is None
    assert not by_key(account)["old-access-keys"]
    AccessKey.objects.filter(pk=key.pk).update(status="Inactive")
    assert by_key(account)["old-access-keys"]


def test_unused_roles_and_admin_policies(account):
    old = create_role(account, "old", TRUST)
    create_role(account, "recent", TRUST)
    Role.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert unused_roles(account) == [Role.objects.get(pk=old.pk)]
    admin = create_customer_managed_policy(account, "Admin", policy_document(allow("*")))
    create_customer_managed_policy(account, "S3", policy_document(allow("s3:*")))
    assert policies_allowing_everything(account) == [admin]


def test_password_policy_selector(account):
    assert account_password_policy(account) is None
    update_password_policy(account, minimum_length=14)
    assert account_password_policy(account).minimum_length == 14


def test_dashboard_shows_counts_recommendations_and_alias(account, root_client):
    account.alias = "acme"
    account.save()
    create_user(account, "human", password=USER_PASSWORD)
    create_role(account, "r", TRUST)
    response = root_client.get("/iam/")
    page = response.content.decode()
    assert response.context["summary"]["users"] == 1 and response.context["summary"]["roles"] == 1
    assert "/signin/acme/" in page and "1 IAM user(s) without MFA: human" in page
