"""STS through boto3: AssumeRole hands out temporary credentials that every endpoint accepts as a role session."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from events.models import Event
from tests.factories import AccountFactory, allow, policy_document

from .conftest import CLIENT_CONFIG

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, *args, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def trust(principal: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]})


@pytest.fixture
def role_arn(account, root_api):
    iam = root_api("iam")
    arn = iam.create_role(RoleName="reader", AssumeRolePolicyDocument=trust(account.account_id))["Role"]["Arn"]
    iam.put_role_policy(RoleName="reader", PolicyName="read", PolicyDocument=policy_document(allow("iam:List*")))
    return arn


def assume(sts, role_arn, **extra):
    return sts.assume_role(RoleArn=role_arn, RoleSessionName="ci-run", **extra)


def as_session(endpoint, service, credentials):
    import boto3

    return boto3.session.Session().client(
        service, endpoint_url=endpoint(service), region_name="us-east-1", config=CLIENT_CONFIG,
        aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def test_a_role_session_acts_with_the_roles_permissions(account, make_user, keys, client_for, endpoint, role_arn):
    user = make_user(account, allow("sts:AssumeRole", resource=role_arn), name="deployer")
    sts = client_for("sts", *keys(account, user))
    assert sts.get_caller_identity()["Arn"] == user.arn
    assumed = assume(sts, role_arn)
    credentials = assumed["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert credentials["Expiration"] > datetime.now(timezone.utc) + timedelta(minutes=55)
    session_arn = f"arn:aws:sts::{account.account_id}:assumed-role/reader/ci-run"
    assert assumed["AssumedRoleUser"]["Arn"] == session_arn
    assert as_session(endpoint, "sts", credentials).get_caller_identity()["Arn"] == session_arn
    iam = as_session(endpoint, "iam", credentials)
    assert "deployer" in [listed["UserName"] for listed in iam.list_users()["Users"]]
    with pytest.raises(ClientError) as denied:
        iam.create_user(UserName="nope")
    assert denied.value.response["Error"]["Message"].startswith(f"User: {session_arn} is not authorized")
    event = Event.objects.get(account=account, event_name="ListUsers")
    assert event.user_identity["type"] == "AssumedRole" and event.access_key_id == credentials["AccessKeyId"]
    assumed_event = Event.objects.get(account=account, event_name="AssumeRole")
    assert credentials["SessionToken"] not in str(assumed_event.as_record())
    assert credentials["SecretAccessKey"] not in str(assumed_event.as_record())


def test_who_may_assume_a_role(account, make_user, keys, client_for, root_api, role_arn):
    assert error(root_api("sts").assume_role, RoleArn=role_arn, RoleSessionName="x1") == ("AccessDenied", 403)
    no_permission = client_for("sts", *keys(account, make_user(account, name="plain")))
    assert error(no_permission.assume_role, RoleArn=role_arn, RoleSessionName="x1") == ("AccessDenied", 403)
    root_api("iam").update_assume_role_policy(RoleName="reader", PolicyDocument=trust("arn:aws:iam::123456789012:root"))
    allowed = client_for("sts", *keys(account, make_user(account, allow("sts:AssumeRole"), name="allowed")))
    assert error(allowed.assume_role, RoleArn=role_arn, RoleSessionName="x1") == ("AccessDenied", 403)  # trust says no
    other = AccountFactory()
    stranger = client_for("sts", *keys(other, make_user(other, allow("sts:AssumeRole"), name="stranger")))
    assert error(stranger.assume_role, RoleArn=role_arn, RoleSessionName="x1") == ("AccessDenied", 403)


def test_session_duration_is_bounded_by_the_role(account, make_user, keys, client_for, role_arn):
    sts = client_for("sts", *keys(account, make_user(account, allow("sts:AssumeRole"), name="long")))
    assert error(assume, sts, role_arn, DurationSeconds=7200) == ("ValidationError", 400)
    assert assume(sts, role_arn, DurationSeconds=900)["Credentials"]["Expiration"] < datetime.now(timezone.utc) + timedelta(minutes=16)


def test_expired_tampered_and_orphaned_tokens(account, make_user, keys, client_for, endpoint, role_arn, root_api, monkeypatch):
    from api import temporary_credentials

    sts = client_for("sts", *keys(account, make_user(account, allow("sts:AssumeRole"), name="tester")))
    credentials = assume(sts, role_arn)["Credentials"]
    tampered = {**credentials, "SessionToken": credentials["SessionToken"][:-2] + "xx"}
    assert error(as_session(endpoint, "iam", tampered).list_users) == ("InvalidClientTokenId", 403)
    wrong_secret = {**credentials, "SecretAccessKey": "x" * 40}
    assert error(as_session(endpoint, "iam", wrong_secret).list_users) == ("SignatureDoesNotMatch", 403)
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    real_resolve = temporary_credentials.resolve
    monkeypatch.setattr(temporary_credentials, "resolve", lambda token, key, now=None: real_resolve(token, key, now=later))
    assert error(as_session(endpoint, "iam", credentials).list_users) == ("ExpiredToken", 403)
    assert error(as_session(endpoint, "support", credentials).describe_severity_levels) == ("ExpiredTokenException", 403)
    monkeypatch.undo()
    root_api("iam").delete_role_policy(RoleName="reader", PolicyName="read")
    root_api("iam").delete_role(RoleName="reader")
    assert error(as_session(endpoint, "iam", credentials).list_users) == ("InvalidClientTokenId", 403)
