import pytest
from celery import current_app

from .processes import free_port


@pytest.fixture
def unreachable_broker(monkeypatch):
    """The portal's broker is a Redis nobody listens on; tasks are really sent (not run in-process)."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    monkeypatch.setitem(current_app.conf, "broker_url", url)
    monkeypatch.setitem(current_app.conf, "broker_transport_options", {"socket_connect_timeout": 1, "max_retries": 0})
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    # Connections and producers are pooled per broker: start from none, and leave none behind.
    monkeypatch.setattr(current_app, "_pool", None)
    monkeypatch.setattr(current_app.amqp, "_producer_pool", None)
    yield url
    current_app._pool = None
    current_app.amqp._producer_pool = None
