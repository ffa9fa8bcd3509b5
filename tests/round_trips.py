"""Round trips to PostgreSQL, counted from the messages the connection exchanges (libpq's trace): the server
ends each answer with ReadyForQuery, whether to a statement, a BEGIN or a COMMIT."""

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from psycopg import pq


@dataclass
class Trips:
    count: int = 0
    sent: list[str] = field(default_factory=list)  # the client's messages: 'Query "BEGIN"', 'Parse ...', 'Sync'

    def queries(self) -> list[str]:
        """The simple-protocol statements sent (BEGIN, COMMIT, ...)."""
        return [message.split(None, 1)[1].strip('"') for message in self.sent if message.startswith("Query")]


@contextmanager
def round_trips():
    """Yields a Trips, filled in when the block ends."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    trips = Trips()
    with tempfile.TemporaryFile(mode="w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield trips
        finally:
            pgconn.untrace()
            trace.seek(0)
            lines = [line.split("\t", 3) for line in trace.read().splitlines()]
    trips.count = sum(1 for line in lines if line[0] == "B" and line[2] == "ReadyForQuery")
    trips.sent = [" ".join(part.strip() for part in line[2:]) for line in lines if line[0] == "F"]
