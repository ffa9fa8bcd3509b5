"""The simulated engineer through a real Celery worker on Redis and PostgreSQL, at a fast time speed."""

import time

import pytest

from cases import services
from cases.models import AuthorKind, CaseStatus
from iam.principals import Principal
from training.models import TrainingProfile
from training.tasks import run_simulated_engineer

from .test_simulated_engineer import open_case

# A one-hour response target passes in 0.04 seconds.
FAST = 86_400


def sweep() -> int:
    """What beat does every few seconds; the pause lets the (sped up) pick-up delay pass first."""
    time.sleep(0.1)
    return run_simulated_engineer.apply_async(ignore_result=False).get(timeout=60)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_a_case_from_new_to_resolved(celery_worker, account):
    TrainingProfile.objects.create(account=account, time_speed_factor=FAST)
    case = open_case(account, body="Site down, help!")

    assert sweep() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WORK_IN_PROGRESS

    assert sweep() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_CUSTOMER_ACTION
    assert case.communications.filter(author_kind=AuthorKind.AMAZON).count() == 1

    services.add_communication_to_case(Principal(account=account), case.case_id, "Thanks, that fixed it.")
    assert sweep() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert sweep() == 0
