"""Reads on the event history."""

from datetime import datetime

from django.db.models import QuerySet

from .models import Event


def lookup_events(
    account,
    *,
    event_name: str = "",
    event_source: str = "",
    user_name: str = "",
    access_key_id: str = "",
    event_id=None,
    read_only: bool | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[Event]:
    """The account's events matching every filter given (CloudTrail's LookupEvents attributes)."""
    events = Event.objects.filter(account=account)
    if event_name:
        events = events.filter(event_name__iexact=event_name)
    if event_source:
        events = events.filter(event_source__iexact=event_source)
    if user_name:
        events = events.filter(user_name__iexact=user_name)
    if access_key_id:
        events = events.filter(access_key_id__iexact=access_key_id)
    if event_id is not None:
        events = events.filter(event_id=event_id)
    if read_only is not None:
        events = events.filter(read_only=read_only)
    if start is not None:
        events = events.filter(event_time__gte=start)
    if end is not None:
        events = events.filter(event_time__lte=end)
    return events


def event_sources(account) -> list[str]:
    return list(Event.objects.filter(account=account).order_by("event_source").values_list("event_source", flat=True).distinct())

