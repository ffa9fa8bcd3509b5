"""The AWS Support API through boto3: cases, correspondence, attachments, the catalog, the plan gate."""

import pytest
from botocore.exceptions import ClientError

from accounts.models import SupportPlan
from cases.models import Case
from tests.factories import AccountFactory, allow

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("support_catalog")]

EC2 = {"serviceCode": "amazon-elastic-compute-cloud-linux", "categoryCode": "instance-issue", "severityCode": "normal"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def error(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


@pytest.fixture
def support(root_api):
    return root_api("support")


def open_case(support, subject="Instance unreachable", **extra) -> str:
    return support.create_case(subject=subject, communicationBody="It stopped answering.", **{**EC2, **extra})["caseId"]


def test_create_and_describe_a_case(account, support):
    case_id = open_case(support, ccEmailAddresses=["ops@example.com"])
    [case] = support.describe_cases(caseIdList=[case_id])["cases"]
    stored = Case.objects.get(case_id=case_id)
    assert case["displayId"] == str(stored.display_id)
    assert (case["subject"], case["status"], case["serviceCode"], case["categoryCode"], case["severityCode"]) == (
        "Instance unreachable", "unassigned", EC2["serviceCode"], EC2["categoryCode"], "normal")
    assert case["ccEmailAddresses"] == ["ops@example.com"]
    assert case["submittedBy"] == account.root_email
    assert case["timeCreated"].endswith("Z")
    [first] = case["recentCommunications"]["communications"]
    assert first["body"] == "It stopped answering."
    assert "recentCommunications" not in support.describe_cases(caseIdList=[case_id], includeCommunications=False)["cases"][0]


def test_describe_cases_pages_to_the_end(support):
    created = {open_case(support, subject=f"Case {n}") for n in range(12)}
    paginator = support.get_paginator("describe_cases")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 10}, includeCommunications=False))
    assert [len(page["cases"]) for page in pages] == [10, 2]
    assert {case["caseId"] for page in pages for case in page["cases"]} == created
    assert "nextToken" not in pages[-1]


def test_describe_cases_filters(support):
    first = open_case(support, subject="First")
    second = open_case(support, subject="Second")
    support.resolve_case(caseId=first)
    open_ids = [case["caseId"] for case in support.describe_cases()["cases"]]
    assert open_ids == [second]
    everything = [case["caseId"] for case in support.describe_cases(includeResolvedCases=True)["cases"]]
    assert set(everything) == {first, second}
    display_id = str(Case.objects.get(case_id=second).display_id)
    assert [case["caseId"] for case in support.describe_cases(displayId=display_id)["cases"]] == [second]
    assert support.describe_cases(afterTime="2999-01-01T00:00:00Z", includeResolvedCases=True)["cases"] == []
    assert len(support.describe_cases(beforeTime="2999-01-01", includeResolvedCases=True)["cases"]) == 2
    assert support.describe_cases(language="ja")["cases"] == []


def test_max_results_outside_10_to_100_is_invalid(account, keys, client_for):
    unchecked = client_for("support", *keys(account), parameter_validation=False)
    code, message = error(unchecked.describe_cases, maxResults=5)
    assert code == "ValidationException"
    assert "Value '5' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 10" in message


def test_an_unknown_case_id(support):
    assert error(support.describe_cases, caseIdList=["case-nope"]) == ("CaseIdNotFound", "Invalid case ID: case-nope")
    assert error(support.describe_communications, caseId="case-nope")[0] == "CaseIdNotFound"
    assert error(support.resolve_case, caseId="case-nope")[0] == "CaseIdNotFound"
    assert error(support.add_communication_to_case, caseId="case-nope", communicationBody="hi")[0] == "CaseIdNotFound"


def test_correspondence_with_attachments_and_paging(support):
    case_id = open_case(support)
    attachment_set = support.add_attachments_to_set(attachments=[{"fileName": "screen.png", "data": PNG}])
    assert attachment_set["expiryTime"].endswith("Z")
    assert support.add_communication_to_case(
        caseId=case_id, communicationBody="Screenshot attached.", attachmentSetId=attachment_set["attachmentSetId"],
        ccEmailAddresses=["dev@example.com"],
    )["result"] is True
    for n in range(10):
        support.add_communication_to_case(caseId=case_id, communicationBody=f"Update {n}")
    pages = list(support.get_paginator("describe_communications").paginate(caseId=case_id, PaginationConfig={"PageSize": 10}))
    bodies = [item["body"] for page in pages for item in page["communications"]]
    assert [len(page["communications"]) for page in pages] == [10, 2]
    assert bodies[0] == "Update 9" and bodies[-1] == "It stopped answering."
    [with_file] = [item for page in pages for item in page["communications"] if item["attachmentSet"]]
    [details] = with_file["attachmentSet"]
    assert details["fileName"] == "screen.png"
    described = support.describe_attachment(attachmentId=details["attachmentId"])["attachment"]
    assert described == {"fileName": "screen.png", "data": PNG}


def test_attachment_set_limits(support):
    code, _ = error(support.add_attachments_to_set, attachments=[{"fileName": f"{n}.png", "data": PNG} for n in range(4)])
    assert code == "AttachmentSetSizeLimitExceeded"
    too_big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024)
    assert error(support.add_attachments_to_set, attachments=[{"fileName": "big.png", "data": too_big}])[0] == \
        "AttachmentSetSizeLimitExceeded"
    assert error(support.add_attachments_to_set, attachmentSetId="nope", attachments=[{"fileName": "a.png", "data": PNG}])[0] == \
        "AttachmentSetIdNotFound"
    assert error(support.describe_attachment, attachmentId="attachment-nope")[0] == "AttachmentIdNotFound"


def test_an_expired_attachment_set(support):
    from cases.models import AttachmentSet
    from django.utils import timezone

    attachment_set = support.add_attachments_to_set(attachments=[{"fileName": "a.png", "data": PNG}])["attachmentSetId"]
    AttachmentSet.objects.filter(attachment_set_id=attachment_set).update(expiry_time=timezone.now())
    assert error(open_case, support, attachmentSetId=attachment_set)[0] == "AttachmentSetExpired"


def test_resolve_case_reports_both_statuses(support):
    case_id = open_case(support)
    first = support.resolve_case(caseId=case_id)
    assert (first["initialCaseStatus"], first["finalCaseStatus"]) == ("unassigned", "resolved")
    again = support.resolve_case(caseId=case_id)
    assert (again["initialCaseStatus"], again["finalCaseStatus"]) == ("resolved", "resolved")


def test_catalog_operations(support):
    services = support.describe_services()["services"]
    ec2 = next(service for service in services if service["code"] == EC2["serviceCode"])
    assert {"code": "instance-issue", "name": "Instance Issue"} in ec2["categories"]
    assert [service["code"] for service in support.describe_services(serviceCodeList=["aws-lambda"])["services"]] == ["aws-lambda"]
    levels = support.describe_severity_levels()["severityLevels"]
    assert [level["code"] for level in levels] == ["low", "normal", "high", "urgent", "critical"]
    languages = support.describe_supported_languages(issueType="technical", serviceCode="aws-lambda", categoryCode="performance")
    assert {language["code"] for language in languages["supportedLanguages"]} == {"en", "ja"}
    options = support.describe_create_case_options(issueType="technical", serviceCode="aws-lambda", categoryCode="performance", language="en")
    assert options["languageAvailability"] == "available"
    assert {item["type"] for item in options["communicationTypes"]} == {"chat", "call"}


def test_domain_validation_comes_back_as_a_validation_exception(support):
    code, message = error(support.create_case, subject="x", communicationBody="y", serviceCode="no-such-service",
                          categoryCode="z")
    assert code == "ValidationException" and message


@pytest.mark.parametrize("plan", [SupportPlan.BASIC, SupportPlan.DEVELOPER])
def test_the_api_needs_a_business_or_enterprise_plan(keys, client_for, plan):
    account = AccountFactory(support_plan=plan)
    support = client_for("support", *keys(account))
    assert error(support.describe_severity_levels) == (
        "SubscriptionRequiredException", "AWS Premium Support Subscription is required to use this service.")


def test_enterprise_accounts_use_the_api(keys, client_for):
    account = AccountFactory(support_plan=SupportPlan.ENTERPRISE)
    assert client_for("support", *keys(account)).describe_severity_levels()["severityLevels"]


def test_a_user_without_permission_is_denied_like_aws(account, user_api):
    support = user_api("support", account, allow("support:DescribeCases"), name="viewer")
    assert support.describe_cases()["cases"] == []
    code, message = error(support.create_case, subject="x", communicationBody="y", **EC2)
    assert code == "AccessDeniedException"
    assert message == (f"User: arn:aws:iam::{account.account_id}:user/viewer is not authorized to perform: "
                       "support:CreateCase because no identity-based policy allows the support:CreateCase action")


def test_another_accounts_cases_do_not_exist(account, support, keys, client_for):
    mine = open_case(support)
    stranger = client_for("support", *keys(AccountFactory()))
    assert stranger.describe_cases(includeResolvedCases=True)["cases"] == []
    assert error(stranger.describe_cases, caseIdList=[mine])[0] == "CaseIdNotFound"
    assert error(stranger.describe_communications, caseId=mine)[0] == "CaseIdNotFound"
    assert error(stranger.add_communication_to_case, caseId=mine, communicationBody="hi")[0] == "CaseIdNotFound"
    assert error(stranger.resolve_case, caseId=mine)[0] == "CaseIdNotFound"
    attachment = support.add_attachments_to_set(attachments=[{"fileName": "a.png", "data": PNG}])["attachmentSetId"]
    assert error(stranger.create_case, subject="x", communicationBody="y", attachmentSetId=attachment, **EC2)[0] == \
        "AttachmentSetIdNotFound"


def test_creation_throttles_answer_with_the_models_errors(support, monkeypatch):
    from cases import services

    monkeypatch.setattr(services, "CASE_CREATION_LIMIT", (1, services.CASE_CREATION_LIMIT[1]))
    monkeypatch.setattr(services, "ATTACHMENT_SET_LIMIT", (1, services.ATTACHMENT_SET_LIMIT[1]))
    open_case(support)
    code, message = error(open_case, support)
    assert code == "CaseCreationLimitExceeded" and "Try again later" in message
    support.add_attachments_to_set(attachments=[{"fileName": "a.png", "data": PNG}])
    assert error(support.add_attachments_to_set, attachments=[{"fileName": "b.png", "data": PNG}])[0] == \
        "AttachmentLimitExceeded"


def test_an_attachment_set_fills_up_across_calls(support):
    attachment_set = support.add_attachments_to_set(attachments=[{"fileName": f"{n}.png", "data": PNG} for n in range(2)])
    set_id = attachment_set["attachmentSetId"]
    again = support.add_attachments_to_set(attachmentSetId=set_id, attachments=[{"fileName": "3.png", "data": PNG}])
    assert again["attachmentSetId"] == set_id
    assert error(support.add_attachments_to_set, attachmentSetId=set_id,
                 attachments=[{"fileName": "4.png", "data": PNG}])[0] == "AttachmentSetSizeLimitExceeded"

