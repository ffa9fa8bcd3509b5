"""Jobs and pages at scale, on PostgreSQL: each figure printed beside its target.

- auto-close of 100,000 stale cases (cases.jobs.auto_resolve_stale_cases): < 10 s;
- a full Trusted Advisor refresh (every check) of an account with 5,000 IAM users: < 3 s;
- the Support Center list (default view, page 2, the last page) and the staff queue with 100,000 cases in
  the measured account: p95 < 50 ms, measured through Django's test client in this process.

The data sets are built in bulk in fresh accounts and deleted at the end. With REDIS_URL the emails of the
closed cases are queued for a worker (as in production) on a queue of the bench's own, dropped at the end;
without it Celery runs them in this process and they count in the job's time.

Run: DATABASE_URL=postgres://... [REDIS_URL=redis://...] .venv/bin/python bench/jobs.py [--scale 0.1]
Exit status 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AUTO_CLOSE_TARGET_S = 10.0
ADVISOR_TARGET_S = 3.0
PAGE_P95_TARGET_MS = 50.0
CASES, USERS, PAGE_SAMPLES = 100_000, 5_000, 30


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["CELERY_QUEUE"] = f"bench-jobs-{os.getpid()}"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def new_account(label: str):
    from accounts.models import Account, SupportPlan

    number = f"7{time.time_ns() % 10**11:011d}"
    return Account.objects.create(
        account_id=number, canonical_user_id=f"bench-{label}-{number}", name=f"Bench {label}",
        root_email=f"bench-{label}-{number}@example.com", root_password="!", support_plan=SupportPlan.BUSINESS,
    )


def bulk_cases(account, count: int, *, status: str, changed_ago: timedelta) -> None:
    from django.utils import timezone

    from cases.models import Case, CaseType, Category, Communication, Service, SeverityLevel

    service = Service.objects.get(code="general-info")
    category = Category.objects.get(service=service, code="using-aws")
    severity = SeverityLevel.objects.get(code="low")
    now = timezone.now()
    for start in range(0, count, 5_000):
        cases = Case.objects.bulk_create(
            Case(account=account, case_id=f"case-{account.account_id}-bench-{i}", display_id=int(account.account_id) * 10**7 + i,
                 subject=f"case {i}", service=service, category=category, severity=severity,
                 case_type=CaseType.TECHNICAL, status=status, submitted_by=account.root_email,
                 time_created=now - changed_ago - timedelta(seconds=i), status_changed_at=now - changed_ago,
                 first_response_due=now + timedelta(seconds=i))
            for i in range(start, min(count, start + 5_000))
        )
        Communication.objects.bulk_create(
            Communication(case=case, body="first message", author_kind="customer", submitted_by=account.root_email,
                          time_created=case.time_created)
            for case in cases
        )


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case") if connection.get_autocommit() else None
        cursor.execute("VACUUM ANALYZE cases_communication") if connection.get_autocommit() else None


def measure_auto_close(count: int) -> float:
    from cases import jobs
    from cases.models import CaseStatus

    account = new_account("close")
    try:
        bulk_cases(account, count, status=CaseStatus.PENDING_CUSTOMER_ACTION, changed_ago=timedelta(days=11))
        analyze()
        started = time.perf_counter()
        closed = jobs.auto_resolve_stale_cases()
        elapsed = time.perf_counter() - started
        assert closed >= count, f"closed {closed} of {count}"
        return elapsed
    finally:
        account.delete()


def measure_advisor(users: int) -> float:
    from django.utils import timezone

    from advisor.checks import CATALOGUE
    from iam.models import AccessKey, IAMUser

    account = new_account("advisor")
    try:
        created = IAMUser.objects.bulk_create(
            IAMUser(account=account, name=f"user-{i}", user_id=f"AIDA{account.account_id[-8:]}{i:07d}",
                    password="!" if i % 2 else "")
            for i in range(users)
        )
        AccessKey.objects.bulk_create(
            AccessKey(account=account, user=user, access_key_id=f"AKIA{account.account_id[-8:]}{i:07d}",
                      encrypted_secret="-")
            for i, user in enumerate(created)
        )
        now = timezone.now()
        started = time.perf_counter()
        for check in CATALOGUE.values():
            check.compute(account, now)
        return time.perf_counter() - started
    finally:
        account.delete()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def measure_pages(count: int) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cases.models import CaseStatus
    from iam.principals import Principal
    from iam.sessions import SESSION_KEY, session_payload

    account = new_account("list")
    staff = None
    try:
        bulk_cases(account, count, status=CaseStatus.UNASSIGNED, changed_ago=timedelta(days=1))
        analyze()
        customer = Client()
        session = customer.session
        session[SESSION_KEY] = session_payload(Principal(account=account))
        session.save()
        staff = get_user_model().objects.create_user(f"bench-staff-{os.getpid()}", is_staff=True, is_superuser=True)
        engineer = Client()
        engineer.force_login(staff)
        last_page = max(1, -(-count // 25))
        pages = {
            "Support Center list, default view": (customer, "/support/"),
            "Support Center list, page 2": (customer, "/support/?page=2"),
            f"Support Center list, last page ({last_page})": (customer, f"/support/?page={last_page}"),
            "staff queue, unassigned": (engineer, "/staff/cases/case/"),
        }
        timings = {}
        for name, (client, url) in pages.items():
            assert client.get(url).status_code == 200, url  # warm
            samples = []
            for _ in range(PAGE_SAMPLES):
                started = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            timings[name] = p95(samples)
        return timings
    finally:
        if staff is not None:
            staff.delete()
        account.delete()


def drop_bench_queue() -> None:
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete(os.environ["CELERY_QUEUE"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the data sets (the targets stay those of the full sets)")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("bench/jobs.py measures on PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    setup_django()
    cases, users = int(CASES * arguments.scale), int(USERS * arguments.scale)
    rows = []
    try:
        rows.append((f"auto-close {cases:,} stale cases", measure_auto_close(cases), AUTO_CLOSE_TARGET_S, "s"))
        rows.append((f"Trusted Advisor full refresh, {users:,} IAM users", measure_advisor(users),
                     ADVISOR_TARGET_S, "s"))
        for name, value in measure_pages(cases).items():
            rows.append((f"{name}, {cases:,} cases: p95", value, PAGE_P95_TARGET_MS, "ms"))
    finally:
        drop_bench_queue()
    width = max(len(name) for name, *_ in rows)
    met = True
    print(f"{'measure':<{width}}  {'value':>10}  target")
    for name, value, target, unit in rows:
        ok = value < target
        met &= ok
        print(f"{name:<{width}}  {value:>8.2f}{unit:>2}  < {target:g} {unit} {'ok' if ok else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
