"""How much time moto's answer leaves for the portal's work: boto3's CreateCase against an app that does
nothing, and against one that only makes the database round trips a write needs, both under the web role's
gunicorn, beside moto's server in the same run. No target: it is what bench/api_vs_moto.py's writes are up
against.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/http_floor.py [--writes 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_vs_moto import BLOCK, start_moto, stop, wait_until_up  # noqa: E402
from bench.machine import load_average, on_postgresql  # noqa: E402
from tests.runtime.processes import free_port  # noqa: E402

ROUNDS = 30
TABLE = "bench_floor"


def start_app(port: int, writes: int) -> subprocess.Popen:
    """bench/floor_app.py under the gunicorn command line of `portal.runtime web` (Django set up by main)."""
    from portal.runtime import web_command

    command = web_command()
    command[command.index("portal.wsgi:application")] = "bench.floor_app:application"
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    environment = dict(os.environ, FLOOR_WRITES=str(writes), FLOOR_TABLE=TABLE, WEB_WORKERS="2")
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def create_case(endpoint: str):
    import boto3
    from botocore.config import Config

    client = boto3.session.Session(aws_access_key_id="AKIAFLOORBENCH", aws_secret_access_key="floor",
                                   region_name="us-east-1").client(
        "support", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
    return lambda: client.create_case(subject="bench", communicationBody="body", serviceCode="general-info",
                                      categoryCode="using-aws", severityCode="low")


def milliseconds_per_call(sides: dict) -> dict:
    for call in sides.values():  # warm: connections, imports, prepared statements
        for _ in range(20):
            call()
    times = {name: [] for name in sides}
    for round_number in range(ROUNDS):
        for name in (sides if round_number % 2 == 0 else reversed(list(sides))):
            started = time.perf_counter()
            for _ in range(BLOCK):
                sides[name]()
            times[name].append((time.perf_counter() - started) / BLOCK * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=3, help="rows the second app writes in its transaction")
    arguments = parser.parse_args()
    if not on_postgresql("bench/http_floor.py"):
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    import psycopg

    django.setup()  # for the web role's command line
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as database:
        database.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")
    ports = {"nothing": free_port(), "writes": free_port(), "moto": free_port()}
    servers = {"nothing": start_app(ports["nothing"], 0), "writes": start_app(ports["writes"], arguments.writes),
               "moto": start_moto(ports["moto"])}
    try:
        for name, server in servers.items():
            wait_until_up(f"http://127.0.0.1:{ports[name]}/" + ("moto-api/" if name == "moto" else ""), server)
        calls = {name: create_case(f"http://127.0.0.1:{port}/") for name, port in ports.items()}
        medians = milliseconds_per_call(calls)
    finally:
        for server in servers.values():
            stop(server)
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as database:
            database.execute(f"DROP TABLE IF EXISTS {TABLE}")
    labels = {
        "nothing": "an app that does nothing (the HTTP floor)",
        "writes": f"one query, then {arguments.writes} rows written in one committed transaction",
        "moto": "moto_server",
    }
    print(f"\nboto3 support.create_case, medians of {ROUNDS} interleaved blocks of {BLOCK} calls")
    print(load_average())
    width = max(map(len, labels.values()))
    for name, label in labels.items():
        print(f"{label:<{width}}  {medians[name]:6.2f} ms a call  {1000 / medians[name]:7.1f} req/s")
    print(f"left for the rest of a write call at moto's speed: {medians['moto'] - medians['writes']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
