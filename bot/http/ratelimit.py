"""Per-user message rate: a token bucket for each user id, in each worker.

A user may send `burst` messages at once, then `per_minute` a minute. The first message over the
limit is answered once with a polite "slow down"; the rest are dropped until the bucket has a token
again. With REDIS_URL the buckets are in Redis and shared by every worker (RedisRateLimiter);
otherwise each worker keeps its own; the table is bounded, so a stream of made-up user ids cannot grow
memory without limit (a forgotten user starts again with a full bucket, the lenient direction).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Literal

from redis.exceptions import RedisError

log = logging.getLogger("sharesafe.ratelimit")

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


# KEYS[1] the user's bucket; ARGV: rate (tokens a second), burst, always (1/0), TTL seconds.
# The same bucket as RateLimiter, kept in Redis and timed by Redis's clock, so every worker
# counts against one limit. Returns 1 allow, 2 warn, 3 drop.
_BUCKET_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
local tokens, at, warned = tonumber(b[1]), tonumber(b[2]), b[3]
if tokens == nil then
  tokens, at, warned = burst, now, '0'
else
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
end
local verdict
if tokens >= 1 then
  tokens = tokens - 1
  warned = '0'
  verdict = 1
elseif ARGV[3] == '1' then
  verdict = 1
elseif warned ~= '1' then
  warned = '1'
  verdict = 2
else
  verdict = 3
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now), 'warned', warned)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return verdict
"""
_VERDICTS: dict[int, Verdict] = {1: "allow", 2: "warn", 3: "drop"}


class RedisRateLimiter:
    """The per-user token bucket shared by every worker through Redis (set when REDIS_URL is).

    If Redis cannot be reached the worker falls back to its own bucket for that message, so an
    outage neither blocks practitioners nor lifts the limit altogether.
    """

    def __init__(self, client: Any, per_minute: int, burst: int, *, prefix: str = "ss:rate:") -> None:
        if per_minute < 1 or burst < 1:
            raise ValueError("per_minute and burst must be at least 1")
        self.client = client
        self.rate = per_minute / 60.0
        self.burst = burst
        self.prefix = prefix
        # Long enough for an empty bucket to refill completely, then forgotten (a full bucket).
        self.ttl = max(60, int(burst / self.rate) + 60)
        self.fallback = RateLimiter(per_minute, burst)
        self._script = client.register_script(_BUCKET_LUA)

    async def check(self, user: str, *, always: bool = False) -> Verdict:
        """Take a token for one message, from the bucket every worker shares."""
        # The key is a digest: the rate table in Redis holds no user ids.
        key = self.prefix + hashlib.sha256(user.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        try:
            verdict = await self._script(keys=[key], args=[self.rate, self.burst, int(always), self.ttl])
        except (RedisError, OSError) as exc:
            log.warning("shared rate limit unavailable (%s); using this worker's", type(exc).__name__)
            return self.fallback.check(user, always=always)
        return _VERDICTS.get(int(verdict), "allow")

    async def close(self) -> None:
        """Release the Redis connection."""
        await self.client.aclose()
