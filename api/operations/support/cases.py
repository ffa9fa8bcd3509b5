from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from cases import selectors, services
from cases.exceptions import CaseIdNotFound
from cases.models import Communication

from . import operations
from .wire import RECENT_COMMUNICATIONS, case_shape, communication_shape, paged, parse_time


@operations("CreateCase")
def create_case(call):
    params = call.params
    case = services.create_case(
        call.principal,
        subject=params["subject"],
        communication_body=params["communicationBody"],
        service_code=params.get("serviceCode"),
        category_code=params.get("categoryCode"),
        severity_code=params.get("severityCode", "low"),
        issue_type=params.get("issueType"),
        language=params.get("language", "en"),
        cc_email_addresses=params.get("ccEmailAddresses", ()),
        attachment_set_id=params.get("attachmentSetId"),
        upload_ids=params.get("uploadIds", ()),
    )
    return {"caseId": case.case_id}


def _recent_communications(cases) -> dict[int, list[Communication]]:
    """The 5 newest communications of each case of one page, chosen in SQL (one query whatever the threads' length)."""
    newest_first = [F("time_created").desc(), F("pk").desc()]
    rank = Window(RowNumber(), partition_by=F("case_id"), order_by=newest_first)
    recent = Communication.objects.filter(case__in=cases).annotate(rank=rank).filter(rank__lte=RECENT_COMMUNICATIONS)
    threads = defaultdict(list)
    for communication in selectors.with_attachments(recent).order_by("case_id", "rank"):
        threads[communication.case_id].append(communication)
    return threads


@operations("DescribeCases")
def describe_cases(call):
    params = call.params
    cases = selectors.describe_cases(
        call.principal,
        case_id_list=params.get("caseIdList", ()),
        display_id=params.get("displayId"),
        after_time=parse_time(call, "afterTime"),
        before_time=parse_time(call, "beforeTime"),
        include_resolved_cases=params.get("includeResolvedCases", False),
        language=params.get("language"),
    )
    rows, more = paged(call, cases, "DescribeCases")
    threads = _recent_communications(rows) if params.get("includeCommunications", True) else None
    return {"cases": [case_shape(case, threads[case.pk] if threads is not None else None) for case in rows], **more}


@operations("DescribeCommunications")
def describe_communications(call):
    case_id = call.params["caseId"]
    communications = selectors.describe_communications(
        call.principal, case_id, after_time=parse_time(call, "afterTime"), before_time=parse_time(call, "beforeTime")
    )
    rows, more = paged(call, communications, f"DescribeCommunications:{case_id}")
    return {"communications": [communication_shape(item, case_id) for item in rows], **more}


@operations("AddCommunicationToCase")
def add_communication_to_case(call):
    params = call.params
    if not params.get("caseId"):
        raise CaseIdNotFound("")
    services.add_communication_to_case(
        call.principal,
        params["caseId"],
        params["communicationBody"],
        cc_email_addresses=params.get("ccEmailAddresses", ()),
        attachment_set_id=params.get("attachmentSetId"),
        upload_ids=params.get("uploadIds", ()),
    )
    return {"result": True}


@operations("ResolveCase")
def resolve_case(call):
    if not call.params.get("caseId"):
        raise CaseIdNotFound("")
    initial, final = services.resolve_case(call.principal, call.params["caseId"])
    return {"initialCaseStatus": initial, "finalCaseStatus": final}
