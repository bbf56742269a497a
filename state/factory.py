"""Choose and open the storage backend from configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Literal

from state.interfaces import ConversationStore, RecordStore
from state.redis_store import RedisConversationStore, RedisRecordStore, connect_redis
from state.sqlite_store import SqliteConversationStore, SqliteRecordStore

DB_FILENAME = "sharesafe.db"


@dataclass
class Stores:
    """The open stores of one process, and how to close them."""

    conversations: ConversationStore
    records: RecordStore
    backend: Literal["sqlite", "redis"]
    _release: list[Callable[[], Awaitable[None]]] = field(default_factory=list, repr=False)

    async def close(self) -> None:
        """Close every store, then the connection they share."""
        await self.conversations.close()
        await self.records.close()
        for release in self._release:
            await release()
        self._release.clear()


async def open_stores(
    *, redis_url: str | None, data_dir: str, idle_ttl_seconds: int = 86400
) -> Stores:
    """Redis when redis_url is set, else SQLite at <data_dir>/sharesafe.db.

    SQLite is opened now, so an unusable data_dir stops start-up (StoreUnavailable). Redis is not
    contacted here: workers may start before Redis does; use `ping()` for readiness.
    """
    if redis_url:
        client = connect_redis(redis_url)
        return Stores(
            conversations=RedisConversationStore(client, idle_ttl_seconds=idle_ttl_seconds),
            records=RedisRecordStore(client),
            backend="redis",
            _release=[client.aclose],
        )
    path = Path(data_dir) / DB_FILENAME
    conversations = SqliteConversationStore(path, idle_ttl_seconds=idle_ttl_seconds)
    records = SqliteRecordStore(path)
    try:
        await conversations.open()
        await records.open()
    except BaseException:
        await conversations.close()
        await records.close()
        raise
    return Stores(conversations=conversations, records=records, backend="sqlite")
