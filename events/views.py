import json

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from portal.console import console_view
from portal.tables import sorted_page

from .downloads import csv_lines, json_chunks, streamed
from .forms import EventFilterForm
from .models import Event
from .selectors import lookup_events

EVENT_COLUMNS = {
    "time": ("Event time", "event_time"),
    "name": ("Event name", "event_name"),
    "user": ("User name", "user_name"),
    "source": ("Event source", "event_source"),
}


DOWNLOADS = {
    "json": ("application/json", json_chunks),
    "csv": ("text/csv; charset=utf-8", csv_lines),
}
# Filters and sorting, not paging: what a download link keeps of the page's query string.
PAGE_PARAMETERS = ("page", "per_page")


def _filtered(request):
    """The form of the page's filters and the account's events they select (none while they are invalid)."""
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, Event.objects.none()
    return form, lookup_events(request.account, **(form.cleaned_data if form.is_bound else {}))


def _download_query(request) -> str:
    query = request.GET.copy()
    for parameter in PAGE_PARAMETERS:
        query.pop(parameter, None)
    return query.urlencode()


@console_view("cloudtrail:LookupEvents")
def event_history(request):
    form, events = _filtered(request)
    table = sorted_page(request, events.select_related("account"), EVENT_COLUMNS, default_sort="-time")
    return render(request, "events/event_history.html", {
        "form": form, "table": table, "download_query": _download_query(request),
    })


@console_view("cloudtrail:LookupEvents")
def event_download(request, file_format):
    """The filtered events, newest first, as the page lists them; invalid filters give the page with its errors."""
    if file_format not in DOWNLOADS:
        raise Http404("Events download as json or csv.")
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        table = sorted_page(request, events, EVENT_COLUMNS, default_sort="-time")
        return render(request, "events/event_history.html", {"form": form, "table": table}, status=400)
    content_type, write = DOWNLOADS[file_format]
    response = StreamingHttpResponse(write(streamed(events.order_by("-event_time", "-pk"))), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="event_history.{file_format}"'
    return response


@console_view("cloudtrail:LookupEvents")
def event_detail(request, event_id):
    event = get_object_or_404(Event.objects.select_related("account"), account=request.account, event_id=event_id)
    record = json.dumps(event.as_record(), indent=2, ensure_ascii=False)
    return render(request, "events/event_detail.html", {"event": event, "record": record})
