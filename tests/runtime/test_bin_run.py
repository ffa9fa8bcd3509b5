"""bin/run is the whole product on one machine: web, worker and beat on the embedded defaults.

The test starts bin/run exactly as a newcomer would (no Redis, a SQLite file of its own, a free
port), has a trainee open a practice account and a case over HTTP, and waits for the simulated
support engineer's answer, which needs beat to schedule the sweep, the embedded broker to carry
it and the worker to run it. Nothing else is started by the test. Then bin/run is stopped with
SIGTERM and no process it started may survive.
"""

import signal
import subprocess
import time

import pytest

from cases.engineering import AMAZON_SIGNATURE

from .processes import ROOT, alive, clean_environment, descendants, free_port, wait_until_ready
from .trainee import Trainee

pytestmark = pytest.mark.timeout(420)


def test_bin_run_serves_a_trainee_with_its_own_worker_and_beat_and_stops_whole(tmp_path):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = clean_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RUNTIME_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PORTAL_ADDRESS=f"127.0.0.1:{port}",
        TRAINING_ENGINEER_SWEEP_SECONDS="2",
    )
    with open(tmp_path / "bin-run.log", "w") as log:
        process = subprocess.Popen([str(ROOT / "bin" / "run")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started: set[int] = set()
        try:
            assert wait_until_ready(base_url, process)["checks"] == {"database": "ok", "broker": "ok", "storage": "ok"}
            started = descendants(process.pid)
            assert len(started) >= 4  # gunicorn's master and worker, the Celery worker, beat

            trainee = Trainee(base_url)
            assert trainee.sign_up("trainee@example.com", "Practice!Pass2026").status == 200
            assert trainee.set_engineer(time_speed_factor=1000, pickup_delay_minutes=0).status == 200
            display_id = trainee.open_case("Cache cluster unreachable", "Our ElastiCache cluster stopped answering.")
            deadline = time.monotonic() + 120
            while f"<strong>{AMAZON_SIGNATURE}</strong>" not in (page := trainee.get(f"/support/cases/{display_id}/").body):
                assert time.monotonic() < deadline, "the simulated engineer never answered the case"
                time.sleep(1)
            assert 'data-testid="case-status">Unassigned<' not in page

            missing = trainee.get("/no-such-page/")
            assert missing.status == 404
            assert "Using the URLconf" not in missing.body  # the portal's own page, not Django's debug page
        finally:
            started |= descendants(process.pid)
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(timeout=60)
    assert exit_code == 0, (tmp_path / "bin-run.log").read_text()[-3000:]
    assert alive(started) == set()
