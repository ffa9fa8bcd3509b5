"""A JSON answer holds the output shape's members as the model names them: none that is None, none the shape
lacks, at any depth, timestamps in the protocol's format; whatever the handler's dicts, which stay unchanged."""

import copy
import json
from datetime import datetime, timezone

from api.protocols.json_protocols import JsonProtocol
from api.service_models import CLOUDTRAIL, SUPPORT


def written(service, operation: str, output: dict) -> dict:
    response = JsonProtocol(service).success(service.operation(operation), output, "request-1")
    return json.loads(response.content)


def support_case(case_id: str, **members) -> dict:
    message = {"caseId": case_id, "body": "hello", "submittedBy": "me", "timeCreated": "2026-11-30T16:35:59.226Z",
               "attachmentSet": [{"attachmentId": "a-1", "fileName": "log.txt"}]}
    return {"caseId": case_id, "displayId": "1", "subject": "s", "ccEmailAddresses": ["cc@example.com"],
            "recentCommunications": {"communications": [message]}, **members}


def test_an_answer_of_the_shape_s_own_members_is_written_as_it_is():
    output = {"cases": [support_case("case-1"), support_case("case-2")], "nextToken": "more"}
    kept = copy.deepcopy(output)
    assert written(SUPPORT, "DescribeCases", output) == kept
    assert output == kept


def test_none_and_members_the_shape_lacks_are_left_out_at_every_depth():
    case = support_case("case-1", subject=None, internalNote="staff only")
    case["recentCommunications"]["communications"][0].update(submittedBy=None, staffAuthor="engineer")
    case["recentCommunications"]["nextToken"] = None
    clean_above = support_case("case-2")  # only its message has a member the shape lacks
    clean_above["recentCommunications"]["communications"][0]["staffAuthor"] = "engineer"
    kept = copy.deepcopy([case, clean_above])
    answer, second = written(SUPPORT, "DescribeCases", {"cases": [case, clean_above], "nextToken": None})["cases"]
    assert "staffAuthor" not in second["recentCommunications"]["communications"][0]
    assert second["recentCommunications"]["communications"][0]["body"] == "hello" and second["subject"] == "s"
    assert "subject" not in answer and "internalNote" not in answer and "nextToken" not in answer["recentCommunications"]
    [message] = answer["recentCommunications"]["communications"]
    assert message == {"caseId": "case-1", "body": "hello", "timeCreated": "2026-11-30T16:35:59.226Z",
                       "attachmentSet": [{"attachmentId": "a-1", "fileName": "log.txt"}]}
    assert [case, clean_above] == kept


def test_timestamps_within_a_list_are_written_in_the_protocol_s_format():
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    answer = written(CLOUDTRAIL, "LookupEvents", {"Events": [{"EventId": "e-1", "EventTime": when}, {"EventId": "e-2"}]})
    assert answer == {"Events": [{"EventId": "e-1", "EventTime": when.timestamp()}, {"EventId": "e-2"}]}


def test_a_lone_surrogate_echoed_from_a_request_is_still_written_as_json():
    output = {"cases": [support_case("case-1", subject="half a pair: \ud83d")]}
    assert written(SUPPORT, "DescribeCases", output)["cases"][0]["subject"] == "half a pair: \ud83d"
