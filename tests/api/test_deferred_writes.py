"""CreateCase and CreateUser write their rows and event together, in one statement on PostgreSQL (CreateCase
from a catalogue entry the process keeps): portal.inserts, cases.catalog_memo. What that must not change."""

import json

import pytest
from django.db import connection

from cases import plans, services
from cases.models import Case, Category, Communication, SeverityLevel
from events.models import Event
from iam.models import IAMUser
from iam.services import identities
from tests.round_trips import round_trips

from .serialized import send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("support_catalog")]
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="what PostgreSQL alone makes faster")

EC2 = {"serviceCode": "amazon-elastic-compute-cloud-linux", "categoryCode": "instance-issue", "severityCode": "normal"}


@pytest.fixture
def support(root_api):
    return root_api("support")


def open_case(support, subject="Instance unreachable", **extra) -> Case:
    case_id = support.create_case(subject=subject, communicationBody="It stopped answering.", **{**EC2, **extra})["caseId"]
    return Case.objects.get(case_id=case_id)


def test_a_display_id_already_taken_is_drawn_again_and_nothing_is_written_twice(account, support, monkeypatch):
    first = open_case(support)
    draws = iter([first.display_id])
    drawn = services._new_display_id
    monkeypatch.setattr(services, "_new_display_id", lambda: next(draws, None) or drawn())
    second = open_case(support, subject="Second")
    assert second.display_id != first.display_id
    assert [message.body for message in Communication.objects.filter(case=second)] == ["It stopped answering."]
    assert Event.objects.filter(account=account, event_name="CreateCase").count() == 2


@on_postgresql
def test_staff_changes_to_the_catalogue_apply_to_the_next_case(support):
    open_case(support)
    open_case(support)  # the process keeps the entry by now
    SeverityLevel.objects.filter(code="normal").update(first_response_minutes=7)
    case = open_case(support, subject="After the change")
    severity = SeverityLevel.objects.get(code="normal")
    assert case.first_response_due == plans.first_response_due(case.account, severity, case.time_created,
                                                                language=case.language)
    Category.objects.filter(code=EC2["categoryCode"]).update(code="instance-trouble")
    with pytest.raises(support.exceptions.ClientError) as refused:
        open_case(support, subject="Under the old code")
    assert "Category instance-issue does not exist" in refused.value.response["Error"]["Message"]
    assert open_case(support, categoryCode="instance-trouble").category.code == "instance-trouble"


@on_postgresql
def test_a_case_from_a_warm_process_is_one_round_trip_its_write(account, keys, settings):
    settings.API_RATE_LIMITS = False  # as bench/api_vs_moto.py runs: the case creation limit counts in a transaction
    key_id, secret = keys(account)
    params = {"subject": "Disk full", "communicationBody": "No space left.", **EC2}
    for _ in range(2):  # the key (read again once its first use is recorded) and the catalogue entry are kept
        assert send(key_id, secret, "support", "CreateCase", params).status_code == 200
    with round_trips() as trips:
        response = send(key_id, secret, "support", "CreateCase", params)
    assert response.status_code == 200
    # No BEGIN, no COMMIT, and the kept key is confirmed by the write (tests/api/test_writes_confirm_the_key.py).
    assert (trips.count, trips.queries()) == (1, [])
    case = Case.objects.get(case_id=json.loads(response.content)["caseId"])
    assert Communication.objects.filter(case=case).count() == 1
    assert Event.objects.filter(account=account, event_name="CreateCase").count() == 3


@pytest.fixture
def iam(root_api):
    return root_api("iam")


def test_a_new_user_answers_with_what_is_stored(iam, account):
    answered = iam.create_user(UserName="alice", Path="/staff/")["User"]
    stored = IAMUser.objects.get(account=account, name="alice")
    assert (answered["UserId"], answered["Arn"]) == (stored.user_id, stored.arn)
    assert answered["CreateDate"] == stored.created_at.replace(microsecond=0)  # the wire gives whole seconds
    assert Event.objects.get(account=account, event_name="CreateUser").response_elements["user"]["userId"] == stored.user_id


def test_a_taken_name_and_the_users_quota_are_refused_as_before_and_write_nothing(iam, account, monkeypatch):
    monkeypatch.setattr(identities, "USERS_PER_ACCOUNT", 2)
    iam.create_user(UserName="alice")
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.create_user(UserName="ALICE")
    iam.create_user(UserName="bob")
    with pytest.raises(iam.exceptions.LimitExceededException) as refused:
        iam.create_user(UserName="carol")
    assert "UsersPerAccount: 2" in refused.value.response["Error"]["Message"]
    assert sorted(IAMUser.objects.filter(account=account).values_list("name", flat=True)) == ["alice", "bob"]
    written = Event.objects.filter(account=account, event_name="CreateUser").values_list("error_code", flat=True)
    assert sorted(written) == ["", "", "EntityAlreadyExists", "LimitExceeded"]


def test_a_new_user_with_tags_and_a_boundary_gets_them(iam, account):
    boundary = iam.create_policy(PolicyName="cap", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.create_user(UserName="dana", Tags=[{"Key": "team", "Value": "blue"}], PermissionsBoundary=boundary)
    user = iam.get_user(UserName="dana")["User"]
    assert (user["Tags"], user["PermissionsBoundary"]["PermissionsBoundaryArn"]) == ([{"Key": "team", "Value": "blue"}], boundary)


@on_postgresql
def test_a_user_from_a_warm_process_is_one_round_trip(account, keys):
    key_id, secret = keys(account)
    for name in ("warm-1", "warm-2"):  # the key is read again once its first use is recorded
        assert send(key_id, secret, "iam", "CreateUser", {"UserName": name}).status_code == 200
    with round_trips() as trips:
        response = send(key_id, secret, "iam", "CreateUser", {"UserName": "counted"})
    assert response.status_code == 200
    assert (trips.count, trips.queries()) == (1, [])
    assert IAMUser.objects.filter(account=account, name="counted").exists()
