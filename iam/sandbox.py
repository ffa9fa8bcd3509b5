"""Demo IAM: an administrator, a read-only user and a support agent who may not resolve cases,
plus a group and a role so every IAM page has something to show."""

import json

from portal.sandbox import demo

from .models import Policy
from .services import add_user_to_group, attach_policy, create_customer_managed_policy, create_group, create_role, create_user

SUPPORT_WITHOUT_RESOLVE = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "SupportCenter", "Effect": "Allow", "Action": "support:*", "Resource": "*"},
            {"Sid": "NoResolving", "Effect": "Deny", "Action": "support:ResolveCase", "Resource": "*"},
        ],
    },
    indent=4,
)


def _trust_account(account) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        },
        indent=4,
    )


def populate(account) -> None:
    support_policy = create_customer_managed_policy(
        account,
        "SupportWithoutResolve",
        SUPPORT_WITHOUT_RESOLVE,
        description="Everything in the Support Center except resolving cases.",
    )
    aws_managed = {name: Policy.objects.get(account=None, name=name) for name in ("AdministratorAccess", "ReadOnlyAccess", "AWSSupportAccess")}
    policies = {
        "admin": aws_managed["AdministratorAccess"],
        "reader": aws_managed["ReadOnlyAccess"],
        "support-agent": support_policy,
    }
    users = {}
    for name, password, _ in demo.IAM_USERS:
        users[name] = create_user(account, name, password=password)
        attach_policy(users[name], policies[name])
    support_team = create_group(account, "support-team", path="/operations/")
    attach_policy(support_team, aws_managed["AWSSupportAccess"])
    add_user_to_group(support_team, users["support-agent"])
    auditor = create_role(
        account,
        "SecurityAuditor",
        _trust_account(account),
        description="Read-only access for security reviews; assumable with MFA from this account.",
        max_session_duration=4 * 3600,
    )
    attach_policy(auditor, aws_managed["ReadOnlyAccess"])
