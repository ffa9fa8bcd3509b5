"""STS federation through boto3: GetFederationToken (a federated user session limited by its session policies),
AssumeRoleWithWebIdentity against an OpenID Connect provider and AssumeRoleWithSAML against a SAML provider."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.factories import allow

from .test_sts_sessions import as_session

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def document(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_federated_user_gets_what_both_user_and_session_policy_allow(account, make_user, keys, client_for, endpoint):
    broker = make_user(account, allow(["sts:GetFederationToken", "iam:ListUsers", "support:DescribeServices",
                                       "support:DescribeSeverityLevels"]), name="broker")
    sts = client_for("sts", *keys(account, broker))
    issued = sts.get_federation_token(Name="bob", Policy=document(allow(["support:DescribeServices", "s3:*"])),
                                      DurationSeconds=900)
    assert issued["FederatedUser"] == {"FederatedUserId": f"{account.account_id}:bob",
                                       "Arn": f"arn:aws:sts::{account.account_id}:federated-user/bob"}
    assert 0 < issued["PackedPolicySize"] < 100
    federated_sts = as_session(endpoint, "sts", issued["Credentials"])
    assert federated_sts.get_caller_identity()["Arn"] == issued["FederatedUser"]["Arn"]
    support = as_session(endpoint, "support", issued["Credentials"])
    assert support.describe_services()["services"]  # allowed by both
    assert error(support.describe_severity_levels)[0] == "AccessDeniedException"  # not by the session policy
    assert error(as_session(endpoint, "iam", issued["Credentials"]).list_users)[0] == "AccessDenied"  # no IAM at all
    assert error(federated_sts.get_session_token)[0] == "AccessDenied"  # STS: GetCallerIdentity only

    unlimited = as_session(endpoint, "support", sts.get_federation_token(Name="nopolicy")["Credentials"])
    assert error(unlimited.describe_services)[0] == "AccessDeniedException"  # no session policy: no permissions


def test_get_federation_token_needs_long_term_credentials_and_permission(account, make_user, keys, client_for,
                                                                         endpoint):
    broker = make_user(account, allow("sts:GetFederationToken", f"arn:aws:sts::{account.account_id}:federated-user/ok-*"),
                       allow("sts:GetSessionToken"), name="broker")
    sts = client_for("sts", *keys(account, broker))
    assert error(sts.get_federation_token, Name="other")[0] == "AccessDenied"
    assert error(sts.get_federation_token, Name="ok-1", Tags=[{"Key": "team", "Value": "a"}])[0] == "AccessDenied"
    code, message = error(sts.get_federation_token, Name="ok-1", Policy="{not json")
    assert code == "MalformedPolicyDocument"
    assert error(sts.get_federation_token, Name="bad name")[0] == "ValidationError"  # Name: [\w+=,.@-]*
    session = as_session(endpoint, "sts", sts.get_session_token()["Credentials"])
    assert error(session.get_federation_token, Name="ok-2") == (
        "AccessDenied", "Cannot call GetFederationToken with session credentials")
