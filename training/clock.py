"""Simulated time: in an account with training settings, time passes `time_speed_factor` times faster.

The simulated engineer answers by this clock (training.services.engineer.due_at), so every due time, age
and countdown a trainee sees must be on it too. The rule: a moment is shown as the wall-clock moment it
happens (a 1-hour target at speed 60 falls due one minute after the case opened), and a span of time as the
account's clock counts it (a case opened one real minute ago at speed 60 is one hour old).
"""

from datetime import datetime, timedelta

from .models import TrainingProfile


def time_speed(account) -> int:
    """The account's time speed; 1 (real time) for an account without training settings."""
    try:
        profile = account.training_profile
    except TrainingProfile.DoesNotExist:
        return 1
    return profile.time_speed_factor if profile.is_practice or profile.simulated_engineer else 1


def simulated_span(real: timedelta, speed: int) -> timedelta:
    """A stretch of real time as an account at `speed` counts it."""
    return real * max(speed, 1)


def real_span(simulated: timedelta, speed: int) -> timedelta:
    """How much real time a stretch of the account's simulated time takes."""
    return simulated / max(speed, 1)


def on_simulated_clock(start: datetime, due: datetime, speed: int) -> datetime:
    """The wall-clock moment a deadline `due - start` after `start` falls due at `speed`."""
    return start + real_span(due - start, speed)
