"""The embedded broker is a real one (messages go through its SQLite file), and it does not grow for ever."""

import sqlite3
from datetime import datetime, timedelta

from kombu import Connection

from portal import broker


def test_the_embedded_broker_carries_a_message_and_forgets_it_once_delivered_long_ago(tmp_path, settings, monkeypatch):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    monkeypatch.setattr(settings, "CELERY_BROKER_URL", url)
    monkeypatch.setattr(settings, "EMBEDDED_BROKER", True)
    with Connection(url, transport_options={"connect_args": {"timeout": 20}}) as connection:
        queue = connection.SimpleQueue("portal-test")
        queue.put({"task": "hello"})
        message = queue.get(timeout=5)
        message.ack()
        assert message.payload == {"task": "hello"}
        queue.put({"task": "not yet delivered"})
        queue.close()

    assert broker.purge_delivered_messages() == 0  # delivered just now: kept a while
    assert broker.purge_delivered_messages(now=datetime.now() + timedelta(hours=2)) == 1
    with sqlite3.connect(tmp_path / "broker.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM kombu_message").fetchone() == (1,)  # the undelivered one stays

