"""Which Support plans include the AWS Support API (the wire API answers SubscriptionRequiredException otherwise)."""

import pytest

from accounts.models import SupportPlan
from cases.plans import has_support_api
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plan, included", [
    (SupportPlan.BASIC, False), (SupportPlan.DEVELOPER, False), (SupportPlan.BUSINESS, True), (SupportPlan.ENTERPRISE, True),
])
def test_only_business_and_enterprise_include_the_api(plan, included):
    assert has_support_api(AccountFactory(support_plan=plan)) is included
