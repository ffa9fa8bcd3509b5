import json

from django.shortcuts import get_object_or_404, render

from portal.console import console_view
from portal.tables import sorted_page

from .forms import EventFilterForm
from .models import Event
from .selectors import lookup_events

EVENT_COLUMNS = {
    "time": ("Event time", "event_time"),
    "name": ("Event name", "event_name"),
    "user": ("User name", "user_name"),
    "source": ("Event source", "event_source"),
}


@console_view("cloudtrail:LookupEvents")
def event_history(request):
    form = EventFilterForm(request.GET or None)
    events = Event.objects.none()
    if form.is_bound and form.is_valid():
        events = lookup_events(request.account, **form.cleaned_data)
    elif not form.is_bound:
        events = lookup_events(request.account)
    table = sorted_page(request, events.select_related("account"), EVENT_COLUMNS, default_sort="-time")
    return render(request, "events/event_history.html", {"form": form, "table": table})


@console_view("cloudtrail:LookupEvents")
def event_detail(request, event_id):
    event = get_object_or_404(Event.objects.select_related("account"), account=request.account, event_id=event_id)
    record = json.dumps(event.as_record(), indent=2, ensure_ascii=False)
    return render(request, "events/event_detail.html", {"event": event, "record": record})
