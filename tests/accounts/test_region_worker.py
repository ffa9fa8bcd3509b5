"""The asynchronous settle through Celery: a real worker on Redis, and eager mode without Redis."""

import time

import pytest

from accounts import regions
from accounts.models import RegionOptIn
from accounts.services import disable_region, enable_region
from iam.principals import Principal


def wait_for_status(account, region_name, status, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = RegionOptIn.objects.get(account=account, region_name=region_name).status
        if current == status:
            return current
        time.sleep(0.2)
    return current


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_settles_enabling_and_disabling_after_the_delay(celery_worker, account, settings):
    settings.REGION_OPT_IN_SECONDS = 1
    root = Principal(account=account)
    assert enable_region(root, "af-south-1") == regions.ENABLING
    assert RegionOptIn.objects.get(account=account, region_name="af-south-1").status == regions.ENABLING
    assert wait_for_status(account, "af-south-1", regions.ENABLED) == regions.ENABLED
    assert disable_region(root, "af-south-1") == regions.DISABLING
    assert wait_for_status(account, "af-south-1", regions.DISABLED) == regions.DISABLED


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_change_settles_when_it_commits(account, settings):
    if settings.REDIS_URL:
        pytest.skip("only meaningful on the embedded default")
    assert enable_region(Principal(account=account), "af-south-1") == regions.ENABLING
    assert RegionOptIn.objects.get(account=account, region_name="af-south-1").status == regions.ENABLED
