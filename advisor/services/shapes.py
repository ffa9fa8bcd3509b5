"""Stored results as the AWS Support API shapes them (service-2.json, 2013-04-15)."""

from datetime import datetime, timedelta

from .. import selectors
from ..checks import Check
from ..models import Category, CheckState, FlaggedResource


def timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def check_description_shape(check: Check) -> dict:
    """TrustedAdvisorCheckDescription."""
    return {
        "id": check.id,
        "name": check.name,
        "description": check.description,
        "category": check.category,
        "metadata": list(check.metadata),
    }


def refresh_status_shape(check_id: str, state: CheckState | None, now: datetime, interval: timedelta) -> dict:
    """TrustedAdvisorCheckRefreshStatus; `interval` is the account's refresh interval (selectors.refresh_interval)."""
    return {
        "checkId": check_id,
        "status": str(state.refresh_status) if state else "none",
        "millisUntilNextRefreshable": selectors.millis_until_refreshable(state, now, interval),
    }


def resources_summary_shape(state: CheckState | None) -> dict:
    """TrustedAdvisorResourcesSummary."""
    if state is None:
        return {"resourcesProcessed": 0, "resourcesFlagged": 0, "resourcesIgnored": 0, "resourcesSuppressed": 0}
    return {
        "resourcesProcessed": state.resources_processed,
        "resourcesFlagged": state.resources_flagged,
        "resourcesIgnored": state.resources_ignored,
        "resourcesSuppressed": state.resources_suppressed,
    }


def category_summary_shape(check: Check, state: CheckState | None) -> dict:
    """TrustedAdvisorCategorySpecificSummary: only Cost Optimizing has one."""
    if check.category != Category.COST_OPTIMIZING:
        return {}
    savings = state.estimated_monthly_savings if state else 0
    percent = state.estimated_percent_monthly_savings if state else 0
    return {"costOptimizing": {"estimatedMonthlySavings": float(savings), "estimatedPercentMonthlySavings": float(percent)}}


def resource_detail_shape(resource: FlaggedResource) -> dict:
    """TrustedAdvisorResourceDetail."""
    detail = {
        "status": str(resource.status),
        "resourceId": resource.resource_id,
        "isSuppressed": resource.is_suppressed,
        "metadata": list(resource.metadata),
    }
    if resource.region:
        detail["region"] = resource.region
    return detail


def summary_shape(check: Check, state: CheckState | None, now: datetime) -> dict:
    """TrustedAdvisorCheckSummary. A check never refreshed reports not_available as of now."""
    return {
        "checkId": check.id,
        "timestamp": timestamp(state.refreshed_at if state and state.refreshed_at else now),
        "status": str(selectors.result_status(state)),
        "hasFlaggedResources": bool(state and state.resources_flagged),
        "resourcesSummary": resources_summary_shape(state),
        "categorySpecificSummary": category_summary_shape(check, state),
    }


def result_shape(check: Check, state: CheckState | None, resources: list[FlaggedResource], now: datetime) -> dict:
    """TrustedAdvisorCheckResult."""
    summary = summary_shape(check, state, now)
    del summary["hasFlaggedResources"]
    return {**summary, "flaggedResources": [resource_detail_shape(resource) for resource in resources]}
