"""Trusted Advisor over the Support API endpoint through boto3: checks, results, summaries, refreshes."""

import pytest
from botocore.exceptions import ClientError

from iam.services import set_trusted_advisor_enabled
from portal.celery import app as celery_app
from tests.factories import AccountFactory, allow

pytestmark = pytest.mark.django_db(transaction=True)

ROOT_KEYS, SUPPORT_PLAN_FIT, AUTOMATIC = "Ro0tAkEy01", "SuPlnFit01", "eW7HH0l7J9"


def error(call, *args, **kwargs) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    response = caught.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture(autouse=True)
def refreshes_run_in_the_server(monkeypatch):
    """The refresh task runs in the live server's thread when its request commits, even when REDIS_URL is set."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def support(root_api):
    return root_api("support")


def test_checks_are_described_in_the_asked_language(support):
    checks = support.describe_trusted_advisor_checks(language="en")["checks"]
    assert len(checks) >= 15
    root_keys = next(check for check in checks if check["id"] == ROOT_KEYS)
    assert root_keys["category"] == "security" and root_keys["metadata"]
    assert len(support.describe_trusted_advisor_checks(language="ja")["checks"]) == len(checks)
    assert error(support.describe_trusted_advisor_checks, language="xx")[0] == "InvalidParameterValue"


def test_a_refresh_finds_the_root_users_key_and_reports_it(account, support):
    key_id = support._request_signer._credentials.access_key  # the root key this client signs with
    refreshed = support.refresh_trusted_advisor_check(checkId=ROOT_KEYS)["status"]
    assert refreshed["checkId"] == ROOT_KEYS and refreshed["status"] in ("enqueued", "processing", "success")
    [status] = support.describe_trusted_advisor_check_refresh_statuses(checkIds=[ROOT_KEYS])["statuses"]
    assert status["status"] == "success" and status["millisUntilNextRefreshable"] > 0
    result = support.describe_trusted_advisor_check_result(checkId=ROOT_KEYS, language="en")["result"]
    assert result["status"] == "error"
    assert [resource["resourceId"] for resource in result["flaggedResources"]] == [key_id]
    [summary] = support.describe_trusted_advisor_check_summaries(checkIds=[ROOT_KEYS])["summaries"]
    assert summary["hasFlaggedResources"] is True and summary["resourcesSummary"]["resourcesFlagged"] == 1


def test_cost_checks_carry_their_savings(support):
    support.refresh_trusted_advisor_check(checkId=SUPPORT_PLAN_FIT)
    [summary] = support.describe_trusted_advisor_check_summaries(checkIds=[SUPPORT_PLAN_FIT])["summaries"]
    assert set(summary["categorySpecificSummary"]["costOptimizing"]) == {
        "estimatedMonthlySavings", "estimatedPercentMonthlySavings"}


def test_invalid_check_ids_and_automatic_checks(support):
    assert error(support.describe_trusted_advisor_check_result, checkId="nope")[0] == "InvalidParameterValue"
    assert error(support.refresh_trusted_advisor_check, checkId=AUTOMATIC)[0] == "InvalidParameterValue"
    assert error(support.describe_trusted_advisor_check_refresh_statuses, checkIds=[AUTOMATIC])[0] == "InvalidParameterValue"


def test_support_actions_govern_the_api_and_a_disabled_advisor_denies(account, user_api, support):
    reader = user_api("support", account, allow("support:DescribeTrustedAdvisor*"), name="ta-reader")
    assert reader.describe_trusted_advisor_checks(language="en")["checks"]
    code, message, _ = error(reader.refresh_trusted_advisor_check, checkId=ROOT_KEYS)
    assert code == "AccessDeniedException" and "support:RefreshTrustedAdvisorCheck" in message
    console_only = user_api("support", account, allow("trustedadvisor:*"), name="console-only")
    assert error(console_only.describe_trusted_advisor_checks, language="en")[0] == "AccessDeniedException"
    set_trusted_advisor_enabled(account, False)
    code, message, _ = error(support.describe_trusted_advisor_checks, language="en")
    assert code == "AccessDeniedException" and "disabled" in message


def test_trusted_advisor_needs_a_business_plan_on_the_api_too(keys, client_for):
    basic = client_for("support", *keys(AccountFactory(support_plan="basic")))
    assert error(basic.describe_trusted_advisor_checks, language="en")[0] == "SubscriptionRequiredException"


def test_another_accounts_results_stay_theirs(account, support, keys, client_for):
    support.refresh_trusted_advisor_check(checkId=ROOT_KEYS)
    stranger = client_for("support", *keys(AccountFactory()))
    [summary] = stranger.describe_trusted_advisor_check_summaries(checkIds=[ROOT_KEYS])["summaries"]
    assert summary["status"] == "not_available"
