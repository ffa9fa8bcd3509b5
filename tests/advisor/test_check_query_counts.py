"""Every Trusted Advisor check reads the account in the same number of queries whether it has one IAM user,
access key, role and case or many (an account of 5,000 users is refreshed in seconds, not minutes)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advisor.checks import CATALOGUE
from cases.models import Case
from cases.services import add_communication_to_case, create_case
from iam.models import AccessKey, IAMUser
from iam.principals import Principal
from iam.services import (
    add_user_to_group,
    attach_policy,
    create_access_key,
    create_customer_managed_policy,
    create_group,
    create_role,
    create_virtual_mfa_device,
    put_inline_policy,
)
from tests.factories import AccountFactory, IAMUserFactory

pytestmark = pytest.mark.django_db

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]})
LONG_AGO = timezone.now() - timedelta(days=200)


def account_with(n: int):
    """n users (old, keyed, in a group with an administrator policy and an inline one), roles and cases."""
    account = AccountFactory()
    root = Principal(account=account)
    group = create_group(account, "admins")
    attach_policy(group, create_customer_managed_policy(account, "admin", ADMIN))
    put_inline_policy(group, "inline", ADMIN)
    for i in range(n):
        user = IAMUserFactory(account=account)
        add_user_to_group(group, user)
        attach_policy(user, create_customer_managed_policy(account, f"own-{i}", ADMIN))
        put_inline_policy(user, "inline", ADMIN)
        key, _ = create_access_key(account, user)
        AccessKey.objects.filter(pk=key.pk).update(created_at=LONG_AGO, last_used_at=LONG_AGO, last_used_region="eu-west-1")
        IAMUser.objects.filter(pk=user.pk).update(created_at=LONG_AGO)
        if i % 2:
            create_virtual_mfa_device(account, user)
        create_role(account, f"role-{i}", TRUST)
        case = create_case(root, subject=f"case {i}", communication_body="b", service_code="general-info",
                           category_code="using-aws", severity_code="low")
        add_communication_to_case(root, case.case_id, "more")
    Case.objects.filter(account=account).update(time_created=LONG_AGO, first_response_due=LONG_AGO)
    return account


@pytest.mark.parametrize("check_id", sorted(CATALOGUE))
def test_a_check_costs_the_same_queries_for_one_user_or_many(check_id):
    check = CATALOGUE[check_id]
    counts = []
    for n in (1, 6):
        account = account_with(n)
        with CaptureQueriesContext(connection) as captured:
            check.compute(account, timezone.now())
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{check.name}: {counts[0]} queries for 1 user, {counts[1]} for 6"
