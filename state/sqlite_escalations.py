"""Escalations, conversation references and DSL registrations in the embedded SQLite file.

Same pattern as state/sqlite_store.py: one connection per store, used from its own thread, WAL and
synchronous=FULL. Every read-modify-write runs inside `BEGIN IMMEDIATE`, so two processes sharing
the file (or two stores in one process) never both claim the same re-ping.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime
from typing import Any, Collection, Mapping

from state.base import Change, EscalationStoreBase, RegistrationStoreBase, reference_json, retried_job
from state.escalation_docs import DONE_JOBS_KEPT_SECONDS, WAITING, format_id, micros
from state.interfaces import NotFound
from state.records_chain import to_utc
from state.sqlite_store import SqliteBacked, _SqliteConnection, begin_filing

_SCHEMA = """
CREATE TABLE IF NOT EXISTS escalations (
    n               INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    organisation    TEXT NOT NULL,
    status          TEXT NOT NULL,
    due_us          INTEGER,
    lease_us        INTEGER,
    lease_worker    TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    body            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalations_due ON escalations(due_us) WHERE due_us IS NOT NULL;
CREATE INDEX IF NOT EXISTS escalations_organisation ON escalations(organisation, n);
CREATE TABLE IF NOT EXISTS escalation_counters (
    kind TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS conversation_refs (
    key        TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS registrations (
    organisation  TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (organisation, user_id)
);
CREATE TABLE IF NOT EXISTS escalation_jobs (
    key          TEXT PRIMARY KEY,
    due_us       INTEGER,
    lease_us     INTEGER,
    lease_worker TEXT,
    done_us      INTEGER,
    body         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalation_jobs_due ON escalation_jobs(due_us) WHERE due_us IS NOT NULL;
CREATE TABLE IF NOT EXISTS join_code_failures (
    user_id TEXT NOT NULL,
    at_us   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS join_code_failures_user ON join_code_failures(user_id, at_us);
"""



def _lease_due(conn: sqlite3.Connection, table: str, id_column: str, condition: str, now_us: int, lease_us: int,
               worker: str, limit: int) -> list[dict[str, Any]]:
    """Lease the rows of `table` that are due (and meet `condition`, SQL ending in AND) to one
    worker, in one transaction; their bodies, soonest due first. Table and columns are constants."""
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(
        f"UPDATE {table} SET lease_us = ?, lease_worker = ?"
        f" WHERE {id_column} IN (SELECT {id_column} FROM {table} WHERE {condition}"
        "   due_us IS NOT NULL AND due_us <= ? AND (lease_us IS NULL OR lease_us <= ?) ORDER BY due_us LIMIT ?)"
        " RETURNING due_us, body",
        (lease_us, worker, now_us, now_us, limit),
    ).fetchall()
    conn.execute("COMMIT")
    return [json.loads(body) for _, body in sorted(rows, key=lambda r: r[0])]


class _Db(_SqliteConnection):
    """The shared connection class, with this module's tables created on first use."""

    def _open(self) -> sqlite3.Connection:
        conn = super()._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.close()
            raise
        return conn


class _SqliteStore(SqliteBacked):
    """A store on the shared file whose connection also creates this module's tables."""

    connection = _Db


def _read(conn: sqlite3.Connection, escalation_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT body FROM escalations WHERE id = ?", (escalation_id,)).fetchone()
    return json.loads(row[0]) if row else None


def _write(conn: sqlite3.Connection, doc: dict[str, Any], *, release: bool) -> None:
    lease = ", lease_us = NULL, lease_worker = NULL" if release else ""
    conn.execute(
        f"UPDATE escalations SET status = ?, due_us = ?, body = ?{lease} WHERE id = ?",
        (doc["status"], micros(doc.get("due_at")), json.dumps(doc, ensure_ascii=False), doc["id"]),
    )


class SqliteEscalationStore(_SqliteStore, EscalationStoreBase):
    """DSL requests and MASH hand-offs; the due column is the re-ping schedule."""

    async def _create(self, doc: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        def write(conn: sqlite3.Connection) -> tuple[dict[str, Any], bool]:
            row = begin_filing(conn, "escalations", "body", idempotency_key)
            if row is not None:
                return json.loads(row[0]), False
            (number,) = conn.execute(
                "INSERT INTO escalation_counters (kind, n) VALUES (?, 1)"
                " ON CONFLICT(kind) DO UPDATE SET n = n + 1 RETURNING n",
                (doc["kind"],),
            ).fetchone()
            doc["id"] = format_id(doc["kind"], int(number))
            conn.execute(
                "INSERT INTO escalations (id, kind, organisation, status, due_us, idempotency_key, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc["id"], doc["kind"], doc["organisation"], doc["status"], micros(doc["due_at"]),
                 idempotency_key, json.dumps(doc, ensure_ascii=False)),
            )
            conn.execute("COMMIT")
            return doc, True

        return await self._db.run(write)

    async def get(self, escalation_id: str) -> dict[str, Any] | None:
        """One escalation by id."""
        return await self._db.run(lambda conn: _read(conn, escalation_id))

    async def _update(self, escalation_id: str, change: Change, *, release: bool) -> dict[str, Any]:
        def write(conn: sqlite3.Connection) -> dict[str, Any]:
            # IMMEDIATE: two processes sharing the file never both change (or claim) one escalation.
            conn.execute("BEGIN IMMEDIATE")
            doc = _read(conn, escalation_id)
            if doc is None:
                conn.execute("ROLLBACK")
                raise NotFound(escalation_id)
            try:
                change(doc)
            except Exception:
                conn.execute("ROLLBACK")
                raise
            _write(conn, doc, release=release)
            conn.execute("COMMIT")
            return doc

        return await self._db.run(write)

    async def _claim_due(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        return await self._db.run(
            lambda conn: _lease_due(conn, "escalations", "n", f"status = '{WAITING}' AND", now_us, lease_us, worker, limit))

    async def _list(self, organisation: str | None, status: str | None, kind: str | None,
                    limit: int) -> list[dict[str, Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("organisation", organisation), ("status", status), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        params.append(limit)

        def read(conn: sqlite3.Connection) -> list[tuple[str]]:
            return conn.execute(f"SELECT body FROM escalations{where} ORDER BY n DESC LIMIT ?", params).fetchall()

        return [json.loads(body) for (body,) in await self._db.run(read)]

    # ---- The job outbox ----------------------------------------------------------------------------

    async def _add_job(self, key: str, body: str, due: int) -> bool:
        def write(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "INSERT INTO escalation_jobs (key, due_us, body) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING",
                (key, due, body),
            )
            return cur.rowcount == 1

        return await self._db.run(write)

    async def _claim_jobs(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        return await self._db.run(
            lambda conn: _lease_due(conn, "escalation_jobs", "key", "", now_us, lease_us, worker, limit))

    async def _retry_job(self, key: str, due: int, fields: Mapping[str, Any] | None) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT body FROM escalation_jobs WHERE key = ? AND done_us IS NULL", (key,)).fetchone()
            if row is None:
                conn.execute("ROLLBACK")
                return
            conn.execute(
                "UPDATE escalation_jobs SET due_us = ?, lease_us = NULL, lease_worker = NULL, body = ? WHERE key = ?",
                (due, retried_job(row[0], key, fields), key),
            )
            conn.execute("COMMIT")

        await self._db.run(write)

    async def finish_job(self, key: str) -> None:
        """Never due again; the key stays taken (finished jobs are forgotten after 30 days)."""
        now_us = int(time.time() * 1_000_000)

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE escalation_jobs SET due_us = NULL, lease_us = NULL, lease_worker = NULL, done_us = ?"
                " WHERE key = ?", (now_us, key),
            )
            conn.execute("DELETE FROM escalation_jobs WHERE done_us IS NOT NULL AND done_us < ?",
                         (now_us - DONE_JOBS_KEPT_SECONDS * 1_000_000,))
            conn.execute("COMMIT")

        await self._db.run(write)


class SqliteReferenceStore(_SqliteStore):
    """Conversation references (for proactive messages), keyed by user id or 'channel:<id>'."""

    async def put(self, key: str, reference: dict[str, Any]) -> None:
        """Store (or replace) the reference."""
        await self.put_many({key: reference})

    async def put_many(self, references: Mapping[str, dict[str, Any]]) -> None:
        """Store (or replace) several references in one transaction."""
        if not references:
            return
        now = int(time.time() * 1_000_000)
        rows = [(key, reference_json(ref), now) for key, ref in references.items()]

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO conversation_refs (key, body, updated_us) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET body = excluded.body, updated_us = excluded.updated_us",
                rows,
            )
            conn.execute("COMMIT")

        await self._db.run(write)

    async def get(self, key: str) -> dict[str, Any] | None:
        """The stored reference, or None."""

        def read(conn: sqlite3.Connection) -> tuple[str] | None:
            return conn.execute("SELECT body FROM conversation_refs WHERE key = ?", (key,)).fetchone()

        row = await self._db.run(read)
        return json.loads(row[0]) if row else None

    async def delete(self, keys: Collection[str]) -> None:
        """Forget the references under these keys."""
        rows = [(key,) for key in keys]
        if not rows:
            return

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("DELETE FROM conversation_refs WHERE key = ?", rows)
            conn.execute("COMMIT")

        await self._db.run(write)


class SqliteRegistrationStore(_SqliteStore, RegistrationStoreBase):
    """DSLs and deputies who registered themselves with their organisation's join code."""

    async def _register(self, registration: dict[str, Any]) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO registrations (organisation, user_id, name, role, registered_at)"
                " VALUES (:organisation, :user_id, :name, :role, :registered_at)"
                " ON CONFLICT(organisation, user_id) DO UPDATE SET"
                " name = excluded.name, role = excluded.role, registered_at = excluded.registered_at",
                registration,
            )

        await self._db.run(write)

    async def unregister(self, organisation: str, user_id: str) -> bool:
        """Remove a registration; True if there was one."""

        def write(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "DELETE FROM registrations WHERE organisation = ? AND user_id = ?", (organisation, user_id)
            )
            return cur.rowcount == 1

        return await self._db.run(write)

    async def registrations(self) -> list[dict[str, Any]]:
        """Every registration, oldest first."""

        def read(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, str]]:
            return conn.execute(
                "SELECT organisation, user_id, name, role, registered_at FROM registrations"
                " ORDER BY registered_at, organisation, user_id"
            ).fetchall()

        return [
            {"organisation": o, "user_id": u, "name": n, "role": r, "registered_at": at}
            for o, u, n, r, at in await self._db.run(read)
        ]

    async def add_failed_code(self, user_id: str, at: datetime, *, window_seconds: int) -> int:
        """Note a wrong join code; how many this user typed in the window up to `at`."""
        at_us = micros(to_utc(at))
        since_us = at_us - int(window_seconds * 1_000_000)

        def write(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM join_code_failures WHERE user_id = ? AND at_us <= ?", (user_id, since_us))
            conn.execute("INSERT INTO join_code_failures (user_id, at_us) VALUES (?, ?)", (user_id, at_us))
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM join_code_failures WHERE user_id = ? AND at_us > ? AND at_us <= ?",
                (user_id, since_us, at_us),
            ).fetchone()
            conn.execute("COMMIT")
            return int(count)

        return await self._db.run(write)

    async def failed_codes(self, user_id: str, since: datetime) -> int:
        """How many wrong join codes this user typed since then."""
        since_us = micros(to_utc(since))

        def read(conn: sqlite3.Connection) -> int:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM join_code_failures WHERE user_id = ? AND at_us > ?", (user_id, since_us)
            ).fetchone()
            return int(count)

        return await self._db.run(read)
