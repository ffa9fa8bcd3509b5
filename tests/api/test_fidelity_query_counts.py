"""The operations that read a whole account cost the same number of queries for a small or a larger account."""

import pytest

from iam.services import add_user_to_group, create_access_key, create_group, create_role
from tests.factories import IAMUserFactory

from .test_query_counts import TRUST, call, iam, queries  # noqa: F401  (call is a fixture)

pytestmark = pytest.mark.django_db


def _grow(account, count):
    for _ in range(count):
        user = IAMUserFactory(account=account)
        create_access_key(account, user)
        group = create_group(account, f"g-{user.name}")
        add_user_to_group(group, user)
        create_role(account, f"r-{user.name}", TRUST)


@pytest.mark.parametrize("request_", [
    iam("GetAccountSummary"),
    iam("GetAccountAuthorizationDetails"),
    iam("GenerateCredentialReport"),
])
def test_whole_account_reads_cost_the_same_for_3_or_6_of_everything(account, call, request_):  # noqa: F811
    _grow(account, 3)
    few = queries(call, request_)
    _grow(account, 3)
    if request_[1].startswith(b"Action=GenerateCredentialReport"):
        account.iam_settings.delete()  # a fresh report is kept for four hours: make it generate again
    assert queries(call, request_) == few
