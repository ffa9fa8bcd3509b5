from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from iam.models import SignInFailure
from portal.tasks import purge_sign_in_failures


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_on_a_real_worker_and_writes_to_postgresql(celery_worker):
    stale = timezone.now() - settings.SIGN_IN_FAILURE_WINDOW - timedelta(minutes=5)
    SignInFailure.objects.create(sign_in_name="root:old@example.com", failed_at=stale)
    SignInFailure.objects.create(sign_in_name="root:new@example.com", failed_at=timezone.now())

    result = purge_sign_in_failures.apply_async(ignore_result=False)

    assert result.get(timeout=60) == 1
    assert list(SignInFailure.objects.values_list("sign_in_name", flat=True)) == ["root:new@example.com"]


@pytest.mark.django_db
def test_without_redis_tasks_run_in_process(settings):
    if settings.REDIS_URL:
        pytest.skip("only meaningful on the embedded default")
    SignInFailure.objects.create(sign_in_name="x", failed_at=timezone.now() - timedelta(days=1))
    assert purge_sign_in_failures.delay().get() == 1
