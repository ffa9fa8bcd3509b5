"""A call answers before the work its answer does not depend on: a read's history line, and the hand-over of a
new case's email, follow once the answer has been sent (the server then closes the response). A change is
committed together with its history line before the answer, as before."""

import pytest
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler

from events.models import Event
from iam.services import create_access_key
from portal.after_response import wait_until_settled
from tests.responses import close_as_server

from .serialized import signed_environ

pytestmark = pytest.mark.django_db


def served(account, operation: str, service: str = "iam", params: dict | None = None):
    """The answer's status and body as a server sends them, and the response it has yet to close."""
    key, secret = create_access_key(account, None)
    started = {}
    response = WSGIHandler()(signed_environ(key.access_key_id, secret, service, operation, params),
                             lambda status, headers: started.update(status=status))
    return started["status"], b"".join(response), response


def test_a_read_answers_first_and_its_event_is_written_once_the_answer_has_gone(account):
    status, body, response = served(account, "ListUsers")
    assert status.startswith("200") and b"<ListUsersResult>" in body
    assert not Event.objects.filter(account=account, event_name="ListUsers").exists()
    close_as_server(response)
    assert Event.objects.get(account=account, event_name="ListUsers").read_only is True


def test_a_refused_call_s_event_also_follows_the_answer(account):
    status, body, response = served(account, "GetUser", params={"UserName": "nobody"})
    assert status.startswith("404") and b"NoSuchEntity" in body
    assert not Event.objects.filter(account=account, event_name="GetUser").exists()
    close_as_server(response)
    assert Event.objects.get(account=account, event_name="GetUser").error_code == "NoSuchEntity"


def test_a_change_and_its_event_are_committed_before_the_answer(account):
    status, body, response = served(account, "CreateUser", params={"UserName": "carol"})
    assert status.startswith("200")
    assert Event.objects.get(account=account, event_name="CreateUser").response_elements["user"]["userName"] == "carol"
    close_as_server(response)
    assert Event.objects.filter(account=account, event_name="CreateUser").count() == 1


def test_a_new_case_is_saved_before_the_answer_and_its_email_is_handed_over_after(account):
    params = {"subject": "Slow queries", "communicationBody": "Since this morning.", "serviceCode": "general-info",
              "categoryCode": "using-aws", "severityCode": "low"}
    status, body, response = served(account, "CreateCase", service="support", params=params)
    assert status.startswith("200") and account.support_cases.filter(subject="Slow queries").exists()
    assert mail.outbox == []
    close_as_server(response)
    assert wait_until_settled(timeout=10)  # the email goes with those of the calls answered just after (a batch)
    assert [message.subject for message in mail.outbox] == [f"[Case {account.support_cases.get().display_id}] Slow queries"]
