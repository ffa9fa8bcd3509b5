"""Console sign-in: password, then (when owed) an MFA code and a new password, then the session."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from events.signin import record_console_login

from ..authentication import (
    MFA_STEP,
    NEW_PASSWORD_STEP,
    authenticate_iam_user,
    authenticate_mfa,
    authenticate_root,
    complete_sign_in,
    next_sign_in_step,
)
from ..exceptions import IAMError, SignInRefused
from ..forms import IAMUserSignInForm, MFACodeForm, NewPasswordForm, RootSignInForm, add_service_error
from ..services.passwords import change_own_password, password_policy
from ..sessions import (
    end_console_session,
    end_pending_sign_in,
    pending_sign_in,
    start_console_session,
    start_pending_sign_in,
)

STEP_URLS = {MFA_STEP: "iam:signin-mfa", NEW_PASSWORD_STEP: "iam:signin-new-password"}


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _record_sign_in(request, account, *, succeeded: bool, mfa_used: bool, user=None, user_name: str = "", login_to="/"):
    record_console_login(
        account, user=user, user_name=user_name, succeeded=succeeded, mfa_used=mfa_used, login_to=login_to,
        source_ip=request.META.get("REMOTE_ADDR", ""), user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def _record_refusal(request, refusal: SignInRefused, *, mfa_used: bool = False) -> None:
    """A refused sign-in goes into the history of the account it was for, when one was found."""
    if refusal.account is not None:
        _record_sign_in(request, refusal.account, succeeded=False, mfa_used=mfa_used, user=refusal.user,
                        user_name=refusal.user_name)


def _continue_sign_in(request, principal, next_url: str):
    """Send the principal to the step it still owes, or into the console."""
    step = next_sign_in_step(principal)
    if step is None:
        complete_sign_in(principal)
        start_console_session(request, principal)
        _record_sign_in(request, principal.account, succeeded=True, user=principal.user, login_to=next_url,
                        user_name=principal.user.name if principal.user else "",
                        mfa_used=principal.mfa_authenticated_at is not None)
        return redirect(next_url)
    start_pending_sign_in(request, principal, next_url)
    return redirect(STEP_URLS[step])


def sign_in(request, reference: str | None = None):
    """The sign-in page: root user by default, IAM user on the account-specific URL."""
    as_iam_user = reference is not None or request.GET.get("as") == "iam" or request.POST.get("as") == "iam"
    form_class = IAMUserSignInForm if as_iam_user else RootSignInForm
    address = request.META.get("REMOTE_ADDR")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if as_iam_user:
                    principal = authenticate_iam_user(data["account"], data["user_name"], data["password"], address)
                else:
                    principal = authenticate_root(data["email"], data["password"], address)
            except SignInRefused as refusal:
                _record_refusal(request, refusal)
                form.add_error(None, str(refusal))
            else:
                return _continue_sign_in(request, principal, _safe_next(request))
    else:
        form = form_class(initial={"account": reference} if reference else None)
    return render(
        request,
        "iam/signin.html",
        {"form": form, "as_iam_user": as_iam_user, "reference": reference, "next": _safe_next(request)},
    )


def _pending_or_restart(request):
    pending = pending_sign_in(request)
    if pending is None:
        messages.info(request, "Sign in to continue.")
    return pending


def sign_in_mfa(request):
    """Second step for an identity with an MFA device: a code, accepted once."""
    pending = _pending_or_restart(request)
    if pending is None:
        return redirect("signin")
    principal, next_url = pending
    form = MFACodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            principal = authenticate_mfa(principal, form.cleaned_data["code"], request.META.get("REMOTE_ADDR"))
        except SignInRefused as refusal:
            _record_refusal(request, refusal, mfa_used=True)
            form.add_error("code", str(refusal))
        else:
            return _continue_sign_in(request, principal, next_url)
    return render(request, "iam/signin_mfa.html", {"form": form, "pending": principal})


def sign_in_new_password(request):
    """An IAM user whose password was flagged for reset or has expired chooses a new one first."""
    pending = _pending_or_restart(request)
    if pending is None or pending[0].is_root:
        return redirect("signin")
    principal, next_url = pending
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_own_password(principal.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"])
        except IAMError as error:
            add_service_error(form, error)
        else:
            principal.user.refresh_from_db()
            messages.success(request, "Your password has been changed.")
            return _continue_sign_in(request, principal, next_url)
    return render(request, "iam/signin_new_password.html", {
        "form": form, "pending": principal, "policy": password_policy(principal.account),
    })


@require_POST
def sign_out(request):
    end_pending_sign_in(request)
    end_console_session(request)
    messages.info(request, "You have signed out.")
    return redirect(reverse("signin"))
