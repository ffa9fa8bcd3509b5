"""The web role's gunicorn worker: gthread, with each request given to the thread that went idle last.

gunicorn's gthread worker runs requests on a concurrent.futures.ThreadPoolExecutor. That pool starts another
thread whenever none has said it is idle yet, and a thread says so only after its request's done-callback has
handed the connection back to gunicorn, by which time the client's next request may be waiting. So one
client's calls, one after the other, are spread over several threads, and over as many database connections
(one per thread), each of them cold when its turn comes round: 6-13% of a fast API call's time.

This pool hands work to the thread that finished last, and counts a thread that is finishing as about to be
idle: a quiet worker keeps using one warm thread and connection, and under load every thread still works.

A thread that answered on a kept-alive connection also waits a few milliseconds for that client's next request
and answers it itself, while another thread is free for other clients (see Worker.handle).
"""

import select
import threading
from collections import deque
from concurrent.futures import Future

from gunicorn.workers.gthread import ThreadWorker


class _Slot:
    """Where an idle thread waits for its next work (None: stop)."""

    def __init__(self):
        self._given = threading.Semaphore(0)
        self._work = None

    def give(self, work) -> None:
        self._work = work
        self._given.release()

    def take(self):
        self._given.acquire()
        work, self._work = self._work, None
        return work


class LastIdleFirstPool:
    """The part of ThreadPoolExecutor that gunicorn uses (submit, shutdown), most recently idle thread first."""

    def __init__(self, max_workers: int):
        self.max_workers = max_workers
        self._lock = threading.Lock()
        self._idle: list[_Slot] = []  # a stack: the thread that went idle last is on top
        self._backlog: deque = deque()
        self._threads = 0
        self._finishing = 0  # threads settling their future: each takes the backlog's next work, if any
        self._shut_down = False

    def submit(self, function, *args, **kwargs) -> Future:
        future = Future()
        work = (future, function, args, kwargs)
        with self._lock:
            if self._shut_down:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._idle:
                self._idle.pop().give(work)
            elif self._finishing or self._threads >= self.max_workers:
                self._backlog.append(work)
            else:
                self._threads += 1
                threading.Thread(target=self._serve, args=(work,), name="web-request", daemon=True).start()
        return future

    def can_take_more(self) -> bool:
        """Whether new work would start at once: a thread is idle, or another may be started."""
        with self._lock:
            return bool(self._idle) or self._threads < self.max_workers

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shut_down = True
            idle, self._idle = self._idle, []
            backlog = list(self._backlog) if cancel_futures else []
            if cancel_futures:
                self._backlog.clear()
        for future, *_ in backlog:
            future.cancel()
        for slot in idle:
            slot.give(None)

    def _serve(self, work) -> None:
        slot = _Slot()
        while work is not None:
            future, function, args, kwargs = work
            outcome, failed = None, False
            if future.set_running_or_notify_cancel():
                try:
                    outcome = function(*args, **kwargs)
                except BaseException as error:  # noqa: BLE001 - it belongs to the future, as in ThreadPoolExecutor
                    outcome, failed = error, True
            with self._lock:
                self._finishing += 1
            if future.running():
                # Runs the done-callbacks: gunicorn takes the connection back, and its next request may come at once.
                (future.set_exception if failed else future.set_result)(outcome)
            work = self._next(slot)

    def _next(self, slot: _Slot):
        with self._lock:
            self._finishing -= 1
            if self._backlog:
                return self._backlog.popleft()
            if self._shut_down:
                self._threads -= 1
                return None
            self._idle.append(slot)
        return slot.take()


KEEPALIVE_LINGER_SECONDS = 0.005


def _readable(sock, seconds: float) -> bool:
    """Whether the socket has bytes to read (or has been closed by the client) within `seconds`.

    Not gunicorn's TConn.wait_for_data: that one is for a connection's first request, answers True for good once
    data came (`data_ready`), and builds an epoll selector on each call."""
    pending = getattr(sock, "pending", None)  # TLS: bytes already decrypted do not show on the socket
    if pending is not None and pending():
        return True
    try:
        poll = select.poll()
        poll.register(sock, select.POLLIN)
        return bool(poll.poll(seconds * 1000))
    except (OSError, ValueError):  # closed meanwhile
        return False


class Worker(ThreadWorker):
    def get_thread_pool(self):
        return LastIdleFirstPool(self.cfg.threads)

    def handle(self, conn):
        """Answer the connection's request, then the same client's next ones that come within the linger.

        gunicorn gives a kept-alive connection back to its main thread, which polls it and hands the next request
        to a pool thread: three wake-ups (the hand-back, the poll, the hand-over) that a quick client (an SDK in a
        loop) pays on every request, a few per cent of a fast API call's time (1-6% of CreateCase, measured). The
        linger is short, and taken only while another thread is free, so a slow client never holds a thread that
        others need.
        """
        result = super().handle(conn)
        while result is True and self.alive and self.tpool.can_take_more():
            if not (conn.parser.unreader.buf.getvalue() or _readable(conn.sock, KEEPALIVE_LINGER_SECONDS)):
                break
            result = super().handle(conn)
        return result
