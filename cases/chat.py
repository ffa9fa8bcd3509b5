"""Chat with AWS Support about a case (Business and Enterprise plans, the "Chat" contact method).

The customer starts a chat from the case page; an engineer (the simulated one in practice accounts, or
a staff engineer) joins and answers; when either side ends it, the transcript is added to the case's
correspondence, as AWS does. Someone listening for `customer_wrote` (training's simulated engineer)
answers; the customer sees "typing…" meanwhile.
"""

from datetime import datetime

import django.dispatch
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from iam.authorization import authorize
from iam.principals import Principal

from . import engineering
from .exceptions import SupportError
from .models import AuthorKind, Case, Chat, ChatMessage, ChatStatus, ContactMethod
from .plans import rules_for
from .services import add_correspondence
from .validation import MAX_BODY, check_text

# Sent after a customer's message commits (chat=Chat): an engineer should answer.
customer_wrote = django.dispatch.Signal()

MAX_CHAT_MESSAGE = 2000


class ChatNotAvailable(SupportError):
    code = "ChatNotAvailable"


def may_chat(case: Case) -> bool:
    return ContactMethod.CHAT in rules_for(case.account).contact_methods and not case.is_resolved


def open_chat(case: Case) -> Chat | None:
    return case.chats.exclude(status=ChatStatus.ENDED).first()


@transaction.atomic
def start_chat(principal: Principal, case: Case, *, now: datetime | None = None) -> Chat:
    """The open chat of the case, or a new one waiting for an engineer."""
    authorize(principal, "support:InitiateChatForCase")
    if not may_chat(case):
        raise ChatNotAvailable(f"The {case.account.get_support_plan_display()} support plan offers no chat, "
                               "or the case is resolved.")
    existing = open_chat(Case.objects.select_for_update().get(pk=case.pk))
    if existing is not None:
        return existing
    now = now or timezone.now()
    chat = Chat.objects.create(case=case, started_by=principal.display_name, started_at=now, engineer_typing=True)
    transaction.on_commit(lambda: customer_wrote.send(sender=Chat, chat=chat))
    return chat


@transaction.atomic
def send_customer_message(principal: Principal, chat: Chat, body: str, *, now: datetime | None = None) -> ChatMessage:
    authorize(principal, "support:AddCommunicationToCase")
    if not chat.is_open:
        raise ChatNotAvailable("This chat has ended.")
    body = check_text(body, field="body", label="Message", limit=MAX_CHAT_MESSAGE)
    message = ChatMessage.objects.create(chat=chat, author_kind=AuthorKind.CUSTOMER, author_name=principal.display_name,
                                         body=body, sent_at=now or timezone.now())
    Chat.objects.filter(pk=chat.pk).update(engineer_typing=True)
    transaction.on_commit(lambda: customer_wrote.send(sender=Chat, chat=chat))
    return message


@transaction.atomic
def engineer_says(chat: Chat, engineer_name: str, body: str, *, now: datetime | None = None) -> ChatMessage | None:
    """An engineer joins (when not yet there) and answers; nothing once the chat has ended."""
    chat = Chat.objects.select_for_update().get(pk=chat.pk)
    if not chat.is_open:
        return None
    now = now or timezone.now()
    if chat.status == ChatStatus.WAITING:
        chat.status, chat.engineer_name, chat.joined_at = ChatStatus.ACTIVE, engineer_name, now
    chat.engineer_typing = False
    chat.save(update_fields=["status", "engineer_name", "joined_at", "engineer_typing"])
    return ChatMessage.objects.create(chat=chat, author_kind=AuthorKind.AMAZON, author_name=chat.engineer_name,
                                      body=check_text(body, field="body", label="Message", limit=MAX_CHAT_MESSAGE),
                                      sent_at=now)


def transcript(chat: Chat) -> str:
    lines = [f"Chat transcript, started {chat.started_at:%Y-%m-%d %H:%M} UTC by {chat.started_by}."]
    lines += [f"[{message.sent_at:%H:%M:%S}] {message.author_name}: {message.body}" for message in chat.messages.all()]
    return "\n".join(lines)[:MAX_BODY]


@transaction.atomic
def end_chat(chat: Chat, *, ended_by: str, now: datetime | None = None) -> Chat:
    """Close the chat and add its transcript to the correspondence (no status change: a chat is not a reply)."""
    chat = Chat.objects.select_for_update().select_related("case").get(pk=chat.pk)
    if not chat.is_open:
        return chat
    now = now or timezone.now()
    chat.status, chat.ended_at, chat.engineer_typing = ChatStatus.ENDED, now, False
    chat.save(update_fields=["status", "ended_at", "engineer_typing"])
    add_correspondence(chat.case, author_kind=AuthorKind.AMAZON, submitted_by=f"Chat ended by {ended_by}",
                       body=transcript(chat), now=now)
    return chat


def end_customer_chat(principal: Principal, chat: Chat) -> Chat:
    authorize(principal, "support:AddCommunicationToCase")
    return end_chat(chat, ended_by=principal.display_name)


def staff_chat_name(engineer: AbstractBaseUser) -> str:
    """How the customer sees a staff engineer in chat."""
    return f"{engineer.get_full_name() or engineer.get_username()} (AWS Support)"


@transaction.atomic
def take_over(chat: Chat, engineer: AbstractBaseUser, *, now: datetime | None = None) -> Chat:
    """A staff engineer takes the chat and its case: the simulated engineer leaves, the customer sees the new name."""
    chat = Chat.objects.select_for_update().select_related("case").get(pk=chat.pk)
    if not chat.is_open:
        raise ChatNotAvailable("This chat has ended.")
    now = now or timezone.now()
    engineering.assign_to(chat.case, engineer, now=now)
    name = staff_chat_name(engineer)
    chat.status, chat.engineer_name, chat.engineer_typing = ChatStatus.ACTIVE, name, False
    chat.joined_at = chat.joined_at or now
    chat.save(update_fields=["status", "engineer_name", "engineer_typing", "joined_at"])
    ChatMessage.objects.create(chat=chat, author_kind=AuthorKind.SYSTEM, author_name="AWS Support",
                               body=f"{name} joined the chat.", sent_at=now)
    return chat


@transaction.atomic
def staff_answers(chat: Chat, engineer: AbstractBaseUser, body: str) -> ChatMessage | None:
    """A staff engineer's answer in chat, taking the chat over first when someone else has it."""
    if chat.engineer_name != staff_chat_name(engineer) or chat.case.assignee_id != engineer.pk:
        chat = take_over(chat, engineer)
    return engineer_says(chat, chat.engineer_name, body)
