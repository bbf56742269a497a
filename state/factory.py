"""Choose and open the storage backend from configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Literal

from state.interfaces import (
    ConversationStore,
    EscalationStore,
    RecordStore,
    ReferenceStore,
    RegistrationStore,
)
from state.redis_escalations import RedisEscalationStore, RedisReferenceStore, RedisRegistrationStore
from state.redis_store import RedisConversationStore, RedisRecordStore, connect_redis
from state.sqlite_escalations import SqliteEscalationStore, SqliteReferenceStore, SqliteRegistrationStore
from state.sqlite_store import SqliteConversationStore, SqliteRecordStore

DB_FILENAME = "sharesafe.db"

# Each backend's stores, in the order Stores names them; every one takes the backend's connection
# (a Redis client or the SQLite path) first.
_BACKENDS: dict[str, tuple[Callable[..., Any], ...]] = {
    "redis": (RedisConversationStore, RedisRecordStore, RedisEscalationStore, RedisReferenceStore,
              RedisRegistrationStore),
    "sqlite": (SqliteConversationStore, SqliteRecordStore, SqliteEscalationStore, SqliteReferenceStore,
               SqliteRegistrationStore),
}


@dataclass
class Stores:
    """The open stores of one process, and how to close them."""

    conversations: ConversationStore
    records: RecordStore
    backend: Literal["sqlite", "redis"]
    # Escalations/hand-offs, conversation references and DSL self-registrations (issue 4).
    # open_stores always fills them; None only where a test builds Stores by hand.
    escalations: EscalationStore | None = None
    references: ReferenceStore | None = None
    registrations: RegistrationStore | None = None
    # Which activities' replies the Bot Connector accepted (no content: conversation id and a
    # digest of the activity id), kept beside the conversations and never encrypted.
    deliveries: Any = None
    _release: list[Callable[[], Awaitable[None]]] = field(default_factory=list, repr=False)

    def _all(self) -> list[Any]:
        extra = [self.escalations, self.references, self.registrations]
        return [self.conversations, self.records] + [s for s in extra if s is not None]

    async def close(self) -> None:
        """Close every store, then the connection they share."""
        for store in self._all():
            await store.close()
        for release in self._release:
            await release()
        self._release.clear()


async def open_stores(
    *, redis_url: str | None, data_dir: str, idle_ttl_seconds: int = 86400, record_keys: str = "",
    chain_keys: str = "",
) -> Stores:
    """Redis when redis_url is set, else SQLite at <data_dir>/sharesafe.db.

    SQLite is opened now, so an unusable data_dir stops start-up (StoreUnavailable). Redis is not
    contacted here: workers may start before Redis does; use `ping()` for readiness.

    With record_keys (SHARESAFE_RECORD_KEYS: Fernet keys, newest first) the free text of decision
    records and of DSL requests / MASH hand-offs, and the whole conversation state, are encrypted
    before they are stored (state/encryption.py); without, they are stored as given.

    With chain_keys (SHARESAFE_CHAIN_KEYS: HMAC keys, newest first) every record, the chain head and
    purge anchors are signed, and verify checks the signatures (state/records_chain.py).
    """
    signing = None
    if chain_keys:
        from state.records_chain import ChainKeys

        signing = ChainKeys.parse(chain_keys)
    ring = None
    if record_keys:  # checked before anything is opened, so a bad key leaks no connection
        from state.encryption import parse_keys

        ring = parse_keys(record_keys)
    if redis_url:
        client = connect_redis(redis_url)
        stores = _build("redis", client, idle_ttl_seconds=idle_ttl_seconds, signing=signing)
        stores._release.append(client.aclose)
        return _encrypted(stores, ring)
    stores = _build("sqlite", Path(data_dir) / DB_FILENAME, idle_ttl_seconds=idle_ttl_seconds, signing=signing)
    try:
        for store in stores._all():
            await store.open()
    except BaseException:
        await stores.close()
        raise
    return _encrypted(stores, ring)


def _build(backend: Literal["sqlite", "redis"], connection: Any, *, idle_ttl_seconds: int, signing: Any) -> Stores:
    """One backend's stores on one connection (nothing is contacted yet)."""
    conversations, records, escalations, references, registrations = _BACKENDS[backend]
    return Stores(
        conversations=conversations(connection, idle_ttl_seconds=idle_ttl_seconds),
        records=records(connection, keys=signing),
        backend=backend,
        escalations=escalations(connection),
        references=references(connection),
        registrations=registrations(connection),
    )


def _encrypted(stores: Stores, ring: Any) -> Stores:
    """Wrap the record and conversation stores in their encrypting versions when keys are given."""
    stores.deliveries = stores.conversations
    if ring is not None:
        from state.encryption import EncryptedConversationStore, EncryptedEscalationStore, EncryptedRecordStore

        stores.records = EncryptedRecordStore(stores.records, ring)
        stores.conversations = EncryptedConversationStore(stores.conversations, ring)
        if stores.escalations is not None:
            stores.escalations = EncryptedEscalationStore(stores.escalations, ring)
    return stores
