"""Times come back from the database exactly as they were written, as aware UTC datetimes, on PostgreSQL read
by psycopg's C loader (portal.timestamps) instead of Django's Python one."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from iam.models import IAMUser
from portal.timestamps import TIMESTAMPTZ, UtcTimestamptzLoader
from tests.factories import IAMUserFactory

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=timezone.utc),
    datetime(2026, 10, 25, 1, 30, 0, 500000, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
]


def test_times_read_back_equal_and_in_utc():
    user = IAMUserFactory()
    for moment in MOMENTS:
        IAMUser.objects.filter(pk=user.pk).update(password_last_used=moment)
        read = IAMUser.objects.values_list("password_last_used", flat=True).get(pk=user.pk)
        assert read == moment
        assert read.tzinfo is timezone.utc
        assert read.utcoffset() == timedelta(0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders are PostgreSQL's")
def test_a_postgresql_connection_reads_timestamps_with_psycopgs_own_loader():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ, 0) is UtcTimestamptzLoader
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz", [MOMENTS[2], None])
        assert cursor.fetchone() == (MOMENTS[2], None)
