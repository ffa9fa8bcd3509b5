"""Health endpoints for load balancers and orchestrators: no authentication, nothing sensitive.

/healthz answers while the process can serve at all; /readyz also reaches the database, the
broker and the attachment storage, and answers 503 naming the one that failed.
"""

import logging
import os
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cases.storage import attachment_storage

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=1)


def _storage() -> None:
    storage = attachment_storage()
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:  # object storage (django-storages)
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return
    root = Path(storage.location)
    root.mkdir(parents=True, exist_ok=True)
    if not os.access(root, os.W_OK):
        raise PermissionError("attachment folder is not writable")


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            # The reason goes to the log only: hosts and credentials are nobody's business here.
            logger.warning("Readiness check %s failed", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    return JsonResponse(
        {"status": "unavailable" if failed else "ready", "checks": results, "failed": failed},
        status=503 if failed else 200,
    )
