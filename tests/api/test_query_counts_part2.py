"""Share 2 of test_query_counts' table of operations (see PARTS there)."""

import pytest

from .test_query_counts import assert_same_cost, share

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("service, operation", share(1))
def test_an_operation_costs_the_same_queries_for_one_row_or_many(service, operation):
    assert_same_cost(service, operation)
