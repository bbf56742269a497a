"""Per-user message rate: a token bucket for each user id, in each worker.

A user may send `burst` messages at once, then `per_minute` a minute. The first message over the
limit is answered once with a polite "slow down"; the rest are dropped until the bucket has a token
again. Each worker keeps its own buckets (N workers let a user through at most N times the rate,
which is still far from a flood); the table is bounded, so a stream of made-up user ids cannot grow
memory without limit (a forgotten user starts again with a full bucket, the lenient direction).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Literal

MAX_USERS = 50_000

Verdict = Literal["allow", "warn", "drop"]


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class RateLimiter:
    """Token buckets keyed by user id. `check(user)` -> "allow", "warn" (tell them once) or "drop"."""

    def __init__(self, per_minute: int, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 max_users: int = MAX_USERS) -> None:
        if per_minute < 1 or burst < 1:
            raise ValueError("per_minute and burst must be at least 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.max_users = max_users
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def _bucket(self, user: str, now: float) -> _Bucket:
        bucket = self._buckets.get(user)
        if bucket is None:
            bucket = _Bucket(tokens=self.burst, at=now)
            self._buckets[user] = bucket
            while len(self._buckets) > self.max_users:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(user)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        return bucket

    def check(self, user: str, *, always: bool = False) -> Verdict:
        """Take a token for one message. `always`: let it through even when empty (a 999 message)."""
        now = self.clock()
        bucket = self._bucket(user, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return "allow"
        if always:
            return "allow"
        if not bucket.warned:
            bucket.warned = True
            return "warn"
        return "drop"

    def __len__(self) -> int:
        return len(self._buckets)
