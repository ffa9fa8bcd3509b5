"""The Trusted Advisor operations of the Support API: advisor.services answers them, shapes included."""

from advisor import services

from . import operations


@operations("DescribeTrustedAdvisorChecks")
def describe_trusted_advisor_checks(call):
    return services.describe_checks(call.principal, call.params["language"])


@operations("DescribeTrustedAdvisorCheckResult")
def describe_trusted_advisor_check_result(call):
    return services.describe_check_result(call.principal, call.params["checkId"], call.params.get("language", "en"))


@operations("DescribeTrustedAdvisorCheckSummaries")
def describe_trusted_advisor_check_summaries(call):
    return services.describe_check_summaries(call.principal, call.params["checkIds"])


@operations("DescribeTrustedAdvisorCheckRefreshStatuses")
def describe_trusted_advisor_check_refresh_statuses(call):
    return services.describe_check_refresh_statuses(call.principal, call.params["checkIds"])


@operations("RefreshTrustedAdvisorCheck")
def refresh_trusted_advisor_check(call):
    return services.refresh_check(call.principal, call.params["checkId"])
