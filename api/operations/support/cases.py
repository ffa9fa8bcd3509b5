from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from cases import selectors, services
from cases.exceptions import CaseIdNotFound
from cases.models import Communication
from portal.compiled import Compiled

from . import operations
from .wire import (
    CASE_COLUMNS,
    COMMUNICATION_COLUMNS,
    RECENT_COMMUNICATIONS,
    add_attachment_details,
    case_shape,
    communication_shape,
    paged,
    parse_time,
)


@operations("CreateCase", key_confirmed_by_write=True)
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


def _newest_of_each_case(case_pks: list[int]):
    newest_first = [F("time_created").desc(), F("pk").desc()]
    rank = Window(RowNumber(), partition_by=F("case_id"), order_by=newest_first)
    recent = Communication.objects.filter(case__id__among=case_pks).annotate(rank=rank).filter(rank__lte=RECENT_COMMUNICATIONS)
    return recent.order_by("case_id", "rank").values_list(*COMMUNICATION_COLUMNS)


# Built once: compiling the window function's query took a third of DescribeCases' time in the ORM.
_NEWEST_OF_EACH_CASE = Compiled(_newest_of_each_case, [-1])


def _recent_communications(case_pks: list[int]) -> dict[int, list[dict]]:
    """The 5 newest communications of each case of one page, chosen in SQL (one query whatever the threads' length)."""
    communications = [dict(zip(COMMUNICATION_COLUMNS, row)) for row in _NEWEST_OF_EACH_CASE.rows(case_pks)]
    add_attachment_details(communications)
    threads = defaultdict(list)
    for communication in communications:
        threads[communication["case"]].append(communication)
    return threads


@operations("DescribeCases")
def describe_cases(call):
    params = call.params
    filters = {
        "case_id_list": params.get("caseIdList", ()),
        "display_id": params.get("displayId"),
        "after_time": parse_time(call, "afterTime"),
        "before_time": parse_time(call, "beforeTime"),
        "language": params.get("language"),
    }
    include_resolved = params.get("includeResolvedCases", False)
    if any(filters.values()):
        cases = selectors.describe_cases(call.principal, include_resolved_cases=include_resolved, **filters)
        listing = cases.values(*CASE_COLUMNS)
    else:
        listing = selectors.describe_all_cases(call.principal, include_resolved_cases=include_resolved, columns=CASE_COLUMNS)
    rows, more = paged(call, listing, "DescribeCases")
    threads = _recent_communications([row["pk"] for row in rows]) if params.get("includeCommunications", True) else None
    return {"cases": [case_shape(row, threads[row["pk"]] if threads is not None else None) for row in rows], **more}


@operations("DescribeCommunications")
def describe_communications(call):
    case_id = call.params["caseId"]
    communications = selectors.describe_communications(
        call.principal, case_id, after_time=parse_time(call, "afterTime"), before_time=parse_time(call, "beforeTime")
    )
    rows, more = paged(call, communications.values(*COMMUNICATION_COLUMNS), f"DescribeCommunications:{case_id}")
    add_attachment_details(rows)
    return {"communications": [communication_shape(row, case_id) for row in rows], **more}


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
