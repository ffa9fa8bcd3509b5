"""Scenes a practice sandbox starts with for the exercises that investigate the past.

"Find who deleted a user": a contractor's IAM user was created by the administrator three days ago and
deleted yesterday by an operator. Only the event history tells who did it; the deleted user is gone
and the operator is one IAM user among several.
"""

from datetime import datetime, timedelta

from accounts.models import Account
from events.models import EventType
from events.services import record_event
from iam.models import IAMUser, Policy
from iam.principals import Principal
from iam.services import attach_policy, create_user

DELETED_USER = "contractor-kim"
DELETED_BY = "ops-jordan"
OFFICE_ADDRESS = "198.51.100.24"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def _console_event(principal: Principal, event_name: str, when: datetime, **parameters) -> None:
    record_event(principal, event_source="iam.amazonaws.com", event_name=event_name, event_type=EventType.CONSOLE_ACTION,
                 request_parameters=parameters, source_ip=OFFICE_ADDRESS, user_agent=BROWSER, now=when)


def stage_deleted_user(account: Account, now: datetime) -> None:
    # The operator keeps no password or key, so no Trusted Advisor check flags them.
    operator = create_user(account, DELETED_BY)
    attach_policy(operator, Policy.objects.get(account=None, name="IAMFullAccess"))
    admin = Principal(account=account, user=IAMUser.objects.get(account=account, name="admin"))
    created, deleted = now - timedelta(days=3, hours=2), now - timedelta(days=1, hours=5)
    _console_event(admin, "CreateUser", created, userName=DELETED_USER)
    _console_event(admin, "AttachUserPolicy", created + timedelta(minutes=1), userName=DELETED_USER,
                   policyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    _console_event(admin, "CreateLoginProfile", created + timedelta(minutes=2), userName=DELETED_USER)
    by_operator = Principal(account=account, user=operator)
    _console_event(by_operator, "DetachUserPolicy", deleted - timedelta(minutes=2), userName=DELETED_USER,
                   policyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    _console_event(by_operator, "DeleteLoginProfile", deleted - timedelta(minutes=1), userName=DELETED_USER)
    _console_event(by_operator, "DeleteUser", deleted, userName=DELETED_USER)

