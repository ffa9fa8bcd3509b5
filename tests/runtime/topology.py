"""The several-machine layout of compose.yaml, started natively: processes on free loopback ports.

Each role runs the command compose.yaml gives it (`python -m portal.runtime web|worker|beat`), and
stopping the layout proves that no process of any role is left behind. Logs go to test-artifacts/topology/.
"""

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime

from django.conf import settings
from django.db import connection

from tests.celery_worker import shared_database_url, skip_unless_in_ci

from .processes import ROOT, alive, clean_environment, descendants, free_port, wait_until_ready

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
    """One role as a machine runs it (`python -m portal.runtime ROLE`), with its log file.

    The runtime's supervisor starts the role's process in a session of its own; `stop` asks the
    supervisor to stop (SIGTERM, as an orchestrator does), `crash` kills everything at once.
    """

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.seen: set[int] = set()  # every process of the role seen so far, checked for survivors at the end

    def exited(self) -> bool:
        return self.process.poll() is not None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def processes(self) -> set[int]:
        self.seen |= {self.process.pid, *descendants(self.process.pid)}
        return self.seen

    def crash(self) -> None:
        """Die at once, as a machine that loses power: no clean shutdown anywhere."""
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> set[int]:
        """SIGTERM, SIGKILL after a grace period; the survivors (there should be none) are returned."""
        self.terminate()
        return self.wait_stopped()

    def terminate(self) -> None:
        self.processes()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGTERM)

    def wait_stopped(self) -> set[int]:
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while alive(self.seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = alive(self.seen)
        for pid in survivors:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._log.close()
        return survivors


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
    """A redis-server of the test's own (no persistence: a restart starts empty, as after losing the machine)."""

    def __init__(self, port: int):
        self.port = port
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        super().__init__(f"redis-{port}-{time.monotonic_ns()}", command, dict(os.environ))
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
        self.env = clean_environment(
            DEBUG="0",
            # The test process encrypts the access keys it creates with its own key: the webs must read them.
            SECRET_KEY=settings.SECRET_KEY,
            DATABASE_URL=shared_database_url(),
            REDIS_URL=f"redis://127.0.0.1:{self.redis.port}/0",
            CELERY_QUEUE=self.queue,
            CACHE_KEY_PREFIX=self.queue,
            RUNTIME_DIR=tempfile.mkdtemp(prefix="topology-"),
            STORAGE_S3_BUCKET=bucket,
            STORAGE_S3_ENDPOINT_URL=s3_endpoint,
            STORAGE_S3_ACCESS_KEY_ID="testing",
            STORAGE_S3_SECRET_ACCESS_KEY="testing",
            STORAGE_S3_REGION="us-east-1",
            # Short periods, so that the test sees several of them in seconds.
            BEAT_LEASE_SECONDS="3",
            TRAINING_ENGINEER_SWEEP_SECONDS="2",
            OUTBOX_SWEEP_SECONDS="2",
            SIGN_IN_FAILURE_LIMIT="5",
            WEB_WORKERS="1",
            WEB_THREADS="4",
            WORKER_CONCURRENCY="2",
        )
        self.roles: list[Role] = []
        try:
            self.web_a, self.web_b = (self._web(name) for name in ("web-a", "web-b"))
            self.worker = self._start("worker", "worker")
            self.beats = [self._start(name, "beat") for name in ("beat-1", "beat-2")]
            for web in (self.web_a, self.web_b):
                wait_until_ready(web.url, web.process, timeout=120)
            wait_for("the worker to be ready", lambda: " ready." in self.worker.log(), timeout=120, process=self.worker)
        except BaseException:
            self.stop()
            raise

    def _web(self, name: str, **env) -> Role:
        port = free_port()
        role = self._start(name, "web", PORTAL_ADDRESS=f"127.0.0.1:{port}", **env)
        role.url = f"http://127.0.0.1:{port}"
        return role

    def _start(self, name: str, role: str, **env) -> Role:
        started = Role(name, [sys.executable, "-m", "portal.runtime", role], self.env | env)
        self.roles.append(started)
        return started

    def restart_redis(self) -> None:
        """Redis comes back on its address, empty."""
        self.redis = Redis(self.redis.port)

    def stop(self) -> None:
        roles = [*self.roles, self.redis]
        for role in roles:  # all at once, as an orchestrator stops a deployment
            role.terminate()
        survivors = {role.name: role.wait_stopped() for role in roles}
        left = {name: pids for name, pids in survivors.items() if pids}
        assert not left, f"processes left behind: {left}"
