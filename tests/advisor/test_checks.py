"""Each check flags on real portal data and clears when the data is fixed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import regions
from accounts.models import AlternateContactType, RegionOptIn
from accounts.services import put_alternate_contact
from iam.models import AccessKey, AccessKeyStatus, IAMUser, MFADevice, Role
from iam.services import (
    add_user_to_group,
    attach_user_policy,
    create_access_key,
    create_group,
    create_role,
    create_virtual_mfa_device,
    delete_access_key,
    update_access_key_status,
    update_password_policy,
)
from tests.factories import IAMUserFactory, PolicyFactory, allow, policy_document

pytestmark = pytest.mark.django_db

ROOT_MFA, IAM_USE, PASSWORD_POLICY, ROOT_KEYS = "7DAFEmoDos", "zXCkfM1nI3", "Yw2K9puPzl", "Ro0tAkEy01"
ROTATION, UNUSED_KEYS, INACTIVE_USERS, USERS_NO_MFA = "DqdJqYeRm5", "UnUsEdAk90", "InAcTvUs90", "MfAcOnUs01"
UNUSED_ROLES, FULL_ACCESS, CONTACTS, ADMINS = "UnUsEdRl90", "FuLlAdMn01", "AltCntct01", "BrkGlAdm01"
UNUSED_REGIONS, SERVICE_LIMITS = "RgnUnUsd01", "eW7HH0l7J9"
LONG_AGO = timezone.now() - timedelta(days=120)
TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'


def age(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def enable_mfa(account, user=None):
    device = create_virtual_mfa_device(account, user)
    age(MFADevice, device.pk, enabled_at=timezone.now())


def test_root_mfa(account, flagged):
    assert flagged(account, ROOT_MFA) == {account.account_id: "error"}
    enable_mfa(account)
    assert flagged(account, ROOT_MFA) == {}


def test_iam_use(account, flagged):
    assert flagged(account, IAM_USE) == {account.account_id: "warning"}
    IAMUserFactory(account=account)
    assert flagged(account, IAM_USE) == {}


def test_password_policy_missing_partial_and_complete(account, flagged):
    assert flagged(account, PASSWORD_POLICY) == {account.account_id: "error"}
    update_password_policy(account, require_uppercase=True)
    assert flagged(account, PASSWORD_POLICY) == {account.account_id: "warning"}
    update_password_policy(
        account, require_uppercase=True, require_lowercase=True, require_numbers=True, require_symbols=True
    )
    assert flagged(account, PASSWORD_POLICY) == {}


def test_root_access_keys(account, flagged):
    key, _ = create_access_key(account)
    assert flagged(account, ROOT_KEYS) == {key.access_key_id: "error"}
    update_access_key_status(key, AccessKeyStatus.INACTIVE)
    assert flagged(account, ROOT_KEYS) == {}


def test_access_key_rotation_yellow_then_red_then_rotated(account, flagged):
    user = IAMUserFactory(account=account)
    key, _ = create_access_key(account, user)
    assert flagged(account, ROTATION) == {}
    age(AccessKey, key.pk, created_at=timezone.now() - timedelta(days=91))
    assert flagged(account, ROTATION) == {key.access_key_id: "warning"}
    age(AccessKey, key.pk, created_at=timezone.now() - timedelta(days=800))
    assert flagged(account, ROTATION) == {key.access_key_id: "error"}
    fresh, _ = create_access_key(account, user)
    delete_access_key(AccessKey.objects.get(pk=key.pk))
    assert flagged(account, ROTATION) == {}


def test_unused_access_keys(account, flagged):
    user = IAMUserFactory(account=account)
    key, _ = create_access_key(account, user)
    age(AccessKey, key.pk, created_at=LONG_AGO)
    assert flagged(account, UNUSED_KEYS) == {key.access_key_id: "warning"}
    age(AccessKey, key.pk, last_used_at=timezone.now())
    assert flagged(account, UNUSED_KEYS) == {}


def test_inactive_users(account, flagged):
    user = IAMUserFactory(account=account)
    IAMUserFactory(account=account, password="")  # no console password: ignored
    age(IAMUser, user.pk, created_at=LONG_AGO)
    assert flagged(account, INACTIVE_USERS) == {user.arn: "warning"}
    age(IAMUser, user.pk, password_last_used=timezone.now())
    assert flagged(account, INACTIVE_USERS) == {}


def test_console_users_without_mfa(account, flagged):
    user = IAMUserFactory(account=account)
    IAMUserFactory(account=account, password="")
    assert flagged(account, USERS_NO_MFA) == {user.arn: "error"}
    enable_mfa(account, user)
    assert flagged(account, USERS_NO_MFA) == {}


def test_unused_roles_skip_service_linked_ones(account, flagged):
    role = create_role(account, "builder", TRUST)
    assert flagged(account, UNUSED_ROLES) == {}
    age(Role, role.pk, created_at=LONG_AGO)
    assert flagged(account, UNUSED_ROLES) == {role.arn: "warning"}
    age(Role, role.pk, last_used_at=timezone.now(), last_used_region="eu-west-1")
    assert flagged(account, UNUSED_ROLES) == {}


def test_policies_granting_full_access(account, flagged):
    PolicyFactory(account=account, document=policy_document(allow("s3:*")))
    everything = PolicyFactory(account=account, document=policy_document(allow("*")))
    assert flagged(account, FULL_ACCESS) == {everything.arn: "warning"}
    everything.delete()
    assert flagged(account, FULL_ACCESS) == {}


def test_alternate_contacts(account, root, flagged):
    missing = {f"{account.account_id}/{kind}": "warning" for kind in AlternateContactType.values}
    assert flagged(account, CONTACTS) == missing
    for kind in AlternateContactType.values:
        put_alternate_contact(root, kind, name="Pat", title="Lead", email_address="pat@example.com", phone_number="+1 206-555-0100")
    assert flagged(account, CONTACTS) == {}


def test_administrator_redundancy(account, flagged, make_user):
    assert flagged(account, ADMINS) == {account.account_id: "error"}
    make_user(account, allow("iam:*"))
    assert flagged(account, ADMINS) == {account.account_id: "warning"}
    make_user(account, allow("*"))
    assert flagged(account, ADMINS) == {}


def test_enabled_regions_not_in_use(account, flagged):
    RegionOptIn.objects.create(account=account, region_name="eu-south-1", status=regions.ENABLED, changed_at=timezone.now())
    assert flagged(account, UNUSED_REGIONS) == {"eu-south-1": "warning"}
    key, _ = create_access_key(account, IAMUserFactory(account=account))
    age(AccessKey, key.pk, last_used_region="eu-south-1")
    assert flagged(account, UNUSED_REGIONS) == {}


def test_service_limits_yellow_at_80_percent_and_red_at_the_limit(account, flagged):
    user = IAMUserFactory(account=account, name="busy")
    for index in range(8):
        add_user_to_group(create_group(account, f"team{index}"), user)
    assert flagged(account, SERVICE_LIMITS) == {"busy/Groups": "warning"}
    create_access_key(account, user)
    create_access_key(account, user)
    assert flagged(account, SERVICE_LIMITS) == {"busy/Groups": "warning", "busy/AccessKeys": "error"}
    user.groups.clear()
    AccessKey.objects.filter(user=user).delete()
    assert flagged(account, SERVICE_LIMITS) == {}
