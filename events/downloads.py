"""The event history's download: the filtered events as CloudTrail's JSON record file or as CSV.

Rows are streamed in chunks with their account joined, so a download costs the same few
queries for ten events or ten thousand.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from .models import Event

CHUNK = 500
# The console's CSV columns, each with how to read it from an event.
CSV_COLUMNS = (
    ("Event ID", lambda event: str(event.event_id)),
    ("Event time", lambda event: event.event_time.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ("User name", lambda event: event.user_name),
    ("Event name", lambda event: event.event_name),
    ("Event source", lambda event: event.event_source),
    ("Event type", lambda event: event.event_type),
    ("Read-only", lambda event: "true" if event.read_only else "false"),
    ("AWS access key", lambda event: event.access_key_id),
    ("AWS region", lambda event: event.aws_region),
    ("Source IP address", lambda event: event.source_ip_address),
    ("Error code", lambda event: event.error_code),
)


class _Line:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_stream(headings: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text line by line, for a StreamingHttpResponse (also Trusted Advisor's resource download)."""
    writer = csv.writer(_Line())
    yield writer.writerow(headings)
    for row in rows:
        yield writer.writerow(row)


def csv_lines(events: Iterable[Event]) -> Iterator[str]:
    return csv_stream([heading for heading, _ in CSV_COLUMNS], ([read(event) for _, read in CSV_COLUMNS] for event in events))


def json_chunks(events: Iterable[Event]) -> Iterator[str]:
    """{"Records": [...]}: the shape of a CloudTrail log file and of the console's JSON download."""
    yield '{"Records": ['
    for number, event in enumerate(events):
        yield ("," if number else "") + "\n" + json.dumps(event.as_record(), ensure_ascii=False)
    yield "\n]}\n"


def streamed(events) -> Iterator[Event]:
    return events.select_related("account").iterator(chunk_size=CHUNK)
