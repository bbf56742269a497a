"""The store interfaces. Every backend (SQLite embedded, Redis) implements these and passes the
contract tests in tests/test_store_contract.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator, Protocol


class StoreError(Exception):
    """Base class for store failures."""


class StoreUnavailable(StoreError):
    """The store could not be reached or did not confirm the write: nothing was saved."""


class VersionConflict(StoreError):
    """Another worker saved the conversation since it was read; reload and run the turn again."""


class NotFound(StoreError):
    """No such record."""


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
    checked: int
    # The reference of the first record that was altered, or the first missing reference.
    first_bad: str | None = None
    problem: str = ""


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
        """Recompute the chain; name the first record altered or removed."""

    async def purge(self, before: datetime) -> int:
        """Remove records created before `before`, keeping the rest of the chain verifiable."""

    async def ping(self) -> bool:
        """True when the store answers."""

    async def close(self) -> None:
        """Release connections."""
