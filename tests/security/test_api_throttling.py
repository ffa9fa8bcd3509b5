"""Finding 6: API rate limits per account and operation family, with AWS's error names and statuses."""

from unittest import mock

import pytest
from django.core.cache import cache

from api.service_models import ACCOUNT, IAM, SUPPORT
from cases import services as case_services
from iam.principals import Principal
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_buckets(settings):
    settings.API_RATE_LIMITS_PER_FAMILY = {**settings.API_RATE_LIMITS_PER_FAMILY, "read": (3, 60), "write": (2, 60)}


def test_describe_attachment_answers_its_own_limit_error(account, wire, settings):
    call = wire(account)
    limit = settings.API_RATE_LIMITS_PER_FAMILY["support:DescribeAttachment"][0]
    codes = [call(SUPPORT, "DescribeAttachment", {"attachmentId": "attachment-missing"}).error_code for _ in range(40)]
    assert "DescribeAttachmentLimitExceeded" not in codes[:limit]
    assert codes[limit:] == ["DescribeAttachmentLimitExceeded"] * (40 - limit)


def test_query_protocol_throttles_with_throttling_and_http_400(account, wire, small_buckets):
    call = wire(account)
    answers = [call(IAM, "ListUsers", {}) for _ in range(4)]
    assert [answer.status for answer in answers] == [200, 200, 200, 400]
    assert answers[-1].error_code == "Throttling"


def test_json_protocol_throttles_with_throttling_exception(account, wire, small_buckets):
    call = wire(account)
    answers = [call(SUPPORT, "AddAttachmentsToSet", {"attachments": [{"fileName": "a.txt", "data": b"hi"}]}) for _ in range(3)]
    assert (answers[-1].status, answers[-1].error_code) == (400, "ThrottlingException")


def test_account_api_uses_its_model_throttling_error(account, wire, small_buckets):
    call = wire(account)
    answers = [call(ACCOUNT, "GetContactInformation", {}) for _ in range(4)]
    assert (answers[-1].status, answers[-1].error_code) == (429, "TooManyRequestsException")


def test_buckets_are_per_account_and_per_family(account, wire, small_buckets):
    call = wire(account)
    for _ in range(3):
        call(IAM, "ListUsers", {})
    assert call(IAM, "ListUsers", {}).error_code == "Throttling"
    assert call(IAM, "CreateUser", {"UserName": "still-allowed"}).status == 200  # writes have their own bucket
    assert wire(AccountFactory())(IAM, "ListUsers", {}).status == 200  # another account is not affected


def test_one_cache_round_trip_per_call(account, wire):
    call = wire(account)
    call(IAM, "ListUsers", {})  # the window's counter now exists
    with mock.patch("portal.limits.cache", wraps=cache) as counted:
        call(IAM, "ListUsers", {})
    assert len(counted.method_calls) == 1


def test_api_rate_limits_off_turns_every_rate_limit_off(account, wire, settings, monkeypatch):
    settings.API_RATE_LIMITS = False
    call = wire(account)
    assert all(call(SUPPORT, "DescribeAttachment", {"attachmentId": "x"}).error_code != "DescribeAttachmentLimitExceeded" for _ in range(15))
    monkeypatch.setattr(case_services, "CASE_CREATION_LIMIT", (1, case_services.CASE_CREATION_LIMIT[1]))
    root = Principal(account=account)
    for number in range(2):
        case_services.create_case(root, subject=f"case {number}", communication_body="body")
    assert account.support_cases.count() == 2
