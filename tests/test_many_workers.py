"""Two bot workers on one real Redis, or on one embedded SQLite file: no answer lost, no question skipped or repeated, no record
filed twice, and an activity Teams delivers twice is answered once.

Each worker is a whole `create_app` on its own loopback port with its own Redis connections, as
two processes would be. Turns of the same conversation alternate between the workers; some are
sent to both at the same moment: the same activity twice (a Teams retry), or the answer and a
"why" tap together. Concurrency control is optimistic (see docs/performance.md): the losing worker's
save fails its version check and it runs the turn again on the winner's state.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bench.load import build_walk, reply_text
from bot.http import app as app_module
from bot.config import Settings
from state.interfaces import VersionConflict
from state.redis_store import RedisConversationStore
from state.sqlite_store import SqliteConversationStore
from tests.fake_connector import FakeConnector, message_activity

WALK = build_walk()  # 23 turns, each with the reply it must get
CONVERSATIONS = 4



@pytest.fixture
def clashes(monkeypatch) -> list[str]:
    """Conversation ids whose save lost the version check (patched before the workers start)."""
    seen: list[str] = []
    for store in (RedisConversationStore, SqliteConversationStore):
        def counting(save):
            async def counting_save(self, conversation_id, state, expected_version):
                try:
                    return await save(self, conversation_id, state, expected_version)
                except VersionConflict:
                    seen.append(conversation_id)
                    raise
            return counting_save

        monkeypatch.setattr(store, "save", counting(store.save))
    return seen


@pytest.fixture(params=["redis", "sqlite"])
def shared_store(request: pytest.FixtureRequest, tmp_path) -> dict[str, str]:
    """What the two workers share: one Redis, or one embedded SQLite file (WAL) in one data directory."""
    if request.param == "redis":
        return {"REDIS_URL": request.getfixturevalue("redis_server").url, "SHARESAFE_DATA_DIR": str(tmp_path / "unused")}
    return {"SHARESAFE_DATA_DIR": str(tmp_path / "shared")}


@pytest.fixture
async def workers(shared_store, clashes, sdk):
    settings = Settings.from_env({**shared_store, "SHARESAFE_SDK": sdk,
                                  "SHARESAFE_REPING_POLL_SECONDS": "3600"})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as one, \
            TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as two:
        yield [one, two]


def replies_to(connector: FakeConnector, activity_id: str) -> list[str]:
    """The text of every reply the workers sent to one incoming activity (matched by replyToId)."""
    return [reply_text(json.dumps(c.body).encode()) for c in connector.calls
            if c.method == "POST" and c.path.endswith(f"/activities/{activity_id}") and isinstance(c.body, dict)]


async def post(worker: TestClient, body: dict) -> None:
    response = await worker.post("/api/messages", json=body)
    assert response.status in (200, 201), await response.text()


class Conversation:
    """One practitioner walking the flowchart and filing a record, across both workers."""

    def __init__(self, index: int, workers: list[TestClient], connector: FakeConnector) -> None:
        self.index, self.workers, self.connector = index, workers, connector
        self.id = f"a:many-{index}-{uuid.uuid4().hex[:8]}"
        self.user = f"29:user-{index}"
        self.reference = ""
        self.sent: list[dict] = []

    def activity(self, step_text, step_value) -> dict:
        body = message_activity(self.connector.url, text=step_text, value=step_value, conversation_id=self.id,
                                user_id=self.user, activity_id=f"act-{uuid.uuid4().hex}")
        self.sent.append(body)
        return body

    async def walk(self) -> None:
        for k, step in enumerate(WALK):
            here = self.workers[(self.index + k) % 2]
            there = self.workers[(self.index + k + 1) % 2]
            if step.why_value is not None and (k + self.index) % 3 == 0:
                # The answer and a "why" tap at the same moment, on different workers.
                answer, why = self.activity(step.text, step.value), self.activity(None, step.why_value)
                await asyncio.gather(post(here, answer), post(there, why))
                (answer_text,), (why_text,) = replies_to(self.connector, answer["id"]), replies_to(self.connector, why["id"])
                assert any(w in why_text and a in answer_text for w, a in step.why_orders), \
                    f"{self.id} turn {k}: {answer_text[:60]!r} / {why_text[:60]!r}"
                continue
            body = self.activity(step.text, step.value)
            if step.files_record or k % 4 == self.index % 4:
                # Delivered twice at once (Teams retrying): answered exactly once.
                await asyncio.gather(post(here, body), post(there, body))
            else:
                await post(here, body)
            answers = replies_to(self.connector, body["id"])
            assert len(answers) == 1, f"{self.id} turn {k}: {len(answers)} replies"
            assert step.marker in answers[0], f"{self.id} turn {k}: expected {step.marker!r}, got {answers[0][:80]!r}"
            if step.files_record:
                (self.reference,) = set(re.findall(r"ISR-\d{4}-\d{6}", answers[0]))


async def test_two_workers_share_conversations_without_losing_or_repeating_anything(workers, connector, clashes):
    conversations = [Conversation(i, workers, connector) for i in range(CONVERSATIONS)]
    await asyncio.wait_for(asyncio.gather(*(c.walk() for c in conversations)), timeout=60)
    assert clashes, "the concurrent turns never clashed, so the test proved nothing"

    # One record a conversation, each with its own reference, and the chain verifies.
    references = [c.reference for c in conversations]
    assert all(references) and len(set(references)) == CONVERSATIONS
    stores = workers[0].app[app_module.STORES_KEY]
    assert (await stores.records.verify()).ok
    filed = await stores.records.list(limit=100)
    assert sorted(r["reference"] for r in filed) == sorted(references)

    # Teams retrying, a little later, activities already answered (Confirm among them), to either
    # worker: nothing is answered or filed again. (The state remembers the last 20 activity ids.)
    before = len(connector.calls)
    for late in conversations[0].sent[-4:]:
        await post(workers[1], late)
        await post(workers[0], late)
    assert len(connector.calls) == before
    assert len(await stores.records.list(limit=100)) == CONVERSATIONS
    state, _ = await stores.conversations.load(conversations[0].id)
    assert state["draft"]["status"] == "filed" and len(state["answers"]) == 9


async def test_a_duplicate_confirm_on_two_workers_files_one_record(workers, connector):
    """The riskiest duplicate: both workers run Confirm at the same moment."""
    walker = Conversation(7, workers, connector)
    for k, step in enumerate(WALK[:-1]):
        await post(workers[k % 2], walker.activity(step.text, step.value))
    confirm = walker.activity(WALK[-1].text, WALK[-1].value)
    await asyncio.gather(post(workers[0], confirm), post(workers[1], confirm), post(workers[0], confirm))
    (text,) = replies_to(connector, confirm["id"])
    assert "Your record is saved as ISR-" in text
    stores = workers[1].app[app_module.STORES_KEY]
    assert len(await stores.records.list(limit=10)) == 1
