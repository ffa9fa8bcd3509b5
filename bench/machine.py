"""What a bench says about the machine it ran on: wall-clock figures grow with the machine's other work."""

import os
import statistics
import time

IDLE_SECONDS = 0.005  # about the time a boto3 client spends between two calls


def load_average() -> str:
    loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    return f"load average (1, 5, 15 min) at the end: {loads} on {os.cpu_count()} CPUs"


def machine_speed() -> str:
    """How fast this machine runs Python, and a round trip to the database warm and after an idle spell: the
    machines these figures come from have differed by up to three times in the first, and on some a round trip
    after idling costs several times one back to back (0.12 against 0.74 ms on 2026-12-02's), which only the
    portal's side pays (moto has no database)."""
    loop = min(_loop_seconds() for _ in range(5))
    warm, idle = _round_trip_seconds(0), _round_trip_seconds(IDLE_SECONDS)
    return (f"this machine: a fixed Python loop {loop * 1e3:.0f} ms; a database round trip (SELECT 1) "
            f"{warm * 1e3:.2f} ms back to back, {idle * 1e3:.2f} ms after {IDLE_SECONDS * 1e3:.0f} ms idle")


def _loop_seconds() -> float:
    started = time.perf_counter()
    total = 0
    for number in range(1_000_000):
        total += number
    return time.perf_counter() - started


def _round_trip_seconds(idle: float, times: int = 50) -> float:
    from django.db import connection

    durations = []
    with connection.cursor() as cursor:
        for _ in range(times):
            time.sleep(idle)
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def tables_being_vacuumed() -> set[str]:
    """The tables of the bench's database that a VACUUM (autovacuum's, usually) is working on right now: it
    competes with the run's commits for the disk (after a bulk delete of a million rows, for a minute or more)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relid::regclass::text FROM pg_stat_progress_vacuum WHERE datname = current_database()")
        return {table for (table,) in cursor.fetchall()}


def vacuum_analyze(*tables: str, full: bool = False) -> None:
    """What autovacuum does after a bulk insert or delete (some machines run PostgreSQL with it off): without
    fresh statistics the planner takes a table of a few hundred thousand rows for a small one and scans it.
    `full`: also give the deleted rows' space back to the system, which a plain VACUUM keeps."""
    from django.db import connection

    command = "VACUUM FULL ANALYZE" if full else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {table}")


def vacuum_warning(tables: set[str]) -> str:
    return (f"VACUUM was working on {', '.join(sorted(tables))} during the run: the portal's figures are low; "
            "run again once it is done")


def on_postgresql(script: str) -> bool:
    """True when DATABASE_URL names PostgreSQL, which every bench measures on; otherwise says so."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return True
    print(f"{script} measures on PostgreSQL: set DATABASE_URL=postgres://...")
    return False
