"""Each check flags on real portal data and clears when the data is fixed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AlternateContactType
from accounts.services import disable_region, enable_region, put_alternate_contact
from advisor.checks import CATALOGUE
from advisor.models import Category
from iam.models import AccessKey, AccessKeyStatus, IAMUser, MFADevice, Role
from iam.services import (
    add_user_to_group,
    attach_user_policy,
    create_access_key,
    create_group,
    create_role,
    create_policy_version,
    create_virtual_mfa_device,
    delete_access_key,
    delete_policy,
    record_access_key_use,
    remove_user_from_group,
    set_default_policy_version,
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


# The catalogue's IDs are part of the API: clients store them. (ID, name, category, on every plan)
STABLE_CATALOGUE = [
    ("7DAFEmoDos", "MFA on Root Account", "security", True),
    ("zXCkfM1nI3", "IAM Use", "security", True),
    ("Yw2K9puPzl", "IAM Password Policy", "security", True),
    ("Ro0tAkEy01", "Root User Access Keys", "security", True),
    ("DqdJqYeRm5", "IAM Access Key Rotation", "security", False),
    ("UnUsEdAk90", "Unused IAM Access Keys", "security", False),
    ("InAcTvUs90", "Inactive IAM Users", "security", False),
    ("MfAcOnUs01", "IAM Users With Console Access and No MFA", "security", False),
    ("UnUsEdRl90", "Unused IAM Roles", "security", False),
    ("FuLlAdMn01", "IAM Policies Granting Full Access", "security", False),
    ("AltCntct01", "AWS Account Alternate Contacts", "fault_tolerance", False),
    ("BrkGlAdm01", "IAM Administrator Redundancy", "fault_tolerance", False),
    ("RgnUnUsd01", "Enabled Regions Not In Use", "security", False),
    ("CaSeRsPt01", "Support Cases Past Their First-Response Target", "performance", False),
    ("CaSeRpLy01", "Support Cases Awaiting Your Reply", "performance", False),
    ("SuPlnFit01", "Support Plan Fit", "cost_optimizing", False),
    ("SlReqRgn01", "Service Limit Increase Requests", "service_limits", False),
    ("12Fnkpl8Y5", "Exposed Access Keys", "security", False),
    ("eW7HH0l7J9", "Service Limits", "service_limits", True),
]


def test_the_catalogue_keeps_its_ids_names_and_categories():
    assert [(c.id, c.name, c.category, c.core) for c in CATALOGUE.values()] == STABLE_CATALOGUE
    assert {c.category for c in CATALOGUE.values()} == {category.value for category in Category}
    for check in CATALOGUE.values():
        assert check.description and check.metadata, check.id


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
    record_access_key_use(key, service="iam", region="us-east-1")  # what a signed API request records
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
    create_policy_version(everything, policy_document(allow("s3:Get*")), set_as_default=True)
    assert flagged(account, FULL_ACCESS) == {}
    set_default_policy_version(everything, "v1")
    assert flagged(account, FULL_ACCESS) == {everything.arn: "warning"}
    delete_policy(everything)
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


def test_enabled_regions_not_in_use(account, root, flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the opt-in settles on the (in-process) worker
        enable_region(root, "eu-south-1")
        enable_region(root, "af-south-1")
    assert flagged(account, UNUSED_REGIONS) == {"eu-south-1": "warning", "af-south-1": "warning"}
    key, _ = create_access_key(account, IAMUserFactory(account=account))
    record_access_key_use(key, service="s3", region="eu-south-1")
    assert flagged(account, UNUSED_REGIONS) == {"af-south-1": "warning"}
    with django_capture_on_commit_callbacks(execute=True):
        disable_region(root, "af-south-1")
    assert flagged(account, UNUSED_REGIONS) == {}


def test_service_limits_yellow_at_80_percent_and_red_at_the_limit(account, flagged):
    user = IAMUserFactory(account=account, name="busy")
    for index in range(8):
        add_user_to_group(create_group(account, f"team{index}"), user)
    assert flagged(account, SERVICE_LIMITS) == {"busy/Groups": "warning"}
    create_access_key(account, user)
    create_access_key(account, user)
    assert flagged(account, SERVICE_LIMITS) == {"busy/Groups": "warning", "busy/AccessKeys": "error"}
    for group in list(user.groups.all()):
        remove_user_from_group(group, user)
    for key in AccessKey.objects.filter(user=user):
        delete_access_key(key)
    assert flagged(account, SERVICE_LIMITS) == {}
