"""Two beats started against one database: only the lease holder sends, and a standby carries on the schedule."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from portal import beat
from portal.beat import SingleBeatScheduler
from portal.celery import app
from portal.models import BeatLease

PERIOD = 10  # seconds between runs of the one job in these schedules
LEASE = 6
STEP = 0.5  # virtual seconds between two ticks of each beat


class Clock:
    def __init__(self):
        self.time = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self):
        return self.time

    def advance(self, seconds: float):
        self.time += timedelta(seconds=seconds)

    def seconds(self) -> float:
        return (self.time - datetime(2026, 1, 1, tzinfo=UTC)).total_seconds()


@pytest.fixture
def clock(db, monkeypatch, settings):
    """Virtual time for the lease (Django's clock) and for Celery's schedule alike."""
    settings.BEAT_LEASE_SECONDS = LEASE
    # A real beat started by an earlier test (the topology test's) left its lease, due to run out in real time:
    # in this virtual year it never would. Removed in the test's transaction only.
    BeatLease.objects.all().delete()
    fake = Clock()
    monkeypatch.setattr(timezone, "now", fake.now)
    monkeypatch.setattr(app, "now", fake.now)
    # A beat drops connections the database closed; here that would end the test's transaction.
    monkeypatch.setattr(beat, "close_old_connections", lambda: None)
    return fake


class RecordingBeat(SingleBeatScheduler):
    """The real scheduler with one job, recording what it would send instead of talking to a broker."""

    producer = None

    def __init__(self, clock: Clock, sent: list):
        self.clock, self.sent = clock, sent
        super().__init__(app=app)

    def setup_schedule(self):
        self.update_from_dict({"job": {"task": "portal.tasks.purge_sign_in_failures", "schedule": timedelta(seconds=PERIOD)}})

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append((self.clock.seconds(), self.holder))


def run(clock: Clock, beats, seconds: float):
    for _ in range(int(seconds / STEP)):
        clock.advance(STEP)
        for scheduler in beats:
            while scheduler.tick() == 0:  # 0: it sent something and wants another pass at once
                pass


def test_two_beats_send_each_run_once_and_the_standby_carries_on_when_the_holder_dies(db, clock):
    sent = []
    first, second = RecordingBeat(clock, sent), RecordingBeat(clock, sent)

    run(clock, [first, second], 60)
    assert [holder for _, holder in sent] == [first.holder] * 6

    run(clock, [second], 60)  # the first beat died without a word: its lease runs out
    times = [time for time, _ in sent]
    assert [holder for _, holder in sent] == [first.holder] * 6 + [second.holder] * 6
    assert times == pytest.approx([PERIOD * n for n in range(1, 13)], abs=STEP)


def test_a_beat_that_shuts_down_hands_over_at_once(db, clock):
    sent = []
    first, second = RecordingBeat(clock, sent), RecordingBeat(clock, sent)
    run(clock, [first, second], 12)
    first.close()
    run(clock, [second], STEP)
    assert second.holding
    run(clock, [second], 10)
    assert [time for time, _ in sent] == pytest.approx([10, 20], abs=STEP)
    assert [holder for _, holder in sent] == [first.holder, second.holder]


def test_a_stalled_holder_whose_lease_ran_out_sends_nothing(db, clock):
    sent = []
    first, second = RecordingBeat(clock, sent), RecordingBeat(clock, sent)
    run(clock, [first, second], 8)
    clock.advance(LEASE)  # the first beat hangs just after renewing; the second takes over meanwhile
    run(clock, [second], STEP)
    assert second.holding

    entry = first.schedule["job"]
    first.reserve(entry)
    first.apply_entry(entry)  # what the stalled beat's tick would do next: refused, it stands by
    assert not first.holding
    run(clock, [first, second], 10)
    assert sent and {holder for _, holder in sent} == {second.holder}


def test_the_beat_command_uses_the_single_beat_scheduler():
    assert app.conf.beat_scheduler == "portal.beat:SingleBeatScheduler"
    assert beat.LEASE == "celery-beat"
