import pyotp
import pytest

from accounts.services import create_account
from iam.services import create_group, create_role, create_user
from iam.services.mfa import seed_of
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, policy_document

TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123:root"}, "Action": "sts:AssumeRole"}]}'


@pytest.fixture
def opened_account(db):
    """An account opened through accounts.services, so it has its service-linked roles."""
    return create_account(name="Opened Corp", root_email="owner@opened.example", root_password=ROOT_PASSWORD)


@pytest.fixture
def iam_objects(account):
    """One user, group, role and customer policy to point every IAM URL at."""
    from iam.services import create_customer_managed_policy

    user = create_user(account, "alice", password=USER_PASSWORD)
    group = create_group(account, "developers")
    role = create_role(account, "deployer", TRUST)
    policy = create_customer_managed_policy(account, "Custom", policy_document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    return {"user": user, "group": group, "role": role, "policy": policy}


def totp_for(device) -> pyotp.TOTP:
    """What the user's authenticator app computes from the seed it scanned."""
    return pyotp.TOTP(seed_of(device))
