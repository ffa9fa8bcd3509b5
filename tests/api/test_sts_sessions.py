"""STS as scripts use it: GetSessionToken with MFA, AssumeRole with session policies, trust conditions and
ExternalId, and cross-account roles between two sandbox accounts."""

import json
import time
from datetime import datetime, timedelta, timezone

import boto3
import pyotp
import pytest
from botocore.exceptions import ClientError

from iam.services import create_virtual_mfa_device, enable_mfa_device
from iam.services.mfa import seed_of
from tests.factories import AccountFactory, PolicyFactory, allow, policy_document

from .conftest import CLIENT_CONFIG

pytestmark = pytest.mark.django_db(transaction=True)

MFA_ONLY = allow("iam:ListUsers", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})


def error(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def enrolled(account, user) -> tuple[str, pyotp.TOTP]:
    """The user's assigned MFA device (serial) and the app that computes its codes; the next code is unused."""
    device = create_virtual_mfa_device(account, user)
    app, now = pyotp.TOTP(seed_of(device)), time.time()
    enable_mfa_device(device, app.at(now - 90), app.at(now - 60))
    return device.serial_number, app


def as_session(endpoint, service, credentials):
    return boto3.session.Session().client(
        service, endpoint_url=endpoint(service), region_name="us-east-1", config=CLIENT_CONFIG,
        aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def trust(principal: str, **condition) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_get_session_token_with_mfa_opens_mfa_protected_actions(account, make_user, keys, client_for, endpoint):
    user = make_user(account, MFA_ONLY, allow("iam:GetUser"), name="mfa-user")
    serial, app = enrolled(account, user)
    key = keys(account, user)
    assert error(client_for("iam", *key).list_users)[0] == "AccessDenied"  # long-term keys carry no MFA

    sts = client_for("sts", *key)
    assert error(sts.get_session_token, SerialNumber=serial, TokenCode="000000")[0] == "AccessDenied"
    assert "must provide both" in error(sts.get_session_token, SerialNumber=serial)[1]
    credentials = sts.get_session_token(SerialNumber=serial, TokenCode=app.now(), DurationSeconds=900)["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert credentials["Expiration"] < datetime.now(timezone.utc) + timedelta(minutes=16)
    session_iam = as_session(endpoint, "iam", credentials)
    assert [u["UserName"] for u in session_iam.list_users()["Users"]] == ["mfa-user"]
    assert as_session(endpoint, "sts", credentials).get_caller_identity()["Arn"] == user.arn


def test_a_session_token_without_mfa_cannot_call_iam_or_most_of_sts(account, make_user, keys, client_for, endpoint):
    user = make_user(account, allow("iam:*"), name="no-mfa")
    sts = client_for("sts", *keys(account, user), parameter_validation=False)
    assert error(sts.get_session_token, DurationSeconds=60)[0] == "ValidationError"  # the model's minimum is 900
    credentials = sts.get_session_token()["Credentials"]
    assert credentials["Expiration"] > datetime.now(timezone.utc) + timedelta(hours=11)
    assert error(as_session(endpoint, "iam", credentials).list_users)[0] == "AccessDenied"
    session_sts = as_session(endpoint, "sts", credentials)
    assert session_sts.get_caller_identity()["Arn"] == user.arn
    assert error(session_sts.get_session_token)[0] == "AccessDenied"


@pytest.fixture
def role(account, root_api):
    iam = root_api("iam")
    iam.create_role(RoleName="operator", AssumeRolePolicyDocument=trust(account.account_id))
    iam.put_role_policy(RoleName="operator", PolicyName="read", PolicyDocument=policy_document(allow("iam:List*")))
    return f"arn:aws:iam::{account.account_id}:role/operator"


def test_session_policies_limit_the_session_to_their_intersection_with_the_role(
        account, make_user, keys, client_for, endpoint, role):
    user = make_user(account, allow("sts:AssumeRole", resource=role), name="deployer")
    sts = client_for("sts", *keys(account, user))
    only_users = policy_document(allow("iam:ListUsers"), allow("iam:CreateUser"))
    assumed = sts.assume_role(RoleArn=role, RoleSessionName="narrow", Policy=only_users)
    assert 0 < assumed["PackedPolicySize"] < 100
    session = as_session(endpoint, "iam", assumed["Credentials"])
    session.list_users()  # allowed by the role and by the session policy
    code, message = error(session.list_roles)  # the role allows it, the session policy does not
    assert code == "AccessDenied" and "because no session policy allows the iam:ListRoles action" in message
    code, message = error(session.create_user, UserName="x")  # the session policy allows it, the role does not
    assert code == "AccessDenied" and "no identity-based policy allows" in message

    managed = PolicyFactory(account=account, name="OnlyGroups", document=policy_document(allow("iam:ListGroups")))
    by_arn = sts.assume_role(RoleArn=role, RoleSessionName="by-arn", PolicyArns=[{"arn": managed.arn}])
    groups_only = as_session(endpoint, "iam", by_arn["Credentials"])
    groups_only.list_groups()
    assert error(groups_only.list_users)[0] == "AccessDenied"

    assert error(sts.assume_role, RoleArn=role, RoleSessionName="bad", Policy="{")[0] == "MalformedPolicyDocument"
    ghost = f"arn:aws:iam::{account.account_id}:policy/Ghost"
    assert error(sts.assume_role, RoleArn=role, RoleSessionName="bad", PolicyArns=[{"arn": ghost}])[0] == (
        "MalformedPolicyDocument")
    huge = policy_document(*[allow(f"iam:List{n:04d}") for n in range(80)])
    assert error(sts.assume_role, RoleArn=role, RoleSessionName="bad", Policy=huge)[0] == "PackedPolicyTooLarge"


def test_scoped_credentials_narrow_a_session_layer_by_layer_and_never_lengthen_it(
        account, make_user, keys, client_for, endpoint, role):
    user = make_user(account, allow("sts:AssumeRole", resource=role), name="scoper")
    long_term = client_for("sts", *keys(account, user))
    assert error(long_term.get_scoped_credentials, DurationSeconds=900)[0] == "InvalidSubjectCredentials"
    assumed = as_session(endpoint, "sts", long_term.assume_role(RoleArn=role, RoleSessionName="ops")["Credentials"])
    assert error(assumed.get_scoped_credentials)[0] == "ValidationError"
    assert error(assumed.get_scoped_credentials, DurationSeconds=7200)[0] == "InsufficientSessionLifetime"
    assert error(assumed.get_scoped_credentials, Policy="{")[0] == "MalformedPolicyDocument"

    scoped = assumed.get_scoped_credentials(Policy=policy_document(allow("iam:ListUsers"), allow("sts:*")),
                                            ScopedSessionDescription="read users", MinimumSessionTokenSize=2048)
    assert scoped["ScopedPoliciesCount"] == 1 and scoped["SessionTokenSize"] >= 2048
    assert scoped["SessionInfo"]["Arn"].endswith(":assumed-role/" + role.rsplit("/", 1)[1] + "/ops")
    iam = as_session(endpoint, "iam", scoped["Credentials"])
    iam.list_users()  # the role and the scope-down policy both allow it
    code, message = error(iam.list_roles)  # the role allows it, the scope-down policy does not
    assert code == "AccessDenied" and "session policy" in message
    narrower = as_session(endpoint, "sts", scoped["Credentials"])
    assert narrower.get_caller_identity()["Arn"] == scoped["SessionInfo"]["Arn"]  # the identity is preserved
    for layers in (2, 3):
        narrower = as_session(endpoint, "sts", narrower.get_scoped_credentials(
            Policy=policy_document(allow("sts:*"), allow("iam:ListUsers")))["Credentials"])
        assert narrower.get_caller_identity()["Arn"] == scoped["SessionInfo"]["Arn"]
    assert error(narrower.get_scoped_credentials, Policy=policy_document(allow("*")))[0] == "AccessDenied"  # a 4th
    shorter = narrower.get_scoped_credentials(DurationSeconds=60)
    assert shorter["ScopedPoliciesCount"] == 3
    assert shorter["Credentials"]["Expiration"] < scoped["Credentials"]["Expiration"]


def test_trust_policy_conditions_external_id_and_mfa(account, root_api, make_user, keys, client_for):
    iam = root_api("iam")
    iam.create_role(RoleName="vendor", AssumeRolePolicyDocument=trust(
        account.account_id, StringEquals={"sts:ExternalId": "Unique-42"}))
    iam.create_role(RoleName="guarded", AssumeRolePolicyDocument=trust(
        account.account_id, Bool={"aws:MultiFactorAuthPresent": "true"}))
    user = make_user(account, allow("sts:AssumeRole"), name="caller")
    serial, app = enrolled(account, user)
    sts = client_for("sts", *keys(account, user))
    vendor, guarded = (f"arn:aws:iam::{account.account_id}:role/{name}" for name in ("vendor", "guarded"))

    assert error(sts.assume_role, RoleArn=vendor, RoleSessionName="s1")[0] == "AccessDenied"
    assert error(sts.assume_role, RoleArn=vendor, RoleSessionName="s1", ExternalId="Wrong-1")[0] == "AccessDenied"
    assert sts.assume_role(RoleArn=vendor, RoleSessionName="s1", ExternalId="Unique-42")["Credentials"]

    assert error(sts.assume_role, RoleArn=guarded, RoleSessionName="s1")[0] == "AccessDenied"
    assert sts.assume_role(RoleArn=guarded, RoleSessionName="s1", SerialNumber=serial, TokenCode=app.now())


def test_cross_account_assume_role_needs_both_trust_and_identity_policy(account, make_user, keys, client_for, endpoint):
    other = AccountFactory()
    other_root = client_for("iam", *keys(other))
    other_root.create_role(RoleName="partner-access", AssumeRolePolicyDocument=trust(account.account_id))
    other_root.put_role_policy(RoleName="partner-access", PolicyName="read",
                               PolicyDocument=policy_document(allow("iam:ListRoles")))
    role_arn = f"arn:aws:iam::{other.account_id}:role/partner-access"

    without = make_user(account, allow("iam:ListUsers"), name="plain")
    assert error(client_for("sts", *keys(account, without)).assume_role, RoleArn=role_arn,
                 RoleSessionName="s1")[0] == "AccessDenied"
    allowed = make_user(account, allow("sts:AssumeRole", resource=role_arn), name="partner")
    assumed = client_for("sts", *keys(account, allowed)).assume_role(RoleArn=role_arn, RoleSessionName="s1")
    assert assumed["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{other.account_id}:assumed-role/partner-access/s1"
    session = as_session(endpoint, "iam", assumed["Credentials"])
    assert [r["RoleName"] for r in session.list_roles()["Roles"]] == ["partner-access"]  # the other account's roles

    untrusted = AccountFactory()
    stranger = make_user(untrusted, allow("sts:AssumeRole"), name="stranger")
    assert error(client_for("sts", *keys(untrusted, stranger)).assume_role, RoleArn=role_arn,
                 RoleSessionName="s1")[0] == "AccessDenied"


def test_get_session_token_then_an_mfa_protected_call_in_the_cli(account, make_user, keys, aws_cli):
    user = make_user(account, MFA_ONLY, name="cli-mfa")
    serial, app = enrolled(account, user)
    key_id, secret = keys(account, user)
    refused = aws_cli("iam", key_id, secret, "list-users")
    assert refused.returncode != 0 and "(AccessDenied)" in refused.stderr
    issued = aws_cli("sts", key_id, secret, "get-session-token", "--serial-number", serial, "--token-code", app.now())
    assert issued.returncode == 0, issued.stderr
    credentials = json.loads(issued.stdout)["Credentials"]
    listed = aws_cli("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"], "list-users",
                     session_token=credentials["SessionToken"])
    assert listed.returncode == 0, listed.stderr
    assert [u["UserName"] for u in json.loads(listed.stdout)["Users"]] == ["cli-mfa"]


def test_get_access_key_info_and_decode_authorization_message(account, root_api, keys):
    other = AccountFactory()
    other_key, _ = keys(other)
    sts = root_api("sts")
    assert sts.get_access_key_info(AccessKeyId=other_key)["Account"] == other.account_id
    assert error(sts.get_access_key_info, AccessKeyId="AKIAIOSFODNN7EXAMPLE")[0] == "ValidationError"
    assert error(sts.decode_authorization_message, EncodedMessage="not-one-of-ours")[0] == (
        "InvalidAuthorizationMessageException")
