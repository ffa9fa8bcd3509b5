"""CreateCase and CreateUser go ahead with the access key the process keeps, and their one write confirms it
(api.dispatch, iam.access_key_memo.kept_access_key): one round trip. What changed since the key was kept must
count as if it had been read first."""

import json

import pytest
from django.db import connection

from cases.models import Case
from iam.access_key_memo import kept_access_key
from iam.models import AccessKey
from iam.services import delete_access_key, put_inline_policy, update_access_key_status
from iam.services.identities import rename_identity
from tests.factories import IAMUserFactory

from .serialized import send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("support_catalog"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="keys are kept by their row versions on PostgreSQL only"),
]

CASE = {"subject": "Disk full", "communicationBody": "No space left.", "serviceCode": "amazon-elastic-compute-cloud-linux",
        "categoryCode": "instance-issue", "severityCode": "normal"}


def allow(action: str, effect: str = "Allow") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]})


@pytest.fixture
def caller(account, keys):
    """An IAM user allowed support:*, whose key the process keeps after two cases (its first use is recorded on the
    first, which changes its row)."""
    user = IAMUserFactory(account=account, name="caller")
    put_inline_policy(user, "support", allow("support:*"))
    key_id, secret = keys(account, user)
    for _ in range(2):
        assert send(key_id, secret, "support", "CreateCase", CASE).status_code == 200
    assert kept_access_key(key_id) is not None  # the next CreateCase goes ahead with it
    return user, key_id, secret


def create_case(key_id: str, secret: str, params: dict | None = None):
    response = send(key_id, secret, "support", "CreateCase", CASE if params is None else params)
    return response.status_code, json.loads(response.content)


def error_code(answer: tuple) -> str:
    return answer[1].get("__type", "")


@pytest.mark.parametrize("change", ["deactivated", "deleted"])
def test_a_key_changed_since_it_was_kept_is_refused_and_no_case_is_written(account, caller, change):
    _, key_id, secret = caller
    key = AccessKey.objects.get(access_key_id=key_id)
    update_access_key_status(key, "Inactive") if change == "deactivated" else delete_access_key(key)
    cases = Case.objects.filter(account=account).count()
    assert error_code(create_case(key_id, secret)) == "UnrecognizedClientException"
    assert Case.objects.filter(account=account).count() == cases


def test_a_refusal_is_answered_as_the_key_stands_now(caller):
    _, key_id, secret = caller
    update_access_key_status(AccessKey.objects.get(access_key_id=key_id), "Inactive")
    assert error_code(create_case(key_id, secret, {**CASE, "severityCode": "no-such-severity"})) == "UnrecognizedClientException"


def test_a_wrong_signature_by_a_key_deleted_since_is_refused_as_an_unknown_key(caller):
    _, key_id, secret = caller
    delete_access_key(AccessKey.objects.get(access_key_id=key_id))
    assert error_code(create_case(key_id, secret[:-1] + ("A" if secret[-1] != "A" else "B"))) == "UnrecognizedClientException"


def test_a_policy_changed_since_the_key_was_kept_decides_the_call(account, caller):
    user, key_id, secret = caller
    put_inline_policy(user, "no-cases", allow("support:CreateCase", effect="Deny"))
    cases = Case.objects.filter(account=account).count()
    assert error_code(create_case(key_id, secret)) == "AccessDeniedException"
    assert Case.objects.filter(account=account).count() == cases


def test_a_caller_renamed_since_its_key_was_kept_files_the_case_under_its_new_name(account, caller):
    user, key_id, secret = caller
    rename_identity(user, new_name="renamed")
    status, answer = create_case(key_id, secret)
    assert status == 200
    assert Case.objects.get(case_id=answer["caseId"]).submitted_by.endswith(":user/renamed")


def test_a_user_is_created_under_the_kept_key_with_its_tags(caller, client_for):
    user, key_id, secret = caller
    put_inline_policy(user, "iam", allow("iam:*"))
    for name in ("first", "second"):  # the key is read again after the policy change, then kept
        assert send(key_id, secret, "iam", "CreateUser", {"UserName": name}).status_code == 200
    assert kept_access_key(key_id) is not None
    tagged = {"UserName": "tagged", "Tags": [{"Key": "team", "Value": "blue"}]}
    assert send(key_id, secret, "iam", "CreateUser", tagged).status_code == 200
    assert client_for("iam", key_id, secret).get_user(UserName="tagged")["User"]["Tags"] == [{"Key": "team", "Value": "blue"}]


def test_a_connection_the_database_dropped_is_replaced_before_the_write(account, caller, database_ends_the_connection):
    _, key_id, secret = caller
    cases = Case.objects.filter(account=account).count()
    database_ends_the_connection()
    assert create_case(key_id, secret)[0] == 200
    assert Case.objects.filter(account=account).count() == cases + 1
