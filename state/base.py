"""What every storage backend does the same way, written once.

Each store's public methods live here: the argument checks, the listing filters, the lease windows
and the read-change-write of an escalation document. A backend (state/sqlite_*.py,
state/redis_*.py) subclasses these and supplies only how it stores, indexes and locks, in the
underscored hooks (the pattern of errbot's storage/base.py). So SQLite and Redis cannot drift apart
on what a record filter means or on which calls are refused; the contract suites check the rest.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Collection, Mapping

from state.escalation_docs import KINDS, apply_reschedule, apply_transition, iso, micros, prepare_new
from state.records_chain import canonical_json, epoch_micros, record_matches, to_utc

# A change to one escalation document, made inside the backend's read-modify-write.
Change = Callable[[dict[str, Any]], None]


def reference_json(reference: Mapping[str, Any]) -> str:
    """A conversation reference as stored (compact JSON)."""
    return json.dumps(reference, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class RecordQuery:
    """RecordStore.list's filters, with times as epoch microseconds (since inclusive, until exclusive)."""

    practitioner_id: str | None
    organisation: str | None
    since_us: int | None
    until_us: int | None
    limit: int

    def matches(self, record: dict[str, Any]) -> bool:
        """True when the record's hashed body meets every filter (a backend's index only narrows)."""
        return record_matches(record, practitioner_id=self.practitioner_id, organisation=self.organisation,
                              since_us=self.since_us, until_us=self.until_us)


class RecordStoreBase(ABC):
    """The public side of a record store; a backend supplies _append and _list."""

    async def append(self, record: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """File a record; return it as stored. The same idempotency_key twice files it once."""
        if not idempotency_key:
            raise ValueError("idempotency_key is required")
        # A deep, JSON-normalised copy: what is hashed is exactly what is stored and read back.
        return await self._append(json.loads(canonical_json(record)), idempotency_key)

    async def list(
        self,
        *,
        practitioner_id: str | None = None,
        organisation: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Records matching every filter (since inclusive, until exclusive), newest first."""
        if limit <= 0:
            return []
        return await self._list(RecordQuery(
            practitioner_id, organisation,
            epoch_micros(since) if since is not None else None,
            epoch_micros(until) if until is not None else None,
            limit,
        ))

    # ---- What each backend supplies -------------------------------------------------------------------

    @abstractmethod
    async def _append(self, record: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """File a normalised record under the idempotency key (once), chained onto the head."""

    @abstractmethod
    async def _list(self, query: RecordQuery) -> list[dict[str, Any]]:
        """Records the query matches, newest first, at most query.limit."""


def lease_window(now: datetime, lease_seconds: int) -> tuple[int, int]:
    """(now, the end of a lease taken now), as epoch microseconds."""
    start = to_utc(now)
    return epoch_micros(start), epoch_micros(start + timedelta(seconds=lease_seconds))


def retried_job(stored: str | bytes, key: str, fields: Mapping[str, Any] | None) -> str:
    """A queued job's JSON with a retry's fields merged in (its key kept)."""
    extra = json.loads(json.dumps(dict(fields or {}), ensure_ascii=False))
    return json.dumps({**json.loads(stored), **extra, "key": key}, ensure_ascii=False)


class EscalationStoreBase(ABC):
    """The public side of an escalation store; a backend supplies the hooks named in each method.

    What a document looks like and what a status change does to it are state/escalation_docs.py's;
    this class only checks the arguments and hands the backend a change to make atomically.
    """

    async def create(self, escalation: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        """Store a new escalation (assigning its id); (existing, False) if the key was seen before."""
        if not idempotency_key:
            raise ValueError("idempotency_key is required")
        return await self._create(prepare_new(escalation, datetime.now().astimezone()), idempotency_key)

    async def transition(
        self,
        escalation_id: str,
        status: str,
        *,
        by: str,
        name: str,
        at: datetime,
        note: str = "",
        allowed_from: Collection[str] | None = None,
    ) -> dict[str, Any]:
        """Move to a new status, appending to history; leaving 'requested' stops the re-pings."""

        def change(doc: dict[str, Any]) -> None:
            apply_transition(doc, status, by=by, name=name, at=at, note=note, allowed_from=allowed_from)

        return await self._update(escalation_id, change, release=False)

    async def reschedule(
        self,
        escalation_id: str,
        *,
        stage: int,
        due_at: datetime | None,
        fields: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Record the stage done and the next due time; release the lease."""

        def change(doc: dict[str, Any]) -> None:
            apply_reschedule(doc, stage=stage, due_at=due_at, fields=fields)

        return await self._update(escalation_id, change, release=True)

    async def claim_due(
        self, now: datetime, *, worker: str, lease_seconds: int = 60, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Due, still-requested escalations, each leased to this worker alone."""
        return await self._claim_due(*lease_window(now, lease_seconds), worker, limit)

    async def list(
        self,
        *,
        organisation: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Escalations matching every filter, newest first."""
        if limit <= 0 or (kind is not None and kind not in KINDS):
            return []
        return await self._list(organisation, status, kind, limit)

    # ---- The job outbox ----------------------------------------------------------------------------

    async def add_job(self, key: str, job: dict[str, Any], due_at: datetime) -> bool:
        """Queue a job once per key; False if the key was queued before."""
        if not key:
            raise ValueError("a job needs a key")
        body = json.dumps({**job, "key": key}, ensure_ascii=False)
        return await self._add_job(key, body, micros(to_utc(due_at)))

    async def claim_jobs(
        self, now: datetime, *, worker: str, lease_seconds: int = 60, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Due jobs, each leased to this worker alone."""
        return await self._claim_jobs(*lease_window(now, lease_seconds), worker, limit)

    async def retry_job(self, key: str, *, due_at: datetime, fields: Mapping[str, Any] | None = None) -> None:
        """Due again at due_at (fields merged in); the lease is released."""
        await self._retry_job(key, micros(to_utc(due_at)), fields)

    # ---- What each backend supplies -------------------------------------------------------------------

    @abstractmethod
    async def _create(self, doc: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        """Store doc under a new id, unless the key was seen before: (stored, created)."""

    @abstractmethod
    async def _update(self, escalation_id: str, change: Change, *, release: bool) -> dict[str, Any]:
        """Read, change and write one escalation atomically (NotFound when there is none); with
        release, this worker's lease on it ends."""

    @abstractmethod
    async def _claim_due(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        """Lease the due, still-requested escalations to worker until lease_us."""

    @abstractmethod
    async def _list(self, organisation: str | None, status: str | None, kind: str | None,
                    limit: int) -> list[dict[str, Any]]:
        """Escalations matching every given filter, newest first, at most limit."""

    @abstractmethod
    async def _add_job(self, key: str, body: str, due_us: int) -> bool:
        """Queue body under key, due at due_us, unless the key was ever queued."""

    @abstractmethod
    async def _claim_jobs(self, now_us: int, lease_us: int, worker: str, limit: int) -> list[dict[str, Any]]:
        """Lease the due jobs until lease_us."""

    @abstractmethod
    async def _retry_job(self, key: str, due_us: int, fields: Mapping[str, Any] | None) -> None:
        """Make a queued job due at due_us with fields merged in, releasing its lease."""


class RegistrationStoreBase(ABC):
    """The public side of a registration store; a backend supplies _register."""

    async def register(self, organisation: str, user_id: str, *, name: str, role: str) -> None:
        """Add or update a registration (role: 'dsl' or 'deputy')."""
        if role not in ("dsl", "deputy"):
            raise ValueError("role must be 'dsl' or 'deputy'")
        await self._register({"organisation": organisation, "user_id": user_id, "name": name, "role": role,
                              "registered_at": iso(datetime.now().astimezone())})

    # ---- What each backend supplies -------------------------------------------------------------------

    @abstractmethod
    async def _register(self, registration: dict[str, Any]) -> None:
        """Add or replace this registration."""

