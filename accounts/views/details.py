"""Account details: identifiers, name, root email and password; closing and asking to reopen."""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from iam.sessions import start_console_session
from portal.console import console_view

from .. import selectors, services
from ..forms import AccountNameForm, CloseAccountForm, EmailCodeForm, RootEmailForm, RootPasswordForm
from ..models import POST_CLOSURE_PERIOD, PendingRootEmailChange
from .common import Panel, act, panel_page, render_section, submit


# The event each details panel is recorded under; the root user's email and password changes are
# sign-in events in CloudTrail. Starting an email change changes nothing yet, so it isn't recorded.
PANEL_EVENTS = {
    "name": "account:PutAccountName",
    "email_code": "signin:EmailUpdated",
    "password": "signin:PasswordUpdated",
}


def _panel_event(request) -> str | None:
    return PANEL_EVENTS.get(request.POST.get("panel"))


def _change_password(request, data):
    services.change_root_password(request.principal, data["current_password"], data["new_password"])
    # The password fingerprint changed, which ends every session; keep this one.
    start_console_session(request, request.principal)


@console_view("account:GetAccountInformation", allow_closed_account=True, event=_panel_event)
def home(request):
    principal = request.principal
    panels = {
        "name": Panel(
            AccountNameForm,
            lambda data: services.put_account_name(principal, data["name"]),
            "The account name was updated.",
            initial=lambda: {"name": request.account.name},
            field="name",
        ),
        "email": Panel(
            RootEmailForm,
            lambda data: services.start_root_email_change(principal, data["new_email"]),
            "We sent a verification code to the new address. Enter it below to finish.",
            field="new_email",
        ),
        "email_code": Panel(
            EmailCodeForm,
            lambda data: services.confirm_root_email_change(principal, data["otp"]),
            "The root user email address was changed.",
            field="otp",
        ),
        "password": Panel(
            RootPasswordForm,
            lambda data: _change_password(request, data),
            "The root user password was changed. Other sessions have been signed out.",
            field="current_password",
        ),
    }
    if not request.account.is_active:
        panels = {}  # a closed account's settings are read-only
    pending = PendingRootEmailChange.objects.filter(account=request.account).first() if principal.is_root else None
    return panel_page(
        request,
        "accounts/details.html",
        panels,
        {
            "information": selectors.get_account_information(principal),
            "seller": selectors.account_seller(request.account),
            "pending_email": pending,
            "code_form": EmailCodeForm(),
            "may_edit_settings": principal.is_root and request.account.is_active,
            "reopen_until": request.account.closed_at + POST_CLOSURE_PERIOD if request.account.closed_at else None,
        },
    )


@console_view(event="account:CloseAccount")
def close(request):
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.close_account(request.principal, data["confirmation"]),
        "Your account is closed. You can still sign in as the root user for 90 days to ask for it to be reopened.",
        field="confirmation",
    ):
        return redirect("accounts:home")
    return render_section(request, "accounts/close.html", {"form": form, "post_closure_days": POST_CLOSURE_PERIOD.days})


@require_POST
@console_view(allow_closed_account=True, event="support:CreateCase")  # the request is an "Account" support case
def request_reopen(request):
    return act(
        request,
        lambda: services.request_reopen(request.principal),
        "We asked AWS Support to reopen your account. Support will contact you by email.",
        "accounts:home",
    )
