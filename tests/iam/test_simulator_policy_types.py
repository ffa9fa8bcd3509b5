"""The simulator with a permissions boundary given in the call and a resource-based policy, and the policy type
that decided each result, in the console and the service alike."""

import json

import pytest

from iam.evaluator import BOUNDARY, IDENTITY, RESOURCE
from iam.exceptions import MalformedPolicyDocument
from iam.services import create_role, create_user, put_inline_policy
from iam.simulator import simulate_custom_policy, simulate_principal_policy
from tests.factories import allow, deny, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db

ACTION = "s3:GetObject"


def resource_policy(effect: str, principal: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "Principal": {"AWS": principal}, "Action": ACTION, "Resource": "*"}]})


def outcome(results) -> tuple[str, str]:
    [result] = results
    return result.decision, result.decided_by


# (identity policy, boundary, resource policy effect, names the caller) -> decision, decided by
CASES = {
    ("silent", None, "Allow", True): ("allowed", RESOURCE),
    ("silent", None, "Allow", False): ("implicitDeny", IDENTITY),
    ("allow", None, "Deny", True): ("explicitDeny", RESOURCE),
    ("allow", None, "Deny", False): ("allowed", IDENTITY),
    ("deny", None, "Allow", True): ("explicitDeny", IDENTITY),
    ("silent", "silent", "Allow", True): ("allowed", RESOURCE),  # a user named directly: past the boundary
    ("allow", "silent", None, False): ("implicitDeny", BOUNDARY),
    ("allow", "allow", None, False): ("allowed", IDENTITY),
    ("allow", "deny", "Allow", True): ("explicitDeny", BOUNDARY),
}
STATEMENTS = {"allow": [allow(ACTION)], "deny": [allow("*"), deny(ACTION)], "silent": [allow("s3:ListBucket")]}


@pytest.mark.parametrize("case", CASES, ids=lambda case: "-".join(map(str, case)))
def test_a_users_policies_with_a_boundary_and_a_resource_policy(account, case):
    identity, boundary, effect, names_caller = case
    user = create_user(account, "reader")
    named = user.arn if names_caller else f"arn:aws:iam::{account.account_id}:user/someone-else"
    results = simulate_custom_policy(
        [policy_document(*STATEMENTS[identity])], [ACTION], caller_arn=user.arn,
        boundary_documents=[policy_document(*STATEMENTS[boundary])] if boundary else (),
        resource_policy=resource_policy(effect, named) if effect else None,
    )
    assert outcome(results) == CASES[case]


def test_a_resource_policy_naming_a_role_is_capped_by_the_roles_boundary(account):
    role = create_role(account, "app", TRUST)
    put_inline_policy(role, "list", policy_document(allow("s3:ListBucket")))
    grant = resource_policy("Allow", role.arn)
    assert outcome(simulate_principal_policy(account, role.arn, [ACTION], resource_policy=grant)) == (
        "allowed", RESOURCE)
    capped = simulate_principal_policy(account, role.arn, [ACTION], resource_policy=grant,
                                       boundary_documents=[policy_document(allow("s3:ListBucket"))])
    assert outcome(capped) == ("implicitDeny", BOUNDARY)


def test_bad_boundary_and_resource_policy_inputs(account):
    with pytest.raises(MalformedPolicyDocument, match="Permissions boundary"):
        simulate_custom_policy([policy_document(allow(ACTION))], [ACTION], boundary_documents=["{"])
    with pytest.raises(MalformedPolicyDocument, match="at most one"):
        simulate_custom_policy([policy_document(allow(ACTION))], [ACTION],
                               boundary_documents=[policy_document(allow(ACTION))] * 2)
    with pytest.raises(MalformedPolicyDocument, match="Resource policy"):  # a resource policy names a Principal
        simulate_custom_policy([policy_document(allow(ACTION))], [ACTION], caller_arn="arn:aws:iam::1:user/x",
                               resource_policy=policy_document(allow(ACTION)))


def test_the_console_shows_the_deciding_type_and_takes_a_boundary(account, root_client):
    user = create_user(account, "sam")
    put_inline_policy(user, "all", policy_document(allow("iam:*")))
    response = root_client.get("/iam/simulator/", {
        "mode": "principal", "source_arn": user.arn, "actions": "iam:ListUsers\niam:CreateUser", "resource_arn": "*",
        "boundary_policy": policy_document(allow("iam:List*")),
    })
    page = response.content.decode()
    assert page.count("Decided by: identity-based policy") == 1
    assert page.count("Decided by: permissions boundary") == 1
    response = root_client.get("/iam/simulator/", {
        "mode": "principal", "source_arn": user.arn, "actions": ACTION, "resource_arn": "*",
        "resource_policy": resource_policy("Allow", user.arn),
    })
    assert "Decided by: resource-based policy" in response.content.decode()
