"""Trusted Advisor console pages. Every rule lives in advisor.services; these views render."""

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django.views.decorators.http import require_POST

from events.models import EventType
from events.services import record_event
from portal.console import console_view
from portal.tables import sorted_page

from . import services
from .exceptions import AdvisorError, TrustedAdvisorDisabled
from .downloads import resource_csv_lines
from .forms import DashboardFilterForm, NotificationRuleForm, WeeklySummaryForm
from .models import Category, FlaggedResource, NotificationRule
from .recommendations import recommendation_for
from .selectors import available_checks, locked_checks, notification_rules, status_counts
from .services.access import ACTIONS, Via, admit
from .services.console import by_category, check_row, check_rows
from .services.results import flagged_resources

RESOURCE_COLUMNS = {
    "status": ("Status", "status"),
    "resource": ("Resource", "resource_id"),
    "region": ("Region", "region"),
    "excluded": ("Excluded", "is_suppressed"),
}


def _event(operation: str) -> str:
    """The IAM action a console change is recorded under in the event history."""
    return ACTIONS[operation][Via.CONSOLE]


def _record(request, operation: str, parameters: dict, error: AdvisorError | None = None) -> None:
    """Record a per-check change in the event history. These views answer htmx with a partial (200),
    which console_view counts as a change only when it redirects, so they record here, once, either way."""
    service, _, name = _event(operation).partition(":")
    record_event(
        request.principal,
        event_source=f"{service}.amazonaws.com",
        event_name=name,
        event_type=EventType.CONSOLE_ACTION,
        request_parameters=parameters,
        source_ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        error_code=error.code if error else "",
        error_message=error.message if error else "",
    )


def _disabled_banner(request):
    context = {"may_enable": services.may(request.principal, "SetAccountAccess")}
    return render(request, "advisor/disabled.html", context)


def _advisor_page(view):
    """While Trusted Advisor is disabled, every page shows only the Disabled banner."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except TrustedAdvisorDisabled:
            return _disabled_banner(request)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _summary_context(rows) -> dict:
    counts = status_counts((row.check.category, row.status) for row in rows)
    categories = [
        (value, label, counts["per_category"].get(value, {})) for value, label in Category.choices if value in counts["per_category"]
    ]
    return {"totals": counts["totals"], "categories": categories}


def _filtered(rows, filters: DashboardFilterForm):
    """The rows the category navigation and status filter select; invalid filters select everything."""
    wanted = filters.cleaned_data if filters.is_valid() else {}
    return [
        row for row in rows
        if wanted.get("category") in ("", None, row.check.category) and wanted.get("status") in ("", None, row.status)
    ]


@console_view()
@_advisor_page
def dashboard(request):
    rows = check_rows(request.principal)
    filters = DashboardFilterForm(request.GET)
    shown = _filtered(rows, filters)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    context = {
        **_summary_context(rows),
        "groups": by_category(shown),
        "shown_count": len(shown),
        "total_count": len(rows),
        "filters": filters,
        "chosen_category": chosen.get("category", ""),
        "chosen_status": chosen.get("status", ""),
        "category_nav": [(value, label, sum(1 for row in rows if row.check.category == value))
                         for value, label in Category.choices if any(row.check.category == value for row in rows)],
        "locked_checks": locked_checks(request.account),
        "may_refresh": services.may(request.principal, "RefreshCheck"),
        "may_view_items": services.may(request.principal, "DescribeCheckResult"),
    }
    return render(request, "advisor/dashboard.html", context)


@console_view()
@_advisor_page
def summary(request):
    """The dashboard's counts; re-fetched when a check's result changes on the page."""
    return render(request, "advisor/_summary.html", _summary_context(check_rows(request.principal)))


def _head(request, row):
    context = {"row": row, "may_refresh": services.may(request.principal, "RefreshCheck")}
    response = render(request, "advisor/_check_head.html", context)
    if not row.in_flight:
        # A settled result may have changed the counts: the summary re-fetches itself.
        response["HX-Trigger"] = "advisor-changed"
    return response


@console_view()
@_advisor_page
def check_head(request, check_id):
    """The check's status line; htmx polls it while a refresh is in flight."""
    return _head(request, _row_or_404(request, check_id))


def _row_or_404(request, check_id):
    try:
        return check_row(request.principal, check_id)
    except AdvisorError as error:
        raise Http404(error.message) from error


@require_POST
@console_view()
@_advisor_page
def refresh_check(request, check_id):
    try:
        services.refresh_check(request.principal, check_id, via=Via.CONSOLE)
    except AdvisorError as error:
        _record(request, "RefreshCheck", {"checkId": check_id}, error)
        if not request.htmx:
            messages.error(request, error.message)
            return redirect("advisor:dashboard")
        return render(request, "advisor/_error.html", {"message": error.message}, status=error.status)
    _record(request, "RefreshCheck", {"checkId": check_id})
    if not request.htmx:
        return redirect("advisor:dashboard")
    return _head(request, _row_or_404(request, check_id))


@require_POST
@console_view(event=_event("RefreshCheck"))
@_advisor_page
def refresh_all(request):
    statuses = services.refresh_all(request.principal)["statuses"]
    started = sum(1 for status in statuses if status["status"] == "enqueued")
    messages.success(request, f"Refreshing {started} check(s). Checks refreshed in the last 5 minutes are skipped.")
    return redirect("advisor:dashboard")


def _resources_page(request, check_id, status=200):
    try:
        check, state, resources = flagged_resources(request.principal, check_id)
    except AdvisorError as error:
        raise Http404(error.message) from error
    table = sorted_page(request, resources, RESOURCE_COLUMNS, "status")
    context = {
        "check": check,
        "state": state,
        "table": table,
        "may_exclude": services.may(request.principal, "ExcludeCheckItems"),
        "may_include": services.may(request.principal, "IncludeCheckItems"),
    }
    context["recommendation"] = recommendation_for(check.id)
    template = "advisor/_resources.html" if request.htmx else "advisor/resources.html"
    return render(request, template, context, status=status)


@console_view()
@_advisor_page
def check_resources(request, check_id):
    return _resources_page(request, check_id)


@console_view()
@_advisor_page
def check_resources_csv(request, check_id):
    """The check's flagged resources as CSV, the console's "Download all" (same IAM check as the table)."""
    try:
        check, state, resources = flagged_resources(request.principal, check_id)
    except AdvisorError as error:
        raise Http404(error.message) from error
    response = StreamingHttpResponse(resource_csv_lines(check, resources), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trusted-advisor-{check.id}.csv"'
    return response


SUPPRESSION_CHANGES = {"ExcludeCheckItems": services.exclude_items, "IncludeCheckItems": services.include_items}


def _change_suppression(request, check_id, resource_pk, operation):
    resource = get_object_or_404(
        FlaggedResource, pk=resource_pk, check_state__account=request.account, check_state__check_id=check_id
    )
    SUPPRESSION_CHANGES[operation](request.principal, check_id, [resource.resource_id])
    _record(request, operation, {"checkId": check_id, "resourceIds": [resource.resource_id]})
    response = _resources_page(request, check_id)
    response["HX-Trigger"] = f"check-changed-{check_id}"
    return response


@require_POST
@console_view()
@_advisor_page
def exclude_resource(request, check_id, resource_pk):
    return _change_suppression(request, check_id, resource_pk, "ExcludeCheckItems")


@require_POST
@console_view()
@_advisor_page
def include_resource(request, check_id, resource_pk):
    return _change_suppression(request, check_id, resource_pk, "IncludeCheckItems")


def _preferences_context(request, summary_form=None, rule_form=None):
    account = request.account
    preferences = services.preferences_of(account)
    return {
        "summary_form": summary_form or WeeklySummaryForm(initial={"recipient": preferences.weekly_summary_recipient}),
        "rule_form": rule_form or NotificationRuleForm(checks=available_checks(account)),
        "rules": notification_rules(account),
        "may_update": services.may(request.principal, "UpdateNotificationPreferences"),
        "may_disable": services.may(request.principal, "SetAccountAccess"),
    }


@console_view()
@_advisor_page
def preferences(request):
    admit(request.principal, "DescribeNotificationPreferences", Via.CONSOLE)
    return render(request, "advisor/preferences.html", _preferences_context(request))


@require_POST
@console_view(event=_event("UpdateNotificationPreferences"))
@_advisor_page
def save_weekly_summary(request):
    form = WeeklySummaryForm(request.POST)
    if form.is_valid():
        services.set_weekly_summary_recipient(request.principal, form.cleaned_data["recipient"])
        messages.success(request, "Weekly summary preference saved.")
        return redirect("advisor:preferences")
    return render(request, "advisor/preferences.html", _preferences_context(request, summary_form=form))


@require_POST
@console_view(event=_event("UpdateNotificationPreferences"))
@_advisor_page
def add_rule(request):
    form = NotificationRuleForm(request.POST, checks=available_checks(request.account))
    if form.is_valid():
        try:
            services.add_notification_rule(request.principal, **form.cleaned_data)
        except AdvisorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Notification rule created.")
            return redirect("advisor:preferences")
    return render(request, "advisor/preferences.html", _preferences_context(request, rule_form=form))


@require_POST
@console_view(event=_event("UpdateNotificationPreferences"))
@_advisor_page
def delete_rule(request, rule_id):
    rule = get_object_or_404(NotificationRule, pk=rule_id, account=request.account)
    services.delete_notification_rule(request.principal, rule.pk)
    messages.success(request, "Notification rule deleted.")
    return redirect("advisor:preferences")


@require_POST
@console_view(event=_event("SetAccountAccess"))
def disable(request):
    services.disable_trusted_advisor(request.principal)
    messages.success(request, "Trusted Advisor is disabled. You can now delete AWSServiceRoleForTrustedAdvisor in IAM.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("advisor:dashboard"))
    return redirect("advisor:dashboard")


@require_POST
@console_view(event=_event("SetAccountAccess"))
def enable(request):
    try:
        services.recreate_role_and_enable(request.principal)
    except AdvisorError as error:
        messages.error(request, error.message)
        response = redirect("advisor:dashboard")
        response.console_error = (error.code, error.message)  # the event history records the failure
        return response
    messages.success(request, "Trusted Advisor is enabled.")
    return redirect("advisor:dashboard")
