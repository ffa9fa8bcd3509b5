"""With the broker down a change is kept, the request answers at once, the user is told the work is
queued, and the outbox sweep hands the work over once the broker is back: once, not twice."""

import html
import time
from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from accounts.models import RegionOptIn
from advisor.models import CheckState
from iam.principals import Principal
from iam.services import create_service_linked_roles
from portal import outbox
from portal.middleware import QueuedWorkMiddleware
from portal.models import OutboxMessage

from .broker import unreachable_broker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # the publish happens when a real commit does

OPT_IN = "af-south-1"


def broker_back(monkeypatch):
    """The broker answers again; the test plays the worker by running what is sent in-process."""
    monkeypatch.setitem(current_app.conf, "task_always_eager", True)


def sweep_later():
    return outbox.send_pending(now=timezone.now() + timedelta(minutes=1))


def test_enabling_a_region_with_the_broker_down_answers_fast_and_settles_later(
    root_client, account, unreachable_broker, monkeypatch  # noqa: F811
):
    waited = []
    real_publish = outbox.publish

    def timed_publish(message):
        started = time.monotonic()
        try:
            return real_publish(message)
        finally:
            waited.append(time.monotonic() - started)

    monkeypatch.setattr(outbox, "publish", timed_publish)
    response = root_client.post(f"/account/regions/{OPT_IN}/enable/")
    assert len(waited) == 1 and waited[0] < 2  # the broker's one-second connect timeout, not a 20-second hang
    assert response.status_code == 302
    assert html.escape(QueuedWorkMiddleware.MESSAGE) in root_client.get(response.url).content.decode()
    opt_in = RegionOptIn.objects.get(account=account, region_name=OPT_IN)
    assert opt_in.status == "ENABLING"
    assert OutboxMessage.objects.count() == 1

    assert outbox.send_pending() == 0  # too young: its own commit's publish owns it for now
    broker_back(monkeypatch)
    assert sweep_later() == 1
    opt_in.refresh_from_db()
    assert opt_in.status == "ENABLED"
    assert not OutboxMessage.objects.exists()
    assert sweep_later() == 0


def test_refresh_all_with_the_broker_down_keeps_every_request(account, unreachable_broker, monkeypatch):  # noqa: F811
    from advisor import services

    create_service_linked_roles(account)
    statuses = services.refresh_all(Principal(account=account))["statuses"]
    enqueued = {status["checkId"] for status in statuses if status["status"] == "enqueued"}
    assert enqueued and OutboxMessage.objects.count() == len(enqueued)

    broker_back(monkeypatch)
    assert sweep_later() == len(enqueued)
    finished = CheckState.objects.filter(account=account, check_id__in=enqueued)
    assert set(finished.values_list("refresh_status", flat=True)) == {"success"}
    assert sweep_later() == 0


def test_a_message_published_twice_changes_nothing_the_second_time(account, monkeypatch):
    broker_back(monkeypatch)
    from accounts.tasks import settle_region

    opt_in = RegionOptIn.objects.create(account=account, region_name=OPT_IN, status="ENABLING", changed_at=timezone.now())
    message = OutboxMessage.objects.create(
        task_name=settle_region.name, args=[opt_in.pk, "ENABLING"], created_at=timezone.now(), not_before=timezone.now()
    )
    assert outbox.publish(message)
    assert outbox.publish(message)  # a crash between publish and delete: delivered again
    opt_in.refresh_from_db()
    assert opt_in.status == "ENABLED"
    assert opt_in.changed_at is not None
