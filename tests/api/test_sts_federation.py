"""STS federation through boto3: GetFederationToken (a federated user session limited by its session policies),
AssumeRoleWithWebIdentity against an OpenID Connect provider and AssumeRoleWithSAML against a SAML provider."""

import json
from datetime import timedelta

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from events.models import Event
from tests.factories import allow
from tests.federation import saml_assertion, saml_metadata, web_identity_token

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


GITHUB = "token.actions.githubusercontent.com"


def federated_trust(provider_arn: str, action: str, **condition) -> str:
    statement = {"Effect": "Allow", "Principal": {"Federated": provider_arn}, "Action": action}
    if condition:
        statement["Condition"] = condition
    return document(statement)


@pytest.fixture
def anonymous_sts(endpoint):
    """An STS client without credentials: AssumeRoleWithWebIdentity and AssumeRoleWithSAML are not signed."""
    import boto3
    from botocore import UNSIGNED

    from .conftest import CLIENT_CONFIG

    return boto3.session.Session().client("sts", endpoint_url=endpoint("sts"), region_name="us-east-1",
                                          config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED)))


def test_assume_role_with_web_identity(account, root_api, anonymous_sts, endpoint):
    iam = root_api("iam")
    provider = iam.create_open_id_connect_provider(Url=f"https://{GITHUB}", ClientIDList=["sts.amazonaws.com"])[
        "OpenIDConnectProviderArn"]
    role = iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=federated_trust(
        provider, "sts:AssumeRoleWithWebIdentity",
        StringEquals={f"{GITHUB}:aud": "sts.amazonaws.com"}, StringLike={f"{GITHUB}:sub": "repo:octo/app:*"},
    ))["Role"]["Arn"]
    iam.put_role_policy(RoleName="deploy", PolicyName="read", PolicyDocument=document(allow("iam:ListRoles")))
    token = web_identity_token(f"https://{GITHUB}", "sts.amazonaws.com")

    assumed = anonymous_sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName="ci", WebIdentityToken=token)
    assert assumed["SubjectFromWebIdentityToken"] == "repo:octo/app:ref:refs/heads/main"
    assert assumed["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account.account_id}:assumed-role/deploy/ci"
    assert (assumed["Provider"], assumed["Audience"]) == (f"https://{GITHUB}", "sts.amazonaws.com")
    assert as_session(endpoint, "iam", assumed["Credentials"]).list_roles()["Roles"]

    def refused(token, role=role):
        return error(anonymous_sts.assume_role_with_web_identity, RoleArn=role, RoleSessionName="ci",
                     WebIdentityToken=token)

    assert refused(web_identity_token(f"https://{GITHUB}", "sts.amazonaws.com", "repo:evil/app:ref")) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
    assert refused(web_identity_token(f"https://{GITHUB}", "other-audience")) == (
        "InvalidIdentityToken", "Incorrect token audience")
    assert refused(web_identity_token("https://unknown.example.com", "sts.amazonaws.com")) == (
        "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://unknown.example.com")
    assert refused(web_identity_token(f"https://{GITHUB}", "sts.amazonaws.com", lifetime=timedelta(minutes=-1)))[0] == (
        "ExpiredTokenException")
    assert refused("not-a-jwt")[0] == "InvalidIdentityToken"
    assert refused(token, role=f"arn:aws:iam::{account.account_id}:role/missing")[0] == "AccessDenied"
    events = list(Event.objects.filter(account=account, event_name="AssumeRoleWithWebIdentity").order_by("event_time"))
    assert events[0].user_identity["type"] == "WebIdentityUser" and events[0].error_code == ""
    assert events[1].error_code == "AccessDenied"


def test_assume_role_with_saml(account, root_api, anonymous_sts, endpoint):
    iam = root_api("iam")
    provider = iam.create_saml_provider(Name="Okta", SAMLMetadataDocument=saml_metadata())["SAMLProviderArn"]
    role = iam.create_role(RoleName="sso-admin", AssumeRolePolicyDocument=federated_trust(
        provider, "sts:AssumeRoleWithSAML", StringEquals={"SAML:aud": "https://signin.aws.amazon.com/saml"},
    ))["Role"]["Arn"]
    other = iam.create_role(RoleName="other", AssumeRolePolicyDocument=federated_trust(
        provider, "sts:AssumeRoleWithSAML"))["Role"]["Arn"]

    assertion = saml_assertion("https://idp.example.com/saml", role, provider)
    assumed = anonymous_sts.assume_role_with_saml(RoleArn=role, PrincipalArn=provider, SAMLAssertion=assertion,
                                                  DurationSeconds=900)
    assert assumed["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account.account_id}:assumed-role/sso-admin/alice"
    assert (assumed["Subject"], assumed["SubjectType"], assumed["Issuer"]) == (
        "alice@example.com", "persistent", "https://idp.example.com/saml")
    assert as_session(endpoint, "sts", assumed["Credentials"]).get_caller_identity()["Arn"].endswith("sso-admin/alice")

    def refused(assertion, role=role):
        return error(anonymous_sts.assume_role_with_saml, RoleArn=role, PrincipalArn=provider, SAMLAssertion=assertion)

    assert refused(assertion, role=other)[0] == "AccessDenied"  # the assertion does not grant that role
    assert refused(saml_assertion("https://impostor.example.com", role, provider))[0] == "InvalidIdentityToken"
    assert refused(saml_assertion("https://idp.example.com/saml", role, provider, audience="urn:elsewhere"))[0] == (
        "InvalidIdentityToken")
    assert refused(saml_assertion("https://idp.example.com/saml", role, provider, lifetime=timedelta(minutes=-1)))[0] == (
        "ExpiredTokenException")
    assert refused("bm90IHhtbA==")[0] == "InvalidIdentityToken"
