"""The chat panel on a case page: start, send, end, and the log the page polls (htmx)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from . import chat as chats
from .exceptions import SupportError
from .models import Chat
from .views import _case_or_404, support_console_view

# htmx stops polling when an answer has this status: an ended chat has nothing more to show.
STOP_POLLING = 286


def _chat_of(case) -> Chat | None:
    return case.chats.prefetch_related("messages").first()


def _log(request, case, chat, error: str = ""):
    status = STOP_POLLING if chat is None or not chat.is_open else 200
    return render(request, "cases/includes/chat_log.html", {"case": case, "chat": chat, "error": error}, status=status)


@support_console_view("support:DescribeCases")
def chat_log(request, display_id: int):
    case = _case_or_404(request, display_id)
    return _log(request, case, _chat_of(case))


@require_POST
@support_console_view(event="support:InitiateChatForCase")
def chat_start(request, display_id: int):
    case = _case_or_404(request, display_id)
    try:
        chats.start_chat(request.principal, case)
    except SupportError as error:
        return _log(request, case, _chat_of(case), error.message)
    return HttpResponseClientRefresh()


@require_POST
@support_console_view(event="support:AddCommunicationToCase")
def chat_send(request, display_id: int):
    case = _case_or_404(request, display_id)
    chat = get_object_or_404(case.chats.all(), pk=request.POST.get("chat") or 0)
    error = ""
    try:
        chats.send_customer_message(request.principal, chat, request.POST.get("body", ""))
    except SupportError as refusal:
        error = refusal.message
    response = _log(request, case, _chat_of(case), error)
    response.console_change = not error  # the event history records the message sent
    return response


@require_POST
@support_console_view(event="support:AddCommunicationToCase")  # the transcript joins the correspondence
def chat_end(request, display_id: int):
    case = _case_or_404(request, display_id)
    chat = get_object_or_404(case.chats.all(), pk=request.POST.get("chat") or 0)
    chats.end_customer_chat(request.principal, chat)
    return HttpResponseClientRefresh()
