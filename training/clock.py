"""Simulated time: in an account with training settings, response targets pass `time_speed_factor` times faster.

The simulated engineer answers by this clock (training.services.engineer.due_at), so every due time a
trainee sees must be on it too: a 1-hour target at speed 60 is due one minute after the case opened.
"""

from datetime import datetime

from .models import TrainingProfile


def time_speed(account) -> int:
    """The account's time speed; 1 (real time) for an account without training settings."""
    try:
        profile = account.training_profile
    except TrainingProfile.DoesNotExist:
        return 1
    return profile.time_speed_factor if profile.is_practice or profile.simulated_engineer else 1


def on_simulated_clock(start: datetime, due: datetime, speed: int) -> datetime:
    """The wall-clock moment a deadline `due - start` after `start` falls due at `speed`."""
    return start + (due - start) / max(speed, 1)
