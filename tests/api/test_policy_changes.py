"""The API keeps a caller's parsed policies (and, on PostgreSQL, its access key, account and user) between calls;
any change to them takes effect on the next call.

Also: a key's last use is written at most once a minute, and a call's writes and its event commit together.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from iam.models import AccessKey, IAMUser
from iam.services import (
    add_user_to_group,
    attach_policy,
    create_access_key,
    create_customer_managed_policy,
    create_group,
    create_policy_version,
    delete_inline_policy,
    detach_policy,
    put_inline_policy,
    remove_user_from_group,
    set_default_policy_version,
    update_access_key_status,
)
from iam.services.identities import rename_identity
from tests.factories import IAMUserFactory

from .serialized import send

pytestmark = pytest.mark.django_db


def document(effect: str = "Allow", action: str = "iam:GetUser") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]})


@pytest.fixture
def caller(account):
    user = IAMUserFactory(account=account, name="caller")
    key, secret = create_access_key(account, user)

    def get_user() -> int:
        return send(key.access_key_id, secret, "iam", "GetUser", {}).status_code

    get_user.user, get_user.key = user, key
    key.secret_for_test = secret
    return get_user


def test_managed_policy_attach_detach_and_new_default_version(account, caller):
    assert caller() == 403
    policy = create_customer_managed_policy(account, "get-user", document())
    attach_policy(caller.user, policy)
    assert caller() == 200
    assert caller() == 200  # served from the parsed policies kept by this process
    create_policy_version(policy, document("Deny"), set_as_default=True)
    assert caller() == 403
    set_default_policy_version(policy, "v1")
    assert caller() == 200
    detach_policy(caller.user, policy)
    assert caller() == 403


def test_inline_policies(account, caller):
    put_inline_policy(caller.user, "own", document())
    assert caller() == 200
    put_inline_policy(caller.user, "own", document(action="iam:ListUsers"))
    assert caller() == 403
    put_inline_policy(caller.user, "own", document())
    assert caller() == 200
    delete_inline_policy(caller.user, "own")
    assert caller() == 403


def test_group_membership_group_policies_and_deleting_the_group(account, caller):
    group = create_group(account, "readers")
    put_inline_policy(group, "read", document())
    assert caller() == 403
    add_user_to_group(group, caller.user)
    assert caller() == 200
    remove_user_from_group(group, caller.user)
    assert caller() == 403
    add_user_to_group(group, caller.user)
    assert caller() == 200
    policy = create_customer_managed_policy(account, "deny", document("Deny"))
    attach_policy(group, policy)
    assert caller() == 403
    detach_policy(group, policy)
    assert caller() == 200
    group.delete()  # as a sandbox reset or the staff site does it, members and all
    assert caller() == 403


def test_an_aws_managed_policy_attached_through_a_group(account, caller):
    from iam.models import Policy

    group = create_group(account, "admins")
    add_user_to_group(group, caller.user)
    assert caller() == 403
    attach_policy(group, Policy.objects.get(account=None, name="IAMReadOnlyAccess"))
    assert caller() == 200


def test_a_renamed_user_or_a_deactivated_key_takes_effect_on_the_next_call(account, caller):
    put_inline_policy(caller.user, "own", document())
    key, secret = caller.key.access_key_id, caller.key.secret_for_test

    def user_name() -> str:
        response = send(key, secret, "iam", "GetUser", {})
        assert response.status_code == 200, response.content
        return response.content.decode()

    assert "<UserName>caller</UserName>" in user_name()  # and the key's last use written: a new row version
    assert "<UserName>caller</UserName>" in user_name()
    with CaptureQueriesContext(connection) as captured:
        assert "<UserName>caller</UserName>" in user_name()
    if connection.vendor == "postgresql":  # the key's rows confirmed by their versions, not read again
        assert not [query for query in captured if "encrypted_secret" in query["sql"]]
    rename_identity(IAMUser.objects.get(pk=caller.user.pk), new_name="renamed")
    assert "<UserName>renamed</UserName>" in user_name()
    update_access_key_status(AccessKey.objects.get(pk=caller.key.pk), "Inactive")
    assert send(key, secret, "iam", "GetUser", {}).status_code == 403


def test_the_last_use_of_a_key_is_written_at_most_once_a_minute(account, caller):
    assert caller() == 403  # a refused call is a use of the key too
    first = AccessKey.objects.get(pk=caller.key.pk).last_used_at
    assert first is not None
    put_inline_policy(caller.user, "own", document())
    assert caller() == 200
    assert AccessKey.objects.get(pk=caller.key.pk).last_used_at == first
    AccessKey.objects.filter(pk=caller.key.pk).update(last_used_at=first - timedelta(minutes=1))
    assert caller() == 200
    assert AccessKey.objects.get(pk=caller.key.pk).last_used_at > first - timedelta(seconds=1)


def test_a_failed_write_leaves_nothing_but_its_event(account, make_user):
    user = make_user(account, {"Effect": "Allow", "Action": "iam:*", "Resource": "*"})
    key, secret = create_access_key(account, user)
    users = IAMUser.objects.count()
    response = send(key.access_key_id, secret, "iam", "CreateUser", {"UserName": "bad name!"})
    assert response.status_code == 400
    assert IAMUser.objects.count() == users
    event = Event.objects.get(account=account, event_name="CreateUser")
    assert event.error_code == "ValidationError"
    response = send(key.access_key_id, secret, "iam", "CreateUser", {"UserName": "good"})
    assert response.status_code == 200
    assert Event.objects.filter(account=account, event_name="CreateUser", error_code="").count() == 1
    assert timezone.now() - Event.objects.latest("event_time").event_time < timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_by_the_next_call(caller, database_ends_the_connection):
    if connection.vendor != "postgresql":
        pytest.skip("the key's first query doubles as the health check on PostgreSQL only")
    put_inline_policy(caller.user, "own", document())
    assert caller() == 200
    database_ends_the_connection()
    assert caller() == 200


def test_a_call_for_a_host_the_portal_does_not_serve_is_refused_before_anything_else(account, caller, settings):
    put_inline_policy(caller.user, "own", document())
    settings.ALLOWED_HOSTS = ["console.example.com"]  # the request below is signed for, and sent to, "testserver"
    events = Event.objects.count()
    assert caller() == 400
    assert Event.objects.count() == events
