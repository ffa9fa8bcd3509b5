"""The simulated engineer in chat: joins a chat a practice account starts and answers each message.

It takes CHAT_ANSWER_SECONDS of simulated time per answer (divided by the account's time speed),
leaves chats on cases a staff engineer has taken over, and never ends a chat itself.
"""

from cases import chat as chats
from cases.models import AuthorKind, Chat
from portal import outbox

from ..clock import time_speed
from ..models import ReplyPurpose
from .engineer import ReplyLibrary, works_on

# How long a real engineer takes to join or answer in chat, in seconds of the account's simulated time.
CHAT_ANSWER_SECONDS = 45
ENGINEER_NAME = "Sam (AWS Support)"


def schedule_answer(chat: Chat) -> bool:
    """After a customer wrote (or opened the chat): answer at the scaled time, through the task queue."""
    chat = Chat.objects.select_related("case__account", "case__assignee").get(pk=chat.pk)
    if not works_on(chat.case):
        return False
    from ..tasks import answer_chat

    outbox.send_on_commit(answer_chat, chat.pk, countdown=CHAT_ANSWER_SECONDS / time_speed(chat.case.account))
    return True


def _unanswered(chat: Chat) -> bool:
    last = chat.messages.order_by("-sent_at", "-pk").first()
    return last is not None and last.author_kind == AuthorKind.CUSTOMER


def answer(chat_id: int) -> bool:
    """Join the chat, or answer the customer's latest message; False when there is nothing to do."""
    chat = Chat.objects.select_related("case__account", "case__assignee", "case__service", "case__category",
                                       "case__severity").filter(pk=chat_id).first()
    if chat is None or not chat.is_open or not works_on(chat.case):
        return False
    case = chat.case
    if chat.joined_at is None:
        body = (f"Hello, this is {ENGINEER_NAME}. I have case {case.display_id} (\"{case.subject}\") open in front "
                "of me. What are you seeing right now?")
    elif _unanswered(chat):
        body = ReplyLibrary.load().body_for(case, ReplyPurpose.ANSWER)
    else:
        return False
    return chats.engineer_says(chat, ENGINEER_NAME, body) is not None


def on_customer_wrote(sender, chat: Chat, **kwargs) -> None:
    schedule_answer(chat)
