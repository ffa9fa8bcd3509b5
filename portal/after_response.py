"""Work a request hands on to the moment its answer has been sent, so the caller does not wait for it.

An API call's answer does not depend on a read's history line being written, nor on its email being handed
to the queue; AWS too records CloudTrail events and sends case email after it has answered. The work runs in
the same thread right after the response's last byte (Django closes the response then), before the thread
takes the next request, and before gunicorn lets a worker stop: a graceful restart loses none of it.
Outside a request (a task, the shell, a test calling a service) it runs at once.
"""

import logging
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable

logger = logging.getLogger(__name__)

_pending: ContextVar[list | None] = ContextVar("after_response", default=None)
_unfinished = 0  # responses of this process whose work has not run yet
_settled = threading.Condition()


def after_response(work: Callable[[], None]) -> None:
    """Run `work()` once the current request's response has been sent (at once when there is none)."""
    pending = _pending.get()
    if pending is None:
        work()
    else:
        pending.append(work)


@contextmanager
def deferring():
    """Collect the work of what runs inside; yields a function that attaches it to the response made."""
    pending = []
    token = _pending.set(pending)

    def attach(response):
        global _unfinished
        if pending:
            with _settled:
                _unfinished += 1
            response._resource_closers.append(lambda: _settle(pending))
        return response

    try:
        yield attach
    except BaseException:
        _pending.reset(token)
        _run(pending)  # no response to wait for
        raise
    _pending.reset(token)


def wait_until_settled(timeout: float = 30) -> bool:
    """Wait until the work of every response this process has made has run (False: still some after `timeout`
    seconds); for whoever reads what a call left behind right after its answer, such as a test."""
    with _settled:
        return _settled.wait_for(lambda: _unfinished == 0, timeout)


def _settle(pending: list) -> None:
    global _unfinished
    try:
        _run(pending)
    finally:
        with _settled:
            _unfinished -= 1
            _settled.notify_all()


def _run(pending: list) -> None:
    for work in pending:
        try:
            work()
        except Exception:  # noqa: BLE001 - one failed piece must not keep the others from running
            logger.exception("Work after the response failed: %r", work)
    pending.clear()
