"""The policy editor: names checked against a catalog generated from botocore, sizes, a summary in words,
pretty-printed stored documents. Live checks are what the editor's panel (POST /iam/policies/review/) shows."""

import json

import pytest
from django.urls import reverse

from api.service_models import ACCOUNT, IAM, SUPPORT
from iam.action_catalog import catalog
from iam.policy_review import access_level, review_policy
from iam.services import create_customer_managed_policy, put_inline_policy
from tests.factories import allow, policy_document

REVIEW = "/iam/policies/review/"


def document(*actions, condition=None, **statement):
    body = {"Effect": "Allow", "Action": list(actions), "Resource": "*", **statement}
    if condition:
        body["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [body]})


def messages(review, severity="warning"):
    return [finding.message for finding in review.findings if finding.severity == severity]


def test_the_catalog_holds_every_operation_of_the_models_the_api_serves():
    for service in (IAM, SUPPORT, ACCOUNT):
        for operation in service.model.operation_names:
            assert catalog().action(f"{service.signing_name}:{operation}") == operation
    # and services the sandbox does not imitate, from their own models
    assert catalog().action("s3:getobject") == "GetObject"
    assert catalog().action("ec2:RunInstances") == "RunInstances"


def test_the_models_are_read_once_per_install_then_from_the_file_kept(settings, tmp_path, monkeypatch):
    from iam import action_catalog

    reads = []
    monkeypatch.setattr(action_catalog, "_read_models", lambda loader, names: reads.append(names) or [["s", "S", ["Op"]]])
    settings.RUNTIME_DIR = tmp_path
    assert action_catalog._model_entries() == [["s", "S", ["Op"]]]
    assert action_catalog._model_entries() == [["s", "S", ["Op"]]]  # another process: the file
    assert len(reads) == 1
    [kept] = tmp_path.iterdir()
    kept.write_text('[["s", "S", ')  # cut short by a crash: read the models again
    assert action_catalog._model_entries() == [["s", "S", ["Op"]]] and len(reads) == 2


def test_the_misspelt_describe_case_is_warned_about_with_the_real_name():
    review = review_policy(document("support:DescribeCase"))
    assert review.error == ""
    [warning] = messages(review)
    assert "Unknown action support:DescribeCase" in warning and "Did you mean support:DescribeCases?" in warning


def test_real_names_raise_no_warning():
    review = review_policy(document(
        "support:DescribeCases", "iam:CreateUser", "s3:GetObject", "trustedadvisor:RefreshCheck", "iam:Get*",
        condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringEquals": {"aws:PrincipalTag/team": "a",
                                                                                   "account:TargetRegion": "eu-west-1"}},
    ))
    assert review.findings == []


def test_unknown_services_wildcards_and_condition_keys_are_warned_about():
    review = review_policy(document(
        "supprot:CreateCase", "iam:Frobnicate*",
        condition={"Bool": {"aws:MultiFactorAuthPresnt": "true"}, "StringEquals": {"iam:PolicyArm": "x"}},
    ))
    warnings = messages(review)
    assert any("Unknown service 'supprot'" in warning and "Did you mean support?" in warning for warning in warnings)
    assert any("iam:Frobnicate* matches no iam action" in warning for warning in warnings)
    assert any("aws:MultiFactorAuthPresnt" in warning and "aws:MultiFactorAuthPresent?" in warning for warning in warnings)
    assert any("iam:PolicyArm" in warning and "iam:PolicyARN?" in warning for warning in warnings)


def test_keys_of_services_the_sandbox_does_not_model_are_a_note_not_a_warning():
    review = review_policy(document("s3:GetObject", condition={"StringLike": {"s3:prefix": "home/"}}))
    assert messages(review) == [] and any("s3:prefix" in note for note in messages(review, "info"))


def test_the_summary_groups_by_service_and_access_level():
    review = review_policy(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:List*", "iam:GetUser", "iam:AttachUserPolicy"], "Resource": "arn:aws:iam::*:user/*"},
        {"Effect": "Allow", "Action": "support:*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"},
    ]}))
    rows = {(row.effect, row.prefix): row for row in review.summary}
    iam = rows[("Allow", "iam")]
    assert iam.name == "AWS Identity and Access Management"
    assert iam.access == "Limited: List, Read, Permissions management"
    assert iam.sorted_resources == ["arn:aws:iam::*:user/*"]
    assert "iam:ListUsers" in iam.actions and f"of {len(catalog().service('iam').actions)} actions" in iam.counted
    assert rows[("Allow", "support")].access == "Full access"
    assert rows[("Deny", "")].access == "All actions except iam:*"


@pytest.mark.parametrize("operation, level", [
    ("ListUsers", "List"), ("GetUser", "Read"), ("DescribeCases", "Read"), ("CreateCase", "Write"),
    ("CreatePolicy", "Permissions management"), ("PutRolePolicy", "Permissions management"),
    ("TagUser", "Tagging"), ("UntagRole", "Tagging"), ("DeleteUser", "Write"),
])
def test_access_levels(operation, level):
    assert access_level(operation) == level


def test_size_and_limits_per_purpose():
    text = document("iam:GetUser")
    assert review_policy(text).limit == 6144
    assert review_policy(text, "trust").limit == 2048
    assert review_policy(text, "inline-role").limit == 10240
    big = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "A" * 6200, "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}]})
    review = review_policy(big)
    assert review.over_limit and review.overflow == review.size - 6144


# --- the editor panel --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_panel_warns_as_the_trainee_types(account, root_client):
    response = root_client.post(REVIEW, {"purpose": "managed", "field": "document", "document": document("support:DescribeCase")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Did you mean support:DescribeCases?" in body
    assert f"{review_policy(document('support:DescribeCase')).size} of 6144 characters" in body
    assert 'data-testid="policy-summary"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("text, shown", [
    ('{"Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Allow" "Action": "*"}]}', "line 3, column"),
    ("", "not valid JSON"),
    ('{"Statement": [{"Effect": "Allow", "Action": "iam:GetUser"}]}', "Resource or NotResource is required"),
])
def test_the_panel_explains_invalid_documents(account, root_client, text, shown):
    response = root_client.post(REVIEW, {"purpose": "nonsense", "field": "document", "document": text})
    assert response.status_code == 200 and shown in response.content.decode()


@pytest.mark.django_db
def test_the_panel_reads_the_field_it_is_told_and_survives_a_missing_one(account, root_client):
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "support.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    response = root_client.post(REVIEW, {"purpose": "trust", "field": "trust_policy", "trust_policy": trust})
    assert "of 2048 characters" in response.content.decode() and 'data-testid="policy-valid"' in response.content.decode()
    response = root_client.post(REVIEW, {"field": "nothing"})
    assert response.status_code == 200 and "not valid JSON" in response.content.decode()


@pytest.mark.django_db
def test_name_warnings_need_validate_policy_permission(account, user_client):
    without = user_client(account, allow("iam:CreatePolicy"))
    body = without.post(REVIEW, {"document": document("support:DescribeCase")}).content.decode()
    assert "Did you mean" not in body and "access-analyzer:ValidatePolicy" in body
    assert 'data-testid="policy-summary"' in body  # the summary and size are the document's own, shown to anyone
    allowed = user_client(account, allow("iam:CreatePolicy"), allow("access-analyzer:ValidatePolicy"))
    assert "Did you mean support:DescribeCases?" in allowed.post(REVIEW, {"document": document("support:DescribeCase")}).content.decode()


@pytest.mark.django_db
def test_the_panel_needs_a_signed_in_principal_and_a_post(client, account, root_client):
    assert client.post(REVIEW, {"document": "{}"}).status_code == 302
    assert root_client.get(REVIEW).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("purpose, action", [
    ("managed", "iam:CreatePolicyVersion"), ("trust", "iam:UpdateAssumeRolePolicy"), ("inline-role", "iam:PutRolePolicy"),
])
def test_the_panel_is_for_principals_who_may_write_such_a_policy(account, user_client, purpose, action):
    allowed = user_client(account, allow(action))
    assert allowed.post(REVIEW, {"purpose": purpose, "document": "{}"}).status_code == 200
    denied = user_client(account, allow("iam:PutGroupPolicy"))
    response = denied.post(REVIEW, {"purpose": purpose, "document": "{}"})
    assert response.status_code == 403 and "is not authorized" in response.content.decode()


@pytest.mark.django_db
def test_policy_editor_pages_carry_the_live_panel(account, root_client):
    for url in ("/iam/policies/create/", "/iam/roles/create/"):
        body = root_client.get(url).content.decode()
        assert 'data-testid="policy-editor"' in body and reverse("iam:policy-review") in body, url


# --- stored documents --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stored_minified_documents_are_shown_pretty_printed_with_a_summary(account, root_client):
    minified = json.dumps(json.loads(policy_document(allow("iam:ListUsers"))), separators=(",", ":"))
    policy = create_customer_managed_policy(account, "Minified", minified)
    body = root_client.get(reverse("iam:policy-detail", args=[policy.policy_id])).content.decode()
    assert '{\n    &quot;Version&quot;: &quot;2012-10-17&quot;,' in body
    assert "Limited: List" in body
    edit = root_client.get(reverse("iam:policy-version-create", args=[policy.policy_id]))
    assert edit.context["form"].initial["document"].startswith('{\n    "Version"')


@pytest.mark.django_db
def test_inline_policies_open_pretty_printed_with_their_own_limit(account, root_client, iam_objects):
    user = iam_objects["user"]
    put_inline_policy(user, "Compact", json.dumps(json.loads(policy_document(allow("iam:GetUser"))), separators=(",", ":")))
    response = root_client.get(reverse("iam:user-inline-edit", args=[user.name, "Compact"]))
    assert response.context["form"].initial["document"].startswith('{\n    "Version"')
    assert '&quot;purpose&quot;: &quot;inline-user&quot;' in response.content.decode() or '"purpose": "inline-user"' in response.content.decode()
