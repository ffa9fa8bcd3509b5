"""Root account recovery, reached from the sign-in page while signed out (see services.recovery)."""

from functools import partial

from django.shortcuts import redirect, render

from events.models import EventType
from events.services import record_event
from iam.principals import Principal

from .. import selectors, services
from ..forms import EmailCodeForm, RecoveryAnswersForm, RecoveryEmailForm
from .common import Panel, submit

SESSION_KEY = "accounts.root_recovery_email"


def _client(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _start(request, data: dict) -> None:
    services.start_root_recovery(data["email"], client_address=_client(request))
    request.session[SESSION_KEY] = data["email"].strip()


def _finish(request, email: str, question_count: int, data: dict) -> None:
    answers = [data[f"answer_{position}"] for position in range(1, question_count + 1)]
    account = services.finish_root_recovery(email, answers, data["new_password"], client_address=_client(request))
    request.session.pop(SESSION_KEY, None)
    # Signed out, so console_view records nothing: the root user's sign-in event is written here.
    root = Principal(
        account=account, source_ip=request.META.get("REMOTE_ADDR", ""), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    record_event(
        root, event_source="signin.amazonaws.com", event_name="PasswordRecoveryCompleted", event_type=EventType.CONSOLE_ACTION
    )


def _step(request, email: str | None) -> tuple[str, Panel]:
    """The step this browser is on: the address, the emailed code, or the answers and new password."""
    if email is None:
        return "email", Panel(
            RecoveryEmailForm,
            partial(_start, request),
            "If an account uses this email address, we sent a verification code to it.",
        )
    questions = selectors.root_recovery_questions(email)
    if questions is None:
        return "code", Panel(
            EmailCodeForm,
            lambda data: services.verify_root_recovery_code(email, data["otp"], client_address=_client(request)),
            "The code is correct.",
        )
    return "answers", Panel(
        partial(RecoveryAnswersForm, questions=questions),
        partial(_finish, request, email, len(questions)),
        "Your root user password was changed. Sign in with the new password.",
    )


def recover(request):
    if request.GET.get("restart") is not None:
        request.session.pop(SESSION_KEY, None)
        return redirect("accounts:recover")
    email = request.session.get(SESSION_KEY)
    step, panel = _step(request, email)
    form = panel.form_class()
    if request.method == "POST" and request.POST.get("step") == step:
        form = panel.form_class(request.POST)
        if submit(request, form, panel.action, panel.success):
            return redirect("signin" if step == "answers" else "accounts:recover")
    return render(request, "accounts/recover.html", {"step": step, "form": form, "email": email})
