"""The event history records console sign-ins (CloudTrail's ConsoleLogin) and the console changes that answer
with an htmx fragment (case replies and reopens), with their request parameters."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseStatus
from events.models import Event
from iam.principals import Principal
from iam.services import create_user
from tests.cases.conftest import ec2_case_arguments
from tests.factories import ROOT_PASSWORD, USER_PASSWORD, AccountFactory
from tests.iam.test_mfa import enrolled, sign_in_user

pytestmark = pytest.mark.django_db


def logins(account):
    return [event.as_record() for event in Event.objects.filter(account=account, event_name="ConsoleLogin").order_by("pk")]


def test_root_sign_in_success_and_failure_are_console_login_events(account):
    other = AccountFactory()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 trainee")
    client.post("/signin/", {"email": account.root_email, "password": "wrong-password"})
    client.post("/signin/", {"email": account.root_email, "password": ROOT_PASSWORD})
    failure, success = logins(account)
    assert failure["eventType"] == "AwsConsoleSignIn" and failure["eventSource"] == "signin.amazonaws.com"
    assert failure["responseElements"] == {"ConsoleLogin": "Failure"}
    assert failure["errorMessage"] == "Failed authentication"
    assert success["responseElements"] == {"ConsoleLogin": "Success"} and "errorMessage" not in success
    assert success["userIdentity"]["type"] == "Root" and success["userAgent"] == "Mozilla/5.0 trainee"
    assert success["additionalEventData"]["MFAUsed"] == "No"
    assert success["additionalEventData"]["LoginTo"].endswith("/")
    assert logins(other) == []
    # The history page shows the failure as one.
    page = Client()
    page.post("/signin/", {"email": account.root_email, "password": ROOT_PASSWORD})
    assert "Failed authentication" in page.get(reverse("events:history")).content.decode()


def test_iam_user_sign_in_with_mfa_says_mfa_was_used(account):
    user = create_user(account, "secure", password=USER_PASSWORD)
    _, app = enrolled(account, user)
    client = Client()
    sign_in_user(client, account, "secure")
    assert logins(account) == []  # the password alone is no sign-in yet
    client.post("/iam/signin/mfa/", {"code": "000000" if app.now() != "000000" else "111111"})
    client.post("/iam/signin/mfa/", {"code": app.now()})
    failure, success = logins(account)
    assert failure["responseElements"] == {"ConsoleLogin": "Failure"}
    assert failure["additionalEventData"]["MFAUsed"] == "Yes"
    assert success["userIdentity"]["userName"] == "secure" and success["userIdentity"]["type"] == "IAMUser"
    assert success["additionalEventData"]["MFAUsed"] == "Yes"


def test_a_failed_sign_in_of_an_unknown_user_hides_the_name(account):
    Client().post(f"/signin/{account.account_id}/", {
        "account": account.account_id, "user_name": "nobody", "password": "x", "as": "iam",
    })
    (failure,) = logins(account)
    assert failure["userIdentity"]["userName"] == "HIDDEN_DUE_TO_SECURITY_REASONS"
    assert "nobody" not in str(failure)


def test_case_replies_and_reopens_from_the_console_are_recorded(account, root_client):
    case = case_services.create_case(Principal(account=account), **ec2_case_arguments())
    url = reverse("cases:reply", args=[case.display_id])
    root_client.post(url, {"description": "More detail here."}, HTTP_HX_REQUEST="true")
    root_client.post(url, {"description": ""}, HTTP_HX_REQUEST="true")  # refused: nothing recorded
    case_services.resolve_case(Principal(account=account), case.case_id)
    root_client.post(url, {"description": "It broke again.", "reopen": "on"})
    events = list(Event.objects.filter(account=account, event_name="AddCommunicationToCase").order_by("pk"))
    assert [event.request_parameters["description"] for event in events] == ["More detail here.", "It broke again."]
    assert events[0].request_parameters["displayId"] == str(case.display_id)
    assert events[1].request_parameters["reopen"] == "on"
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED


def test_create_access_key_names_the_user(account, root_client):
    create_user(account, "alice")
    root_client.post(reverse("iam:user-access-key-create", args=["alice"]))
    event = Event.objects.get(account=account, event_name="CreateAccessKey")
    assert event.request_parameters["userName"] == "alice"
