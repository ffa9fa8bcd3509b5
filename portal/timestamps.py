"""PostgreSQL timestamps read by psycopg's C loader rather than Django's Python subclass of it.

Django gives every PostgreSQL connection a Python subclass of psycopg's timestamptz loader (to set the tzinfo
it wants), so each value is parsed in Python: about 5 µs, a millisecond for a page of 100 cases and their
messages. In a UTC session the two agree exactly (psycopg reads the session zone "UTC" as
`datetime.timezone.utc`, which is Django's zone too), so such a connection loads with the C one. The wrapper
keeps the `timezone` attribute that Django's create_cursor compares before it would register its own.
"""

from datetime import timezone

from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ = types["timestamptz"].oid
_PSYCOPG_LOADER = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    timezone = timezone.utc
    load = None  # each instance's is the bound method of a C loader (one C call a value)

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self.load = _PSYCOPG_LOADER(oid, context).load


def load_timestamps_natively(sender, connection, **kwargs):
    """connection_created: a UTC PostgreSQL session reads timestamptz with psycopg's own loader."""
    if connection.vendor == "postgresql" and connection.timezone is timezone.utc:
        connection.connection.adapters.register_loader(TIMESTAMPTZ, UtcTimestamptzLoader)
