"""The several-machine layout of compose.yaml, started natively: processes on free loopback ports.

Each role runs the command compose.yaml gives it (gunicorn for web, `celery worker`, `celery beat`), in a
process group of its own so that stopping it leaves no child behind. Logs go to test-artifacts/topology/.
"""

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

from tests.celery_worker import shared_database_url, skip_unless_in_ci

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "test-artifacts" / "topology"


def require_topology_services() -> None:
    """Skip without PostgreSQL, redis-server or moto, except in CI where the topology must be exercised."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL (PostgreSQL)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if importlib.util.find_spec("moto") is None:
        missing.append("moto[server] (the dev extra)")
    skip_unless_in_ci("the topology test", missing)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, timeout: float = 60, process: "Role | None" = None):
    """Poll `check` until it returns something true; fail with `what` (and the role's log) after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.exited():
            raise AssertionError(f"{process.name} exited while waiting for {what}; see {process.log_path}")
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Role:
    """One process of the layout (and whatever it forks), with its log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def exited(self) -> bool:
        return self.process.poll() is not None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """Die at once, as a crashed machine would: no clean shutdown."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM to the whole group, SIGKILL after a grace period; nothing of the group may survive."""
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while self.group_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.group_alive():
            self._signal_group(signal.SIGKILL)
        self._log.close()

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass


def log_times(role: Role, pattern: str) -> list[datetime]:
    """When each log line matching `pattern` was written (Celery's '[YYYY-MM-DD HH:MM:SS,mmm: ...' prefix)."""
    stamp = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}):")
    times = []
    for line in role.log().splitlines():
        match = stamp.match(line)
        if match and re.search(pattern, line):
            times.append(datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f"))
    return times


class Redis(Role):
    def __init__(self, port: int):
        self.port = port
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        super().__init__(f"redis-{port}", command, dict(os.environ))
        wait_for("redis-server to answer", self.answers, timeout=20, process=self)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Topology:
    """Two web processes, a worker and two beats on the test database, a Redis of their own and an S3 store."""

    def __init__(self, s3_endpoint: str, bucket: str):
        self.queue = f"topology-{os.getpid()}"
        self.redis = Redis(free_port())
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "0",
            # The test process encrypts the access keys it creates with its own key: the webs must read them.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "CELERY_QUEUE": self.queue,
            "CACHE_KEY_PREFIX": self.queue,
            "STORAGE_S3_BUCKET": bucket,
            "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
            "STORAGE_S3_ACCESS_KEY_ID": "testing",
            "STORAGE_S3_SECRET_ACCESS_KEY": "testing",
            "STORAGE_S3_REGION": "us-east-1",
            # A short lease and a fast simulated-engineer sweep let the beat test see several periods quickly.
            "BEAT_LEASE_SECONDS": "3",
            "TRAINING_ENGINEER_SWEEP_SECONDS": "2",
            "SIGN_IN_FAILURE_LIMIT": "5",
        }
        self.roles: list[Role] = []
        try:
            self.web_a, self.web_b = (self._web(name) for name in ("web-a", "web-b"))
            self.worker = self._start(
                "worker",
                [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", self.queue, "-n", f"{self.queue}@%h",
                 "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            )
            self.beats = [
                self._start(name, [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO"])
                for name in ("beat-1", "beat-2")
            ]
            for role in (self.web_a, self.web_b):
                wait_for(f"{role.name} to serve", lambda role=role: self._serves(role), process=role)
            wait_for("the worker to be ready", lambda: "ready." in self.worker.log(), process=self.worker)
        except BaseException:
            self.stop()
            raise

    def _web(self, name: str) -> Role:
        port = free_port()
        role = self._start(
            name,
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "4", "--timeout", "30"],
        )
        role.url = f"http://127.0.0.1:{port}"
        return role

    def _start(self, name: str, command: list[str]) -> Role:
        role = Role(name, command, self.env)
        self.roles.append(role)
        return role

    @staticmethod
    def _serves(role: Role) -> bool:
        try:
            return requests.get(f"{role.url}/signin/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        for role in [*self.roles, self.redis]:
            role.stop()
        survivors = [role.name for role in [*self.roles, self.redis] if role.group_alive()]
        assert not survivors, f"processes left behind: {survivors}"
