"""Groups, roles and the service-linked roles every account starts with."""

import pytest

from iam.authorization import evaluate_principal, is_allowed
from iam.exceptions import (
    DeleteConflict,
    EntityAlreadyExists,
    LimitExceeded,
    MalformedPolicyDocument,
    UnmodifiableEntity,
    ValidationError,
)
from iam.models import IAMGroup, Role
from iam.principals import Principal
from iam.services import (
    SUPPORT_ROLE,
    TRUSTED_ADVISOR_ROLE,
    add_user_to_group,
    attach_policy,
    create_group,
    create_role,
    create_user,
    delete_group,
    delete_role,
    put_inline_policy,
    remove_user_from_group,
    set_trusted_advisor_enabled,
    update_role,
    update_trust_policy,
)
from iam.selectors import find_role, trust_allows
from tests.factories import IAMUserFactory, PolicyFactory, allow, deny, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def test_group_has_an_arn_with_its_path(account):
    group = create_group(account, "admins", path="/division/team/")
    assert group.arn == f"arn:aws:iam::{account.account_id}:group/division/team/admins"
    assert group.group_id.startswith("AGPA") and len(group.group_id) == 21


@pytest.mark.parametrize("name", ["", "has space", "x" * 129, "slash/name"])
def test_invalid_group_names_are_refused(account, name):
    with pytest.raises(ValidationError):
        create_group(account, name)
    assert not IAMGroup.objects.exists()


def test_duplicate_group_name_differing_only_in_case_is_refused(account):
    create_group(account, "Admins")
    with pytest.raises(EntityAlreadyExists, match="Group with name admins already exists."):
        create_group(account, "admins")


def test_a_user_can_be_in_at_most_ten_groups(account):
    user = create_user(account, "busy")
    for number in range(10):
        add_user_to_group(create_group(account, f"group{number}"), user)
    eleventh = create_group(account, "group10")
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for GroupsPerUser: 10"):
        add_user_to_group(eleventh, user)
    assert user.groups.count() == 10


def test_group_with_members_cannot_be_deleted(account):
    group = create_group(account, "team")
    user = create_user(account, "member")
    add_user_to_group(group, user)
    with pytest.raises(DeleteConflict, match="must remove users from group first"):
        delete_group(group, force=True)
    remove_user_from_group(group, user)
    delete_group(group, force=True)
    assert not IAMGroup.objects.filter(pk=group.pk).exists()


def test_group_with_policies_needs_force_to_delete(account):
    group = create_group(account, "team")
    put_inline_policy(group, "Inline", policy_document(allow("s3:*")))
    with pytest.raises(DeleteConflict, match="must delete policies first"):
        delete_group(group)
    delete_group(group, force=True)


def test_users_get_their_groups_managed_and_inline_policies(account):
    user = create_user(account, "dev")
    group = create_group(account, "developers")
    add_user_to_group(group, user)
    attach_policy(group, PolicyFactory(account=account, document=policy_document(allow("s3:GetObject"))))
    put_inline_policy(group, "Logs", policy_document(allow("logs:*")))
    principal = Principal(account=account, user=user)
    assert is_allowed(principal, "s3:GetObject") and is_allowed(principal, "logs:PutLogEvents")
    assert not is_allowed(principal, "s3:PutObject")


def test_explicit_deny_in_a_group_beats_an_allow_on_the_user(account):
    user = create_user(account, "dev")
    attach_policy(user, PolicyFactory(account=account, document=policy_document(allow("*"))))
    group = create_group(account, "restricted")
    add_user_to_group(group, user)
    put_inline_policy(group, "NoIam", policy_document(deny("iam:*")))
    result = evaluate_principal(Principal(account=account, user=user), "iam:CreateUser")
    assert result.decision == "explicitDeny"
    assert result.matched[0].source == "group restricted/NoIam"


def test_leaving_a_group_takes_its_permissions_away(account):
    user = create_user(account, "dev")
    group = create_group(account, "readers")
    add_user_to_group(group, user)
    put_inline_policy(group, "Read", policy_document(allow("s3:Get*")))
    assert is_allowed(Principal(account=account, user=user), "s3:GetObject")
    remove_user_from_group(group, user)
    assert not is_allowed(Principal(account=account, user=user), "s3:GetObject")


def test_role_defaults_and_arn(account):
    role = create_role(account, "deployer", TRUST, path="/ci/", description="CI deploys")
    assert role.arn == f"arn:aws:iam::{account.account_id}:role/ci/deployer"
    assert role.role_id.startswith("AROA") and role.max_session_duration == 3600


@pytest.mark.parametrize("seconds", [3599, 43201, 0])
def test_max_session_duration_must_be_one_to_twelve_hours(account, seconds):
    with pytest.raises(ValidationError, match="maxSessionDuration"):
        create_role(account, "r", TRUST, max_session_duration=seconds)
    assert not Role.objects.filter(account=account, name="r").exists()


@pytest.mark.parametrize("seconds", [3600, 43200])
def test_max_session_duration_bounds_are_accepted(account, seconds):
    assert create_role(account, "r", TRUST, max_session_duration=seconds).max_session_duration == seconds


def test_an_account_holds_at_most_a_thousand_roles(account):
    Role.objects.bulk_create(
        Role(account=account, name=f"role{number}", role_id=f"AROA{number:017d}", trust_policy=TRUST) for number in range(1000)
    )
    with pytest.raises(LimitExceeded, match="Cannot exceed quota for RolesPerAccount: 1000"):
        create_role(account, "one-too-many", TRUST)


@pytest.mark.parametrize(
    "trust, message",
    [
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}', "must name a Principal"),
        (
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}]}',
            "no Resource field",
        ),
        ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Bogus": "x"}, "Action": "sts:AssumeRole"}]}', "Principal must be"),
    ],
)
def test_trust_policy_grammar(account, trust, message):
    with pytest.raises(MalformedPolicyDocument, match=message):
        create_role(account, "r", trust)


def test_trust_policy_names_who_may_assume(account, other_account):
    role = create_role(account, "deployer", TRUST.replace("123", account.account_id))
    alice = Principal(account=account, user=IAMUserFactory(account=account, name="alice"))
    bob = Principal(account=other_account, user=IAMUserFactory(account=other_account, name="bob"))
    assert trust_allows(role, alice)
    assert not trust_allows(role, bob)


def test_assumed_role_session_uses_the_roles_policies(account):
    role = create_role(account, "auditor", TRUST)
    attach_policy(role, PolicyFactory(account=account, document=policy_document(allow("iam:Get*"))))
    session = Principal(account=account, role=role, role_session_name="alice")
    assert session.arn == f"arn:aws:sts::{account.account_id}:assumed-role/auditor/alice"
    assert session.principal_type == "AssumedRole" and not session.is_root
    assert session.request_context()["aws:userid"] == f"{role.role_id}:alice"
    assert is_allowed(session, "iam:GetUser") and not is_allowed(session, "iam:CreateUser")


def test_new_accounts_get_both_service_linked_roles(opened_account):
    roles = {role.name: role for role in Role.objects.filter(account=opened_account)}
    assert set(roles) == {SUPPORT_ROLE, TRUSTED_ADVISOR_ROLE}
    support = roles[SUPPORT_ROLE]
    assert support.path == "/aws-service-role/support.amazonaws.com/" and support.is_service_linked
    assert [policy.name for policy in support.attached_policies.all()] == ["AWSSupportServiceRolePolicy"]


def test_support_service_linked_role_cannot_be_deleted_or_changed_except_its_description(opened_account):
    role = find_role(opened_account, SUPPORT_ROLE)
    with pytest.raises(UnmodifiableEntity, match="protected role 'AWSServiceRoleForSupport'"):
        delete_role(role, force=True)
    with pytest.raises(UnmodifiableEntity):
        update_trust_policy(role, TRUST)
    with pytest.raises(UnmodifiableEntity):
        update_role(role, max_session_duration=7200)
    with pytest.raises(UnmodifiableEntity):
        put_inline_policy(role, "Extra", policy_document(allow("*")))
    update_role(role, description="Edited by the customer")
    role.refresh_from_db()
    assert role.description == "Edited by the customer" and role.max_session_duration == 3600


def test_trusted_advisor_role_is_deletable_only_while_trusted_advisor_is_disabled(opened_account):
    role = find_role(opened_account, TRUSTED_ADVISOR_ROLE)
    with pytest.raises(DeleteConflict, match="Trusted Advisor is enabled"):
        delete_role(role, force=True)
    set_trusted_advisor_enabled(opened_account, False)
    delete_role(role, force=True)
    assert find_role(opened_account, TRUSTED_ADVISOR_ROLE) is None


def test_role_with_policies_needs_force_to_delete(account):
    role = create_role(account, "r", TRUST)
    put_inline_policy(role, "Inline", policy_document(allow("s3:*")))
    with pytest.raises(DeleteConflict, match="must delete policies first"):
        delete_role(role)
    delete_role(role, force=True)


def test_renaming_keeps_memberships_and_refuses_taken_or_invalid_names(account):
    from iam.services.identities import rename_identity

    user, other = create_user(account, "old-name"), create_user(account, "taken")
    group = create_group(account, "team")
    add_user_to_group(group, user)
    renamed = rename_identity(user, new_name="new-name", new_path="/staff/")
    assert (renamed.name, renamed.path, renamed.arn) == ("new-name", "/staff/", f"arn:aws:iam::{account.account_id}:user/staff/new-name")
    assert list(rename_identity(group, new_name="crew").members.all()) == [renamed]
    assert rename_identity(renamed, new_name="NEW-NAME").name == "NEW-NAME"  # only its case changes
    with pytest.raises(EntityAlreadyExists):
        rename_identity(renamed, new_name="TAKEN")
    with pytest.raises(ValidationError):
        rename_identity(other, new_path="no-slashes")
