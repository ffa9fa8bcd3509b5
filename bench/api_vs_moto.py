"""The wire API against moto's server: requests per second of the same boto3 calls, side by side.

moto keeps everything in memory; the portal persists to PostgreSQL with SigV4, the IAM decision and the
event record intact, under the production server (`portal.runtime web`: gunicorn, 2 threaded workers, DEBUG
off). Target: every call at least as fast as moto in the same run (ratio >= 1.0).

Both servers start on free loopback ports; the calls run in interleaved blocks (portal then moto, then
moto then portal, ...) with one reused boto3 client per service and side, and each rate is the median of
its blocks, so load from elsewhere on the machine falls on both sides alike. The caller is an IAM user
with a full-access policy (so the IAM decision is made on every call). Bounded: about a minute.

Run (PostgreSQL needed, settled: it warns when a VACUUM works on the database during the run; REDIS_URL as
production has it, for the cache and the task queue):
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/api_vs_moto.py [--seconds 60]
Exit status 1 when a target is missed.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import (  # noqa: E402
    load_average,
    machine_speed,
    on_postgresql,
    tables_being_vacuumed,
    vacuum_analyze,
    vacuum_warning,
)
from tests.runtime.processes import free_port  # noqa: E402

TARGET_RATIO = 1.0
CASES_LISTED = 200
PAGE = 100
BLOCK = 10  # calls per timed block
MOTO_READER_ACCOUNT = "111111111111"


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (an error page is an answer)
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def server_environment() -> dict:
    environment = dict(os.environ)
    environment.update({
        "DEBUG": "off",
        "API_RATE_LIMITS": "off",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    })
    # Persistent database connections, as the production settings run (unless the caller chose otherwise).
    environment.setdefault("DATABASE_CONN_MAX_AGE", "60")
    return environment


def start_portal(port: int) -> subprocess.Popen:
    """The web role exactly as production runs it (`python -m portal.runtime web`: gunicorn, 2 processes of
    threads, its access log), with stdout (the log) thrown away."""
    environment = server_environment()
    environment.update({"PORTAL_ADDRESS": f"127.0.0.1:{port}", "WEB_WORKERS": "2"})
    command = [str(ROOT / ".venv/bin/python"), "-m", "portal.runtime", "web"]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, start_new_session=True)


def start_moto(port: int) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def portal_fixtures() -> dict:
    """Two fresh accounts (Business support): one with the 200 open cases listed, one that takes the writes."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Account, SupportPlan
    from cases.models import Case, CaseStatus, CaseType, Category, Communication, Service, SeverityLevel
    from iam.services import (
        attach_policy,
        create_access_key,
        create_customer_managed_policy,
        create_user,
    )

    everything = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    stamp = int(time.time() * 1000) % 10**9
    credentials = {}
    for role in ("reader", "writer"):
        number = f"{9 if role == 'reader' else 8}{stamp:011d}"[-12:]
        account = Account.objects.create(
            account_id=number, canonical_user_id=f"bench{number}", name=f"Bench {role}",
            root_email=f"bench-{role}-{number}@example.com", root_password="!", support_plan=SupportPlan.BUSINESS,
        )
        user = create_user(account, "bench")
        attach_policy(user, create_customer_managed_policy(account, "everything", everything))
        key, secret = create_access_key(account, user)
        credentials[role] = (account.pk, key.access_key_id, secret)
        if role == "reader":
            service = Service.objects.get(code="general-info")
            category = Category.objects.get(service=service, code="using-aws")
            severity = SeverityLevel.objects.get(code="low")
            with transaction.atomic():
                now = timezone.now()
                cases = Case.objects.bulk_create(
                    Case(account=account, case_id=f"case-{number}-bench-{i:04d}", display_id=int(f"{number}{i:04d}"),
                         subject=f"case {i}", service=service, category=category, severity=severity,
                         case_type=CaseType.TECHNICAL, status=CaseStatus.UNASSIGNED, submitted_by=user.arn,
                         time_created=now - timedelta(seconds=i), status_changed_at=now, first_response_due=now)
                    for i in range(CASES_LISTED)
                )
                Communication.objects.bulk_create(
                    Communication(case=case, body="first message", submitted_by=user.arn, time_created=case.time_created)
                    for case in cases
                )
    return credentials


def delete_fixtures(credentials: dict) -> None:
    from accounts.models import Account

    Account.objects.filter(pk__in=[pk for pk, _, _ in credentials.values()]).delete()


def clients(endpoint: str, key_id: str, secret: str, reader: tuple[str, str] | None = None, *, per_service: bool) -> dict:
    """boto3 clients of one side; the portal serves each service under its own path, moto all at its root.

    The reader lists the cases of an account of its own, which the calls that create cases leave as it is: the
    portal's by its own key; moto (whose DescribeCases returns every case of the account, maxResults or not) by
    the account its `x-moto-account-id` header names, else the run's CreateCase calls would make it list
    hundreds more cases as the run goes on."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=60)
    session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")

    def make(service, path, session=session):
        return session.client(service, endpoint_url=endpoint + (path if per_service else ""), config=config)

    made = {name: make(name, path) for name, path in (("support", "support/"), ("iam", "iam/"), ("sts", "sts/"))}
    reading = session if reader is None else boto3.session.Session(
        aws_access_key_id=reader[0], aws_secret_access_key=reader[1], region_name="us-east-1")
    made["support-reader"] = make("support", "support/", reading)
    if reader is None:
        made["support-reader"].meta.events.register("before-sign.support", _in_moto_reader_account)
    return made


def _in_moto_reader_account(request, **_):
    request.headers["x-moto-account-id"] = MOTO_READER_ACCOUNT


def moto_fixtures(side: dict) -> None:
    for i in range(CASES_LISTED):
        side["support-reader"].create_case(subject=f"case {i}", communicationBody="first message",
                                           serviceCode="general-info", categoryCode="using-aws", severityCode="low")
    side["iam"].create_user(UserName="bench")


def calls(side: dict, counter: iter) -> dict:
    return {
        "support create_case": lambda: side["support"].create_case(
            subject="bench", communicationBody="body", serviceCode="general-info", categoryCode="using-aws",
            severityCode="low"),
        f"support describe_cases ({CASES_LISTED} cases, {PAGE} per page)": lambda: side["support-reader"].describe_cases(
            maxResults=PAGE, includeCommunications=True),
        "iam create_user": lambda: side["iam"].create_user(UserName=f"u{next(counter)}"),
        "iam get_user": lambda: side["iam"].get_user(UserName="bench"),
        "sts get_caller_identity": lambda: side["sts"].get_caller_identity(),
    }


def block_rate(call) -> float:
    started = time.perf_counter()
    for _ in range(BLOCK):
        call()
    return BLOCK / (time.perf_counter() - started)


def measure(portal_calls: dict, moto_calls: dict, seconds: float) -> dict:
    rates = {name: {"portal": [], "moto": []} for name in portal_calls}
    sides = {"portal": portal_calls, "moto": moto_calls}
    for name in portal_calls:  # warm both sides: connections, caches, imports
        portal_calls[name]()
        moto_calls[name]()
    deadline = time.monotonic() + seconds
    round_number = 0
    while round_number < 3 or (time.monotonic() < deadline and round_number < 50):
        order = ("portal", "moto") if round_number % 2 == 0 else ("moto", "portal")
        for name in portal_calls:
            for side in order:
                rates[name][side].append(block_rate(sides[side][name]))
        round_number += 1
    return {name: {side: statistics.median(values) for side, values in by_side.items()} for name, by_side in rates.items()}


def report(medians: dict) -> bool:
    width = max(len(name) for name in medians)
    print(f"{'call':<{width}}  {'portal req/s':>12}  {'moto req/s':>10}  {'portal/moto':>11}  target")
    met = True
    for name, rate in medians.items():
        ratio = rate["portal"] / rate["moto"]
        ok = ratio >= TARGET_RATIO
        met &= ok
        print(f"{name:<{width}}  {rate['portal']:>12.1f}  {rate['moto']:>10.1f}  {ratio:>10.2f}x  "
              f">= {TARGET_RATIO:.1f}x {'ok' if ok else 'MISSED'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="time spent measuring (after set-up)")
    arguments = parser.parse_args()
    if not on_postgresql("bench/api_vs_moto.py"):
        return 2
    portal_port, moto_port = free_port(), free_port()
    portal, moto = start_portal(portal_port), start_moto(moto_port)
    credentials = {}
    try:
        credentials = portal_fixtures()
        vacuum_analyze("cases_case", "cases_communication", "events_event")
        wait_until_up(f"http://127.0.0.1:{portal_port}/api/sts/", portal)
        wait_until_up(f"http://127.0.0.1:{moto_port}/moto-api/", moto)
        _, writer_key, writer_secret = credentials["writer"]
        _, reader_key, reader_secret = credentials["reader"]
        portal_side = clients(f"http://127.0.0.1:{portal_port}/api/", writer_key, writer_secret,
                              reader=(reader_key, reader_secret), per_service=True)
        moto_side = clients(f"http://127.0.0.1:{moto_port}/", "AKIAMOTOBENCH", "moto-secret", per_service=False)
        moto_fixtures(moto_side)
        counter = iter(range(10**9))
        vacuumed = tables_being_vacuumed()
        medians = measure(calls(portal_side, counter), calls(moto_side, counter), arguments.seconds)
        vacuumed |= tables_being_vacuumed()
    finally:
        stop(portal)
        stop(moto)
        if credentials:
            delete_fixtures(credentials)
    print(f"\nportal.runtime web: gunicorn, 2 threaded workers (DEBUG off, PostgreSQL) vs moto_server; medians of interleaved blocks of {BLOCK} calls")
    # Both sides share the machine, but the portal's database round trips wait longest when it is busy.
    print(load_average())
    print(machine_speed())
    if vacuumed:
        print(vacuum_warning(vacuumed))
    return 0 if report(medians) else 1


if __name__ == "__main__":
    sys.exit(main())
