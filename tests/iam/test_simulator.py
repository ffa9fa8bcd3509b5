"""The policy simulator: the same evaluator, per action, with the deciding statements."""

import pytest

from iam.exceptions import MalformedPolicyDocument, NoSuchEntity
from iam.services import add_user_to_group, attach_policy, create_group, create_role, create_user, put_inline_policy
from iam.simulator import simulate_custom_policy, simulate_principal_policy
from tests.factories import PolicyFactory, allow, deny, policy_document

from .conftest import TRUST

pytestmark = pytest.mark.django_db


def decisions(results):
    return {(result.action, result.resource): result.decision for result in results}


def test_principal_simulation_includes_group_policies_and_names_the_deciding_statement(account):
    user = create_user(account, "sam")
    group = create_group(account, "ops")
    add_user_to_group(group, user)
    attach_policy(user, PolicyFactory(account=account, name="Everything", document=policy_document(allow("*"))))
    put_inline_policy(group, "NoDelete", policy_document({**deny("iam:DeleteUser"), "Sid": "KeepUsers"}))
    results = simulate_principal_policy(account, user.arn, ["iam:CreateUser", "iam:DeleteUser"], ["*"])
    assert decisions(results) == {("iam:CreateUser", "*"): "allowed", ("iam:DeleteUser", "*"): "explicitDeny"}
    denied = results[1]
    assert [(m.source, m.statement.sid) for m in denied.matched] == [("group ops/NoDelete", "KeepUsers")]
    assert results[0].matched[0].source.endswith(":policy/Everything")


def test_role_and_group_sources(account):
    role = create_role(account, "reader", TRUST)
    put_inline_policy(role, "Read", policy_document(allow("s3:Get*", resource="arn:aws:s3:::reports/*")))
    results = simulate_principal_policy(account, role.arn, ["s3:GetObject"], ["arn:aws:s3:::reports/q1.csv", "arn:aws:s3:::secret/x"])
    assert decisions(results) == {
        ("s3:GetObject", "arn:aws:s3:::reports/q1.csv"): "allowed",
        ("s3:GetObject", "arn:aws:s3:::secret/x"): "implicitDeny",
    }


def test_user_simulation_resolves_username_variables(account):
    user = create_user(account, "pat")
    put_inline_policy(user, "Own", policy_document(allow("iam:ChangePassword", resource="arn:aws:iam::*:user/${aws:username}")))
    results = simulate_principal_policy(account, user.arn, ["iam:ChangePassword"], [user.arn, f"arn:aws:iam::{account.account_id}:user/other"])
    assert [result.decision for result in results] == ["allowed", "implicitDeny"]


def test_custom_policy_with_context_keys(account):
    document = policy_document(allow("ec2:*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    inside = simulate_custom_policy([document], ["ec2:RunInstances"], ["*"], {"aws:SourceIp": "10.1.2.3"})
    outside = simulate_custom_policy([document], ["ec2:RunInstances"], ["*"], {"aws:SourceIp": "192.168.1.1"})
    missing = simulate_custom_policy([document], ["ec2:RunInstances"], ["*"])
    assert [inside[0].decision, outside[0].decision, missing[0].decision] == ["allowed", "implicitDeny", "implicitDeny"]
    assert missing[0].missing_context_keys == ("aws:SourceIp",)


def test_bad_inputs(account):
    with pytest.raises(MalformedPolicyDocument, match="Policy 2:"):
        simulate_custom_policy([policy_document(allow("*")), "{"], ["s3:GetObject"])
    with pytest.raises(NoSuchEntity):
        simulate_principal_policy(account, f"arn:aws:iam::{account.account_id}:user/nobody", ["s3:GetObject"])


def test_simulator_page(account, root_client):
    user = create_user(account, "sam")
    put_inline_policy(user, "S3", policy_document(allow("s3:*")))
    response = root_client.get("/iam/simulator/", {
        "mode": "principal", "source_arn": user.arn, "actions": "s3:GetObject, iam:CreateUser",
        "resource_arn": "*", "context": "aws:SourceIp = 10.0.0.1",
    })
    assert response.status_code == 200
    assert [result.decision for result in response.context["results"]] == ["allowed", "implicitDeny"]
    custom = root_client.get("/iam/simulator/", {"mode": "custom", "custom_policy": "{", "actions": "s3:GetObject", "resource_arn": "*"})
    assert "not valid JSON" in custom.content.decode()
    bad = root_client.get("/iam/simulator/", {"mode": "principal", "source_arn": user.arn, "actions": "GetObject", "resource_arn": "*", "context": "novalue"})
    errors = bad.context["form"].errors
    assert "service:Operation" in errors["actions"][0] and "key = value" in errors["context"][0]


def test_simulating_a_principal_needs_permission_on_it(account, user_client):
    target = create_user(account, "target")
    client = user_client(account, allow("iam:SimulateCustomPolicy"))
    assert client.get("/iam/simulator/").status_code == 200
    denied = client.get("/iam/simulator/", {"mode": "principal", "source_arn": target.arn, "actions": "s3:GetObject", "resource_arn": "*"})
    assert denied.status_code == 403


def test_simulator_page_with_a_pasted_policy_context_keys_and_the_deciding_statement(account, root_client):
    document = policy_document(
        {**allow("iam:*"), "Sid": "AdminWithMfa", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {**deny("iam:DeleteUser"), "Sid": "KeepUsers"},
    )
    query = {"mode": "custom", "custom_policy": document, "actions": "iam:CreateUser\niam:DeleteUser\ns3:GetObject", "resource_arn": "*"}
    with_mfa = root_client.get("/iam/simulator/", {**query, "context": "aws:MultiFactorAuthPresent = true"})
    assert [r.decision for r in with_mfa.context["results"]] == ["allowed", "explicitDeny", "implicitDeny"]
    page = with_mfa.content.decode()
    assert "PolicyInputList.1 · AdminWithMfa" in page and "PolicyInputList.1 · KeepUsers" in page
    without = root_client.get("/iam/simulator/", query)
    assert [r.decision for r in without.context["results"]] == ["implicitDeny", "explicitDeny", "implicitDeny"]
    assert "Context keys not supplied: aws:MultiFactorAuthPresent" in without.content.decode()


def test_simulating_a_group_or_role_from_the_page(account, root_client):
    group = create_group(account, "ops")
    put_inline_policy(group, "Logs", policy_document(allow("logs:*")))
    response = root_client.get("/iam/simulator/", {"mode": "principal", "source_arn": group.arn, "actions": "logs:PutLogEvents", "resource_arn": "*"})
    assert response.context["results"][0].decision == "allowed"
    assert "group ops/Logs · Statement 1" in response.content.decode()


def test_a_pasted_policy_is_simulated_with_a_principals_own(account, root_client):
    user = create_user(account, "sam")
    put_inline_policy(user, "S3", policy_document(allow("s3:*")))
    query = {"mode": "principal", "source_arn": user.arn, "actions": "s3:DeleteObject, s3:GetObject", "resource_arn": "*"}
    assert [r.decision for r in root_client.get("/iam/simulator/", query).context["results"]] == ["allowed", "allowed"]
    extra = policy_document({**deny("s3:Delete*"), "Sid": "NoDeletes"})
    response = root_client.get("/iam/simulator/", {**query, "custom_policy": extra})
    assert [r.decision for r in response.context["results"]] == ["explicitDeny", "allowed"]
    assert "PolicyInputList.1 · NoDeletes" in response.content.decode()
