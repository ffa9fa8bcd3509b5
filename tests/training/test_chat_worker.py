"""Chat and a phone callback with the simulated engineer through a real Celery worker on Redis and PostgreSQL,
at a high time speed."""

import time

import pytest

from cases import chat as chats
from cases.models import AuthorKind, CaseStatus, ChatMessage, PhoneCall
from inbox.models import Message
from iam.principals import Principal
from training.models import TrainingProfile
from training.services.call_engineer import CALL_DELAY_SECONDS
from training.services.chat_engineer import CHAT_ANSWER_SECONDS

from .test_simulated_engineer import open_case

# The engineer's 45 simulated seconds per answer take a tenth of a second.
SPEED = CHAT_ANSWER_SECONDS * 10


def answers(chat) -> int:
    return ChatMessage.objects.filter(chat=chat, author_kind=AuthorKind.AMAZON).count()


def wait_until(condition, budget: float = 30.0) -> bool:
    """The worker acts on its own schedule: look until it has, within a bounded time."""
    deadline = time.monotonic() + budget
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def all_mail_delivered(case) -> bool:
    """Every message of the case has reached the account's mailbox: the worker is done writing for this test
    (a write still under way when the test's tables are emptied could deadlock with it)."""
    return wait_until(lambda: Message.objects.filter(account=case.account).count() >= case.communications.count())


def wait_for_answers(chat, count: int) -> int:
    wait_until(lambda: answers(chat) >= count)
    return answers(chat)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_joins_and_answers_a_chat(celery_worker, account):
    TrainingProfile.objects.create(account=account, time_speed_factor=SPEED)
    case = open_case(account, subject="Production down", body="Site down, help!")
    root = Principal(account=account)
    chat = chats.start_chat(root, case)
    assert wait_for_answers(chat, 1) == 1
    chats.send_customer_message(root, chat, "It is still down for every customer.")
    assert wait_for_answers(chat, 2) == 2
    chat.refresh_from_db()
    assert chat.engineer_typing is False and chat.joined_at is not None
    chats.end_chat(chat, ended_by="Root user")
    assert case.communications.filter(body__startswith="Chat transcript").count() == 1
    assert all_mail_delivered(case)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_calls_back_a_phone_case(celery_worker, account):
    # The engineer's 5 simulated minutes before calling take a tenth of a second.
    TrainingProfile.objects.create(account=account, time_speed_factor=CALL_DELAY_SECONDS * 10)
    case = open_case(account, contact_method="phone", callback_number="+1 206 555 0100")
    assert wait_until(lambda: PhoneCall.objects.filter(case=case, called_at__isnull=False).exists())
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION
    assert case.communications.filter(body__startswith="Phone call with +12065550100").count() == 1
    assert all_mail_delivered(case)
