"""Starting the portal's own processes from a test, and proving none of them outlives its stop."""

import json
import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the test run sets for itself and a freshly started portal must not inherit.
TEST_RUN_VARIABLES = {
    "DATABASE_URL", "REDIS_URL", "CELERY_QUEUE", "CACHE_KEY_PREFIX", "CELERY_BROKER_URL", "DEBUG",
    "SECRET_KEY", "PORTAL_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE", "RUNTIME_DIR", "MEDIA_ROOT", "PORTAL_ADDRESS",
    "PYTEST_XDIST_WORKER",
}


def clean_environment(**overrides) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in TEST_RUN_VARIABLES}
    env.update({"PYTHONUNBUFFERED": "1", **overrides})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(base_url: str, process, timeout: float = 240) -> dict:
    """/readyz answers 200 (the database, broker and storage are reachable), or the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the portal exited early ({process.returncode})")
        try:
            with urllib.request.urlopen(base_url + "/readyz", timeout=5) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"{base_url} was not ready within {timeout}s")


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, frontier = set(), [pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` still running (a zombie waiting to be reaped has stopped)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running
