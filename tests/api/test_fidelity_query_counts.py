"""The operations that read a whole account cost the same number of queries for a small or a larger account."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iam.models import AccessKey
from iam.services import add_user_to_group, create_access_key, create_group, create_role
from tests.factories import IAMUserFactory

from .serialized import send
from .test_query_counts import TRUST

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(account):
    """call(operation) -> the queries the root user's signed IAM call cost (its key's last use is fresh)."""
    key, secret = create_access_key(account)
    AccessKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())  # written at most once a minute

    def count(operation: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = send(key.access_key_id, secret, "iam", operation, {})
        assert response.status_code == 200, response.content[:300]
        return len(captured)

    return count


def _grow(account, count):
    for _ in range(count):
        user = IAMUserFactory(account=account)
        create_access_key(account, user)
        group = create_group(account, f"g-{user.name}")
        add_user_to_group(group, user)
        create_role(account, f"r-{user.name}", TRUST)


@pytest.mark.parametrize("operation", ["GetAccountSummary", "GetAccountAuthorizationDetails", "GenerateCredentialReport"])
def test_whole_account_reads_cost_the_same_for_3_or_6_of_everything(account, call, operation):
    _grow(account, 3)
    few = call(operation)
    _grow(account, 3)
    if operation == "GenerateCredentialReport":
        account.iam_settings.delete()  # a fresh report is kept for four hours: make it generate again
    assert call(operation) == few
