"""A conversation's stored state: under 1 KB for a whole walk on the embedded store (issue 16), and
readable across releases (a state saved before an upgrade is where the practitioner left it).

The Redis side of the size check is tests/test_redis_round_trips.py.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
import zlib
from contextlib import closing

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bench.load import build_walk
from bot.config import Settings
from bot.http import app as app_module
from state import state_json
from state.encryption import new_key
from state.sqlite_store import SqliteConversationStore
from tests.test_redis_round_trips import turn

WALK = build_walk()

# A state packed by the first release of the state dictionary (2026-12.dict): question 2 of the
# flowchart. If a shipped dictionary is edited, states saved with it stop loading, and this fails.
FIRST_DICTIONARY_STATE = bytes.fromhex(
    "783fdfa5c91a83d722e03205d1f0a8050076a80985")


def stored_size(db, conversation: str) -> int:
    (value,) = db.execute("SELECT state FROM conversations WHERE id = ?", (conversation,)).fetchone()
    return len(value)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted at rest"])
async def test_a_whole_walk_keeps_the_embedded_state_under_1_kb(tmp_path, connector, encrypted):
    extra = {"SHARESAFE_RECORD_KEYS": new_key()} if encrypted else {}
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path / "data"), **extra})
    app = app_module.create_app(settings)
    conversation = "a:size-" + uuid.uuid4().hex
    sizes = []
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        with closing(sqlite3.connect(tmp_path / "data" / "sharesafe.db")) as db:
            for step in WALK:
                await turn(client, connector, conversation, step, user="29:" + uuid.uuid4().hex)
                sizes.append(stored_size(db, conversation))
        state, version = await app[app_module.STORES_KEY].conversations.load(conversation)
        assert version == len(WALK) and state["draft"]["status"] == "filed"
    assert max(sizes) < 1024, sizes


async def test_a_state_saved_by_an_earlier_release_loads_and_is_saved_in_the_new_form(tmp_path):
    store = SqliteConversationStore(tmp_path / "s.db")
    await store.open()
    try:
        earlier = {"node": "statutory_duty", "answers": [{"node": "clear_purpose", "answer": "yes"}]}
        await store.save("c1", {"placeholder": True}, 0)
        with closing(sqlite3.connect(tmp_path / "s.db")) as db, db:  # as releases before 2026-12 wrote it
            db.execute("UPDATE conversations SET state = ? WHERE id = 'c1'", (json.dumps(earlier),))
        assert await store.load("c1") == (earlier, 1)
        await store.save("c1", {**earlier, "node": "harm_concern"}, 1)
        with closing(sqlite3.connect(tmp_path / "s.db")) as db:
            (value,) = db.execute("SELECT state FROM conversations WHERE id = 'c1'").fetchone()
        assert isinstance(value, bytes) and state_json.unpack(value)["node"] == "harm_concern"
    finally:
        await store.close()


def test_states_packed_with_the_first_dictionary_or_plain_zlib_still_load():
    assert state_json.unpack(FIRST_DICTIONARY_STATE) == {"node": "statutory_duty"}
    plain = {"node": "harm_concern", "answers": []}
    assert state_json.unpack(zlib.compress(json.dumps(plain).encode(), 6)) == plain


def test_a_state_from_an_unknown_dictionary_or_cut_short_is_refused_not_misread():
    packed = state_json.pack({"node": "statutory_duty", "text": "some words " * 20})
    unknown = packed[:2] + (int.from_bytes(packed[2:6], "big") ^ 1).to_bytes(4, "big") + packed[6:]
    for bad in (unknown, packed[: len(packed) // 2], b"x", b"\x78\xbb" + b"\x00" * 10):
        with pytest.raises(ValueError):
            state_json.unpack(bad)
    # And a state of any text or size round-trips exactly, read back by this worker (which keeps
    # what it last packed) or by another (which inflates it).
    state = {"note": "Ünïcode – “quotes” 🙂 " * 300, "n": 2**40, "seen": [uuid.uuid4().hex for _ in range(20)]}
    other = {**state, "n": 2**40 + 1}
    packed, packed_other = state_json.pack(state), state_json.pack(other)
    assert state_json.unpack(packed) == state and state_json.unpack(packed_other) == other
    state_json._RECENT.clear()
    assert state_json.unpack(packed) == state and state_json.unpack(packed_other) == other
