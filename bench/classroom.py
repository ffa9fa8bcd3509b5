"""A class of trainees on the default run (bin/run: SQLite, embedded broker, web + worker + beat).

Starts bin/run on a free loopback port with a SQLite file of its own, opens a cohort of practice
accounts, and lets TRAINEES simulated trainees (threads) sign in, open cases, read them and reply
for DURATION seconds while the simulated support engineer (worker and beat) answers their cases at
a high time speed. Every request is bounded (a 30 s timeout) and so is the whole run.

Targets: no error response (5xx, or a page that is not the expected one), no "database is
locked" and no traceback in the portal's log, p95 latency under TARGET_P95_MS. Exits 1 on a miss.

Run: `.venv/bin/python bench/classroom.py [--trainees 20] [--duration 60]`
"""

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.runtime.processes import clean_environment, free_port, wait_until_ready  # noqa: E402
from tests.runtime.trainee import Trainee  # noqa: E402

TARGET_P95_MS = 2_000
COHORT = """
import json
from training.services.cohorts import create_cohort
cohort, details = create_cohort(name="Load test", size={size}, support_plan="business")
print(json.dumps([[d.root_email, d.password] for d in details]))
"""


class Trainer(threading.Thread):
    def __init__(self, base_url, email, password, until, results):
        super().__init__(daemon=True)
        self.trainee = Trainee(base_url)
        self.email, self.password, self.until, self.results = email, password, until, results

    def timed(self, name, call, expect):
        started = time.monotonic()
        try:
            outcome = call()
            ok = expect(outcome)
        except Exception as error:  # a refused connection or a timeout is an error response too
            outcome, ok = error, False
        self.results.append((name, (time.monotonic() - started) * 1000, ok, repr(outcome)[:200] if not ok else ""))
        return outcome if ok else None

    def run(self):
        signed_in = self.timed("sign in", lambda: self.trainee.sign_in(self.email, self.password),
                               lambda r: r.status == 200 and "/signin/" not in r.url)
        if not signed_in:
            return
        self.timed("engineer settings", lambda: self.trainee.set_engineer(time_speed_factor=600, pickup_delay_minutes=1),
                   lambda r: r.status == 200)
        number = 0
        while time.monotonic() < self.until:
            number += 1
            case = self.timed("open case", lambda: self.trainee.open_case(f"Load test case {number}", "The cluster is slow."),
                              lambda display_id: display_id > 0)
            self.timed("case list", lambda: self.trainee.get("/support/"), lambda r: r.status == 200)
            if case:
                self.timed("case page", lambda: self.trainee.get(f"/support/cases/{case}/"), lambda r: r.status == 200)
                self.timed("reply", lambda: self.trainee.reply(case, "More detail: it happens every hour."),
                           lambda r: r.status == 200 and f"/support/cases/{case}/" in r.url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="classroom-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = clean_environment(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}", RUNTIME_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"), PORTAL_ADDRESS=f"127.0.0.1:{port}", TRAINING_ENGINEER_SWEEP_SECONDS="2",
        API_RATE_LIMITS="off",
    )
    log_path = workdir / "portal.log"
    with open(log_path, "w") as log:
        portal = subprocess.Popen([str(ROOT / "bin" / "run")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(base_url, portal)
            accounts = json.loads(subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", COHORT.format(size=options.trainees)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1])
            results: list = []
            started = time.monotonic()
            until = started + options.duration
            trainers = [Trainer(base_url, email, password, until, results) for email, password in accounts]
            for trainer in trainers:
                trainer.start()
            for trainer in trainers:
                trainer.join(timeout=options.duration + 120)
            elapsed = time.monotonic() - started
        finally:
            portal.send_signal(signal.SIGTERM)
            portal.wait(timeout=60)
    log_text = log_path.read_text()
    latencies = sorted(ms for _, ms, _, _ in results)
    errors = [(name, detail) for name, _, ok, detail in results if not ok]
    locked = log_text.count("database is locked")
    tracebacks = log_text.count("Traceback")
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("inf")
    print(f"trainees {options.trainees}, {elapsed:.0f} s, log {log_path}")
    print(f"{'requests':<28}{len(results)}  ({len(results) / elapsed:.1f}/s)")
    print(f"{'error responses':<28}{len(errors)}  (target 0)")
    print(f"{'database is locked in log':<28}{locked}  (target 0)")
    print(f"{'tracebacks in log':<28}{tracebacks}  (target 0)")
    print(f"{'p50 / p95 ms':<28}{statistics.median(latencies):.0f} / {p95:.0f}  (target p95 < {TARGET_P95_MS})")
    for name in sorted({name for name, *_ in results}):
        own = sorted(ms for n, ms, _, _ in results if n == name)
        print(f"  {name:<26}{len(own):>5}  p95 {own[int(len(own) * 0.95) - 1]:.0f} ms")
    for name, detail in errors[:10]:
        print(f"  error: {name}: {detail}")
    return 0 if not errors and not locked and not tracebacks and p95 < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
