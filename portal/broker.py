"""Housekeeping for the embedded broker (kombu's SQLAlchemy transport on a SQLite file).

That transport keeps every delivered message, marked invisible, so that an unacknowledged one can
be restored; on a portal that runs for months the file would only grow. Messages delivered more
than KEEP_DELIVERED ago have long been acknowledged or restored, and go.
"""

import sqlite3
from datetime import datetime, timedelta

from django.conf import settings

KEEP_DELIVERED = timedelta(hours=1)


def purge_delivered_messages(now: datetime | None = None) -> int:
    if not settings.EMBEDDED_BROKER:
        return 0
    path = settings.CELERY_BROKER_URL.removeprefix("sqla+sqlite:///")
    # The transport writes naive local times (datetime.now) as text; compare in the same form.
    cutoff = ((now or datetime.now()) - KEEP_DELIVERED).isoformat(sep=" ")
    with sqlite3.connect(path, timeout=20) as broker:
        try:
            return broker.execute("DELETE FROM kombu_message WHERE visible = 0 AND timestamp < ?", (cutoff,)).rowcount
        except sqlite3.OperationalError:  # no message was ever sent: the table is not there yet
            return 0
