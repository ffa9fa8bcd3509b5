"""CloudTrail LookupEvents over the event history, through boto3 and the AWS CLI."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from events.models import Event
from tests.factories import allow

pytestmark = pytest.mark.django_db(transaction=True)


def error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def test_lookup_events_filters_by_attribute_and_time_and_pages(account, root_api, other_account, keys, client_for):
    iam = root_api("iam")
    for name in ("ct-a", "ct-b", "ct-c"):
        iam.create_user(UserName=name)
    client_for("iam", *keys(other_account)).create_user(UserName="theirs")
    trail = root_api("cloudtrail")

    created = trail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}])
    assert [json.loads(e["CloudTrailEvent"])["requestParameters"]["userName"] for e in created["Events"]] == [
        "ct-c", "ct-b", "ct-a"]  # newest first, this account's only
    assert {e["EventSource"] for e in created["Events"]} == {"iam.amazonaws.com"}
    assert created["Events"][0]["ReadOnly"] == "false"

    first = trail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
                                MaxResults=2)
    assert len(first["Events"]) == 2 and first["NextToken"]
    rest = trail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}],
                               MaxResults=2, NextToken=first["NextToken"])
    assert [e["EventId"] for e in first["Events"] + rest["Events"]] == [e["EventId"] for e in created["Events"]]
    assert "NextToken" not in rest

    one = created["Events"][1]["EventId"]
    by_id = trail.lookup_events(LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": one}])
    assert [e["EventId"] for e in by_id["Events"]] == [one]
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    assert trail.lookup_events(StartTime=later)["Events"] == []
    Event.objects.filter(account=account).update(event_time=datetime.now(timezone.utc) - timedelta(days=3))
    recent = trail.lookup_events(StartTime=datetime.now(timezone.utc) - timedelta(days=1))["Events"]
    assert all(e["EventName"] == "LookupEvents" for e in recent)

    assert error(trail.lookup_events, StartTime=later, EndTime=later - timedelta(days=1)) == "InvalidTimeRangeException"
    assert error(trail.lookup_events, LookupAttributes=[
        {"AttributeKey": "EventName", "AttributeValue": "CreateUser"},
        {"AttributeKey": "Username", "AttributeValue": "root"}]) == "InvalidLookupAttributesException"
    assert error(trail.lookup_events, NextToken="forged") == "InvalidNextTokenException"


def test_lookup_events_needs_the_permission(account, user_api):
    assert error(user_api("cloudtrail", account, allow("iam:ListUsers")).lookup_events) == "AccessDeniedException"
    allowed = user_api("cloudtrail", account, allow("cloudtrail:LookupEvents"), name="auditor")
    [denied] = allowed.lookup_events()["Events"]  # the refused call is in the history too
    assert json.loads(denied["CloudTrailEvent"])["errorCode"] == "AccessDeniedException"


def test_lookup_events_in_the_cli(account, keys, aws_cli):
    key_id, secret = keys(account)
    aws_cli("iam", key_id, secret, "create-user", "--user-name", "cli-trail")
    found = aws_cli("cloudtrail", key_id, secret, "lookup-events", "--lookup-attributes",
                    "AttributeKey=Username,AttributeValue=root", "--max-results", "1")
    assert found.returncode == 0, found.stderr
    names = [event["EventName"] for event in json.loads(found.stdout)["Events"]]
    assert "CreateUser" in names  # the CLI follows NextToken one event at a time
