"""What a bench says about the machine it ran on: wall-clock figures grow with the machine's other work."""

import os


def load_average() -> str:
    loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    return f"load average (1, 5, 15 min) at the end: {loads} on {os.cpu_count()} CPUs"


def tables_being_vacuumed() -> set[str]:
    """The tables of the bench's database that a VACUUM (autovacuum's, usually) is working on right now: it
    competes with the run's commits for the disk (after bench/jobs.py's million dead rows, for a minute or more)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relid::regclass::text FROM pg_stat_progress_vacuum WHERE datname = current_database()")
        return {table for (table,) in cursor.fetchall()}


def vacuum_analyze(*tables: str) -> None:
    """What autovacuum does after a bulk insert or delete (some machines run PostgreSQL with it off): without
    fresh statistics the planner takes a table of a few hundred thousand rows for a small one and scans it."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def vacuum_warning(tables: set[str]) -> str:
    return (f"VACUUM was working on {', '.join(sorted(tables))} during the run: the portal's figures are low; "
            "run again once it is done")


def on_postgresql(script: str) -> bool:
    """True when DATABASE_URL names PostgreSQL, which every bench measures on; otherwise says so."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return True
    print(f"{script} measures on PostgreSQL: set DATABASE_URL=postgres://...")
    return False
