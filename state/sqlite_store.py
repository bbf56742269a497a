"""The embedded backend: one SQLite file, no server. Used when no Redis URL is configured.

Each store owns one connection used from one dedicated thread, so the event loop never blocks on
disk and the connection is never shared between threads. Several processes may open the same file:
WAL lets readers run beside the writer, and `BEGIN IMMEDIATE` plus a busy timeout makes writers
queue for the lock instead of failing.
"""

from __future__ import annotations

import asyncio
import functools
import os
import queue
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterator, TypeVar

from state import state_json
from state.base import RecordQuery, RecordStoreBase
from state.interfaces import StoreUnavailable, VerifyResult, VersionConflict
from state.records_chain import ZERO_HASH, ChainError, ChainKeys, ChainLink, ChainVerifier, build_record
from state.records_chain import canonical_json, created_before, created_micros, decode_stored, epoch_micros
from state.records_chain import head_behind, practitioner_of

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    state       TEXT NOT NULL,  -- state_json.pack bytes, stored as a BLOB (JSON text before 2026-12)
    updated_at  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated_at);
CREATE TABLE IF NOT EXISTS deliveries (
    conversation_id TEXT NOT NULL,
    activity_key    TEXT NOT NULL,
    at              REAL NOT NULL,
    PRIMARY KEY (conversation_id, activity_key)
);
CREATE INDEX IF NOT EXISTS deliveries_at ON deliveries(at);
CREATE TABLE IF NOT EXISTS records (
    seq             INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    created_us      INTEGER NOT NULL,
    practitioner_id TEXT,
    organisation    TEXT,
    idempotency_key TEXT UNIQUE,
    body            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_practitioner ON records(practitioner_id, seq);
CREATE INDEX IF NOT EXISTS records_organisation ON records(organisation, seq);
CREATE INDEX IF NOT EXISTS records_created ON records(created_us);
CREATE TABLE IF NOT EXISTS chain_links (
    name      TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    reference TEXT,
    mac       TEXT
);
"""

_PAGE = 500
_SWEEP_EVERY_SECONDS = 3600.0


class _SqliteConnection:
    """One sqlite3 connection, opened lazily and only ever used from its own thread."""

    def __init__(self, path: str | os.PathLike[str], busy_timeout_seconds: float, synchronous: str = "FULL") -> None:
        self._path = Path(path)
        self._busy_timeout = busy_timeout_seconds
        self._synchronous = synchronous
        # The store's own thread, fed by a queue: half the CPU of run_in_executor's hand-over
        # (two or three of them every turn), and still one thread per connection.
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()  # (job, future, loop), or None: stop
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn(connection) on the store's thread; disk and lock failures become StoreUnavailable."""
        if self._closed:
            raise StoreUnavailable("store is closed")
        try:
            return await self._on_thread(functools.partial(self._call, fn))
        except sqlite3.OperationalError as exc:
            # Locked past the busy timeout, disk full, read-only or unopenable file: the
            # transaction was rolled back, so nothing was written.
            raise StoreUnavailable(f"sqlite store unavailable: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"sqlite store unavailable: {exc}") from exc

    def _on_thread(self, job: Callable[[], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="sharesafe-sqlite", daemon=True)
            self._thread.start()
        self._jobs.put((job, future, loop))
        return future

    def _serve(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future, loop = item
            try:
                result, error = job(), None
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                result, error = None, exc
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # that event loop is closed: nobody is waiting any more
                pass

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            self._conn = self._open()
        conn = self._conn
        try:
            return fn(conn)
        finally:
            if conn.in_transaction:
                conn.rollback()

    def _open(self) -> sqlite3.Connection:
        # Records hold personal data about children: keep the directory and file private to
        # the service account (SQLite gives the -wal and -shm files the database's permissions).
        if not self._path.parent.exists():
            self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self._path.exists():
            os.close(os.open(self._path, os.O_CREAT | os.O_RDWR, 0o600))
        conn = sqlite3.connect(
            self._path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self._use_wal(conn)
            # FULL: a commit is on disk before it returns, so "recorded" is never said early.
            # NORMAL (conversation state only): in WAL mode a commit survives the process dying at
            # once, and the next FULL commit or checkpoint puts it on disk; a power cut can only
            # take the last few turns back, never corrupt the file (docs/performance.md).
            conn.execute("PRAGMA synchronous=NORMAL" if self._synchronous == "NORMAL" else "PRAGMA synchronous=FULL")
            # Purged records are overwritten on disk rather than left in free pages.
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            # Stores made before records were signed: the head and anchor gain a signature column.
            if "mac" not in {row[1] for row in conn.execute("PRAGMA table_info(chain_links)")}:
                conn.execute("ALTER TABLE chain_links ADD COLUMN mac TEXT")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL takes a lock that SQLite does not wait for (no busy
        # handler), so two processes opening a fresh file at once need this retry.
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    async def ping(self) -> bool:
        """True when the database file can be opened and read."""
        try:
            await self.run(lambda conn: conn.execute("SELECT 1").fetchone())
        except StoreUnavailable:
            return False
        return True

    async def close(self) -> None:
        """Close the connection on its own thread and stop the thread."""
        if self._closed:
            return
        self._closed = True
        if self._thread is None:
            return
        await self._on_thread(self._close_conn)
        self._jobs.put(None)

    def _close_conn(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class SqliteBacked:
    """A store on the SQLite file: its own connection and thread, opened at start-up."""

    connection: type[_SqliteConnection] = _SqliteConnection
    # Records, escalations and the directory: every commit is on disk before it returns.
    synchronous = "FULL"

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_seconds: float = 10.0) -> None:
        self._db = self.connection(path, busy_timeout_seconds, self.synchronous)

    async def open(self) -> None:
        """Create the file and schema now, so a bad data directory fails at start-up."""
        await self._db.run(lambda conn: None)

    async def ping(self) -> bool:
        """True when the store answers."""
        return await self._db.ping()

    async def close(self) -> None:
        """Release the connection."""
        await self._db.close()


class SqliteConversationStore(SqliteBacked):
    """Conversation state in SQLite, compare-and-set on a version column."""

    # A turn's state is not a record: it need not wait for the disk (an fsync a turn was most of a
    # turn's latency). Records filed in the turn are on disk before "recorded" is said, by their
    # own store's FULL commit, which also flushes every state written before it.
    synchronous = "NORMAL"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        idle_ttl_seconds: int | None = 86400,
        busy_timeout_seconds: float = 10.0,
    ) -> None:
        super().__init__(path, busy_timeout_seconds=busy_timeout_seconds)
        self._ttl = idle_ttl_seconds
        self._last_sweep = 0.0

    def _cutoff(self, now: float) -> float:
        # Rows idle past the TTL count as gone, as they do in Redis; -1 never matches.
        return now - self._ttl if self._ttl else -1.0

    async def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, int]:
        """Return (state, version); (None, 0) for a new or expired conversation."""

        def read(conn: sqlite3.Connection) -> tuple[bytes | str, int, float] | None:
            return conn.execute(
                "SELECT state, version, updated_at FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()

        row = await self._db.run(read)
        if row is None or row[2] < self._cutoff(time.time()):
            return None, 0
        stored = row[0]
        # A BLOB is state_json.pack's; text is the JSON an earlier release stored.
        return (state_json.unpack(stored) if isinstance(stored, bytes) else state_json.decode(stored)), int(row[1])

    async def save(self, conversation_id: str, state: dict[str, Any], expected_version: int) -> int:
        """Write state if the stored version is still expected_version; return the new version."""
        # Deflated against the state dictionary: a whole walk's state under 1 KB, so each turn's
        # write (and its WAL frame) is a fraction of a page.
        payload = state_json.pack(state)
        new_version = expected_version + 1

        def write(conn: sqlite3.Connection) -> int:
            now = time.time()
            cutoff = self._cutoff(now)
            if expected_version == 0:
                # New conversation, or one whose old row has expired: (re)start at version 1.
                cur = conn.execute(
                    "INSERT INTO conversations (id, version, state, updated_at) VALUES (?, 1, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET version = 1, state = excluded.state,"
                    " updated_at = excluded.updated_at WHERE conversations.updated_at < ?",
                    (conversation_id, payload, now, cutoff),
                )
            else:
                cur = conn.execute(
                    "UPDATE conversations SET version = ?, state = ?, updated_at = ?"
                    " WHERE id = ? AND version = ? AND updated_at >= ?",
                    (new_version, payload, now, conversation_id, expected_version, cutoff),
                )
            if cur.rowcount != 1:
                raise VersionConflict(conversation_id)
            if self._ttl and now - self._last_sweep > _SWEEP_EVERY_SECONDS:
                # Idle conversations hold answers about a child: do not keep them longer than needed.
                self._last_sweep = now
                conn.execute("DELETE FROM conversations WHERE updated_at < ?", (cutoff,))
                conn.execute("DELETE FROM deliveries WHERE at < ?", (cutoff,))
            return new_version

        return await self._db.run(write)

    async def mark_delivered(self, conversation_id: str, key: str) -> None:
        """Note that the replies to one activity (its activity_key) were accepted by the Bot Connector."""
        await self.mark_delivered_many([(conversation_id, key)])

    async def mark_delivered_many(self, delivered: list[tuple[str, str]]) -> None:
        """mark_delivered for several activities in one transaction."""
        now = time.time()
        await self._db.run(lambda conn: conn.executemany(
            "INSERT OR IGNORE INTO deliveries (conversation_id, activity_key, at) VALUES (?, ?, ?)",
            [(conversation_id, key, now) for conversation_id, key in delivered]))

    async def delivered(self, conversation_id: str, key: str) -> bool:
        """True when mark_delivered was called for this activity (and has not expired)."""
        row = await self._db.run(lambda conn: conn.execute(
            "SELECT 1 FROM deliveries WHERE conversation_id = ? AND activity_key = ?",
            (conversation_id, key)).fetchone())
        return row is not None


def begin_filing(conn: sqlite3.Connection, table: str, columns: str, idempotency_key: str) -> tuple[Any, ...] | None:
    """Take the write lock; return the row already filed under this idempotency key (and end the
    transaction), or None with the lock still held. Table and columns are constants."""
    # IMMEDIATE takes the lock before anything is read, so two writers (threads or processes) can
    # never both file under one key, nor both chain onto the same record.
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute(f"SELECT {columns} FROM {table} WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
    if row is not None:
        conn.execute("ROLLBACK")
    return row


def _decode(reference: str, body: str) -> dict[str, Any]:
    return decode_stored(body, reference)


# Every column kept beside the hashed body, in the order _index() reads them.
_ROW = "seq, reference, created_us, practitioner_id, organisation, body"


def _index(row: tuple[Any, ...]) -> dict[str, Any]:
    """The searchable columns of a records row (selected as _ROW), to check against its body."""
    seq, reference, created_us, practitioner_id, organisation, _ = row
    return {"seq": seq, "reference": reference, "created_us": created_us,
            "practitioner_id": practitioner_id, "organisation": organisation}


def _get_link(conn: sqlite3.Connection, name: str) -> ChainLink | None:
    row = conn.execute("SELECT seq, hash, reference, mac FROM chain_links WHERE name = ?", (name,)).fetchone()
    return ChainLink(int(row[0]), str(row[1]), row[2], row[3]) if row else None


def _set_link(conn: sqlite3.Connection, name: str, link: ChainLink) -> None:
    conn.execute(
        "INSERT INTO chain_links (name, seq, hash, reference, mac) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
        " reference = excluded.reference, mac = excluded.mac",
        (name, link.seq, link.hash, link.reference, link.mac),
    )


class SqliteRecordStore(SqliteBacked, RecordStoreBase):
    """Decision records in SQLite: append-only, hash-chained, on disk before append returns."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_seconds: float = 10.0,
                 keys: ChainKeys | None = None) -> None:
        super().__init__(path, busy_timeout_seconds=busy_timeout_seconds)
        # SHARESAFE_CHAIN_KEYS: records, head and anchor are signed, and verify checks them.
        self._keys = keys

    async def _append(self, normalised: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        def write(conn: sqlite3.Connection) -> dict[str, Any]:
            row = begin_filing(conn, "records", "reference, body", idempotency_key)
            if row is not None:
                return _decode(row[0], row[1])
            head = _get_link(conn, "head")
            seq = head.seq + 1 if head else 1
            # A head that is missing or behind the records (tampering, a bad restore) would make
            # this record overwrite or fork the evidence: refuse, and file nothing.
            (top,) = conn.execute("SELECT MAX(seq) FROM records").fetchone()
            anchor = _get_link(conn, "anchor")
            if (top is not None and top >= seq) or (anchor is not None and anchor.seq >= seq):
                conn.execute("ROLLBACK")
                raise head_behind(seq, "head is missing or behind its records")
            stored = build_record(normalised, seq=seq, prev_hash=head.hash if head else ZERO_HASH, keys=self._keys,
                                  idempotency_key=idempotency_key)
            user_id, organisation = practitioner_of(stored)
            try:
                conn.execute(
                    "INSERT INTO records (seq, reference, created_us, practitioner_id, organisation,"
                    " idempotency_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        stored["seq"],
                        stored["reference"],
                        created_micros(stored),
                        user_id,
                        organisation,
                        idempotency_key,
                        canonical_json(stored),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                # The reference is taken by a row whose seq column was changed: the same story.
                conn.execute("ROLLBACK")
                raise head_behind(seq, "reference taken by a row with another seq") from exc
            _set_link(conn, "head", ChainLink.of(stored).signed(self._keys, "head"))
            conn.execute("COMMIT")
            return stored

        return await self._db.run(write)

    async def get(self, reference: str) -> dict[str, Any] | None:
        """One record by reference, or None."""

        def read(conn: sqlite3.Connection) -> tuple[str, str] | None:
            return conn.execute(
                "SELECT reference, body FROM records WHERE reference = ?", (reference,)
            ).fetchone()

        row = await self._db.run(read)
        if row is None:
            return None
        record = _decode(row[0], row[1])
        # The reference column is outside the hash: never hand back a different record's body.
        return record if record.get("reference") == reference else None

    async def _list(self, query: RecordQuery) -> list[dict[str, Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (("practitioner_id = ?", query.practitioner_id), ("organisation = ?", query.organisation),
                              ("created_us >= ?", query.since_us), ("created_us < ?", query.until_us)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT reference, body FROM records{where} ORDER BY seq DESC LIMIT ?"
        params.append(query.limit)

        def read(conn: sqlite3.Connection) -> list[tuple[str, str]]:
            return conn.execute(sql, params).fetchall()

        # The columns only narrow the search; the hashed body decides (record_matches).
        found = (_decode(ref, body) for ref, body in await self._db.run(read))
        return [record for record in found if query.matches(record)]

    async def export(self, *, since: datetime | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every record (oldest first) created at or after since, read a page at a time.

        `since` is judged by each record's hashed created_at, not the created_us column: an
        auditor's export must not lose a record because an unhashed column was changed.
        """
        since_us = epoch_micros(since) if since is not None else None
        last_seq = 0
        while True:

            def read(conn: sqlite3.Connection, after: int = last_seq) -> list[tuple[int, str, str]]:
                return conn.execute(
                    "SELECT seq, reference, body FROM records WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after, _PAGE),
                ).fetchall()

            rows = await self._db.run(read)
            for seq, reference, body in rows:
                record = _decode(reference, body)
                last_seq = seq
                if since_us is not None and created_before(record, since_us):
                    continue
                yield record
            if len(rows) < _PAGE:
                return

    async def verify(self) -> VerifyResult:
        """Recompute the chain from the purge anchor to the head; name the first break.

        Also checks that the head names the last record (none stored beyond it) and that every
        searchable column (seq, reference, created_us, practitioner_id, organisation) matches
        the hashed body. What it cannot see by itself: the newest records deleted together with
        the head rewritten to the last one left. Note the head reference and hash in the result
        (`records verify` prints them) outside the store, and compare them next time.
        """

        def check(conn: sqlite3.Connection) -> VerifyResult:
            # One read transaction: a consistent snapshot even while others append.
            conn.execute("BEGIN")
            anchor = _get_link(conn, "anchor")
            head = _get_link(conn, "head")
            verifier = ChainVerifier(anchor, head, check_head=True, keys=self._keys)
            # The idempotency_key column is the retry map: each must be the key the body was filed under.
            cursor = conn.execute(f"SELECT {_ROW}, idempotency_key FROM records ORDER BY seq")
            result: VerifyResult | None = None
            for row in _rows(cursor):
                record = _decode(row[1], row[5])
                result = verifier.feed(record, _index(row[:6]), raw=row[5]) or verifier.retry_entry(record, row[6])
                if result is not None:
                    break
            cursor.close()
            conn.execute("COMMIT")
            return result or verifier.finish()

        return await self._db.run(check)

    async def purge(self, before: datetime) -> int:
        """Remove the oldest records created before `before`, keeping the chain verifiable.

        Only an unbroken run from the start of the chain is removed (a later record with an
        earlier created_at is kept), and the purge is refused with ChainError if that run fails
        verification: purging must never launder tampering.
        """
        cutoff = epoch_micros(before)

        def remove(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            anchor = _get_link(conn, "anchor")
            verifier = ChainVerifier(anchor, keys=self._keys)
            prefix: list[dict[str, Any]] = []
            cursor = conn.execute(f"SELECT {_ROW} FROM records ORDER BY seq")
            for row in _rows(cursor):
                record = _decode(row[1], row[5])
                # The hashed created_at decides what is old enough, never the created_us column
                # (outside the hash); a record whose time cannot be read is fed, and fails, below.
                if not created_before(record, cutoff, unreadable=True):
                    break
                # Each record removed must verify, its columns included: purging never launders
                # tampering, and a changed column never gets a newer record removed.
                failed = verifier.feed(record, _index(row), raw=row[5])
                if failed is not None:
                    cursor.close()
                    conn.execute("ROLLBACK")
                    raise ChainError(failed)
                prefix.append(record)
            cursor.close()
            if not prefix:
                conn.execute("ROLLBACK")
                return 0
            last = prefix[-1]
            conn.execute("DELETE FROM records WHERE seq <= ?", (last["seq"],))
            _set_link(conn, "anchor", ChainLink.of(last).signed(self._keys, "anchor"))
            conn.execute("COMMIT")
            # Push the deleted pages out of the WAL too; best effort, readers may hold it.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            return len(prefix)

        return await self._db.run(remove)


def _rows(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    while True:
        batch = cursor.fetchmany(_PAGE)
        if not batch:
            return
        yield from batch
