"""Phone: a callback number schedules a call; the simulated engineer calls at the account's scaled time (or a staff
engineer logs the call by hand), the case shows the call, its summary joins the correspondence and the case moves
as an engineer's reply moves it. Also the staff site's chat takeover, and the events chat and phone leave."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import SupportPlan
from cases import chat as chats
from cases.exceptions import CaseValidationError
from cases.models import AuthorKind, CallStatus, CaseStatus, Chat, ChatStatus, PhoneCall
from cases.staff_roles import CATALOG_EDITORS
from cases.validation import check_phone_number
from events.models import Event
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import AccountFactory
from tests.training.test_simulated_engineer import open_case
from training.models import TrainingProfile
from training.services.call_engineer import CALL_DELAY_SECONDS, place_call
from training.services.chat_engineer import ENGINEER_NAME

pytestmark = pytest.mark.django_db

# The engineer's 5 simulated minutes before calling back take half a second.
SPEED = CALL_DELAY_SECONDS * 2


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """Tasks run in this process, even where a broker is configured (tests/training/test_chat_worker.py has the worker)."""
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def trained(account):
    TrainingProfile.objects.create(account=account, time_speed_factor=SPEED)
    return account


def case_page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.display_id])).content.decode()


def amazon_bodies(case) -> list[str]:
    return list(case.communications.filter(author_kind=AuthorKind.AMAZON).values_list("body", flat=True))


@pytest.mark.parametrize(("typed", "complaint"), [
    ("", "Enter a number we can call you back on."),
    ("206 555 0100", "Start the number with + and its country code"),
    ("+1 206 555 01OO", "only digits after the +"),
    ("+0 206 555 0100", "Country codes don't start with 0"),
    ("+1 555 01", "8 to 15 digits (you entered 6)"),
    ("+1 206 555 0100 1234567", "8 to 15 digits (you entered 18)"),
])
def test_a_wrong_number_is_explained(typed, complaint):
    with pytest.raises(CaseValidationError) as refused:
        check_phone_number(typed)
    assert complaint in refused.value.message and refused.value.field == "callback_number"


def test_numbers_are_kept_in_e164_form():
    assert check_phone_number(" +1 (206) 555-0100 ") == "+12065550100"
    assert check_phone_number("0044 20.7946.0958") == "+442079460958"


def test_the_simulated_engineer_calls_back_at_the_scaled_time(trained, django_capture_on_commit_callbacks):
    opened = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(trained, contact_method="phone", callback_number="+1 (206) 555-0100", now=opened)
    call = PhoneCall.objects.get(case=case)
    # Scheduled 5 simulated minutes ahead, which at this speed is half a second of real time.
    assert call.scheduled_for - opened == timedelta(seconds=0.5)
    assert call.status == CallStatus.COMPLETED and call.engineer_name == ENGINEER_NAME
    assert call.phone_number == "+12065550100" and call.staff_user is None
    [summary] = amazon_bodies(case)
    assert summary.startswith(f"Phone call with +12065550100 on {call.called_at:%Y-%m-%d} ") and ENGINEER_NAME in summary
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION and case.first_responded_at is not None
    assert case.transitions.last().actor_kind == AuthorKind.AMAZON
    page = case_page(console_client_for(Principal(account=trained)), case)
    assert f"<strong>{ENGINEER_NAME}</strong> called +12065550100" in page
    # A repeated delivery of the task calls nobody twice.
    assert place_call(call.pk) is False
    assert len(amazon_bodies(case)) == 1


def test_without_the_simulation_the_call_waits_for_staff_and_is_shown_scheduled(account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(account, contact_method="phone", callback_number="+44 20 7946 0958")
    call = PhoneCall.objects.get(case=case)
    assert call.status == CallStatus.SCHEDULED and call.scheduled_for is None
    page = case_page(console_client_for(Principal(account=account)), case)
    assert "Call scheduled</strong> to +442079460958" in page and "will call you on this number" in page
    assert ">Request a call</button>" not in page  # one call at a time


def test_request_a_call_from_the_case_page_is_checked_and_recorded(trained, django_capture_on_commit_callbacks):
    case = open_case(trained)
    client = console_client_for(Principal(account=trained))
    assert ">Request a call</button>" in case_page(client, case)
    url = reverse("cases:call-request", args=[case.display_id])
    client.post(url, {"phone_number": "555 0100"})
    assert not PhoneCall.objects.exists()
    assert "Start the number with +" in case_page(client, case)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"phone_number": "+49 30 1234567"}).status_code == 302
    assert PhoneCall.objects.get(case=case).called_at is not None
    refused, placed = Event.objects.filter(account=trained, event_name="InitiateCallForCase").order_by("pk")
    assert refused.error_code == "ValidationException"
    assert placed.request_parameters == {"displayId": str(case.display_id), "phone_number": "+49 30 1234567"}
    assert not placed.error_code


def test_developer_plan_offers_no_calls():
    account = AccountFactory(support_plan=SupportPlan.DEVELOPER)
    case = open_case(account, severity="normal")
    client = console_client_for(Principal(account=account))
    assert 'data-testid="call-panel"' not in case_page(client, case)
    client.post(reverse("cases:call-request", args=[case.display_id]), {"phone_number": "+12065550100"})
    assert not PhoneCall.objects.exists()


def staff_case_url(case) -> str:
    return reverse("admin:cases_case_change", args=[case.pk])


def log_call_form(**overrides) -> dict:
    return {
        "action": "log_call", "engineer_name": "Alex (AWS Support)", "phone_number": "+44 20 7946 0958",
        "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "summary": "Walked through the reboot.",
        "next_status": CaseStatus.PENDING_CUSTOMER_ACTION, **overrides,
    }


def test_a_staff_engineer_logs_the_scheduled_call(client, support_engineer, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(account, contact_method="phone", callback_number="+44 20 7946 0958",
                         now=timezone.now() - timedelta(minutes=5))
    client.force_login(support_engineer)
    page = client.get(staff_case_url(case)).content.decode()
    assert 'data-testid="log-call"' in page and "waiting for an engineer" in page and 'value="+442079460958"' in page

    refused = client.post(staff_case_url(case), log_call_form(phone_number="020 7946 0958")).content.decode()
    assert "Start the number with +" in refused and PhoneCall.objects.get().status == CallStatus.SCHEDULED

    assert client.post(staff_case_url(case), log_call_form()).status_code == 302
    call = PhoneCall.objects.get()  # the scheduled call, completed
    assert call.status == CallStatus.COMPLETED and call.staff_user == support_engineer
    assert call.engineer_name == "Alex (AWS Support)" and call.summary == "Walked through the reboot."
    [summary] = amazon_bodies(case)
    assert "Phone call with +442079460958" in summary and summary.endswith("Walked through the reboot.")
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION and case.assignee == support_engineer
    page = case_page(console_client_for(Principal(account=account)), case)
    assert "<strong>Alex (AWS Support)</strong> called +442079460958" in page


def test_a_call_in_the_future_is_refused(client, support_engineer, account):
    case = open_case(account)
    client.force_login(support_engineer)
    later = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert "once it has happened" in client.post(staff_case_url(case), log_call_form(called_at=later)).content.decode()
    assert not PhoneCall.objects.exists()


def test_staff_without_the_support_engineer_role_cannot_log_calls_or_take_chats(client, django_user_model, trained):
    case = open_case(trained)
    chat = chats.start_chat(Principal(account=trained), case)
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name=CATALOG_EDITORS)[0])
    client.force_login(editor)
    assert client.post(staff_case_url(case), log_call_form()).status_code == 403
    assert client.post(staff_case_url(case), {"action": "take_over_chat", "chat": chat.pk}).status_code == 403
    assert client.get(reverse("admin:cases_case_chat", args=[case.pk])).status_code == 403
    assert not PhoneCall.objects.exists()
    case.refresh_from_db()
    assert case.assignee is None or case.assignee.username != "editor"


def test_a_staff_engineer_takes_over_the_chat_and_the_customer_sees_their_name(
    client, support_engineer, trained, django_capture_on_commit_callbacks
):
    support_engineer.first_name, support_engineer.last_name = "Alex", "Doe"
    support_engineer.save()
    case = open_case(trained)
    customer = console_client_for(Principal(account=trained))
    with django_capture_on_commit_callbacks(execute=True):
        chat = chats.start_chat(Principal(account=trained), case)
    chat.refresh_from_db()
    assert chat.engineer_name == ENGINEER_NAME  # the simulated engineer joined first

    client.force_login(support_engineer)
    page = client.get(staff_case_url(case)).content.decode()
    assert 'data-testid="staff-chat"' in page and ">Take over chat</button>" in page
    client.post(staff_case_url(case), {"action": "take_over_chat", "chat": chat.pk})
    client.post(staff_case_url(case), {"action": "chat_reply", "chat": chat.pk, "body": "Alex here, I have your case."})
    log = customer.get(reverse("cases:chat-log", args=[case.display_id])).content.decode()
    assert "Connected to Alex Doe (AWS Support)" in log
    assert "<strong>Alex Doe (AWS Support)</strong>" in log and "Alex here, I have your case." in log

    # The simulated engineer has left: a customer's message now waits for Alex, and shows on his polled log.
    with django_capture_on_commit_callbacks(execute=True):
        chats.send_customer_message(Principal(account=trained), chat, "Thanks, the shop is still down.")
    assert chat.messages.order_by("-sent_at", "-pk").first().author_kind == AuthorKind.CUSTOMER
    staff_log = reverse("admin:cases_case_chat", args=[case.pk])
    assert "Thanks, the shop is still down." in client.get(staff_log).content.decode()
    client.post(staff_case_url(case), {"action": "end_chat", "chat": chat.pk})
    assert client.get(staff_log).status_code == 286  # the page stops polling
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ENDED
    assert "Chat ended by Alex Doe (AWS Support)" in case.communications.values_list("submitted_by", flat=True)


def test_chat_actions_are_recorded_in_the_event_history(trained, django_capture_on_commit_callbacks):
    case = open_case(trained)
    client = console_client_for(Principal(account=trained))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:chat-start", args=[case.display_id]), HTTP_HX_REQUEST="true")
    chat = Chat.objects.get(case=case)
    send = reverse("cases:chat-send", args=[case.display_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"chat": chat.pk, "body": "Still down.", "password": "hunter2"}, HTTP_HX_REQUEST="true")
        client.post(send, {"chat": chat.pk, "body": ""}, HTTP_HX_REQUEST="true")  # refused: not recorded
    client.post(reverse("cases:chat-end", args=[case.display_id]), {"chat": chat.pk}, HTTP_HX_REQUEST="true")
    events = list(Event.objects.filter(account=trained).order_by("pk"))
    assert [event.event_name for event in events] == ["InitiateChatForCase", "AddCommunicationToCase", "AddCommunicationToCase"]
    assert events[0].request_parameters == {"displayId": str(case.display_id)}
    assert events[1].request_parameters == {
        "displayId": str(case.display_id), "chat": str(chat.pk), "body": "Still down.", "password": "HIDDEN_DUE_TO_SECURITY_REASONS",
    }
    assert events[2].request_parameters == {"displayId": str(case.display_id), "chat": str(chat.pk)}
