"""What each embedded-store write guarantees (docs/performance.md, "What each write guarantees").

Records are on disk before the bot says "recorded" (synchronous=FULL); a turn's conversation state
is written without waiting for the disk (synchronous=NORMAL, WAL), which a worker dying cannot
lose, only a power cut, and then only the last few turns.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from state.factory import open_stores
from tests.fixtures import make_record

REPO_ROOT = Path(__file__).resolve().parent.parent

# A worker that saves a turn's state and a record, says so, then waits to be killed.
_WORKER = """
import asyncio, sys
from state.factory import open_stores
from tests.fixtures import make_record

async def main():
    stores = await open_stores(redis_url=None, data_dir=sys.argv[1])
    await stores.conversations.save("conv-killed", {"node": "has_consent", "turns": 7}, 0)
    filed = await stores.records.append(make_record(), idempotency_key="killed-1")
    print(filed["reference"], flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def _synchronous(store) -> int:
    return await store._db.run(lambda conn: conn.execute("PRAGMA synchronous").fetchone()[0])


async def test_records_wait_for_the_disk_and_conversation_state_does_not(tmp_path: Path) -> None:
    stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
    try:
        await stores.conversations.save("c", {"node": "menu"}, 0)
        await stores.records.append(make_record(), idempotency_key="k1")
        assert await _synchronous(stores.records) == 2  # FULL: fsync before the commit returns
        assert await _synchronous(stores.conversations) == 1  # NORMAL: WAL, no fsync per turn
    finally:
        await stores.close()


async def test_a_worker_killed_after_a_turn_loses_neither_state_nor_record(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    worker = subprocess.Popen([sys.executable, "-c", _WORKER, str(data)], cwd=REPO_ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        reference = worker.stdout.readline().strip()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert reference.startswith("ISR-")
    stores = await open_stores(redis_url=None, data_dir=str(data))
    try:
        assert await stores.conversations.load("conv-killed") == ({"node": "has_consent", "turns": 7}, 1)
        assert [r["reference"] for r in await stores.records.list(limit=10)] == [reference]
        assert (await stores.records.verify()).ok
    finally:
        await stores.close()
