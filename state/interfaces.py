"""The store interfaces. Every backend (SQLite embedded, Redis) implements these and passes the
contract tests in tests/test_store_contract.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator, Collection, Mapping, Protocol


class StoreError(Exception):
    """Base class for store failures."""


class StoreUnavailable(StoreError):
    """The store could not be reached or did not confirm the write: nothing was saved."""


class ChainHeadBehind(StoreUnavailable):
    """The record chain's head is missing or behind records already stored: nothing was filed.

    Only tampering or a damaged restore leaves a store like this. Filing would overwrite or fork
    the evidence, so appends are refused until an administrator runs `records verify` and puts it
    right. A StoreUnavailable, so the bot tells the practitioner the record was NOT saved and keeps
    the draft.
    """


class VersionConflict(StoreError):
    """Another worker saved the conversation since it was read; reload and run the turn again."""


class NotFound(StoreError):
    """No such record."""


class InvalidTransition(StoreError):
    """The escalation is no longer in a status the change was allowed from (someone got there first)."""

    def __init__(self, escalation: dict[str, Any]) -> None:
        super().__init__(f"{escalation.get('id')} is {escalation.get('status')}")
        self.escalation = escalation


class ConversationStore(Protocol):
    """Conversation (dialog) state: one small JSON object per conversation, versioned."""

    async def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, int]:
        """Return (state, version); (None, 0) for a new conversation."""

    async def save(self, conversation_id: str, state: dict[str, Any], expected_version: int) -> int:
        """Write state if the stored version is still expected_version; return the new version.

        Raises VersionConflict when another writer got there first, StoreUnavailable when the
        store cannot be reached.
        """

    async def ping(self) -> bool:
        """True when the store answers."""

    async def close(self) -> None:
        """Release connections."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of recomputing the record chain."""

    ok: bool
    # Records checked and found sound before the first problem (every record when ok).
    checked: int
    # The reference of the first record that was altered, or the first missing reference; for a
    # broken link, the record whose link into the one before it fails.
    first_bad: str | None = None
    # A short code: "altered", "missing", "chain broken", "head behind", "index altered",
    # "not authenticated", "retry map altered".
    problem: str = ""
    # The problem in plain English, naming every record involved (no record content).
    detail: str = ""
    # For a broken link: the record before first_bad (it, or first_bad's link, was changed).
    previous: str | None = None
    # The chain head as the store holds it (the last record filed), for an auditor to note
    # outside the store: verify alone cannot see the newest records removed with the head moved.
    head_reference: str | None = None
    head_hash: str | None = None
    head_seq: int = 0
    # The purge anchor (the last record purged), 0 / None when nothing was purged.
    anchor_seq: int = 0
    anchor_hash: str | None = None
    # Records filed before the signing key existed (unsigned; they may only open the chain).
    legacy: int = 0
    # True when signatures were checked (the signing key was given).
    authenticated: bool = False
    # Records filed before bodies carried the digest of their idempotency key: a retry entry
    # pointing at one of them cannot be checked.
    retry_unchecked: int = 0


class RecordStore(Protocol):
    """Decision records: append-only, hash-chained, durable before append returns."""

    async def append(self, record: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """File a record; return it as stored, with reference, created_at, seq, prev_hash, hash.

        The same idempotency_key filed twice returns the first record and files nothing new.
        """

    async def get(self, reference: str) -> dict[str, Any] | None:
        """One record by reference, or None."""

    async def list(
        self,
        *,
        practitioner_id: str | None = None,
        organisation: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Records matching every given filter, newest first."""

    def export(self, *, since: datetime | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every record (oldest first) created at or after since."""

    async def verify(self) -> VerifyResult:
        """Recompute the chain; name the first record altered, removed or stored beyond the head,
        or whose index values disagree with it; report the head for an auditor to note.

        It cannot see the newest records removed together with the head moved back to the last
        one left: compare the head with one noted outside the store.
        """

    async def purge(self, before: datetime) -> int:
        """Remove records created before `before`, keeping the rest of the chain verifiable."""

    async def ping(self) -> bool:
        """True when the store answers."""

    async def close(self) -> None:
        """Release connections."""


class EscalationStore(Protocol):
    """Requests to a DSL and hand-offs to MASH, with their state and re-ping schedule.

    An escalation is a dict: id ("ESC-<n>" / "HO-<n>"), kind ("dsl" | "mash"), organisation,
    practitioner {user_id, name, conversation_id}, summary, note, urgent, status, created_at,
    due_at (the next re-ping, ISO UTC, or None), stage, history [{status, by, name, at, note}].
    The statuses, the stages and the moves between them are the lifecycle's, declared once in
    bot/escalation/machine.py; the store only knows that "requested" waits for its due_at. Callers
    may keep further fields of their own (e.g. the delivery attempts); the store keeps them as given.
    """

    async def create(self, escalation: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        """Store a new escalation (assigning its id); (existing, False) if the key was seen before."""

    async def get(self, escalation_id: str) -> dict[str, Any] | None:
        """One escalation by id."""

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
        """Move to a new status (as the lifecycle decided), appending to history.

        Leaving 'requested' clears due_at (no more re-pings). Raises NotFound; raises
        InvalidTransition (nothing changed) when allowed_from is given and the current status is
        not in it, so that of two DSLs pressing Acknowledge at once exactly one wins.
        """

    async def claim_due(
        self, now: datetime, *, worker: str, lease_seconds: int = 60, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Escalations whose due_at has passed and that are still 'requested', each claimed by this
        worker alone (no other worker gets the same one until the lease runs out)."""

    async def reschedule(
        self,
        escalation_id: str,
        *,
        stage: int,
        due_at: datetime | None,
        fields: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Record that a re-ping stage was done and when the next is due (None: no more).

        `fields` are merged into the escalation (caller-owned fields only; id, status and history
        are the store's). Releases this escalation's lease. An escalation that has left
        'requested' meanwhile keeps due_at None. Returns the escalation as stored; raises NotFound.
        """

    async def list(
        self,
        *,
        organisation: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Escalations matching every given filter, newest first."""

    # A durable outbox beside the re-ping schedule: notices to a practitioner and MASH deliveries
    # that must be retried with backoff, whatever the escalation's status (a notice that a request
    # could not be delivered is due after it has left 'requested').

    async def add_job(self, key: str, job: dict[str, Any], due_at: datetime) -> bool:
        """Queue a background job under a unique key; False (nothing changed) if the key was queued before.

        A job is JSON, without free text (it names the escalation; the text is rendered when sent).
        """

    async def claim_jobs(
        self, now: datetime, *, worker: str, lease_seconds: int = 60, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Jobs whose due time has passed, each claimed by this worker alone until it finishes or
        retries it, or the lease runs out. Each is the job as stored, with its "key"."""

    async def retry_job(self, key: str, *, due_at: datetime, fields: Mapping[str, Any] | None = None) -> None:
        """Try the job again at due_at, with `fields` merged into it; releases the lease."""

    async def finish_job(self, key: str) -> None:
        """Done (sent, or given up): never claimed again, and its key stays taken."""


class ReferenceStore(Protocol):
    """Bot Framework conversation references, for proactive messages (keyed by user or channel)."""

    async def put(self, key: str, reference: dict[str, Any]) -> None:
        """Store (or replace) the reference for a user id or a channel key."""

    async def put_many(self, references: Mapping[str, dict[str, Any]]) -> None:
        """Store (or replace) several references at once (one round trip)."""

    async def get(self, key: str) -> dict[str, Any] | None:
        """The stored reference, or None."""

    async def delete(self, keys: Collection[str]) -> None:
        """Forget the references under these keys (the bot was removed from that chat or team)."""


class RegistrationStore(Protocol):
    """DSLs who registered themselves with a join code (added to the directory file's DSLs)."""

    async def register(self, organisation: str, user_id: str, *, name: str, role: str) -> None:
        """Add or update a registration (role: 'dsl' or 'deputy')."""

    async def unregister(self, organisation: str, user_id: str) -> bool:
        """Remove a registration; True if there was one."""

    async def registrations(self) -> list[dict[str, Any]]:
        """Every registration: {organisation, user_id, name, role, registered_at}."""

    async def add_failed_code(self, user_id: str, at: datetime, *, window_seconds: int) -> int:
        """Note a wrong join code typed by this user; how many they typed in the window up to `at`
        (this one included). Older ones are forgotten. Shared by every worker, kept over restarts."""

    async def failed_codes(self, user_id: str, since: datetime) -> int:
        """How many wrong join codes this user has typed since then."""
