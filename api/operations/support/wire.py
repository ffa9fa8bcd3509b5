"""The Support API's wire shapes: its times are ISO 8601 text, not timestamps."""

from collections import defaultdict
from datetime import datetime, timezone as dt_timezone

from django.utils.dateparse import parse_date, parse_datetime

from cases.models import Attachment

from ...errors import ApiError
from ...paging import page
from .. import Call

RECENT_COMMUNICATIONS = 5
DEFAULT_MAX_RESULTS = 100


def support_time(moment: datetime) -> str:
    """2026-11-30T16:35:59.226Z. isoformat() costs half of strftime(), and a page of cases writes up to 600 of these."""
    return moment.astimezone(dt_timezone.utc).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def parse_time(call: Call, member: str) -> datetime | None:
    """afterTime/beforeTime: an ISO 8601 date or date and time."""
    text = call.params.get(member)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError("ValidationException", f"Invalid {member}: {text} is not an ISO 8601 date and time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt_timezone.utc)


def paged(call: Call, items, scope: str) -> tuple[list, dict]:
    rows, token = page(
        items, limit=call.params.get("maxResults", DEFAULT_MAX_RESULTS), token=call.params.get("nextToken"),
        scope=f"support:{scope}:{call.principal.account.pk}",
    )
    return rows, {"nextToken": token}


# A page is read as plain rows of the columns its shapes show: 100 cases and up to 500 messages are too many
# model instances (and decoded JSON fields) to build for a dozen columns each.
CASE_COLUMNS = (
    "pk", "case_id", "display_id", "subject", "status", "service__code", "category__code", "severity__code",
    "submitted_by", "time_created", "cc_email_addresses", "language",
)
COMMUNICATION_COLUMNS = ("case", "body", "submitted_by", "time_created", "attachment_set")


def add_attachment_details(communications: list[dict]) -> None:
    """Gives each communication row its attachments as the wire lists them: one query for a page (none when no
    message of the page has attachments)."""
    set_ids = {row["attachment_set"] for row in communications if row["attachment_set"] is not None}
    details = defaultdict(list)
    if set_ids:
        attachments = Attachment.objects.filter(attachment_set__in=set_ids).order_by("pk")
        for set_id, attachment_id, file_name in attachments.values_list("attachment_set", "attachment_id", "file_name"):
            details[set_id].append({"attachmentId": attachment_id, "fileName": file_name})
    for row in communications:
        row["attachment_details"] = details.get(row["attachment_set"], [])


def communication_shape(row: dict, case_id: str) -> dict:
    return {
        "caseId": case_id,
        "body": row["body"],
        "submittedBy": row["submitted_by"],
        "timeCreated": support_time(row["time_created"]),
        "attachmentSet": row["attachment_details"],
    }


def case_shape(row: dict, recent: list[dict] | None) -> dict:
    shape = {
        "caseId": row["case_id"],
        "displayId": str(row["display_id"]),
        "subject": row["subject"],
        "status": row["status"],
        "serviceCode": row["service__code"],
        "categoryCode": row["category__code"],
        "severityCode": row["severity__code"],
        "submittedBy": row["submitted_by"],
        "timeCreated": support_time(row["time_created"]),
        "ccEmailAddresses": row["cc_email_addresses"],
        "language": row["language"],
    }
    if recent is not None:
        # The rest of the thread is one DescribeCommunications call away.
        shape["recentCommunications"] = {
            "communications": [communication_shape(item, row["case_id"]) for item in recent],
        }
    return shape
