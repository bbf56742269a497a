"""One contract for every storage backend: SQLite in a temp dir, and a real redis-server.

Tampering is done behind the store's back, on the raw SQLite row or the raw Redis value, the way
someone with database access would; the store must then name the record that was touched.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest

from state.factory import open_stores
from state.interfaces import (
    ChainHeadBehind,
    ConversationStore,
    RecordStore,
    StoreUnavailable,
    VersionConflict,
)
from state.records_chain import ChainError, ChainLink, created_micros, record_hash
from state.redis_store import RedisConversationStore, RedisRecordStore, connect_redis
from state.sqlite_store import SqliteRecordStore
from tests.fixtures import make_record
from tests.redis_server import RedisServer

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"^ISR-(\d{4})-(\d{6})$")


@dataclass
class Backend:
    """Stores under test, plus raw access to what they wrote."""

    name: str
    conversations: ConversationStore
    records: RecordStore
    # Rewrite the stored JSON of one record with `change` applied, leaving its hash alone.
    tamper: Callable[[str, Callable[[dict[str, Any]], None]], None]
    # Remove one record's stored data outright.
    delete_raw: Callable[[str], None]
    # Replace the chain head with this link, or delete it (None), the way a database user could.
    set_head: Callable[[ChainLink | None], None]
    # Change one index value kept beside a record's hashed body, without touching the body:
    # (reference, "created_us" | "organisation" | "practitioner_id", new value).
    set_index: Callable[[str, str, Any], None]


def _link(record: dict[str, Any]) -> ChainLink:
    return ChainLink(record["seq"], record["hash"], record["reference"])


def _sqlite_backend(path: Path, conversations: ConversationStore, records: RecordStore) -> Backend:
    def tamper(reference: str, change: Callable[[dict[str, Any]], None]) -> None:
        with sqlite3.connect(path) as raw:
            (body,) = raw.execute("SELECT body FROM records WHERE reference = ?", (reference,)).fetchone()
            record = json.loads(body)
            change(record)
            raw.execute("UPDATE records SET body = ? WHERE reference = ?", (json.dumps(record), reference))
        raw.close()

    def delete_raw(reference: str) -> None:
        with sqlite3.connect(path) as raw:
            assert raw.execute("DELETE FROM records WHERE reference = ?", (reference,)).rowcount == 1
        raw.close()

    def set_head(link: ChainLink | None) -> None:
        with sqlite3.connect(path) as raw:
            if link is None:
                assert raw.execute("DELETE FROM chain_links WHERE name = 'head'").rowcount == 1
            else:
                raw.execute("UPDATE chain_links SET seq = ?, hash = ?, reference = ? WHERE name = 'head'",
                            (link.seq, link.hash, link.reference))
        raw.close()

    def set_index(reference: str, column: str, value: Any) -> None:
        assert column in ("created_us", "organisation", "practitioner_id")
        with sqlite3.connect(path) as raw:
            sql = f"UPDATE records SET {column} = ? WHERE reference = ?"
            assert raw.execute(sql, (value, reference)).rowcount == 1
        raw.close()

    return Backend("sqlite", conversations, records, tamper, delete_raw, set_head, set_index)


def _redis_record_key(reference: str) -> str:
    return "ss:{rec}:s:%d" % int(REFERENCE.match(reference).group(2))  # type: ignore[union-attr]


@pytest.fixture(params=["sqlite", "redis"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Each contract test runs once per backend."""
    if request.param == "sqlite":
        stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
        assert stores.backend == "sqlite"
        yield _sqlite_backend(tmp_path / "data" / "sharesafe.db", stores.conversations, stores.records)
        await stores.close()
        return

    server: RedisServer = request.getfixturevalue("redis_server")
    stores = await open_stores(redis_url=server.url, data_dir=str(tmp_path / "unused"))
    assert stores.backend == "redis"

    def tamper(reference: str, change: Callable[[dict[str, Any]], None]) -> None:
        with server.client() as plain:
            key = _redis_record_key(reference)
            record = json.loads(plain.get(key))
            change(record)
            plain.set(key, json.dumps(record))

    def delete_raw(reference: str) -> None:
        with server.client() as plain:
            assert plain.delete(_redis_record_key(reference)) == 1

    def set_head(link: ChainLink | None) -> None:
        with server.client() as plain:
            if link is None:
                assert plain.delete("ss:{rec}:head") == 1
            else:
                plain.set("ss:{rec}:head", link.to_json())

    def set_index(reference: str, column: str, value: Any) -> None:
        seq = str(int(REFERENCE.match(reference).group(2)))  # type: ignore[union-attr]
        with server.client() as plain:
            record = json.loads(plain.get(_redis_record_key(reference)))
            if column == "created_us":
                plain.zadd("ss:{rec}:time", {seq: value})
                return
            prefix, old = {"organisation": ("ss:{rec}:o:", record["practitioner"]["organisation"]),
                           "practitioner_id": ("ss:{rec}:p:", record["practitioner"]["user_id"])}[column]
            assert plain.zrem(prefix + old, seq) == 1
            plain.zadd(prefix + value, {seq: int(seq)})

    yield Backend("redis", stores.conversations, stores.records, tamper, delete_raw, set_head, set_index)
    await stores.close()


async def file_many(records: RecordStore, n: int, **kwargs: Any) -> list[dict[str, Any]]:
    """File n records one after another, each with its own idempotency key."""
    return [await records.append(make_record(**kwargs), f"key-{i}") for i in range(n)]


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# --- conversation state ---------------------------------------------------------------------


async def test_new_conversation_loads_empty(backend: Backend) -> None:
    assert await backend.conversations.load("conv-new") == (None, 0)


async def test_save_then_load_roundtrip(backend: Backend) -> None:
    state = {"node": "has_consent", "answers": {"clear_purpose": "yes"}, "note": "café “quoted”"}
    v1 = await backend.conversations.save("conv-1", state, 0)
    assert v1 == 1
    assert await backend.conversations.load("conv-1") == (state, 1)
    state2 = {**state, "node": "outcome_share"}
    assert await backend.conversations.save("conv-1", state2, v1) == 2
    assert await backend.conversations.load("conv-1") == (state2, 2)
    # Other conversations are untouched.
    assert await backend.conversations.load("conv-2") == (None, 0)


async def test_a_state_with_any_text_or_number_loads_as_saved(backend: Backend) -> None:
    # A long practitioner text in any script, and values the fast JSON writer refuses (a number
    # over 64 bits, a key that is not text): each is written and read back as it was given.
    text = "Ça va? 子供 ✓ 😀 " * 200
    cases = [({"note": text}, {"note": text}), ({"n": 2**70}, {"n": 2**70}), ({"shown": {1: "one"}}, {"shown": {"1": "one"}})]
    for i, (state, loaded) in enumerate(cases):
        assert await backend.conversations.save(f"conv-text-{i}", state, 0) == 1
        assert await backend.conversations.load(f"conv-text-{i}") == (loaded, 1)


async def test_two_writers_from_same_version_one_wins(backend: Backend) -> None:
    conv = backend.conversations
    # Both workers read a brand-new conversation; only the first save may land.
    assert await conv.save("c", {"by": "worker-a"}, 0) == 1
    with pytest.raises(VersionConflict):
        await conv.save("c", {"by": "worker-b"}, 0)
    # Same again from version 1.
    assert await conv.save("c", {"by": "worker-a", "turn": 2}, 1) == 2
    with pytest.raises(VersionConflict):
        await conv.save("c", {"by": "worker-b", "turn": 2}, 1)
    assert await conv.load("c") == ({"by": "worker-a", "turn": 2}, 2)


async def test_concurrent_saves_from_same_version_exactly_one_wins(backend: Backend) -> None:
    await backend.conversations.save("c", {"turn": 0}, 0)
    results = await asyncio.gather(
        *(backend.conversations.save("c", {"turn": i}, 1) for i in range(10)),
        return_exceptions=True,
    )
    assert sum(1 for r in results if r == 2) == 1
    assert sum(1 for r in results if isinstance(r, VersionConflict)) == 9


async def test_ping(backend: Backend) -> None:
    assert await backend.conversations.ping()
    assert await backend.records.ping()


# --- records: append, idempotency, get, list, export ---------------------------------------


async def test_append_assigns_reference_seq_created_at_and_hash(backend: Backend) -> None:
    before = now_utc()
    first = await backend.records.append(make_record(), "turn-1")
    second = await backend.records.append(make_record(), "turn-2")
    after = now_utc()

    for seq, stored in enumerate([first, second], start=1):
        match = REFERENCE.match(stored["reference"])
        assert match, stored["reference"]
        assert stored["seq"] == seq and int(match.group(2)) == seq
        assert stored["created_at"].endswith("Z")
        created = datetime.fromisoformat(stored["created_at"].replace("Z", "+00:00"))
        assert before - timedelta(seconds=1) <= created <= after + timedelta(seconds=1)
        assert int(match.group(1)) == created.year
        assert stored["hash"] == record_hash(stored)
        assert stored["decision"] == "share"
        assert stored["shared"]["what"] == make_record()["shared"]["what"]
    assert first["prev_hash"] == "0" * 64
    assert second["prev_hash"] == first["hash"]
    assert await backend.records.get(first["reference"]) == first


async def test_append_keeps_callers_created_at_and_uses_its_year(backend: Backend) -> None:
    stored = await backend.records.append(make_record(created_at="2023-05-01T10:00:00Z"), "k")
    assert stored["created_at"] == "2023-05-01T10:00:00Z"
    assert stored["reference"] == "ISR-2023-000001"


async def test_append_ignores_callers_chain_fields(backend: Backend) -> None:
    forged = make_record(reference="ISR-1999-999999", seq=99, hash="f" * 64, prev_hash="e" * 64)
    stored = await backend.records.append(forged, "k")
    assert stored["seq"] == 1 and stored["prev_hash"] == "0" * 64
    assert stored["reference"].endswith("-000001")
    assert (await backend.records.verify()).ok


async def test_same_idempotency_key_files_once(backend: Backend) -> None:
    first = await backend.records.append(make_record(), "turn-42")
    again = await backend.records.append(make_record(decision="do_not_share"), "turn-42")
    assert again == first
    other = await backend.records.append(make_record(), "turn-43")
    assert other["seq"] == 2
    assert [r["reference"] async for r in backend.records.export()] == [
        first["reference"],
        other["reference"],
    ]


async def test_get_unknown_reference_is_none(backend: Backend) -> None:
    await backend.records.append(make_record(), "k")
    assert await backend.records.get("ISR-2020-000777") is None
    assert await backend.records.get("not-a-reference") is None


async def test_list_filters_newest_first(backend: Backend) -> None:
    recs = backend.records
    plan = [
        ("u-1", "school-a", "2024-01-10T09:00:00Z"),
        ("u-2", "school-a", "2024-02-10T09:00:00Z"),
        ("u-1", "school-b", "2024-03-10T09:00:00Z"),
        ("u-3", "school-b", "2024-04-10T09:00:00Z"),
        ("u-1", "school-a", "2024-05-10T09:00:00Z"),
    ]
    filed = [
        await recs.append(make_record(u, o, created_at=t), f"k{i}") for i, (u, o, t) in enumerate(plan)
    ]
    refs = [r["reference"] for r in filed]

    def refs_of(rows: list[dict[str, Any]]) -> list[str]:
        return [r["reference"] for r in rows]

    assert refs_of(await recs.list()) == refs[::-1]
    assert refs_of(await recs.list(limit=2)) == [refs[4], refs[3]]
    assert refs_of(await recs.list(practitioner_id="u-1")) == [refs[4], refs[2], refs[0]]
    assert refs_of(await recs.list(practitioner_id="u-1", limit=1)) == [refs[4]]
    assert refs_of(await recs.list(organisation="school-b")) == [refs[3], refs[2]]
    assert refs_of(await recs.list(practitioner_id="u-1", organisation="school-a")) == [refs[4], refs[0]]
    window = {
        "since": datetime(2024, 2, 10, 9, tzinfo=timezone.utc),  # inclusive
        "until": datetime(2024, 4, 10, 9, tzinfo=timezone.utc),  # exclusive
    }
    assert refs_of(await recs.list(**window)) == [refs[2], refs[1]]
    assert refs_of(await recs.list(organisation="school-a", **window)) == [refs[1]]
    assert refs_of(await recs.list(since=datetime(2024, 3, 1))) == [refs[4], refs[3], refs[2]]
    assert await recs.list(practitioner_id="nobody") == []


async def test_export_oldest_first_since(backend: Backend) -> None:
    times = ["2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z"]
    filed = [await backend.records.append(make_record(created_at=t), f"k{i}") for i, t in enumerate(times)]
    everything = [r async for r in backend.records.export()]
    assert everything == filed
    since = [r async for r in backend.records.export(since=datetime(2024, 6, 1, tzinfo=timezone.utc))]
    assert since == filed[1:]


# --- records: tamper evidence ---------------------------------------------------------------


async def test_verify_ok(backend: Backend) -> None:
    assert (await backend.records.verify()).ok  # empty chain
    await file_many(backend.records, 5)
    result = await backend.records.verify()
    assert result.ok and result.checked == 5 and result.first_bad is None


async def test_verify_names_record_altered_behind_the_stores_back(backend: Backend) -> None:
    filed = await file_many(backend.records, 5)
    target = filed[2]["reference"]

    def change_decision(record: dict[str, Any]) -> None:
        record["decision"] = "do_not_share"

    backend.tamper(target, change_decision)
    result = await backend.records.verify()
    assert not result.ok
    assert result.first_bad == target
    assert result.problem == "altered"


async def test_verify_names_record_rewritten_with_a_fresh_hash(backend: Backend) -> None:
    filed = await file_many(backend.records, 4)

    def rewrite(record: dict[str, Any]) -> None:
        record["decision"] = "do_not_share"
        record["hash"] = record_hash(record)

    backend.tamper(filed[1]["reference"], rewrite)
    result = await backend.records.verify()
    assert not result.ok
    # The rewritten record is self-consistent, but the next one no longer links to it: either
    # could have been changed, so both are named.
    assert (result.first_bad, result.previous, result.problem) == (
        filed[2]["reference"], filed[1]["reference"], "chain broken")
    assert result.detail.startswith(f"{filed[2]['reference']} does not follow {filed[1]['reference']}:")
    assert f"{filed[1]['reference']} was altered or replaced" in result.detail
    assert result.checked == 2  # records 1 and 2 were read before the break showed


async def test_verify_names_a_deleted_record(backend: Backend) -> None:
    filed = await file_many(backend.records, 5)
    backend.delete_raw(filed[1]["reference"])
    result = await backend.records.verify()
    assert not result.ok
    assert (result.first_bad, result.problem) == (filed[1]["reference"], "missing")


async def test_verify_names_the_deleted_last_record(backend: Backend) -> None:
    filed = await file_many(backend.records, 3)
    backend.delete_raw(filed[2]["reference"])
    result = await backend.records.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, filed[2]["reference"], "missing")


async def test_purge_keeps_chain_verifiable_and_tamper_evident(backend: Backend) -> None:
    recs = backend.records
    old = [await recs.append(make_record(created_at=f"2023-0{m}-01T00:00:00Z"), f"old{m}") for m in (1, 2, 3)]
    new = [await recs.append(make_record(created_at=f"2024-0{m}-01T00:00:00Z"), f"new{m}") for m in (1, 2, 3)]

    assert await recs.purge(datetime(2024, 1, 1, tzinfo=timezone.utc)) == 3
    assert await recs.purge(datetime(2024, 1, 1, tzinfo=timezone.utc)) == 0
    for gone in old:
        assert await recs.get(gone["reference"]) is None
    assert [r async for r in recs.export()] == new
    assert await recs.list() == new[::-1]
    assert (await recs.verify()).ok

    # The chain carries on from where it was.
    later = await recs.append(make_record(), "later")
    assert later["seq"] == 7 and later["prev_hash"] == new[-1]["hash"]
    assert (await recs.verify()).ok

    # Deleting the first record after the purge point is still caught (the anchor remembers).
    backend.delete_raw(new[0]["reference"])
    result = await recs.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, new[0]["reference"], "missing")


async def test_purge_then_alteration_is_caught(backend: Backend) -> None:
    recs = backend.records
    await recs.append(make_record(created_at="2023-01-01T00:00:00Z"), "old")
    keep = [await recs.append(make_record(created_at="2024-01-0%dT00:00:00Z" % d), f"k{d}") for d in (1, 2)]
    assert await recs.purge(datetime(2023, 12, 31, tzinfo=timezone.utc)) == 1

    def change(record: dict[str, Any]) -> None:
        record["shared"]["with"] = "nobody"

    backend.tamper(keep[1]["reference"], change)
    result = await recs.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, keep[1]["reference"], "altered")


async def test_purge_refuses_to_erase_tampered_records(backend: Backend) -> None:
    recs = backend.records
    old = [await recs.append(make_record(created_at="2023-0%d-01T00:00:00Z" % m), f"o{m}") for m in (1, 2)]
    await recs.append(make_record(created_at="2024-01-01T00:00:00Z"), "n")

    def change(record: dict[str, Any]) -> None:
        record["decision"] = "do_not_share"

    backend.tamper(old[0]["reference"], change)
    with pytest.raises(ChainError):
        await recs.purge(datetime(2024, 1, 1, tzinfo=timezone.utc))
    # Nothing was removed: the evidence is still there to investigate.
    assert len([r async for r in recs.export()]) == 3
    assert (await recs.verify()).first_bad == old[0]["reference"]


# --- records: a head deleted or moved back, index values outside the hash ----------------------


async def test_verify_reports_the_head_for_an_auditor_to_note(backend: Backend) -> None:
    assert (await backend.records.verify()).head_reference is None  # nothing filed yet
    filed = await file_many(backend.records, 3)
    result = await backend.records.verify()
    assert (result.ok, result.head_reference, result.head_hash) == (True, filed[-1]["reference"], filed[-1]["hash"])


async def test_a_deleted_head_is_caught_and_nothing_is_overwritten(backend: Backend) -> None:
    filed = await file_many(backend.records, 3)
    backend.set_head(None)

    result = await backend.records.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, filed[0]["reference"], "head behind")
    assert "head is missing" in result.detail
    # The next filing would have been seq 1 again: it is refused, as "not saved", and files nothing.
    with pytest.raises(ChainHeadBehind, match="head is missing or behind") as refused:
        await backend.records.append(make_record(decision="do_not_share"), "after-tamper")
    assert isinstance(refused.value, StoreUnavailable)
    for original in filed:
        assert await backend.records.get(original["reference"]) == original
    with pytest.raises(ChainHeadBehind):  # and stays refused, retry or not
        await backend.records.append(make_record(decision="do_not_share"), "after-tamper")
    assert (await backend.records.verify()).first_bad == filed[0]["reference"]


async def test_a_head_moved_back_is_caught_and_nothing_is_overwritten(backend: Backend) -> None:
    filed = await file_many(backend.records, 3)
    backend.set_head(_link(filed[1]))

    result = await backend.records.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, filed[2]["reference"], "head behind")
    assert result.checked == 2 and filed[1]["reference"] in result.detail
    with pytest.raises(ChainHeadBehind):
        await backend.records.append(make_record(decision="do_not_share"), "after-tamper")
    assert await backend.records.get(filed[2]["reference"]) == filed[2]
    # The auditor's export still holds everything stored, past the head too.
    assert [r async for r in backend.records.export()] == filed


async def test_a_head_deleted_after_a_purge_is_caught(backend: Backend) -> None:
    old = await backend.records.append(make_record(created_at="2023-01-01T00:00:00Z"), "old")
    assert await backend.records.purge(datetime(2024, 1, 1, tzinfo=timezone.utc)) == 1
    backend.set_head(None)
    result = await backend.records.verify()
    assert (result.ok, result.problem) == (False, "head behind")
    assert old["reference"] in result.detail
    with pytest.raises(ChainHeadBehind):
        await backend.records.append(make_record(), "after-tamper")


@pytest.mark.parametrize("column", ["created_us", "organisation", "practitioner_id"])
async def test_verify_names_a_record_whose_index_disagrees_with_its_hash(backend: Backend, column: str) -> None:
    filed = await file_many(backend.records, 3)
    target = filed[1]["reference"]
    backend.set_index(target, column, {"created_us": 0, "organisation": "school-b",
                                       "practitioner_id": "u-9"}[column])
    result = await backend.records.verify()
    assert (result.ok, result.first_bad, result.problem, result.checked) == (False, target, "index altered", 1)
    word = {"created_us": "filing time", "organisation": "organisation", "practitioner_id": "practitioner"}[column]
    assert result.detail.startswith(f"{target}: the {word} ")
    # Whatever the index says, a record is only ever listed for the practitioner and organisation
    # in its hashed body: never shown to another organisation's DSL.
    assert await backend.records.list(organisation="school-b") == []
    assert await backend.records.list(practitioner_id="u-9") == []
    assert await backend.records.get(target) == filed[1]


async def test_purge_goes_by_the_hashed_time_not_the_index(backend: Backend) -> None:
    recs = backend.records
    filed = [await recs.append(make_record(created_at=f"2026-0{m}-01T00:00:00Z"), f"k{m}") for m in (1, 2, 3)]
    for record in filed:  # the audited attack: every record's time index set to 1970
        backend.set_index(record["reference"], "created_us", 0)
    # Nothing was filed before 2020, whatever the index says: nothing is removed.
    assert await recs.purge(datetime(2020, 1, 1, tzinfo=timezone.utc)) == 0
    assert [r async for r in recs.export()] == filed
    assert [r async for r in recs.export(since=datetime(2026, 2, 1, tzinfo=timezone.utc))] == filed[1:]
    # A purge that reaches the records refuses rather than remove records with a wrong index.
    with pytest.raises(ChainError) as refused:
        await recs.purge(datetime(2026, 2, 15, tzinfo=timezone.utc))
    assert refused.value.result.first_bad == filed[0]["reference"]
    assert [r async for r in recs.export()] == filed
    assert (await recs.verify()).problem == "index altered"


async def test_export_since_goes_by_the_hashed_time_not_the_index(backend: Backend) -> None:
    recs = backend.records
    old = await recs.append(make_record(created_at="2023-01-01T00:00:00Z"), "old")
    new = await recs.append(make_record(created_at="2025-01-01T00:00:00Z"), "new")
    backend.set_index(old["reference"], "created_us", created_micros(new))
    backend.set_index(new["reference"], "created_us", 0)
    assert [r async for r in recs.export(since=datetime(2024, 1, 1, tzinfo=timezone.utc))] == [new]


async def test_fifty_concurrent_appends_chain_in_order(backend: Backend) -> None:
    stored = await asyncio.gather(
        *(backend.records.append(make_record(user_id=f"u-{i % 7}"), f"turn-{i}") for i in range(50))
    )
    assert sorted(r["seq"] for r in stored) == list(range(1, 51))
    assert len({r["reference"] for r in stored}) == 50
    result = await backend.records.verify()
    assert result.ok and result.checked == 50


async def test_verify_while_records_are_filed_raises_no_false_alarm(backend: Backend) -> None:
    # Verify must tell a record appended during its walk (fine) from one stored beyond the head.
    await file_many(backend.records, 3)

    async def file_one_by_one() -> None:
        for i in range(30):
            await backend.records.append(make_record(), f"live-{i}")

    filing = asyncio.create_task(file_one_by_one())
    verdicts = []
    while not filing.done():
        verdicts.append(await backend.records.verify())
    await filing
    assert [v.problem for v in verdicts if not v.ok] == []
    # The verifies really ran while records were being filed (they saw the chain at several lengths).
    assert len({v.checked for v in verdicts}) > 1, [v.checked for v in verdicts]
    assert (await backend.records.verify()).checked == 33


async def test_concurrent_duplicate_keys_file_once(backend: Backend) -> None:
    stored = await asyncio.gather(*(backend.records.append(make_record(), "same-turn") for _ in range(10)))
    assert len({r["reference"] for r in stored}) == 1
    assert len([r async for r in backend.records.export()]) == 1


# --- SQLite: several writers on one file ----------------------------------------------------

_WRITER = """
import asyncio, pathlib, sys, time
from state.sqlite_store import SqliteRecordStore

async def main(path, tag, n, go):
    store = SqliteRecordStore(path)
    await store.open()
    pathlib.Path(go + "." + tag).touch()          # ready
    while not pathlib.Path(go).exists():          # wait for the starting gun
        time.sleep(0.005)
    for i in range(n):
        await store.append(
            {"practitioner": {"user_id": tag, "organisation": "school-a"}, "decision": "share"},
            f"{tag}-{i}",
        )
    await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
"""


async def test_sqlite_two_processes_append_concurrently(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    go = tmp_path / "go"
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _WRITER, str(path), tag, "40", str(go), cwd=REPO_ROOT
        )
        for tag in ("proc-a", "proc-b")
    ]
    deadline = time.monotonic() + 20
    while not all((tmp_path / f"go.{t}").exists() for t in ("proc-a", "proc-b")):
        assert time.monotonic() < deadline, "writers did not start"
        await asyncio.sleep(0.01)
    go.touch()
    assert [await p.wait() for p in procs] == [0, 0]

    store = SqliteRecordStore(path)
    try:
        everything = [r async for r in store.export()]
        assert [r["seq"] for r in everything] == list(range(1, 81))
        assert {r["practitioner"]["user_id"] for r in everything} == {"proc-a", "proc-b"}
        assert (await store.verify()).ok
    finally:
        await store.close()


async def test_sqlite_two_instances_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    a, b = SqliteRecordStore(path), SqliteRecordStore(path)
    try:
        await asyncio.gather(
            *(store.append(make_record(), f"{n}-{i}") for i in range(25) for n, store in (("a", a), ("b", b)))
        )
        result = await a.verify()
        assert result.ok and result.checked == 50
    finally:
        await a.close()
        await b.close()


# --- Redis: durability and outages ----------------------------------------------------------


async def test_redis_conversation_has_idle_ttl(redis_server: RedisServer) -> None:
    client = connect_redis(redis_server.url)
    try:
        store = RedisConversationStore(client, idle_ttl_seconds=600)
        await store.save("c", {"node": "clear_purpose"}, 0)
        with redis_server.client() as plain:
            assert 590 <= plain.ttl("ss:conv:c") <= 600
    finally:
        await client.aclose()


async def test_a_delivery_note_survives_a_redis_outage_and_is_written_after_it(redis_server: RedisServer) -> None:
    """A note lost in an outage would make Teams' resend of that message send its replies twice."""
    client = connect_redis(redis_server.url)
    try:
        store = RedisConversationStore(client)
        await store.save("c", {"node": "clear_purpose"}, 0)
        await store.mark_delivered_many([("c", "activity-1")])
        redis_server.stop()
        with pytest.raises(StoreUnavailable):
            await store.load("c")  # the note was to travel with this read
        redis_server.start()
        for _ in range(50):  # the client reconnects on its next command
            try:
                await store.load("c")
                break
            except StoreUnavailable:
                await asyncio.sleep(0.1)
        assert await store.delivered("c", "activity-1")
    finally:
        await client.aclose()


async def test_redis_records_survive_restart(redis_server: RedisServer) -> None:
    client = connect_redis(redis_server.url)
    try:
        records = RedisRecordStore(client)
        conversations = RedisConversationStore(client)
        filed = await file_many(records, 3)
        await conversations.save("c", {"node": "has_consent"}, 0)

        redis_server.stop()
        redis_server.start()  # reloads the append-only file

        assert await records.get(filed[1]["reference"]) == filed[1]
        assert [r async for r in records.export()] == filed
        assert (await records.verify()).ok
        assert await conversations.load("c") == ({"node": "has_consent"}, 1)
        more = await records.append(make_record(), "after-restart")
        assert more["seq"] == 4 and more["prev_hash"] == filed[-1]["hash"]
    finally:
        await client.aclose()


async def test_redis_down_means_unavailable_fast_then_files_exactly_once(redis_server: RedisServer) -> None:
    client = connect_redis(redis_server.url)
    try:
        records = RedisRecordStore(client)
        conversations = RedisConversationStore(client)
        first = await records.append(make_record(), "turn-1")
        await conversations.save("c", {"node": "clear_purpose"}, 0)

        redis_server.stop()
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            await records.append(make_record(), "turn-2")
        with pytest.raises(StoreUnavailable):
            await conversations.save("c", {"node": "has_consent"}, 1)
        with pytest.raises(StoreUnavailable):
            await conversations.load("c")
        assert not await records.ping()
        assert time.monotonic() - started < 5

        redis_server.start()
        # The bot retries the same turn with the same key: the record is filed once.
        second = await records.append(make_record(), "turn-2")
        assert await records.append(make_record(), "turn-2") == second
        assert [r["reference"] async for r in records.export()] == [first["reference"], second["reference"]]
        assert (await records.verify()).ok
        assert await conversations.save("c", {"node": "has_consent"}, 1) == 2
    finally:
        await client.aclose()


async def test_redis_two_workers_share_one_chain(redis_server: RedisServer) -> None:
    clients = [connect_redis(redis_server.url) for _ in range(2)]
    try:
        workers = [RedisRecordStore(c) for c in clients]
        await asyncio.gather(
            *(workers[i % 2].append(make_record(), f"turn-{i}") for i in range(30)),
            # Two workers handed the same turn file it once between them.
            workers[0].append(make_record(), "dup"),
            workers[1].append(make_record(), "dup"),
        )
        everything = [r async for r in workers[0].export()]
        assert [r["seq"] for r in everything] == list(range(1, 32))
        assert (await workers[1].verify()).ok
    finally:
        for c in clients:
            await c.aclose()


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_idle_conversation_expires_and_starts_again(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        stores = await open_stores(redis_url=None, data_dir=str(tmp_path), idle_ttl_seconds=1)
    else:
        server: RedisServer = request.getfixturevalue("redis_server")
        stores = await open_stores(redis_url=server.url, data_dir=str(tmp_path), idle_ttl_seconds=1)
    try:
        assert await stores.conversations.save("c", {"node": "has_consent"}, 0) == 1
        await asyncio.sleep(1.2)
        assert await stores.conversations.load("c") == (None, 0)
        # A worker still holding the old version must not write over the fresh start.
        with pytest.raises(VersionConflict):
            await stores.conversations.save("c", {"node": "stale"}, 1)
        assert await stores.conversations.save("c", {"node": "clear_purpose"}, 0) == 1
        assert await stores.conversations.load("c") == ({"node": "clear_purpose"}, 1)
    finally:
        await stores.close()
