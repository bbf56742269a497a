"""Escalations, conversation references and DSL registrations in Redis, shared by every worker.

Layout (prefix "ss:"; every escalation key shares the `{esc}` hash tag, so one cluster slot):
    ss:{esc}:e:<id>           the escalation (JSON)
    ss:{esc}:status           hash id -> status (read by the claim script without decoding JSON)
    ss:{esc}:due              zset id -> when it is next due (epoch microseconds); the schedule
    ss:{esc}:lease            hash id -> the worker holding it
    ss:{esc}:idem             hash idempotency key -> id
    ss:{esc}:seq:<kind>       counter behind ESC-<n> / HO-<n>
    ss:{esc}:order            counter; ss:{esc}:all and ss:{esc}:o:<org> zsets id -> order
    ss:{esc}:jobs             zset job key -> when it is next due (the outbox of notices and MASH retries)
    ss:{esc}:j:<key>          one job (JSON); kept 30 days after it is done, so its key stays taken
    ss:ref:<key>              one conversation reference (JSON)
    ss:reg                    hash [organisation, user id] -> registration (JSON)
    ss:jcf:<user id>          zset of a user's wrong join codes (epoch microseconds), expiring

A claim is one Lua script: every due, still-requested id has its score in the due zset moved to
the end of its lease, so no other worker sees it as due until the lease runs out (or the holder
reschedules it). Status changes and reschedules are WATCH/MULTI/EXEC on the escalation's key.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from datetime import datetime
from typing import Any, Awaitable, Callable, Collection, Mapping, TypeVar

from redis.asyncio import Redis
from redis.exceptions import WatchError

from state.base import Change, EscalationStoreBase, RegistrationStoreBase, reference_json, retried_job
from state.escalation_docs import DONE_JOBS_KEPT_SECONDS, WAITING, format_id, micros
from state.interfaces import NotFound, StoreError, StoreUnavailable
from state.records_chain import to_utc
from state.redis_store import _UNAVAILABLE, _ping, _text

T = TypeVar("T")

_MAX_ATTEMPTS = 50

# KEYS: jobs zset. ARGV: now (us), lease end (us), limit. Every due job's score moves to the end of
# its lease, so no other worker claims it until the lease runs out or the holder reschedules it.
_CLAIM_JOBS_LUA = """
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, key in ipairs(keys) do
  redis.call('ZADD', KEYS[1], ARGV[2], key)
end
return keys
"""

# KEYS: the job's key, jobs zset. ARGV: body, due (us), job key.
_ADD_JOB_LUA = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
"""

# KEYS: a user's failures zset. ARGV: at (us), window start (us), ttl seconds, member.
_FAILED_CODE_LUA = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], ARGV[1])
"""

# KEYS: due zset, status hash, lease hash. ARGV: now (us), lease end (us), worker, limit, the waiting status.
_CLAIM_LUA = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
local claimed = {}
for _, id in ipairs(ids) do
  if redis.call('HGET', KEYS[2], id) == ARGV[5] then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    redis.call('HSET', KEYS[3], id, ARGV[3])
    table.insert(claimed, id)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
"""

# KEYS: idem hash, escalation key, status hash, due zset, all zset, org zset, order counter.
# ARGV: idempotency key, id, body, status, due (us or ''), created order fallback.
_CREATE_LUA = """
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  return {0, existing}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
end
local order = redis.call('INCR', KEYS[7])
redis.call('ZADD', KEYS[5], order, ARGV[2])
redis.call('ZADD', KEYS[6], order, ARGV[2])
return {1, ARGV[2]}
"""


class _RedisStore:
    def __init__(self, client: Redis, prefix: str = "ss:") -> None:
        self._client = client
        self._prefix = prefix

    async def _call(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(f"{what} store unreachable") from exc

    async def ping(self) -> bool:
        """True when Redis answers."""
        return await _ping(self._client)

    async def close(self) -> None:
        """Nothing to release: the client belongs to whoever created it (see state.factory)."""


class RedisEscalationStore(_RedisStore, EscalationStoreBase):
    """DSL requests and MASH hand-offs; the due zset is the re-ping schedule."""

    def __init__(self, client: Redis, prefix: str = "ss:") -> None:
        super().__init__(client, prefix)
        self._base = base = f"{prefix}{{esc}}:"
        self._status, self._due, self._lease, self._idem, self._all, self._order, self._jobs = (
            base + name for name in ("status", "due", "lease", "idem", "all", "order", "jobs"))
        self._claim_script = client.register_script(_CLAIM_LUA)
        self._create_script = client.register_script(_CREATE_LUA)
        self._claim_jobs_script = client.register_script(_CLAIM_JOBS_LUA)
        self._add_job_script = client.register_script(_ADD_JOB_LUA)

    def _key(self, escalation_id: str) -> str:
        return f"{self._base}e:{escalation_id}"

    def _org_key(self, organisation: str) -> str:
        return f"{self._base}o:{organisation}"

    async def _create(self, doc: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        async def run() -> tuple[dict[str, Any], bool]:
            existing = await self._client.hget(self._idem, idempotency_key)
            if existing is None:
                # Two workers racing on one key may each take a number; the loser's is unused.
                number = await self._client.incr(f"{self._base}seq:{doc['kind']}")
                doc["id"] = format_id(doc["kind"], int(number))
                due = micros(doc["due_at"])
                created, found = await self._create_script(
                    keys=[self._idem, self._key(doc["id"]), self._status, self._due, self._all,
                          self._org_key(doc["organisation"]), self._order],
                    args=[idempotency_key, doc["id"], json.dumps(doc, ensure_ascii=False), doc["status"],
                          "" if due is None else due, 0],
                )
                if int(created):
                    return doc, True
                existing = found
            stored = await self._get(_text(existing))
            if stored is None:
                raise StoreError(f"escalation {_text(existing)} is indexed but missing")
            return stored, False

        return await self._call("escalation", run)

    async def _get(self, escalation_id: str) -> dict[str, Any] | None:
        raw = await self._client.get(self._key(escalation_id))
        return json.loads(raw) if raw is not None else None

    async def get(self, escalation_id: str) -> dict[str, Any] | None:
        """One escalation by id."""
        return await self._call("escalation", lambda: self._get(escalation_id))

    async def _update(self, escalation_id: str, change: Change, *, release: bool) -> dict[str, Any]:
        # WATCH/MULTI on the escalation's key, retried when another worker wrote it meanwhile.
        key = self._key(escalation_id)
        for attempt in range(_MAX_ATTEMPTS):
            try:
                async with self._client.pipeline(transaction=True) as pipe:
                    await pipe.watch(key)
                    raw = await pipe.get(key)
                    if raw is None:
                        raise NotFound(escalation_id)
                    doc = json.loads(raw)
                    change(doc)
                    pipe.multi()
                    pipe.set(key, json.dumps(doc, ensure_ascii=False))
                    pipe.hset(self._status, escalation_id, doc["status"])
                    due = micros(doc.get("due_at"))
                    if doc["status"] == WAITING and due is not None:
                        if release:
                            pipe.zadd(self._due, {escalation_id: due})
                        else:
                            # Not the lease holder: keep a claimed escalation's lease, else schedule.
                            pipe.zadd(self._due, {escalation_id: due}, lt=True)
                    else:
                        pipe.zrem(self._due, escalation_id)
                    if release or doc["status"] != WAITING:
                        pipe.hdel(self._lease, escalation_id)
                    await pipe.execute()
                    return doc
            except WatchError:
                await asyncio.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))
            except _UNAVAILABLE as exc:
                raise StoreUnavailable("escalation store unreachable; nothing was changed") from exc
        raise StoreUnavailable("escalation too busy; nothing was changed")

    async def _claim_due(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        async def run() -> list[dict[str, Any]]:
            ids = await self._claim_script(
                keys=[self._due, self._status, self._lease], args=[now_us, lease_us, worker, limit, WAITING]
            )
            if not ids:
                return []
            raws = await self._client.mget([self._key(_text(i)) for i in ids])
            return [json.loads(raw) for raw in raws if raw is not None]

        return await self._call("escalation", run)

    async def _list(self, organisation: str | None, status: str | None, kind: str | None,
                    limit: int) -> list[dict[str, Any]]:
        index = self._org_key(organisation) if organisation is not None else self._all
        found: list[dict[str, Any]] = []

        async def run() -> list[dict[str, Any]]:
            start, batch = 0, max(limit, 50)
            while True:
                ids = await self._client.zrevrange(index, start, start + batch - 1)
                if not ids:
                    return found
                raws = await self._client.mget([self._key(_text(i)) for i in ids])
                for raw in raws:
                    if raw is None:
                        continue
                    doc = json.loads(raw)
                    if status is not None and doc.get("status") != status:
                        continue
                    if kind is not None and doc.get("kind") != kind:
                        continue
                    found.append(doc)
                    if len(found) == limit:
                        return found
                start += batch

        return await self._call("escalation", run)

    # ---- The job outbox ----------------------------------------------------------------------------

    def _job_key(self, key: str) -> str:
        return f"{self._base}j:{key}"

    async def _add_job(self, key: str, body: str, due: int) -> bool:
        added = await self._call("escalation", lambda: self._add_job_script(
            keys=[self._job_key(key), self._jobs], args=[body, due, key]))
        return bool(int(added))

    async def _claim_jobs(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        async def run() -> list[dict[str, Any]]:
            keys = await self._claim_jobs_script(keys=[self._jobs], args=[now_us, lease_us, limit])
            if not keys:
                return []
            raws = await self._client.mget([self._job_key(_text(k)) for k in keys])
            return [json.loads(raw) for raw in raws if raw is not None]

        return await self._call("escalation", run)

    async def _retry_job(self, key: str, due: int, fields: Mapping[str, Any] | None) -> None:
        async def run() -> None:
            raw = await self._client.get(self._job_key(key))
            if raw is None:
                return
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.set(self._job_key(key), retried_job(raw, key, fields), xx=True, keepttl=True)
                # Only while it is still queued: a job finished meanwhile stays finished.
                pipe.zadd(self._jobs, {key: due}, xx=True)
                await pipe.execute()

        await self._call("escalation", run)

    async def finish_job(self, key: str) -> None:
        """Never due again; the key stays taken for 30 days."""

        async def run() -> None:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.zrem(self._jobs, key)
                pipe.expire(self._job_key(key), DONE_JOBS_KEPT_SECONDS)
                await pipe.execute()

        await self._call("escalation", run)


class RedisReferenceStore(_RedisStore):
    """Conversation references (for proactive messages), keyed by user id or 'channel:<id>'."""

    def _key(self, key: str) -> str:
        return f"{self._prefix}ref:{key}"

    async def put(self, key: str, reference: dict[str, Any]) -> None:
        """Store (or replace) the reference."""
        await self.put_many({key: reference})

    async def put_many(self, references: Mapping[str, dict[str, Any]]) -> None:
        """Store (or replace) several references in one round trip."""
        if not references:
            return
        bodies = {self._key(key): reference_json(ref) for key, ref in references.items()}
        await self._call("reference", lambda: self._client.mset(bodies))

    async def get(self, key: str) -> dict[str, Any] | None:
        """The stored reference, or None."""
        raw = await self._call("reference", lambda: self._client.get(self._key(key)))
        return json.loads(raw) if raw is not None else None

    async def delete(self, keys: Collection[str]) -> None:
        """Forget the references under these keys (one round trip)."""
        names = [self._key(key) for key in keys]
        if names:
            await self._call("reference", lambda: self._client.delete(*names))


class RedisRegistrationStore(_RedisStore, RegistrationStoreBase):
    """DSLs and deputies who registered themselves with their organisation's join code."""

    @property
    def _hash(self) -> str:
        return f"{self._prefix}reg"

    async def _register(self, registration: dict[str, Any]) -> None:
        field = json.dumps([registration["organisation"], registration["user_id"]])
        await self._call("registration", lambda: self._client.hset(self._hash, field, json.dumps(registration)))

    async def unregister(self, organisation: str, user_id: str) -> bool:
        """Remove a registration; True if there was one."""
        field = json.dumps([organisation, user_id])
        return bool(await self._call("registration", lambda: self._client.hdel(self._hash, field)))

    async def registrations(self) -> list[dict[str, Any]]:
        """Every registration, oldest first."""
        raw = await self._call("registration", lambda: self._client.hvals(self._hash))
        rows = [json.loads(v) for v in raw]
        return sorted(rows, key=lambda r: (r["registered_at"], r["organisation"], r["user_id"]))

    def _failures_key(self, user_id: str) -> str:
        return f"{self._prefix}jcf:{user_id}"

    async def add_failed_code(self, user_id: str, at: datetime, *, window_seconds: int) -> int:
        """Note a wrong join code; how many this user typed in the window up to `at` (one Lua script)."""
        at_us = micros(to_utc(at))
        since_us = at_us - int(window_seconds * 1_000_000)
        script = self._client.register_script(_FAILED_CODE_LUA)
        count = await self._call("registration", lambda: script(
            keys=[self._failures_key(user_id)],
            args=[at_us, since_us, max(1, int(window_seconds)), f"{at_us}:{uuid.uuid4().hex[:8]}"]))
        return int(count)

    async def failed_codes(self, user_id: str, since: datetime) -> int:
        """How many wrong join codes this user typed since then."""
        since_us = micros(to_utc(since))
        count = await self._call("registration", lambda: self._client.zcount(
            self._failures_key(user_id), f"({since_us}", "+inf"))
        return int(count)
