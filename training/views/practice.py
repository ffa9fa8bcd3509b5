"""Trainee pages: start a practice account, reset it, and the simulated engineer's settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from iam.principals import Principal
from iam.sessions import start_console_session
from portal.console import console_view

from ..exceptions import SignUpThrottled, TrainingError
from ..forms import EngineerSettingsForm, PracticeSignUpForm
from ..selectors import profile_of
from ..services.practice import open_practice_account, reset_practice_sandbox, update_engineer_settings
from .progress import render_home


def _sign_in_as_root(request, account) -> None:
    start_console_session(request, Principal(account=account, source_ip=request.META.get("REMOTE_ADDR", "")))


def start(request):
    """Public: open a seeded practice account and sign in to it as its root user."""
    form = PracticeSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = open_practice_account(
                email=data["email"],
                password=data["password"],
                support_plan=data["support_plan"],
                client_address=request.META.get("REMOTE_ADDR"),
            )
        except TrainingError as error:
            form.add_error(error.field, error.message)
            # Being throttled is not a mistake in the form: say so in the status too.
            status = error.status if isinstance(error, SignUpThrottled) else 200
            return render(request, "training/start.html", {"form": form}, status=status)
        else:
            _sign_in_as_root(request, account)
            messages.success(
                request,
                f"Your practice account {account.account_id} is ready. You are signed in as its root user.",
            )
            return redirect("training:home")
    return render(request, "training/start.html", {"form": form})


@console_view()
def reset(request):
    """Root user only: confirm, then restore the starting state."""
    profile = profile_of(request.account)
    if profile is None or not profile.is_practice:
        return render(request, "training/not_practice.html", status=404)
    if request.method == "POST":
        try:
            account = reset_practice_sandbox(request.principal)
        except TrainingError as error:
            return render(request, "training/refused.html", {"error": error}, status=error.status)
        # The reset account is a new row, so the old session no longer finds it.
        _sign_in_as_root(request, account)
        messages.success(request, "Your sandbox is back to its starting state.")
        return redirect("training:home")
    return render(request, "training/reset.html", {"profile": profile})


@require_POST
@console_view(event="sandbox:UpdateTrainingSettings")
def engineer_settings(request):
    form = EngineerSettingsForm(request.POST)
    if form.is_valid():
        try:
            update_engineer_settings(request.principal, **form.cleaned_data)
        except TrainingError as error:
            if error.field is None:
                return render(request, "training/refused.html", {"error": error}, status=error.status)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Training settings saved.")
            return redirect("training:home")
    return render_home(request, settings_form=form)
