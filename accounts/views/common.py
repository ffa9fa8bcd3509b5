"""What every Account Settings page shares: the sub-navigation and the edit-in-place form flow."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from iam.exceptions import AccessDenied, IAMError

from ..exceptions import ValidationException

SECTIONS = (
    ("accounts:home", "Account details", True),
    ("accounts:contact", "Contact information", False),
    ("accounts:alternate-contacts", "Alternate contacts", False),
    ("accounts:challenge-questions", "Security challenge questions", False),
    ("accounts:regions", "AWS Regions", False),
    ("accounts:alias", "Account alias", False),
    ("accounts:billing-access", "IAM access to billing", False),
    ("accounts:support-plan", "Support plan", False),
    ("accounts:close", "Close account", False),
)


def account_sections(request) -> list[dict]:
    """The left sub-navigation; a closed account shows only what its root user may still use."""
    home = reverse("accounts:home")
    sections = []
    for name, label, open_when_closed in SECTIONS:
        url = reverse(name)
        if request.account.is_active or open_when_closed:
            # A section's own sub-pages (such as one alternate contact's form) keep it highlighted.
            current = request.path == url if url == home else request.path.startswith(url)
            sections.append({"label": label, "url": url, "current": current})
    return sections


def render_section(request, template: str, context: dict):
    return render(request, template, {"account": request.account, "sections": account_sections(request), **context})


def show_problems(form, error: IAMError, default_field: str | None = None) -> None:
    """Put each problem the service found beside its field (or above the form)."""
    problems = error.field_list if isinstance(error, ValidationException) else []
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    if not problems:
        field = getattr(error, "field", None) or default_field
        form.add_error(field if field in form.fields else None, error.message)


def submit(request, form, action: Callable[[dict], object], success: str, *, field: str | None = None) -> bool:
    """Run the service with the form's data; True when it succeeded (and says so).

    Refusals become errors beside the fields, so the page re-renders with
    everything typed kept; IAM denials go on to the console's 403 page.
    """
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except AccessDenied:
        raise
    except IAMError as error:
        show_problems(form, error, field)
        return False
    messages.success(request, success)
    return True


@dataclass(frozen=True)
class Panel:
    """One editable panel of a page: its form, what it starts with, and the service call it feeds."""

    form_class: type
    action: Callable[[dict], object]
    success: str
    initial: Callable[[], dict] = dict
    field: str | None = None  # where a refusal without a field list is shown


def panel_page(request, template: str, panels: dict[str, Panel], context: dict | None = None):
    """GET ?edit=<panel> opens that panel's form; POST (with `panel`) saves it, or re-renders it with errors."""
    editing, forms = request.GET.get("edit"), {}
    if request.method == "POST":
        editing = request.POST.get("panel")
        if editing not in panels:
            return HttpResponseBadRequest("Unknown panel.")
        panel = panels[editing]
        form = panel.form_class(request.POST)
        if submit(request, form, panel.action, panel.success, field=panel.field):
            return redirect(request.path)
        forms[editing] = form
    elif editing in panels:
        forms[editing] = panels[editing].form_class(initial=panels[editing].initial())
    return render_section(request, template, {**(context or {}), "editing": editing, "forms": forms})


def act(request, call: Callable[[], object], success: Callable[[object], str] | str, to: str):
    """A one-button action: its outcome, or the service's refusal, becomes the page's flash message.

    Returns the redirect to `to`; a refusal is marked on it, so the event history records the
    attempt with its error code.
    """
    response = redirect(to)
    try:
        result = call()
    except AccessDenied:
        raise
    except IAMError as refusal:
        messages.error(request, refusal.message)
        response.console_error = (refusal.code, refusal.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return response
