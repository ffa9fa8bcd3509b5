"""Root account recovery, reached from the sign-in page while signed out (see services.recovery)."""

from django.shortcuts import redirect, render

from .. import selectors, services
from ..forms import EmailCodeForm, RecoveryAnswersForm, RecoveryEmailForm
from .common import submit

SESSION_KEY = "accounts.root_recovery_email"


def _steps(request, email: str | None) -> tuple[str, dict]:
    """The step this browser is on, and how to build and run its form."""
    if email is None:

        def start(data):
            services.start_root_recovery(data["email"])
            request.session[SESSION_KEY] = data["email"].strip()

        return "email", {
            "form": lambda data=None: RecoveryEmailForm(data),
            "action": start,
            "success": "If an account uses this email address, we sent a verification code to it.",
        }
    questions = selectors.root_recovery_questions(email)
    if questions is None:
        return "code", {
            "form": lambda data=None: EmailCodeForm(data),
            "action": lambda data: services.verify_root_recovery_code(email, data["code"]),
            "success": "The code is correct.",
        }

    def finish(data):
        services.finish_root_recovery(email, form_answers(data), data["new_password"])
        request.session.pop(SESSION_KEY, None)

    def form_answers(data):
        return [data[f"answer_{position}"] for position in range(1, len(questions) + 1)]

    return "answers", {
        "form": lambda data=None: RecoveryAnswersForm(data, questions=questions),
        "action": finish,
        "success": "Your root user password was changed. Sign in with the new password.",
    }


def recover(request):
    if request.GET.get("restart") is not None:
        request.session.pop(SESSION_KEY, None)
        return redirect("accounts:recover")
    email = request.session.get(SESSION_KEY)
    step, flow = _steps(request, email)
    form = flow["form"]()
    if request.method == "POST" and request.POST.get("step") == step:
        form = flow["form"](request.POST)
        if submit(request, form, flow["action"], flow["success"]):
            done = step == "answers"
            return redirect("signin" if done else "accounts:recover")
    return render(request, "accounts/recover.html", {"step": step, "form": form, "email": email})
