"""portal.web_worker: the web role's thread pool gives each request to the thread that went idle last."""

import threading
from concurrent.futures import wait

import pytest

from portal.web_worker import LastIdleFirstPool


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
