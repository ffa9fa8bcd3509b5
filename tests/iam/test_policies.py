"""Managed and inline policies: validation, size quotas, versions, attachments."""

import json

import pytest

from iam.exceptions import DeleteConflict, EntityAlreadyExists, LimitExceeded, MalformedPolicyDocument, UnmodifiableEntity
from iam.managed_policies import load_catalogue
from iam.models import Policy, PolicyVersion
from iam.policy_language import parse_policy, policy_size
from iam.services import (
    add_user_to_group,
    attach_policy,
    create_customer_managed_policy,
    create_group,
    create_policy_version,
    create_role,
    create_user,
    delete_inline_policy,
    delete_policy,
    delete_policy_version,
    detach_policy,
    put_inline_policy,
    set_default_policy_version,
)
from tests.factories import allow, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def padded(size: int) -> str:
    """A valid policy of exactly `size` non-whitespace characters, padded with whitespace that must not count."""
    base = {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    filler = size - policy_size(json.dumps(base))
    base["Statement"][0]["Sid"] = "A" * filler
    text = json.dumps(base, indent=8)
    assert policy_size(text) == size
    return text


def test_the_catalogue_ships_the_promised_aws_managed_policies():
    names = set(Policy.objects.filter(account=None).values_list("name", flat=True))
    assert {
        "AdministratorAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMReadOnlyAccess", "AWSSupportAccess",
        "AWSAccountManagementReadOnlyAccess", "AWSAccountManagementFullAccess", "Billing",
    } <= names
    for name, entry in load_catalogue().items():
        parse_policy(json.dumps(entry["Document"]))
    assert Policy.objects.get(account=None, name="Billing").arn == "arn:aws:iam::aws:policy/job-function/Billing"


@pytest.mark.parametrize(
    "document, message",
    [
        ('{"Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Allow" "Action": "*"}]}', "line 3, column"),
        ("[]", "must be a JSON object"),
        ('{"Version": "2012-10-17"}', "must contain a Statement"),
        ('{"Version": "2020-01-01", "Statement": []}', "Version must be one of"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}], "Extra": 1}', "Unknown field Extra"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}', "Statement 1: Effect"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Allow", "Resource": "*"}]}', "Statement 2: give exactly one of Action and NotAction"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3 get", "Resource": "*"}]}', "must look like service:Operation"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]}', "Resource or NotResource is required"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}]}', "should not specify a principal"),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bogus": {"a": "b"}}}]}', "unknown condition operator Bogus"),
    ],
)
def test_malformed_policies_say_where(account, document, message):
    with pytest.raises(MalformedPolicyDocument, match=message):
        create_customer_managed_policy(account, "Bad", document)
    assert not Policy.objects.filter(account=account).exists()


def test_managed_policy_size_counts_no_whitespace(account):
    create_customer_managed_policy(account, "Exactly", padded(6144))
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for PolicySize: 6144"):
        create_customer_managed_policy(account, "TooBig", padded(6145))


def test_duplicate_policy_name_is_refused(account):
    create_customer_managed_policy(account, "Mine", policy_document(allow("s3:*")))
    with pytest.raises(EntityAlreadyExists, match="A policy called mine already exists"):
        create_customer_managed_policy(account, "mine", policy_document(allow("s3:*")))


def test_versions_up_to_five_with_one_default(account):
    policy = create_customer_managed_policy(account, "Versioned", policy_document(allow("s3:*")))
    for _ in range(4):
        create_policy_version(policy, policy_document(allow("ec2:*")))
    with pytest.raises(LimitExceeded, match="up to 5 versions"):
        create_policy_version(policy, policy_document(allow("ec2:*")))
    assert policy.versions.count() == 5 and policy.versions.get(is_default=True).version_id == "v1"
    set_default_policy_version(policy, "v3")
    assert list(policy.versions.filter(is_default=True).values_list("version_id", flat=True)) == ["v3"]
    with pytest.raises(DeleteConflict, match="Cannot delete the default version of a policy."):
        delete_policy_version(policy, "v3")
    delete_policy_version(policy, "v2")
    assert create_policy_version(policy, policy_document(allow("sqs:*")), set_as_default=True).version_id == "v6"
    assert policy.versions.get(is_default=True).version_id == "v6"


def test_the_default_version_decides(account):
    from iam.authorization import is_allowed
    from iam.principals import Principal

    user = create_user(account, "u")
    policy = create_customer_managed_policy(account, "Switch", policy_document(allow("s3:*")))
    attach_policy(user, policy)
    create_policy_version(policy, policy_document(allow("ec2:*")), set_as_default=True)
    principal = Principal(account=account, user=user)
    assert is_allowed(principal, "ec2:RunInstances") and not is_allowed(principal, "s3:GetObject")


def test_aws_managed_policies_cannot_be_changed_or_deleted():
    admin = Policy.objects.get(account=None, name="AdministratorAccess")
    with pytest.raises(UnmodifiableEntity):
        create_policy_version(admin, policy_document(allow("s3:*")))
    with pytest.raises(UnmodifiableEntity):
        delete_policy(admin)


def test_an_attached_policy_cannot_be_deleted(account):
    policy = create_customer_managed_policy(account, "InUse", policy_document(allow("s3:*")))
    group = create_group(account, "g")
    attach_policy(group, policy)
    with pytest.raises(DeleteConflict, match="Cannot delete a policy attached to entities."):
        delete_policy(policy)
    detach_policy(group, policy)
    delete_policy(policy)
    assert not PolicyVersion.objects.filter(policy_id=policy.pk).exists()


@pytest.mark.parametrize("make, quota", [
    (lambda account: create_user(account, "u"), "PoliciesPerUser"),
    (lambda account: create_group(account, "g"), "PoliciesPerGroup"),
    (lambda account: create_role(account, "r", TRUST), "PoliciesPerRole"),
])
def test_at_most_ten_managed_policies_per_identity(account, make, quota):
    identity = make(account)
    for number in range(10):
        attach_policy(identity, create_customer_managed_policy(account, f"P{number}", policy_document(allow("s3:*"))))
    eleventh = create_customer_managed_policy(account, "P10", policy_document(allow("s3:*")))
    with pytest.raises(LimitExceeded, match=f"Cannot exceed quota for {quota}: 10"):
        attach_policy(identity, eleventh)
    assert identity.attached_policies.count() == 10


def test_another_accounts_policy_cannot_be_attached(account, other_account):
    from iam.exceptions import NoSuchEntity

    foreign = create_customer_managed_policy(other_account, "Foreign", policy_document(allow("*")))
    with pytest.raises(NoSuchEntity):
        attach_policy(create_user(account, "u"), foreign)


@pytest.mark.parametrize("make, limit, kind", [
    (lambda account: create_user(account, "u"), 2048, "user"),
    (lambda account: create_group(account, "g"), 5120, "group"),
    (lambda account: create_role(account, "r", TRUST), 10240, "role"),
])
def test_inline_policies_share_one_size_quota_per_identity(account, make, limit, kind):
    identity = make(account)
    half = limit // 2
    put_inline_policy(identity, "First", padded(half))
    put_inline_policy(identity, "Second", padded(limit - half))
    with pytest.raises(LimitExceeded, match=f"Maximum policy size of {limit} bytes exceeded for {kind} {identity.name}"):
        put_inline_policy(identity, "Third", padded(200))
    # Replacing a policy counts its new size, not both.
    put_inline_policy(identity, "Second", padded(limit - half))
    assert identity.inline_policies.count() == 2


def test_inline_policy_replace_and_delete(account):
    from iam.exceptions import NoSuchEntity

    user = create_user(account, "u")
    put_inline_policy(user, "Mine", policy_document(allow("s3:*")))
    put_inline_policy(user, "mine", policy_document(allow("ec2:*")))
    assert user.inline_policies.count() == 1 and "ec2" in user.inline_policies.get().document
    delete_inline_policy(user, "Mine")
    with pytest.raises(NoSuchEntity, match="The user policy with name Mine cannot be found."):
        delete_inline_policy(user, "Mine")


def test_a_new_version_obeys_the_managed_policy_size_quota(account):
    policy = create_customer_managed_policy(account, "Growing", padded(200))
    create_policy_version(policy, padded(6144))
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for PolicySize: 6144"):
        create_policy_version(policy, padded(6145), set_as_default=True)
    assert policy.versions.count() == 2 and policy.versions.get(is_default=True).version_id == "v1"


def test_trust_policies_are_limited_to_2048_characters(account):
    from iam.models import Role
    from iam.services import update_trust_policy

    def trust(size: int) -> str:
        base = json.loads(TRUST)
        base["Statement"][0]["Sid"] = ""
        base["Statement"][0]["Sid"] = "T" * (size - policy_size(json.dumps(base)))
        text = json.dumps(base, indent=4)
        assert policy_size(text) == size
        return text

    role = create_role(account, "r", trust(2048))
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for ACLSizePerRole: 2048"):
        update_trust_policy(role, trust(2049))
    with pytest.raises(LimitExceeded, match="ACLSizePerRole"):
        create_role(account, "r2", trust(2049))
    assert Role.objects.get(pk=role.pk).trust_policy == trust(2048)


def test_user_principals_load_every_users_policies_in_constant_queries(account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iam.authorization import is_allowed
    from iam.models import IAMUser
    from iam.principals import Principal
    from iam.selectors import user_principals

    shared = create_customer_managed_policy(account, "Shared", policy_document(allow("s3:GetObject")))
    create_policy_version(shared, policy_document(allow("s3:*")), set_as_default=True)
    team = create_group(account, "team")
    attach_policy(team, shared)
    put_inline_policy(team, "TeamInline", policy_document(allow("ec2:Describe*")))
    actions = ("s3:PutObject", "ec2:DescribeInstances", "support:DescribeCases", "iam:ListUsers", "sns:Publish")

    def add_user(number: int) -> None:
        user = create_user(account, f"user-{number}")
        if number % 2:
            attach_policy(user, shared)  # also through the group: counted once
            add_user_to_group(team, user)
        put_inline_policy(user, "Own", policy_document(allow("support:*" if number % 3 else "iam:List*")))

    def loaded() -> tuple[list[Principal], int]:
        with CaptureQueriesContext(connection) as captured:
            principals = user_principals(IAMUser.objects.filter(account=account).order_by("name"))
            decisions = [is_allowed(principal, action) for principal in principals for action in actions]
        assert decisions == [
            is_allowed(Principal(account=account, user=principal.user), action)
            for principal in principals
            for action in actions
        ]
        return principals, len(captured)

    for number in range(2):
        add_user(number)
    few, few_queries = loaded()
    for number in range(2, 12):
        add_user(number)
    many, many_queries = loaded()
    assert (len(few), len(many)) == (2, 12)
    assert many_queries == few_queries
    for principal in many:
        fresh = Principal(account=account, user=principal.user).identity_policies
        assert sorted(policy.source for policy in principal.identity_policies) == sorted(policy.source for policy in fresh)


def test_the_per_action_statement_index_stays_bounded_and_correct_whatever_actions_callers_invent():
    document = parse_policy('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}')
    for n in range(2_000):
        document.statements_covering(f"made:Up{n}")
    assert len(document._covering) <= 512
    assert document.statements_covering("S3:GetObject") == document.statements
    assert document.statements_covering("s3:PutObject") == ()
