"""The portal's processes, and a supervisor that runs them together.

Three roles: `web` (gunicorn, threads), `worker` and `beat` (Celery). On one machine
`python -m portal.runtime` (what bin/run starts) runs all three; on several machines each runs
`python -m portal.runtime ROLE`. The supervisor stops every process on Ctrl-C or SIGTERM, and
stops the others when one dies, so no half-running portal lingers; each child is asked to stop,
given STOP_GRACE_SECONDS, then killed with its whole process group, and the kernel ends a child
whose supervisor is killed outright.

Environment: PORTAL_ADDRESS (host:port, default 127.0.0.1:8000), WEB_WORKERS and WEB_THREADS
(gunicorn processes and threads each; on the embedded defaults one process holds the cache that
the rate limits count in), WORKER_CONCURRENCY.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

from django.conf import settings

STOP_GRACE_SECONDS = 20
ROLES = ("web", "worker", "beat")
_PR_SET_PDEATHSIG = 1


def web_command() -> list[str]:
    address = os.environ.get("PORTAL_ADDRESS", "127.0.0.1:8000")
    # Without a shared cache (Redis) every web process would keep its own rate-limit counters.
    workers = os.environ.get("WEB_WORKERS", "2" if settings.REDIS_URL else "1")
    return [
        sys.executable, "-m", "gunicorn", "portal.wsgi:application",
        "--bind", address,
        "--worker-class", "portal.web_worker.Worker",  # gthread, warm thread first
        "--workers", workers,
        "--threads", os.environ.get("WEB_THREADS", "8"),
        "--graceful-timeout", "10",
        "--timeout", "60",
        "--access-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def _celery(*arguments: str) -> list[str]:
    command = [sys.executable, "-m", "celery", "-A", "portal", *arguments, "--loglevel=INFO"]
    if settings.EMBEDDED_BROKER:
        # The embedded transport has no broadcast, which these features need.
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"] if arguments[0] == "worker" else []
    return command


def worker_command() -> list[str]:
    return _celery("worker", "--pool=threads", "--concurrency", os.environ.get("WORKER_CONCURRENCY", "4"))


def beat_command() -> list[str]:
    # The schedule's state lives in the database with the beat lease (portal/beat.py), not in a file.
    return _celery("beat")


COMMANDS = {"web": web_command, "worker": worker_command, "beat": beat_command}


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: Ctrl-C and SIGTERM still stop everything


class Supervisor:
    def __init__(self, roles):
        self.roles = roles
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self) -> None:
        settings.RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
        for role in self.roles:
            # A session of its own: the child's own children (gunicorn's workers) share its group.
            self.children[role] = subprocess.Popen(
                COMMANDS[role](), start_new_session=True, preexec_fn=_die_with_parent
            )

    def _request_stop(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        self.start()
        failed = None
        while not self.stopping and failed is None:
            failed = next((role for role, child in self.children.items() if child.poll() is not None), None)
            time.sleep(0.2)
        if failed:
            print(f"portal: the {failed} process exited ({self.children[failed].returncode}); stopping the others", file=sys.stderr)
        self.stop()
        return 0 if failed is None else 1

    def stop(self) -> None:
        for child in self.children.values():
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for child in self.children.values():
            # Whatever is left of the group (a child's own children included) goes now.
            _signal_group(child, signal.SIGKILL)
            child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def main(argv: list[str]) -> int:
    roles = argv or list(ROLES)
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        print(f"usage: python -m portal.runtime [{'|'.join(ROLES)} ...]; unknown: {', '.join(unknown)}", file=sys.stderr)
        return 2
    return Supervisor(roles).run()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    sys.exit(main(sys.argv[1:]))
