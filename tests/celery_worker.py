"""A real Celery worker process, consuming from Redis and writing to the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parent.parent


def require_real_services() -> None:
    """Skip on the embedded defaults, except in CI where the real components must be exercised."""
    missing = []
    if not settings.REDIS_URL:
        missing.append("REDIS_URL")
    if connection.vendor == "sqlite":
        missing.append("DATABASE_URL (PostgreSQL)")
    skip_unless_in_ci("the real-worker tests", missing)


def skip_unless_in_ci(tests: str, missing: list[str]) -> None:
    """Skip `tests` when something they need is missing; in CI fail instead, since there they must run."""
    if missing:
        message = f"needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run {tests} but {message}")
        pytest.skip(message)


def shared_database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, queue: str):
        self.queue = queue
        # The worker is not one of the test run's processes: it takes this process's queue and cache
        # keys as they are, without pytest-xdist's per-process suffix.
        env = {name: value for name, value in os.environ.items() if name != "PYTEST_XDIST_WORKER"}
        env |= {
            "DATABASE_URL": shared_database_url(),
            "CELERY_QUEUE": queue,
            "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
            "PYTHONUNBUFFERED": "1",
        }
        self.log = open(ROOT / "test-artifacts" / f"worker-{queue}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited early; see {self.log.name}")
            replies = app.control.ping(timeout=0.5, destination=None) or []
            if any(self.queue in name for reply in replies for name in reply):
                return
            time.sleep(0.3)
        raise RuntimeError(f"Celery worker did not answer within {timeout}s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def start_worker() -> WorkerProcess:
    """A worker on the queue the code under test sends to (bin/test makes it unique per run)."""
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    return WorkerProcess(settings.CELERY_TASK_DEFAULT_QUEUE)
