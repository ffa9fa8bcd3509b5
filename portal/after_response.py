"""Work a request hands on to the moment its answer has been sent, so the caller does not wait for it.

An API call's answer does not depend on a read's history line being written, nor on its email being handed
to the queue; AWS too records CloudTrail events and sends case email after it has answered. The work runs in
the same thread right after the response's last byte (Django closes the response then), before the thread
takes the next request, and before gunicorn lets a worker stop: a graceful restart loses none of it.
Outside a request (a task, the shell, a test calling a service) it runs at once.

Work whose fixed cost outweighs its cost per item (a Celery publish costs a web process more than a fast API
call's own work) goes into a `Batch` instead: the items of many responses are handed over together, a few
hundredths of a second later, by one thread of the process, and before the process exits.
"""

import atexit
import logging
import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable

from django.db import connections

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


def after_response_in(batch: "Batch", item) -> None:
    """Add `item` to `batch` once the current request's response has been sent (at once, handed over as a batch
    of one, when there is none)."""
    if _pending.get() is None:
        batch.hand_over([item])
    else:
        after_response(lambda: batch.add(item))


class Batch:
    """Items of this process's responses, handed over together by one thread: `wait` seconds after the first
    of them arrived, or as soon as there are `size`. They count as unsettled work until then."""

    def __init__(self, hand_over: Callable[[list], None], *, size: int, wait: float):
        self.hand_over, self.size, self.wait = hand_over, size, wait
        self._forget()
        # A forked child shares neither the parent's items nor its thread.
        os.register_at_fork(after_in_child=self._forget)
        atexit.register(self._flush_at_exit)

    def _forget(self) -> None:
        self._items: list = []
        self._arrived = threading.Condition()
        self._thread: threading.Thread | None = None
        self._unsettled = 0  # items added and not handed over yet (guarded by _settled)

    def add(self, item) -> None:
        global _unfinished
        with _settled:
            _unfinished += 1
            self._unsettled += 1
        with self._arrived:
            self._items.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._hand_over_forever, name="batch", daemon=True)
                self._thread.start()
            if len(self._items) in (1, self.size):  # the thread waits for the first item, then for a full batch
                self._arrived.notify()

    def _hand_over_forever(self) -> None:
        while True:
            with self._arrived:
                self._arrived.wait_for(lambda: self._items)
                self._arrived.wait_for(lambda: len(self._items) >= self.size, timeout=self.wait)
                items = self._take()  # none when the process's exit took them meanwhile
            if items:
                self._settle(items)

    def _take(self) -> list:
        items, self._items = self._items[: self.size], self._items[self.size :]
        return items

    def _settle(self, items: list) -> None:
        global _unfinished
        try:
            self.hand_over(items)
        except Exception:  # noqa: BLE001 - the thread must live on for the next batch
            logger.exception("Handing over a batch failed: %r", self.hand_over)
        finally:
            connections.close_all()  # this thread's own, if the hand-over used the database
            with _settled:
                _unfinished -= len(items)
                self._unsettled -= len(items)
                _settled.notify_all()

    def _flush_at_exit(self) -> None:
        """A process that stops (a graceful restart) first hands over what is waiting."""
        while True:
            with self._arrived:
                items = self._take()
            if not items:
                break
            self._settle(items)
        with _settled:  # and lets a hand-over the thread is making finish
            _settled.wait_for(lambda: self._unsettled == 0, timeout=10)


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
