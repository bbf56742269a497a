"""The production backend: Redis, shared by every bot worker.

Conversation state is one string key per conversation, written by a Lua compare-and-set in one
round trip. Records live under one hash tag (`{rec}`) so every key a record transaction touches is
in one cluster slot; the chain is serial by nature, so nothing is lost by keeping it on one shard.

Layout (prefix "ss:"):
    ss:conv:<conversation id>      b"z<N>:" + the state JSON deflated against the state dictionary
                                   (state_json.pack; plain zlib and {"version":N,"state":{...}} from
                                   earlier releases still load); EX idle TTL
    ss:{rec}:head / :anchor        the last filed record / the last purged record (seq, hash, ref)
    ss:{rec}:s:<seq>               one record (canonical JSON)
    ss:{rec}:time                  zset seq -> created_at (epoch microseconds)
    ss:{rec}:p:<user id>           zset seq -> seq, per practitioner
    ss:{rec}:o:<organisation>      zset seq -> seq, per organisation
    ss:{rec}:idem / :idem-of       hash idempotency key -> seq / seq -> idempotency key

Durability is the server's: run Redis with `appendonly yes` and `appendfsync always` so that EXEC
returning means the record is on disk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from datetime import datetime
from typing import Any, AsyncIterator

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import (
    BusyLoadingError,
    ClusterDownError,
    ConnectionError as RedisConnectionError,
    OutOfMemoryError,
    ReadOnlyError,
    TimeoutError as RedisTimeoutError,
    TryAgainError,
    WatchError,
)

from state import state_json
from state.base import RecordQuery, RecordStoreBase
from state.interfaces import StoreError, StoreUnavailable, VerifyResult, VersionConflict
from state.records_chain import IDEM_FIELD, ZERO_HASH, ChainError, ChainKeys, ChainLink, ChainVerifier
from state.records_chain import build_record, canonical_json, created_before, created_micros, decode_stored
from state.records_chain import epoch_micros, head_behind, practitioner_of, reference_seq

log = logging.getLogger("sharesafe.records")

# Errors after which the write did not happen (or, for a lost reply, is safe to retry: records
# carry an idempotency key, and a repeated conversation save fails its version check).
_UNAVAILABLE: tuple[type[Exception], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    BusyLoadingError,
    ReadOnlyError,
    OutOfMemoryError,
    TryAgainError,
    ClusterDownError,
)

_BATCH = 500
_MAX_APPEND_ATTEMPTS = 50
_MAX_PURGE_ATTEMPTS = 10

# How long a delivery note may wait to travel with the next read before it is written alone.
MARK_DELAY_SECONDS = 1.0

# KEYS[1] conversation key; ARGV: expected version, new payload, idle TTL seconds.
# The payload is written by Python as z<N>:<deflated bytes> (earlier: {"version":N,"state":...}), so the
# version is read with a pattern instead of decoding the whole state in the server.
_SAVE_LUA = """
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then
  v = tonumber(string.match(cur, '^{"version":(%d+),') or string.match(cur, '^z(%d+):'))
  if v == nil then
    return redis.error_reply('ERR sharesafe: unreadable conversation state')
  end
end
if v ~= tonumber(ARGV[1]) then
  return {0, v}
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return {1, v + 1}
"""


# KEYS: head, idem hash, idem-of hash, time zset, then per record: its key, practitioner zset,
# organisation zset. ARGV: head as read ('' for none), new head, record count, then per record:
# seq, idempotency key, canonical JSON, created (epoch us), has practitioner, has organisation.
# Files every record only if the head is still the one read and no key was filed meanwhile
# (0: try again). Returns -1, filing nothing, when a record already holds one of the new seqs: the
# head is missing or behind its records (tampering or a bad restore), and a plain SET would
# overwrite the evidence.
_APPEND_LUA = """
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then
  return 0
end
local n = tonumber(ARGV[3])
for i = 0, n - 1 do
  if redis.call('HEXISTS', KEYS[2], ARGV[5 + i * 6]) == 1 then
    return 0
  end
end
for i = 0, n - 1 do
  local seq = ARGV[4 + i * 6]
  if redis.call('EXISTS', KEYS[5 + i * 3]) == 1 or redis.call('ZSCORE', KEYS[4], seq)
      or redis.call('HEXISTS', KEYS[3], seq) == 1 then
    return -1
  end
end
for i = 0, n - 1 do
  local a = 4 + i * 6
  local k = 5 + i * 3
  local seq = ARGV[a]
  redis.call('SET', KEYS[k], ARGV[a + 2])
  redis.call('ZADD', KEYS[4], ARGV[a + 3], seq)
  if ARGV[a + 4] == '1' then redis.call('ZADD', KEYS[k + 1], seq, seq) end
  if ARGV[a + 5] == '1' then redis.call('ZADD', KEYS[k + 2], seq, seq) end
  redis.call('HSET', KEYS[2], ARGV[a + 1], seq)
  redis.call('HSET', KEYS[3], seq, ARGV[a + 1])
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""


def connect_redis(
    url: str,
    *,
    socket_timeout: float = 2.0,
    health_check_interval: int = 15,
    max_connections: int = 64,
) -> Redis:
    """A redis.asyncio client for url with short timeouts, health checks and a brief retry."""
    # Short timeouts and only two quick retries: when Redis is down the user should hear within
    # seconds that nothing was recorded (and to talk to their DSL), not wait on a spinner.
    # A blocking pool: at the connection limit a turn waits (up to socket_timeout) for a free
    # connection instead of failing at once.
    pool = BlockingConnectionPool.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        socket_keepalive=True,
        health_check_interval=health_check_interval,
        retry=Retry(ExponentialWithJitterBackoff(cap=0.2, base=0.02), retries=2),
        max_connections=max_connections,
        timeout=socket_timeout,
        client_name="sharesafe",
    )
    return Redis.from_pool(pool)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _lenient(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _seq_or_none(value: bytes | str | None) -> int | None:
    try:
        return int(_text(value)) if value is not None else None
    except (ValueError, UnicodeDecodeError):
        return None


def _decode(seq: int, raw: bytes | str) -> dict[str, Any]:
    return decode_stored(raw, f"the record stored as seq {seq}")


# Delivery notes kept in memory while Redis is unreachable (each about 80 bytes).
MAX_WAITING_MARKS = 10_000


class RedisConversationStore:
    """Conversation state in Redis: one GET to load, one Lua compare-and-set to save."""

    def __init__(self, client: Redis, *, prefix: str = "ss:", idle_ttl_seconds: int = 86400) -> None:
        if idle_ttl_seconds <= 0:
            raise ValueError("idle_ttl_seconds must be positive")
        self._client = client
        self._prefix = prefix
        self._ttl = idle_ttl_seconds
        self._save_script = client.register_script(_SAVE_LUA)
        self._marks: list[str] = []
        self._mark_timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    def _key(self, conversation_id: str) -> str:
        return f"{self._prefix}conv:{conversation_id}"

    async def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, int]:
        """Return (state, version); (None, 0) for a new or expired conversation."""
        marks: list[str] = []
        try:
            if self._marks:
                # Delivery notes waiting to be written travel with this read: no round trip of their own.
                marks, self._marks = self._marks, []
                async with self._client.pipeline(transaction=False) as pipe:
                    for mark in marks:
                        pipe.set(mark, b"1", ex=self._ttl)
                    pipe.get(self._key(conversation_id))
                    *_, raw = await pipe.execute()
            else:
                raw = await self._client.get(self._key(conversation_id))
        except _UNAVAILABLE as exc:
            self._requeue_marks(marks)
            raise StoreUnavailable("conversation store unreachable") from exc
        if raw is None:
            return None, 0
        if raw[:1] == b"z":
            head, _, packed = raw.partition(b":")
            return state_json.unpack(packed), int(head[1:])
        doc = state_json.decode(raw)
        return doc["state"], int(doc["version"])

    async def save(self, conversation_id: str, state: dict[str, Any], expected_version: int) -> int:
        """Write state if the stored version is still expected_version; return the new version."""
        new_version = expected_version + 1
        # Deflated against the state dictionary (state/state_json.py): a whole walk stays under 1 KB.
        payload = b"z%d:%s" % (new_version, state_json.pack(state))
        try:
            written, version = await self._save_script(
                keys=[self._key(conversation_id)], args=[expected_version, payload, self._ttl]
            )
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("conversation store unreachable; state not saved") from exc
        if not written:
            raise VersionConflict(conversation_id)
        return int(version)

    def _delivered_key(self, conversation_id: str, key: str) -> str:
        return f"{self._prefix}dlv:{conversation_id}:{key}"

    async def mark_delivered(self, conversation_id: str, key: str) -> None:
        """Note that the replies to one activity (its activity_key) were accepted by the Bot Connector."""
        await self.mark_delivered_many([(conversation_id, key)])

    async def mark_delivered_many(self, delivered: list[tuple[str, str]]) -> None:
        """mark_delivered for several activities: written with this worker's next read, or within
        MARK_DELAY_SECONDS when no read comes (a redelivery that soon waits for the note)."""
        self._marks.extend(self._delivered_key(c, k) for c, k in delivered)
        if self._mark_timer is None:
            self._mark_timer = asyncio.get_running_loop().call_later(MARK_DELAY_SECONDS, self._flush_later)

    def _flush_later(self) -> None:
        self._mark_timer = None
        if self._marks:
            task = asyncio.get_running_loop().create_task(self.flush_marks())
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def flush_marks(self) -> None:
        """Write the delivery notes still waiting (one round trip)."""
        marks, self._marks = self._marks, []
        if not marks:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for mark in marks:
                    pipe.set(mark, b"1", ex=self._ttl)
                await pipe.execute()
        except _UNAVAILABLE:
            kept = self._requeue_marks(marks)
            log.warning("%d delivery notes not written yet (store unavailable); %d kept for the next write",
                        len(marks), kept)

    def _requeue_marks(self, marks: list[str]) -> int:
        """Put unwritten delivery notes back for the next read or flush (a note lost would make a
        redelivered activity send its replies again). Bounded, so an outage cannot grow it forever."""
        self._marks[:0] = marks
        del self._marks[MAX_WAITING_MARKS:]
        return min(len(marks), MAX_WAITING_MARKS)

    async def delivered(self, conversation_id: str, key: str) -> bool:
        """True when mark_delivered was called for this activity (and has not expired)."""
        if self._delivered_key(conversation_id, key) in self._marks:
            return True
        try:
            return bool(await self._client.exists(self._delivered_key(conversation_id, key)))
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("conversation store unreachable") from exc

    async def ping(self) -> bool:
        """True when Redis answers."""
        return await _ping(self._client)

    async def close(self) -> None:
        """Write any delivery notes still waiting; the client belongs to whoever created it (see state.factory)."""
        if self._mark_timer is not None:
            self._mark_timer.cancel()
            self._mark_timer = None
        await self.flush_marks()
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)


async def _ping(client: Redis) -> bool:
    try:
        return bool(await client.ping())
    except _UNAVAILABLE:
        return False


class RedisRecordStore(RecordStoreBase):
    """Decision records in Redis: a Lua compare-and-set on the chain head, SHA-256 computed here."""

    def __init__(self, client: Redis, prefix: str = "ss:", *, keys: ChainKeys | None = None) -> None:
        self._client = client
        # SHARESAFE_CHAIN_KEYS: records, head and anchor are signed, and verify checks them.
        self._keys = keys
        self._base = base = f"{prefix}{{rec}}:"
        self._head, self._anchor, self._time, self._idem, self._idem_of = (
            base + name for name in ("head", "anchor", "time", "idem", "idem-of"))
        # Appends from this worker queue here instead of racing each other; the compare-and-set on
        # the head still guards against every other worker.
        self._committer: asyncio.Task[None] | None = None
        self._queued: list[tuple[dict[str, Any], str, asyncio.Future[dict[str, Any]]]] = []
        self._append_script = client.register_script(_APPEND_LUA)

    def _record_key(self, seq: int) -> str:
        return f"{self._base}s:{seq}"

    def _practitioner_key(self, user_id: str) -> str:
        return f"{self._base}p:{user_id}"

    def _organisation_key(self, organisation: str) -> str:
        return f"{self._base}o:{organisation}"

    async def _append(self, normalised: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Appends from this worker are group-committed: one committer task files every append
        queued meanwhile, in two round trips (read the head; one Lua compare-and-set that
        writes them all). A chain is serial by nature, and under load each round trip waits behind
        every other turn in flight, so a four-round-trip transaction per record made a convoy that
        grew without bound (seconds a record at 100 busy conversations).
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._queued.append((normalised, idempotency_key, done))
        if self._committer is None:
            self._committer = loop.create_task(self._drain())
        # Each waiter is woken by its own result: no lock to hand from one waiter to the next,
        # which under load cost a full turn of the event loop per waiter.
        return await asyncio.shield(done)

    async def _drain(self) -> None:
        """Commit queued appends, batch after batch, until none are left (one committer a worker)."""
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                await self._commit(batch)
        finally:
            self._committer = None

    async def _commit(self, batch: list[tuple[dict[str, Any], str, asyncio.Future[dict[str, Any]]]]) -> None:
        """File a batch of queued appends in one transaction (retried when another worker filed first).

        Every waiter's future gets its record or the error; nothing here raises but cancellation."""
        failure: Exception = StoreUnavailable("record chain too busy; nothing was filed")
        try:
            for attempt in range(_MAX_APPEND_ATTEMPTS):
                try:
                    results = await self._try_append_batch([(r, k) for r, k, _ in batch])
                except WatchError:
                    # Another worker filed first: re-read the head, and the idempotency map, and
                    # try again.
                    await asyncio.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))
                    continue
                for (_, _, done), stored in zip(batch, results):
                    if not done.done():
                        done.set_result(stored)
                return
        except _UNAVAILABLE as exc:
            failure = StoreUnavailable("record store unreachable; nothing was filed")
            failure.__cause__ = exc
        except Exception as exc:  # noqa: BLE001 - handed to every waiter, each raises it
            failure = exc
        except BaseException:
            # Cancelled mid-commit: it may or may not have been filed. The waiters are told it was
            # not; a retry with the same idempotency key finds the record if it was.
            for _, _, done in batch:
                if not done.done():
                    done.set_exception(StoreUnavailable("append interrupted; nothing confirmed"))
            raise
        for _, _, done in batch:
            if not done.done():
                done.set_exception(failure)

    async def _try_append_batch(self, items: list[tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
        """Two round trips: read the head and the idempotency map; then one Lua script writes every
        record if the head is still the one read (else WatchError, and the caller tries again)."""
        keys = list(dict.fromkeys(k for _, k in items))
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.get(self._head)
            pipe.hmget(self._idem, keys)
            pipe.get(self._anchor)
            head_raw, seqs, anchor_raw = await pipe.execute()
        known = {k: int(_text(v)) for k, v in zip(keys, seqs) if v is not None}
        existing: dict[str, dict[str, Any]] = {}
        if known:
            raws = await self._client.mget([self._record_key(seq) for seq in known.values()])
            existing = {k: json.loads(raw) for k, raw in zip(known, raws) if raw is not None}
        head = ChainLink.from_json(head_raw)
        results: list[dict[str, Any]] = []
        filed: dict[str, dict[str, Any]] = {}
        for record, key in items:
            if key in existing:
                results.append(existing[key])
            elif key in filed:  # the same key twice in one batch: filed once
                results.append(filed[key])
            else:
                stored = build_record(record, seq=head.seq + 1 if head else 1,
                                      prev_hash=head.hash if head else ZERO_HASH, keys=self._keys,
                                      idempotency_key=key)
                head = ChainLink.of(stored)
                filed[key] = stored
                results.append(stored)
        if not filed:
            return results
        assert head is not None
        anchor = ChainLink.from_json(anchor_raw)
        first_seq = next(iter(filed.values()))["seq"]
        if anchor is not None and anchor.seq >= first_seq:
            # The head was deleted or moved back into the purged range.
            raise head_behind(first_seq, "head is missing or behind the purge anchor")
        script_keys = [self._head, self._idem, self._idem_of, self._time]
        args: list[Any] = ["" if head_raw is None else _text(head_raw), head.signed(self._keys, "head").to_json(),
                           len(filed)]
        for key, stored in filed.items():
            seq = stored["seq"]
            user_id, organisation = practitioner_of(stored)
            script_keys += [self._record_key(seq), self._practitioner_key(user_id or ""),
                            self._organisation_key(organisation or "")]
            args += [seq, key, canonical_json(stored), created_micros(stored),
                     int(user_id is not None), int(organisation is not None)]
        written = await self._append_script(keys=script_keys, args=args)
        if written == -1:
            raise head_behind(first_seq, "head is missing or behind its records")
        if not written:
            raise WatchError("the chain head moved")
        return results

    async def get(self, reference: str) -> dict[str, Any] | None:
        """One record by reference, or None."""
        try:
            seq = reference_seq(reference)
        except ValueError:
            return None
        try:
            raw = await self._client.get(self._record_key(seq))
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc
        if raw is None:
            return None
        stored = _decode(seq, raw)
        return stored if stored.get("reference") == reference else None

    async def _fetch(self, seqs: list[int]) -> list[dict[str, Any]]:
        """Records for seqs, in the same order, skipping any that are gone."""
        if not seqs:
            return []
        try:
            raws = await self._client.mget([self._record_key(s) for s in seqs])
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc
        return [_decode(seq, raw) for seq, raw in zip(seqs, raws) if raw is not None]

    async def _links(self) -> tuple[ChainLink | None, ChainLink | None]:
        try:
            head_raw, anchor_raw = await self._client.mget([self._head, self._anchor])
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc
        return ChainLink.from_json(head_raw), ChainLink.from_json(anchor_raw)

    async def _list(self, query: RecordQuery) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        try:
            async for seqs in self._candidates_newest_first(query):
                for rec in await self._fetch(seqs):
                    if query.matches(rec):
                        found.append(rec)
                        if len(found) == query.limit:
                            return found
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc
        return found

    async def _candidates_newest_first(self, query: RecordQuery) -> AsyncIterator[list[int]]:
        """Batches of seqs that may match, newest first; the caller filters exactly."""
        practitioner_id, organisation = query.practitioner_id, query.organisation
        since_us, until_us = query.since_us, query.until_us
        if practitioner_id is not None or organisation is not None:
            key = (
                self._practitioner_key(practitioner_id)
                if practitioner_id is not None
                else self._organisation_key(organisation or "")
            )
            start = 0
            while True:
                members = await self._client.zrevrange(key, start, start + _BATCH - 1)
                if not members:
                    return
                yield [int(_text(m)) for m in members]
                start += _BATCH
        elif since_us is not None or until_us is not None:
            members = await self._client.zrangebyscore(
                self._time,
                since_us if since_us is not None else "-inf",
                f"({until_us}" if until_us is not None else "+inf",
            )
            seqs = sorted((int(_text(m)) for m in members), reverse=True)
            for i in range(0, len(seqs), _BATCH):
                yield seqs[i : i + _BATCH]
        else:
            head, anchor = await self._links()
            low = anchor.seq + 1 if anchor else 1
            top = head.seq if head else 0
            step = max(query.limit, 1)
            while top >= low:
                yield list(range(top, max(low, top - step + 1) - 1, -1))
                top -= step

    async def export(self, *, since: datetime | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every record (oldest first) created at or after since.

        Walks the chain by seq and judges `since` by each record's hashed created_at, not the
        time index (outside the hash): an auditor's export must not lose a record because an
        index entry was changed.
        """
        since_us = epoch_micros(since) if since is not None else None
        try:
            head, anchor = await self._links()
            seq = anchor.seq + 1 if anchor else 1
            top = head.seq if head else 0
            while True:
                batch = list(range(seq, seq + _BATCH))
                found = await self._fetch(batch)
                for rec in found:
                    if since_us is not None and created_before(rec, since_us):
                        continue
                    yield rec
                seq = batch[-1] + 1
                # Past the head, go on while records are there: anything stored beyond a head
                # that was moved back or deleted is evidence too (verify names it).
                if seq > top and not found:
                    return
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc

    async def _read_indexed(self, seqs: list[int], *, with_raw: bool = False) -> list[tuple[Any, ...]]:
        """(record, the index values Redis holds for it) for each seq still stored, in seq order.

        The index values are what lists and exports search by, outside the hash: the record's key
        (its seq), its time-zset score and whether the practitioner and organisation zsets hold it.
        """
        async with self._client.pipeline(transaction=True) as pipe:
            # One MULTI: the records and their time entries as of one moment (a purge removes
            # both in one transaction, so they are never seen half-removed).
            pipe.mget([self._record_key(s) for s in seqs])
            for seq in seqs:
                pipe.zscore(self._time, seq)
            raws, *scores = await pipe.execute()
        found: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        stored_text: dict[int, bytes] = {}
        for seq, raw, score in zip(seqs, raws, scores):
            if raw is None:
                continue  # a removed record: the chain walk reports the gap
            rec = _decode(seq, raw)
            stored_text[seq] = raw
            found.append((seq, rec, {"seq": seq, "created_us": int(score) if score is not None else None}))
        asked: list[tuple[dict[str, Any], str, str]] = []
        async with self._client.pipeline(transaction=False) as pipe:
            for seq, rec, index in found:
                user_id, organisation = practitioner_of(rec)
                if user_id is not None:
                    pipe.zscore(self._practitioner_key(user_id), seq)
                    asked.append((index, "practitioner_id", user_id))
                if organisation is not None:
                    pipe.zscore(self._organisation_key(organisation), seq)
                    asked.append((index, "organisation", organisation))
            answers = await pipe.execute() if asked else []
        for (index, name, value), score in zip(asked, answers):
            # Not in the zset: the record would be hidden from that practitioner's or DSL's list.
            index[name] = value if score is not None else None
        if with_raw:
            return [(rec, index, stored_text[seq]) for seq, rec, index in found]
        return [(rec, index) for _, rec, index in found]

    async def verify(self) -> VerifyResult:
        """Recompute the chain from the purge anchor to the head; name the first break.

        Also checks that no record is stored beyond the head (or without one), and that every
        record's index entries (its key, time score, practitioner and organisation zsets) match
        its hashed body. What it cannot see by itself: the newest records deleted together with
        the head rewritten to the last one left. Note the head reference and hash in the result
        (`records verify` prints them) outside the store, and compare them next time.
        """
        try:
            for _ in range(3):
                head, anchor = await self._links()
                result = await self._verify_once(head, anchor)
                if result.ok:
                    break
                # Redis has no snapshot: a purge that ran while we read looks like missing
                # records (or missing index entries). Read again if the anchor moved.
                _, anchor_now = await self._links()
                if anchor_now == anchor:
                    break
        except _UNAVAILABLE as exc:
            raise StoreUnavailable("record store unreachable") from exc
        return result

    async def _verify_once(self, head: ChainLink | None, anchor: ChainLink | None) -> VerifyResult:
        low = anchor.seq + 1 if anchor else 1
        top = head.seq if head else low - 1
        verifier = ChainVerifier(anchor, head, check_head=True, keys=self._keys)
        seq = low
        while seq <= top:
            batch = list(range(seq, min(top, seq + _BATCH - 1) + 1))
            rows = await self._read_indexed(batch, with_raw=True)
            retry_keys = await self._retry_keys([index["seq"] for _, index, _ in rows])
            for rec, index, raw in rows:
                failed = verifier.feed(rec, index, raw=raw) or verifier.retry_entry(rec, retry_keys[index["seq"]])
                if failed is not None:
                    return failed
            seq = batch[-1] + 1
        result = verifier.finish()
        if not result.ok:
            return result
        return (await self._beyond_head(verifier, low, top) or await self._stray_retry_entries(verifier, low, top)
                or result)

    async def _retry_keys(self, seqs: list[int]) -> dict[int, str | None]:
        """The idempotency key each record was filed under, as the store holds it (idem-of); None
        when there is none, or when the forward entry (idem) for that key is gone."""
        if not seqs:
            return {}
        held = [None if k is None else _lenient(k)
                for k in await self._client.hmget(self._idem_of, [str(s) for s in seqs])]
        wanted = [k for k in held if k is not None]
        forward = dict(zip(wanted, await self._client.hmget(self._idem, wanted))) if wanted else {}
        # An entry for the key that names another record is reported by _stray_retry_entries.
        return {s: k if k is not None and forward.get(k) is not None else None for s, k in zip(seqs, held)}

    async def _stray_retry_entries(self, verifier: ChainVerifier, low: int, top: int) -> VerifyResult | None:
        """An idempotency entry naming no record in the chain, or a record filed under another key
        (a retried filing would be answered with the wrong reference); None when there is none."""
        cursor: int | bytes = 0
        head_seq: int | None = None
        while True:
            cursor, entries = await self._client.hscan(self._idem, cursor, count=_BATCH)
            # Read leniently: an entry written behind the store's back may not be UTF-8.
            pairs = [(_lenient(k), _seq_or_none(v)) for k, v in entries.items()]
            in_chain = [(k, s) for k, s in pairs if s is not None and low <= s <= top]
            for key, seq in pairs:
                if seq is not None and low <= seq <= top:
                    continue
                if seq is not None and seq > top:
                    if head_seq is None:
                        head_now = ChainLink.from_json(await self._client.get(self._head))
                        head_seq = head_now.seq if head_now else 0
                    if seq <= head_seq:
                        continue  # filed since the walk began
                return verifier.stray_retry_entry(seq)
            if in_chain:
                backs = await self._client.hmget(self._idem_of, [str(s) for _, s in in_chain])
                for (key, seq), back in zip(in_chain, backs):
                    if back is not None and _lenient(back) == key:
                        continue  # and that key was checked against the signed body in the walk
                    raw = await self._client.get(self._record_key(seq))
                    target = _decode(seq, raw) if raw is not None else None
                    if target is not None and target.get(IDEM_FIELD) is None:
                        continue  # filed before bodies carried the digest: cannot be checked
                    return verifier.stray_retry_entry(seq, target)
            if not cursor or cursor == b"0":
                return None

    async def _beyond_head(self, verifier: ChainVerifier, low: int, top: int) -> VerifyResult | None:
        """A record stored past the head (DEL of the head, a head moved back), or a time-index
        entry for no record in the chain; None when there is neither."""
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.exists(self._record_key(top + 1))
            pipe.zcard(self._time)
            probe, indexed = await pipe.execute()
        strays: list[int] = []
        if indexed > verifier.checked:
            # Every record checked has its own time entry, so any more are strays (or records
            # appended since the walk began, told apart by the head read afterwards).
            for start in range(0, indexed, _BATCH * 10):
                members = await self._client.zrange(self._time, start, start + _BATCH * 10 - 1)
                strays += [s for s in (int(_text(m)) for m in members) if not low <= s <= top]
        # Read after the probes: an append writes its record, its index and the head in one
        # script, so anything it added is covered by the head read now.
        head_now = ChainLink.from_json(await self._client.get(self._head))
        limit = head_now.seq if head_now else 0
        beyond = sorted({s for s in strays if s > limit} | ({top + 1} if probe and top + 1 > limit else set()))
        below = sorted(s for s in strays if s < low)
        if beyond:
            raw = await self._client.get(self._record_key(beyond[0]))
            if raw is not None:
                return verifier.beyond_head(str(_decode(beyond[0], raw).get("reference", beyond[0])))
            return verifier.stray_index(beyond[0])
        if below:
            return verifier.stray_index(below[0])
        return None

    async def purge(self, before: datetime) -> int:
        """Remove the oldest records created before `before`, keeping the chain verifiable.

        Only an unbroken run from the start of the chain is removed, and the purge is refused
        with ChainError if that run fails verification: purging must never launder tampering.
        """
        cutoff = epoch_micros(before)
        total = 0
        while True:
            removed, more = await self._purge_batch(cutoff)
            total += removed
            if not more:
                return total

    async def _purge_batch(self, cutoff: int) -> tuple[int, bool]:
        for _ in range(_MAX_PURGE_ATTEMPTS):
            try:
                return await self._try_purge_batch(cutoff)
            except WatchError:
                await asyncio.sleep(random.uniform(0, 0.05))
            except _UNAVAILABLE as exc:
                raise StoreUnavailable("record store unreachable; purge stopped") from exc
        raise StoreError("purge kept clashing with another purge; try again")

    async def _try_purge_batch(self, cutoff: int) -> tuple[int, bool]:
        async with self._client.pipeline(transaction=True) as pipe:
            # Watching the anchor serialises purges; appends never touch the purged range.
            await pipe.watch(self._anchor)
            anchor = ChainLink.from_json(await pipe.get(self._anchor))
            head = ChainLink.from_json(await pipe.get(self._head))
            low = anchor.seq + 1 if anchor else 1
            high = min(head.seq if head else 0, low + _BATCH - 1)
            if high < low:
                return 0, False
            prefix: list[dict[str, Any]] = []
            reached_cutoff = False
            verifier = ChainVerifier(anchor, keys=self._keys)
            # The index entries are read outside the watched transaction; the anchor watch still
            # makes this purge fail (and retry) if another purge ran meanwhile.
            for rec, index in await self._read_indexed(list(range(low, high + 1))):
                # The hashed created_at decides what is old enough; a record whose time cannot be
                # read is fed, and fails, below.
                if not created_before(rec, cutoff, unreadable=True):
                    reached_cutoff = True
                    break
                # A removed record shows as a gap, and a record whose index disagrees with its
                # body is refused: purging must never launder tampering.
                failed = verifier.feed(rec, index)
                if failed is not None:
                    raise ChainError(failed)
                prefix.append(rec)
            if not prefix:
                return 0, False
            seqs = [rec["seq"] for rec in prefix]
            idem_keys = await pipe.hmget(self._idem_of, [str(s) for s in seqs])
            pipe.multi()
            for rec, key in zip(prefix, idem_keys):
                seq = rec["seq"]
                pipe.delete(self._record_key(seq))
                pipe.zrem(self._time, str(seq))
                user_id, organisation = practitioner_of(rec)
                if user_id is not None:
                    pipe.zrem(self._practitioner_key(user_id), str(seq))
                if organisation is not None:
                    pipe.zrem(self._organisation_key(organisation), str(seq))
                if key is not None:
                    pipe.hdel(self._idem, _text(key))
                pipe.hdel(self._idem_of, str(seq))
            last = prefix[-1]
            pipe.set(self._anchor, ChainLink.of(last).signed(self._keys, "anchor").to_json())
            await pipe.execute()
        more = not reached_cutoff and high < (head.seq if head else 0)
        return len(prefix), more

    async def ping(self) -> bool:
        """True when Redis answers."""
        return await _ping(self._client)

    async def close(self) -> None:
        """Nothing to release: the client belongs to whoever created it (see state.factory)."""
