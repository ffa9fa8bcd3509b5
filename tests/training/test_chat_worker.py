"""Chat with the simulated engineer through a real Celery worker on Redis and PostgreSQL, at a high time speed."""

import time

import pytest

from cases import chat as chats
from cases.models import AuthorKind, ChatMessage
from iam.principals import Principal
from training.models import TrainingProfile
from training.services.chat_engineer import CHAT_ANSWER_SECONDS

from .test_simulated_engineer import open_case

# The engineer's 45 simulated seconds per answer take a tenth of a second.
SPEED = CHAT_ANSWER_SECONDS * 10


def answers(chat) -> int:
    return ChatMessage.objects.filter(chat=chat, author_kind=AuthorKind.AMAZON).count()


def wait_for_answers(chat, count: int, budget: float = 30.0) -> int:
    """The worker answers on its own schedule: look until it has, within a bounded time."""
    deadline = time.monotonic() + budget
    while answers(chat) < count and time.monotonic() < deadline:
        time.sleep(0.1)
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
