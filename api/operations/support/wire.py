"""The Support API's wire shapes: its times are ISO 8601 text, not timestamps."""

from datetime import datetime, timezone as dt_timezone

from django.utils.dateparse import parse_date, parse_datetime

from cases.models import Attachment, Case, Communication

from ...errors import ApiError
from ...paging import page
from .. import Call

RECENT_COMMUNICATIONS = 5
DEFAULT_MAX_RESULTS = 100


def support_time(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


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


def attachment_details(attachment: Attachment) -> dict:
    return {"attachmentId": attachment.attachment_id, "fileName": attachment.file_name}


def communication_shape(communication: Communication, case_id: str) -> dict:
    attachments = communication.attachment_set.attachments.all() if communication.attachment_set_id else []
    return {
        "caseId": case_id,
        "body": communication.body,
        "submittedBy": communication.submitted_by,
        "timeCreated": support_time(communication.time_created),
        "attachmentSet": [attachment_details(attachment) for attachment in attachments],
    }


def case_shape(case: Case, recent: list[Communication] | None) -> dict:
    shape = {
        "caseId": case.case_id,
        "displayId": str(case.display_id),
        "subject": case.subject,
        "status": case.status,
        "serviceCode": case.service.code,
        "categoryCode": case.category.code,
        "severityCode": case.severity.code,
        "submittedBy": case.submitted_by,
        "timeCreated": support_time(case.time_created),
        "ccEmailAddresses": case.cc_email_addresses,
        "language": case.language,
    }
    if recent is not None:
        # The rest of the thread is one DescribeCommunications call away.
        shape["recentCommunications"] = {
            "communications": [communication_shape(item, case.case_id) for item in recent[:RECENT_COMMUNICATIONS]],
        }
    return shape
