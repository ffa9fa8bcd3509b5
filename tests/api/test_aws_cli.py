"""The AWS CLI, unmodified, in a subprocess: one conversation per service."""

import json

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def root_cli(account, keys, aws_cli):
    key_id, secret = keys(account)
    return lambda service, *args: aws_cli(service, key_id, secret, *args)


def test_iam_through_the_cli(account, root_cli):
    created = root_cli("iam", "create-user", "--user-name", "cli-user")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["User"]["Arn"] == f"arn:aws:iam::{account.account_id}:user/cli-user"
    for name in ("cli-b", "cli-c"):
        root_cli("iam", "create-user", "--user-name", name)
    listed = root_cli("iam", "list-users", "--page-size", "2")  # the CLI follows Marker to the last page
    assert [user["UserName"] for user in json.loads(listed.stdout)["Users"]] == ["cli-b", "cli-c", "cli-user"]
    missing = root_cli("iam", "get-user", "--user-name", "ghost")
    assert missing.returncode != 0
    assert "(NoSuchEntity)" in missing.stderr


@pytest.mark.usefixtures("support_catalog")
def test_support_through_the_cli(root_cli):
    created = root_cli("support", "create-case", "--subject", "From the CLI", "--communication-body", "Hello",
                       "--service-code", "general-info", "--category-code", "using-aws", "--severity-code", "low")
    assert created.returncode == 0, created.stderr
    case_id = json.loads(created.stdout)["caseId"]
    described = json.loads(root_cli("support", "describe-cases", "--case-id-list", case_id).stdout)
    assert described["cases"][0]["subject"] == "From the CLI"


def test_account_through_the_cli(account, root_cli):
    information = root_cli("account", "get-account-information")
    assert information.returncode == 0, information.stderr
    assert json.loads(information.stdout)["AccountId"] == account.account_id
    regions = json.loads(root_cli("account", "list-regions").stdout)  # the CLI follows NextToken to the end
    assert len(regions["Regions"]) > 20


def test_a_bad_secret_fails_in_the_cli(account, keys, aws_cli):
    key_id, _ = keys(account)
    result = aws_cli("iam", key_id, "x" * 40, "list-users")
    assert result.returncode != 0
    assert "(SignatureDoesNotMatch)" in result.stderr


def test_sts_through_the_cli(account, root_cli):
    identity = root_cli("sts", "get-caller-identity")
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout) == {"UserId": account.account_id, "Account": account.account_id,
                                           "Arn": account.root_arn}
