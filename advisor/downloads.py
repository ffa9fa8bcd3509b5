"""A check's flagged resources as CSV: the columns the table shows, the check's metadata headings included."""

from collections.abc import Iterator

from events.downloads import csv_stream

from .models import CheckStatus

CHUNK = 500
STATUS_LABELS = dict(CheckStatus.choices)


def resource_csv_lines(check, resources) -> Iterator[str]:
    rows = (
        [STATUS_LABELS.get(resource.status, resource.status), resource.resource_id, resource.region or "Global",
         "Yes" if resource.is_suppressed else "No", *resource.metadata]
        for resource in resources.order_by("pk").iterator(chunk_size=CHUNK)
    )
    return csv_stream(["Status", "Resource", "Region", "Excluded", *check.metadata], rows)
