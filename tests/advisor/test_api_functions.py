"""The service functions the Support wire API calls: botocore's shapes, errors, plan gating, IAM."""

import gzip
import json
from pathlib import Path

import botocore
import pytest

from accounts.models import SupportPlan
from advisor import services
from advisor.exceptions import InvalidParameterValue, SubscriptionRequired, TrustedAdvisorDisabled
from iam.exceptions import AccessDenied
from iam.principals import Principal
from iam.services import create_access_key, set_trusted_advisor_enabled
from tests.factories import allow

pytestmark = pytest.mark.django_db

MODEL = json.loads(gzip.open(Path(botocore.__file__).parent / "data/support/2013-04-15/service-2.json.gz").read())
ROOT_KEYS, SUPPORT_PLAN_FIT = "Ro0tAkEy01", "SuPlnFit01"
CORE = {"7DAFEmoDos", "zXCkfM1nI3", "Yw2K9puPzl", "Ro0tAkEy01", "eW7HH0l7J9"}


def conforms(value, shape_name):
    """True when `value` has every required member of the botocore shape, and nothing it does not know."""
    shape = MODEL["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        members = shape["members"]
        return (
            isinstance(value, dict)
            and set(shape.get("required", [])) <= set(value)
            and set(value) <= set(members)
            and all(conforms(item, members[key]["shape"]) for key, item in value.items())
        )
    if kind == "list":
        return isinstance(value, list) and all(conforms(item, shape["member"]["shape"]) for item in value)
    return {"string": str, "boolean": bool, "long": int, "double": float}[kind] == type(value)


def test_every_answer_has_the_shape_botocore_expects(account, root, refresh_now):
    create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    checks = services.describe_checks(root, "en")
    assert conforms(checks, "DescribeTrustedAdvisorChecksResponse") and len(checks["checks"]) >= 15
    ids = [check["id"] for check in checks["checks"]]
    assert conforms(services.describe_check_result(root, ROOT_KEYS, "ja"), "DescribeTrustedAdvisorCheckResultResponse")
    assert conforms(services.describe_check_result(root, SUPPORT_PLAN_FIT), "DescribeTrustedAdvisorCheckResultResponse")
    assert conforms(services.describe_check_summaries(root, ids), "DescribeTrustedAdvisorCheckSummariesResponse")
    manual = [check["id"] for check in checks["checks"] if check["id"] not in {"eW7HH0l7J9", "12Fnkpl8Y5"}]
    assert conforms(services.describe_check_refresh_statuses(root, manual), "DescribeTrustedAdvisorCheckRefreshStatusesResponse")
    assert conforms(services.refresh_check(root, "zXCkfM1nI3"), "RefreshTrustedAdvisorCheckResponse")


def test_a_result_lists_flagged_resources_with_their_metadata(account, root, refresh_now):
    key, _ = create_access_key(account)
    refresh_now(root, ROOT_KEYS)
    result = services.describe_check_result(root, ROOT_KEYS)["result"]
    assert result["status"] == "error" and result["categorySpecificSummary"] == {}
    [resource] = result["flaggedResources"]
    assert resource["resourceId"] == key.access_key_id and resource["status"] == "error"
    assert resource["isSuppressed"] is False and resource["metadata"][0] == key.access_key_id
    assert len(resource["metadata"]) == len(services.describe_checks(root)["checks"][[c["id"] for c in services.describe_checks(root)["checks"]].index(ROOT_KEYS)]["metadata"])


def test_a_check_never_refreshed_is_not_available(root):
    summary = services.describe_check_summaries(root, [ROOT_KEYS])["summaries"][0]
    assert summary["status"] == "not_available" and summary["hasFlaggedResources"] is False
    status = services.describe_check_refresh_statuses(root, [ROOT_KEYS])["statuses"][0]
    assert status == {"checkId": ROOT_KEYS, "status": "none", "millisUntilNextRefreshable": 0}


def test_cost_checks_report_estimated_savings(account, root, refresh_now):
    refresh_now(root, SUPPORT_PLAN_FIT)
    summary = services.describe_check_summaries(root, [SUPPORT_PLAN_FIT])["summaries"][0]
    assert summary["categorySpecificSummary"] == {"costOptimizing": {"estimatedMonthlySavings": 71.0, "estimatedPercentMonthlySavings": 71.0}}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda root: services.describe_check_result(root, "nope"), "not valid"),
        (lambda root: services.describe_checks(root, "xx"), "language"),
        (lambda root: services.describe_check_summaries(root, []), "at least one"),
        (lambda root: services.refresh_check(root, "eW7HH0l7J9"), "refreshed automatically"),
    ],
)
def test_invalid_parameters_raise_invalid_parameter_value(root, call, message):
    with pytest.raises(InvalidParameterValue) as error:
        call(root)
    assert error.value.code == "InvalidParameterValue" and message in error.value.message


@pytest.mark.parametrize("plan", [SupportPlan.BASIC, SupportPlan.DEVELOPER])
def test_basic_and_developer_plans_get_the_five_core_checks(account, root, plan):
    account.support_plan = plan
    account.save()
    assert {check["id"] for check in services.describe_checks(root)["checks"]} == CORE
    with pytest.raises(SubscriptionRequired) as error:
        services.refresh_check(root, SUPPORT_PLAN_FIT)
    assert error.value.code == "SubscriptionRequiredException"


@pytest.mark.parametrize("plan", [SupportPlan.BUSINESS, SupportPlan.ENTERPRISE])
def test_business_and_enterprise_plans_get_every_check(account, root, plan):
    account.support_plan = plan
    account.save()
    assert len(services.describe_checks(root)["checks"]) >= 15


def test_the_api_asks_iam_for_support_actions(account, make_user):
    user = make_user(account, allow("trustedadvisor:*"))
    with pytest.raises(AccessDenied) as error:
        services.describe_checks(Principal(account=account, user=user))
    assert error.value.action == "support:DescribeTrustedAdvisorChecks"
    api_user = make_user(account, allow("support:DescribeTrustedAdvisor*"))
    assert services.describe_checks(Principal(account=account, user=api_user))["checks"]
    with pytest.raises(AccessDenied) as error:
        services.refresh_check(Principal(account=account, user=api_user), ROOT_KEYS)
    assert error.value.action == "support:RefreshTrustedAdvisorCheck"


def test_while_disabled_every_operation_is_access_denied(account, root):
    set_trusted_advisor_enabled(account, False)
    for call in (
        lambda: services.describe_checks(root),
        lambda: services.describe_check_result(root, ROOT_KEYS),
        lambda: services.describe_check_summaries(root, [ROOT_KEYS]),
        lambda: services.describe_check_refresh_statuses(root, [ROOT_KEYS]),
        lambda: services.refresh_check(root, ROOT_KEYS),
    ):
        with pytest.raises(TrustedAdvisorDisabled) as error:
            call()
        assert error.value.code == "AccessDenied" and "disabled" in error.value.message
