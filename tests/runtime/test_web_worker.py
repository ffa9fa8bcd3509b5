"""portal.web_worker: the web role's thread pool gives each request to the thread that went idle last."""

import io
import socket
import threading
from concurrent.futures import wait
from types import SimpleNamespace

import pytest
from gunicorn.workers.gthread import ThreadWorker

from portal.web_worker import LastIdleFirstPool, Worker


def _thread_name():
    return threading.current_thread().name + str(threading.get_ident())


def test_requests_one_after_another_stay_on_one_thread_even_when_the_next_comes_from_the_done_callback():
    """As gunicorn does: the done-callback gives the connection back, and its next request is submitted at once,
    before the finishing thread has gone idle (ThreadPoolExecutor starts another thread then)."""
    pool = LastIdleFirstPool(max_workers=8)
    threads, finished = [], threading.Event()

    def request(remaining):
        threads.append(_thread_name())
        return remaining

    def next_request(future):
        if future.result() > 0:
            pool.submit(request, future.result() - 1).add_done_callback(next_request)
        else:
            finished.set()

    pool.submit(request, 50).add_done_callback(next_request)
    assert finished.wait(timeout=10)
    assert len(threads) == 51
    assert len(set(threads)) == 1
    pool.shutdown(wait=False)


def test_concurrent_requests_use_up_to_the_pool_s_threads_and_the_rest_wait_their_turn():
    pool = LastIdleFirstPool(max_workers=3)
    gate, started = threading.Event(), threading.Semaphore(0)
    threads = []

    def request():
        threads.append(_thread_name())
        started.release()
        gate.wait(timeout=10)
        return "answered"

    futures = [pool.submit(request) for _ in range(5)]
    for _ in range(3):
        assert started.acquire(timeout=10)
    assert not started.acquire(timeout=0.2)  # the fourth and fifth wait for a free thread
    gate.set()
    done, not_done = wait(futures, timeout=10)
    assert not not_done and all(future.result() == "answered" for future in done)
    assert len(set(threads)) == 3
    pool.shutdown(wait=False)


def test_a_request_that_raises_gives_its_future_the_exception_and_the_thread_serves_on():
    pool = LastIdleFirstPool(max_workers=1)
    failing = pool.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=10)
    assert pool.submit(lambda: "next").result(timeout=10) == "next"
    pool.shutdown(wait=False)


def test_after_shutdown_idle_threads_end_and_no_new_work_is_taken():
    pool = LastIdleFirstPool(max_workers=2)
    worker = pool.submit(threading.current_thread).result(timeout=10)
    pool.shutdown(wait=False)
    worker.join(timeout=10)
    assert not worker.is_alive()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)


class _Connection:
    """What Worker.handle reads of gunicorn's connection: its socket and the parser's read-ahead."""

    def __init__(self, sock):
        self.sock = sock
        self.parser = SimpleNamespace(unreader=SimpleNamespace(buf=io.BytesIO()))


@pytest.fixture
def serving(monkeypatch):
    """A web worker whose requests are one byte each: it answers "keep alive" unless the client has gone."""
    server_side, client_side = socket.socketpair()
    answered = []

    def answer_one(worker, conn):
        request = conn.sock.recv(1)
        if not request:
            return False
        answered.append((request, threading.get_ident()))
        return True

    monkeypatch.setattr(ThreadWorker, "handle", answer_one)
    worker = Worker.__new__(Worker)
    worker.alive = True
    worker.tpool = LastIdleFirstPool(max_workers=2)
    yield SimpleNamespace(worker=worker, conn=_Connection(server_side), client=client_side, answered=answered)
    worker.tpool.shutdown(wait=False)
    server_side.close()
    client_side.close()


def test_the_client_s_next_request_within_the_linger_is_answered_by_the_same_thread(serving):
    serving.client.sendall(b"ab")  # two requests, the second already waiting
    served = serving.worker.tpool.submit(serving.worker.handle, serving.conn)
    serving.client.shutdown(socket.SHUT_WR)  # then the client goes: the worker stops lingering
    assert served.result(timeout=10) is False
    requests = [request for request, _ in serving.answered]
    assert requests == [b"a", b"b"]
    assert len({thread for _, thread in serving.answered}) == 1


def test_with_no_next_request_within_the_linger_the_connection_goes_back_to_gunicorn_s_poller(serving):
    serving.client.sendall(b"a")
    assert serving.worker.tpool.submit(serving.worker.handle, serving.conn).result(timeout=10) is True  # kept alive
    assert [request for request, _ in serving.answered] == [b"a"]


def test_no_linger_when_no_other_thread_is_free_for_other_clients(serving):
    gate = threading.Event()
    busy = serving.worker.tpool.submit(gate.wait, 10)  # the pool's other thread, busy with another client
    try:
        serving.client.sendall(b"ab")
        assert serving.worker.tpool.submit(serving.worker.handle, serving.conn).result(timeout=10) is True
        assert [request for request, _ in serving.answered] == [b"a"]
    finally:
        gate.set()
        busy.result(timeout=10)


def test_a_stopping_worker_does_not_linger(serving):
    serving.client.sendall(b"ab")
    serving.worker.alive = False
    assert serving.worker.tpool.submit(serving.worker.handle, serving.conn).result(timeout=10) is True
    assert [request for request, _ in serving.answered] == [b"a"]


def test_read_ahead_bytes_are_served_without_waiting_for_the_socket(serving):
    serving.client.sendall(b"a")
    serving.conn.parser.unreader.buf.write(b"next request, read with the last one's body")
    calls = []
    original = ThreadWorker.handle

    def answer_then_consume(worker, conn):
        calls.append(len(calls))
        if len(calls) == 2:
            conn.parser.unreader.buf = io.BytesIO()
            return False
        return original(worker, conn)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ThreadWorker, "handle", answer_then_consume)
        assert serving.worker.tpool.submit(serving.worker.handle, serving.conn).result(timeout=10) is False
    assert calls == [0, 1]
