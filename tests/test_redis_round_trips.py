"""On Redis, a turn that files nothing costs at most 2 round trips (GET, then one Lua compare-and-set),
and a conversation's state stays under 1 KB and expires after the configured idle time.

Round trips are counted, not guessed: every request redis-py writes to a socket goes through
Connection.send_packed_command (a pipeline is one call), which the test wraps with a counter; the
server's INFO commandstats confirms which commands those were.
"""

from __future__ import annotations

import json
import uuid

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio.connection import Connection

from bench.load import build_walk, reply_text
from bot.http import app as app_module
from bot.config import Settings
from state.encryption import new_key
from tests.fake_connector import FakeConnector, message_activity
from tests.redis_server import RedisServer

# Issue 16: a conversation's state under 1 KB. It also carries the replies of the turn that saved it
# (issue 13: re-sent if the worker dies before delivering them); deflated against the state
# dictionary (state/state_json.py) even the outcome card's turn stays under 1 KB, encrypted too.
MAX_STATE_BYTES = 1024
WALK = build_walk()  # hello, the menu, nine answers, record, ten record fields, confirm



def settings_for(redis_server: RedisServer, tmp_path, **extra: str) -> Settings:
    return Settings.from_env({"REDIS_URL": redis_server.url, "SHARESAFE_DATA_DIR": str(tmp_path / "unused"),
                              # keep the re-ping job out of the counted window
                              "SHARESAFE_REPING_POLL_SECONDS": "3600", **extra})


class RoundTrips:
    """Counts requests written to Redis by this process (one per command, one per pipeline)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = Connection.send_packed_command

        async def counting(conn, command, check_health=True):
            self.count += 1
            return await original(conn, command, check_health)

        monkeypatch.setattr(Connection, "send_packed_command", counting)


def teams_id() -> str:
    """An activity id as long as the longest Teams sends."""
    return "1:" + uuid.uuid4().hex + uuid.uuid4().hex


async def turn(client: TestClient, connector: FakeConnector, conversation: str, step, user: str = "29:user-rt") -> str:
    """Send one step of the walk; return the text of its replies (checked against the expected reply)."""
    before = len(connector.calls)
    activity = message_activity(connector.url, text=step.text, value=step.value, conversation_id=conversation,
                                user_id=user, activity_id=teams_id())
    response = await client.post("/api/messages", json=activity)
    assert response.status in (200, 201), await response.text()
    text = " ".join(reply_text(json.dumps(c.body).encode()) for c in connector.calls[before:]
                    if isinstance(c.body, dict))
    assert step.marker in text, (step.marker, text[:120])
    return text


def commandstats(redis_server: RedisServer) -> dict[str, int]:
    with redis_server.client() as plain:
        return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in plain.info("commandstats").items()}


async def test_a_turn_that_files_nothing_makes_at_most_two_round_trips(redis_server, tmp_path, connector, monkeypatch):
    counter = RoundTrips(monkeypatch)
    app = app_module.create_app(settings_for(redis_server, tmp_path))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        conversation = "a:round-trips"
        # The first turn also stores the conversation reference for DSL pings (under the
        # conversation, the user and the AAD id): one more round trip, whatever the number of keys.
        # (Another conversation first: the worker's own start-up, connecting and loading its
        # scripts, is not a cost of any one turn.)
        await turn(client, connector, "a:warm-up", WALK[0])
        before_stats, before = commandstats(redis_server), counter.count
        await turn(client, connector, conversation, WALK[0])
        assert counter.count - before == 3, counter.count - before  # MSET, GET, EVALSHA
        assert commandstats(redis_server).get("mset", 0) - before_stats.get("mset", 0) == 1
        per_turn = []
        for step in WALK[1:-1]:  # the menu, the questions, the record form: nothing is filed
            before_stats, before = commandstats(redis_server), counter.count
            await turn(client, connector, conversation, step)
            per_turn.append(counter.count - before)
            after_stats = commandstats(redis_server)
            # The two round trips are the load (GET) and the save (one EVALSHA): no MULTI, no WATCH.
            assert after_stats.get("evalsha", 0) - before_stats.get("evalsha", 0) == 1
            assert after_stats.get("multi", 0) == before_stats.get("multi", 0)
            assert after_stats.get("watch", 0) == before_stats.get("watch", 0)
        assert per_turn and max(per_turn) <= 2, per_turn
        assert per_turn.count(2) == len(per_turn)  # and never fewer: the state is read and written once

        # Filing the record adds the record transaction (and only on this turn).
        before = counter.count
        text = await turn(client, connector, conversation, WALK[-1])
        assert "ISR-" in text and counter.count - before > 2


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted at rest"])
async def test_conversation_state_stays_under_1_kb_and_expires_after_the_idle_time(redis_server, tmp_path, connector,
                                                                                   encrypted):
    extra = {"SHARESAFE_RECORD_KEYS": new_key()} if encrypted else {}
    app = app_module.create_app(settings_for(redis_server, tmp_path, CONVERSATION_IDLE_TTL="600", **extra))
    conversation = "a:size-" + uuid.uuid4().hex  # as long as a Teams conversation id gets
    key = f"ss:conv:{conversation}"
    sizes = []
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        with redis_server.client() as plain:
            for step in WALK:
                await turn(client, connector, conversation, step, user="29:" + uuid.uuid4().hex + uuid.uuid4().hex)
                sizes.append(plain.strlen(key))
                assert 590 <= plain.ttl(key) <= 600  # every save renews the idle expiry
            # The stored state still loads (compressed form) and is where the walk left it.
            stores = app[app_module.STORES_KEY]
            state, version = await stores.conversations.load(conversation)
            assert version == len(WALK) and state["draft"]["status"] == "filed"
            if encrypted:  # what the practitioner typed into the record form is not readable in Redis
                stored, _ = await stores.conversations.inner.load(conversation)
                assert list(stored) == ["enc:z1"] and "draft" not in json.dumps(stored)
    assert max(sizes) < MAX_STATE_BYTES, sizes


def test_the_idle_expiry_defaults_to_24_hours():
    assert Settings.from_env({"REDIS_URL": "redis://127.0.0.1:1/0"}).IDLE_TTL == 24 * 3600
    assert Settings.from_env({"CONVERSATION_IDLE_TTL": "3600"}).IDLE_TTL == 3600
