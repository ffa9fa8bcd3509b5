"""Counters that cap how often something may happen per key in a window, shared by every web machine.

A `Limit` allows `count` uses per key in each window of `window` seconds aligned on the clock (so
across a window boundary at most twice `count` fit in any `window` seconds: size limits with that
in mind). The counters live in the Django cache: `cache.add` then `cache.incr` are atomic on Redis
(and under a lock in the local-memory cache), so parallel requests can't both take the last slot,
and with REDIS_URL every web machine counts against the same number. A use is taken *before* the
thing it guards is done, so a request that is refused has done nothing.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str  # what is limited, part of every counter's key
    count: int
    window: int  # seconds


class LimitReached(Exception):
    def __init__(self, limit: Limit, retry_at: datetime, used: int):
        super().__init__(f"{limit.scope}: more than {limit.count} in {limit.window} seconds")
        self.limit = limit
        self.retry_at = retry_at
        self.used = used

    @property
    def just_reached(self) -> bool:
        """True for the first refused use of the window (to warn someone once, not on every try)."""
        return self.used == self.limit.count + 1

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - datetime.now(UTC)).total_seconds()))

    def try_again(self) -> str:
        """'Try again in 12 minutes (after 10:45 UTC).' for messages shown to people."""
        seconds = self.retry_after_seconds
        span = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
        return f"Try again in {span} (after {self.retry_at:%H:%M} UTC)."


def _window(limit: Limit, now: float) -> tuple[int, float]:
    index = int(now // limit.window)
    return index, (index + 1) * limit.window


def _key(limit: Limit, key: str, index: int) -> str:
    # Hashed: keys hold email addresses and other typed text, which cache backends restrict.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"limit:{limit.scope}:{index}:{digest}"


def take(limit: Limit, key: str, *, cost: int = 1) -> int:
    """Use `cost` of the key's allowance in this window; returns the count so far, or raises
    LimitReached (the use still counts, so hammering a reached limit never frees it)."""
    index, ends = _window(limit, time.time())
    counter = _key(limit, key, index)
    # The common case is one round trip (incr); only the first use of a window adds the counter.
    # A counter is never reused after its window (the window's number is in its key), so an incr
    # racing an expiry can at worst leave a stale key behind, never stretch a window.
    try:
        used = cache.incr(counter, cost)
    except ValueError:
        if cache.add(counter, cost, math.ceil(ends - time.time()) + 1):
            used = cost
        else:  # another request added it first
            used = cache.incr(counter, cost)
    if used > limit.count:
        raise LimitReached(limit, datetime.fromtimestamp(ends, UTC), used)
    return used


def take_all(limits_and_keys: list[tuple[Limit, str]]) -> None:
    """Take one use of each (limit, key); the first reached limit is raised after all are counted."""
    reached = None
    for limit, key in limits_and_keys:
        try:
            take(limit, key)
        except LimitReached as refusal:
            reached = reached or refusal
    if reached:
        raise reached


def used(limit: Limit, key: str) -> int:
    index, _ = _window(limit, time.time())
    return cache.get(_key(limit, key, index), 0)
