"""How fast time passes in an account: real time, unless the app that simulates time says otherwise.

Domain apps (Trusted Advisor's refresh interval, ...) ask here, so they need not know the training app;
the training app installs its clock when it starts (training/apps.py).
"""

from collections.abc import Callable

_speed_of: Callable[[object], int] = lambda account: 1  # noqa: E731 (replaced at start-up)


def install(speed_of: Callable[[object], int]) -> None:
    global _speed_of
    _speed_of = speed_of


def speed_of(account) -> int:
    """How many seconds pass on the account's clock for each real second (1: real time)."""
    return max(_speed_of(account), 1)
