"""Chat on a case: the simulated engineer joins and answers (typing meanwhile), the transcript joins the
correspondence when the chat ends, only plans with chat offer it, and a staff takeover silences the simulation."""

import pytest
from django.urls import reverse

from accounts.models import SupportPlan
from cases import chat as chats
from cases.models import AuthorKind, CaseStatus, Chat, ChatStatus
from iam.principals import Principal
from tests.conftest import console_client_for
from tests.factories import AccountFactory
from tests.training.test_simulated_engineer import open_case
from training.models import TrainingProfile
from training.services.chat_engineer import ENGINEER_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """The engineer's answer runs in this process, even where a broker is configured
    (tests/training/test_chat_worker.py covers the real worker)."""
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def trained(account):
    TrainingProfile.objects.create(account=account, time_speed_factor=60)
    return account


def post(client, case, action, capture, **data):
    with capture(execute=True):
        return client.post(reverse(f"cases:chat-{action}", args=[case.display_id]), data, HTTP_HX_REQUEST="true")


def log(client, case) -> str:
    return client.get(reverse("cases:chat-log", args=[case.display_id])).content.decode()


def test_the_engineer_joins_answers_and_the_transcript_joins_the_correspondence(trained, django_capture_on_commit_callbacks):
    case = open_case(trained, subject="Production web shop down")
    client = console_client_for(Principal(account=trained))
    page = client.get(reverse("cases:detail", args=[case.display_id])).content.decode()
    assert 'data-testid="chat-panel"' in page and ">Chat</button>" in page

    post(client, case, "start", django_capture_on_commit_callbacks)
    chat = Chat.objects.get(case=case)
    assert chat.status == ChatStatus.ACTIVE and chat.engineer_name == ENGINEER_NAME
    assert f"Connected to {ENGINEER_NAME}" in log(client, case) and "Production web shop down" in log(client, case)

    # Until the engineer's answer is written, the customer sees "typing…".
    client.post(reverse("cases:chat-send", args=[case.display_id]), {"chat": chat.pk, "body": "Still down."},
                HTTP_HX_REQUEST="true")
    assert "is typing…" in log(client, case)
    post(client, case, "send", django_capture_on_commit_callbacks, chat=chat.pk, body="Any news?")
    chat.refresh_from_db()
    assert "is typing…" not in log(client, case)
    assert [m.author_kind for m in chat.messages.all()] == [
        AuthorKind.AMAZON, AuthorKind.CUSTOMER, AuthorKind.CUSTOMER, AuthorKind.AMAZON,
    ]
    case.refresh_from_db()
    status_before = case.status
    post(client, case, "end", django_capture_on_commit_callbacks, chat=chat.pk)
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ENDED
    transcript = case.communications.order_by("-time_created", "-pk").first()
    assert transcript.body.startswith("Chat transcript") and "Still down." in transcript.body and ENGINEER_NAME in transcript.body
    case.refresh_from_db()
    assert case.status == status_before  # a transcript is not a reply
    assert log(client, case).count('data-testid="chat-message"') == 4  # the log stays readable, and stops polling
    assert client.get(reverse("cases:chat-log", args=[case.display_id])).status_code == 286


def test_plans_without_chat_get_no_chat(django_capture_on_commit_callbacks):
    account = AccountFactory(support_plan=SupportPlan.DEVELOPER)
    case = open_case(account, severity="normal")
    client = console_client_for(Principal(account=account))
    assert 'data-testid="chat-panel"' not in client.get(reverse("cases:detail", args=[case.display_id])).content.decode()
    response = post(client, case, "start", django_capture_on_commit_callbacks)
    assert "offers no chat" in response.content.decode() and not Chat.objects.exists()


def test_a_staff_takeover_leaves_the_chat_to_the_staff_engineer(trained, django_user_model, django_capture_on_commit_callbacks):
    case = open_case(trained)
    staff = django_user_model.objects.create(username="alex", is_staff=True)
    case.assignee = staff
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        chat = chats.start_chat(Principal(account=trained), case)
    chat.refresh_from_db()
    assert chat.status == ChatStatus.WAITING and not chat.messages.exists()
    chats.engineer_says(chat, "Alex (AWS Support)", "Hi, Alex here.")
    chat.refresh_from_db()
    assert chat.engineer_name == "Alex (AWS Support)" and chat.status == ChatStatus.ACTIVE


def test_another_account_cannot_reach_the_chat(trained, django_capture_on_commit_callbacks):
    case = open_case(trained)
    intruder = console_client_for(Principal(account=AccountFactory()))
    assert intruder.get(reverse("cases:chat-log", args=[case.display_id])).status_code == 404
    assert post(intruder, case, "start", django_capture_on_commit_callbacks).status_code == 404
    assert not Chat.objects.exists()
    assert case.status != CaseStatus.RESOLVED
