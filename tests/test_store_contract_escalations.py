"""One contract for the escalation, reference and registration stores: SQLite and a real Redis.

"Workers" are separate store instances (separate SQLite connections on one file; separate Redis
clients), the way separate bot processes see the store.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest

from state.encryption import new_key
from state.factory import Stores, open_stores
from state.interfaces import InvalidTransition, NotFound
from tests.redis_server import RedisServer

T0 = datetime(2027, 12, 24, 9, 0, tzinfo=timezone.utc)


@dataclass
class Backend:
    """Two independent store sets on one backing store (two "workers"), and a way to open more."""

    name: str
    a: Stores
    b: Stores
    reopen: Callable[[], Awaitable[Stores]]
    server: RedisServer | None = None


RECORD_KEY = new_key()


# "+keys": the same contract through the encrypting wrapper (SHARESAFE_RECORD_KEYS set).
@pytest.fixture(params=["sqlite", "redis", "sqlite+keys", "redis+keys"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Each contract test runs once per backend, with two workers."""
    opened: list[Stores] = []
    server: RedisServer | None = None
    keys = RECORD_KEY if request.param.endswith("+keys") else ""
    if request.param.startswith("sqlite"):
        async def reopen() -> Stores:
            stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"), record_keys=keys)
            opened.append(stores)
            return stores
    else:
        server = request.getfixturevalue("redis_server")

        async def reopen() -> Stores:
            stores = await open_stores(redis_url=server.url, data_dir=str(tmp_path / "unused"), record_keys=keys)
            opened.append(stores)
            return stores

    yield Backend(request.param, await reopen(), await reopen(), reopen, server)
    for stores in opened:
        await stores.close()


def new_escalation(org: str = "school-a", kind: str = "dsl", due: datetime | None = T0, **extra: Any) -> dict[str, Any]:
    """An escalation as the service creates it."""
    doc: dict[str, Any] = {
        "kind": kind,
        "organisation": org,
        "practitioner": {"user_id": "u-prac", "name": "Sam Teacher", "conversation_id": "conv-1"},
        "summary": {"answers": [{"question": "Is there a clear purpose?", "answer": "Yes"}]},
        "note": "Unsure if a bruise counts",
        "urgent": False,
        "created_at": T0 - timedelta(minutes=15),
        "due_at": due,
    }
    doc.update(extra)
    return doc


# --- create, get, ids, idempotency -------------------------------------------------------------


async def test_create_assigns_ids_per_kind_and_defaults(backend: Backend) -> None:
    esc = backend.a.escalations
    first, created = await esc.create(new_escalation(), "conv-1:dsl:1")
    assert created and first["id"] == "ESC-000001"
    second, _ = await esc.create(new_escalation(), "conv-1:dsl:2")
    handoff, _ = await esc.create(new_escalation(kind="mash", due=None), "conv-1:mash:1")
    assert (second["id"], handoff["id"]) == ("ESC-000002", "HO-000001")
    assert first["status"] == "requested" and first["stage"] == 0
    assert first["due_at"] == "2027-12-24T09:00:00.000000Z"
    assert first["created_at"] == "2027-12-24T08:45:00.000000Z"
    assert first["history"] == [{"status": "requested", "by": "u-prac", "name": "Sam Teacher",
                                 "at": "2027-12-24T08:45:00.000000Z", "note": ""}]
    assert handoff["due_at"] is None
    assert await backend.b.escalations.get("ESC-000001") == first
    assert await esc.get("ESC-999999") is None


async def test_create_is_idempotent_by_key(backend: Backend) -> None:
    first, created = await backend.a.escalations.create(new_escalation(), "conv-1:dsl:1")
    again, created_again = await backend.b.escalations.create(new_escalation(note="other"), "conv-1:dsl:1")
    assert created and not created_again and again == first
    assert len(await backend.a.escalations.list()) == 1


async def test_concurrent_creates_with_one_key_make_one(backend: Backend) -> None:
    results = await asyncio.gather(*(
        (backend.a if i % 2 else backend.b).escalations.create(new_escalation(), "same-key") for i in range(10)
    ))
    assert sum(1 for _, created in results if created) == 1
    assert len({doc["id"] for doc, _ in results}) == 1
    assert len(await backend.a.escalations.list()) == 1


# --- transitions and history -------------------------------------------------------------------


async def test_transitions_append_history_and_stop_repings(backend: Backend) -> None:
    esc = backend.a.escalations
    doc, _ = await esc.create(new_escalation(), "k")
    acked = await esc.transition(doc["id"], "acknowledged", by="u-dsl", name="Alex Lead", at=T0)
    assert acked["status"] == "acknowledged" and acked["due_at"] is None
    resolved = await backend.b.escalations.transition(
        doc["id"], "resolved", by="u-dsl", name="Alex Lead", at=T0 + timedelta(minutes=3), note="Share with MASH",
    )
    assert [h["status"] for h in resolved["history"]] == ["requested", "acknowledged", "resolved"]
    assert resolved["history"][-1] == {"status": "resolved", "by": "u-dsl", "name": "Alex Lead",
                                       "at": "2027-12-24T09:03:00.000000Z", "note": "Share with MASH"}
    assert await esc.get(doc["id"]) == resolved
    # Nothing acknowledged is ever claimed for a re-ping, even though it was due.
    assert await esc.claim_due(T0 + timedelta(hours=1), worker="w") == []


async def test_transition_allowed_from_lets_exactly_one_win(backend: Backend) -> None:
    doc, _ = await backend.a.escalations.create(new_escalation(), "k")
    results = await asyncio.gather(*(
        (backend.a if i % 2 else backend.b).escalations.transition(
            doc["id"], "acknowledged", by=f"u-{i}", name=f"DSL {i}", at=T0, allowed_from=("requested",))
        for i in range(6)
    ), return_exceptions=True)
    assert sum(1 for r in results if isinstance(r, dict)) == 1
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(refused) == 5 and refused[0].escalation["status"] == "acknowledged"
    stored = await backend.a.escalations.get(doc["id"])
    assert [h["status"] for h in stored["history"]] == ["requested", "acknowledged"]


async def test_transition_unknown_is_not_found(backend: Backend) -> None:
    with pytest.raises(NotFound):
        await backend.a.escalations.transition("ESC-000404", "acknowledged", by="u", name="n", at=T0)
    with pytest.raises(NotFound):
        await backend.a.escalations.reschedule("ESC-000404", stage=1, due_at=None)


# --- the re-ping schedule: claim_due, leases, reschedule ---------------------------------------


async def test_claim_due_only_due_and_requested(backend: Backend) -> None:
    esc = backend.a.escalations
    due, _ = await esc.create(new_escalation(due=T0), "k1")
    later, _ = await esc.create(new_escalation(due=T0 + timedelta(minutes=10)), "k2")
    await esc.create(new_escalation(kind="mash", due=None), "k3")
    acked, _ = await esc.create(new_escalation(due=T0 - timedelta(minutes=1)), "k4")
    await esc.transition(acked["id"], "acknowledged", by="u", name="n", at=T0)
    assert await esc.claim_due(T0 - timedelta(seconds=1), worker="w") == []
    claimed = await esc.claim_due(T0, worker="w", lease_seconds=3600)
    assert [c["id"] for c in claimed] == [due["id"]]
    assert [c["id"] for c in await esc.claim_due(T0 + timedelta(minutes=10), worker="w2")] == [later["id"]]


async def test_claim_due_once_across_two_workers_concurrently(backend: Backend) -> None:
    created = [await backend.a.escalations.create(new_escalation(due=T0 + timedelta(seconds=i)), f"k{i}")
               for i in range(20)]
    now = T0 + timedelta(minutes=1)
    rounds = await asyncio.gather(*(
        (backend.a if i % 2 else backend.b).escalations.claim_due(now, worker=f"w{i % 2}", limit=5)
        for i in range(12)
    ))
    claimed = [doc["id"] for batch in rounds for doc in batch]
    assert sorted(claimed) == sorted(doc["id"] for doc, _ in created)  # every one, each exactly once


async def test_lease_expiry_lets_another_worker_take_over(backend: Backend) -> None:
    doc, _ = await backend.a.escalations.create(new_escalation(), "k")
    assert len(await backend.a.escalations.claim_due(T0, worker="w1", lease_seconds=60)) == 1
    # Worker 1 dies without rescheduling: nobody else gets it until the lease runs out...
    assert await backend.b.escalations.claim_due(T0 + timedelta(seconds=59), worker="w2") == []
    # ...then worker 2 does.
    again = await backend.b.escalations.claim_due(T0 + timedelta(seconds=60), worker="w2")
    assert [d["id"] for d in again] == [doc["id"]]


async def test_reschedule_sets_stage_next_due_fields_and_releases(backend: Backend) -> None:
    esc = backend.a.escalations
    doc, _ = await esc.create(new_escalation(), "k")
    (claimed,) = await esc.claim_due(T0, worker="w1")
    nxt = T0 + timedelta(minutes=15)
    updated = await esc.reschedule(
        doc["id"], stage=1, due_at=nxt,
        fields={"deliveries": [{"to": "u-dsl", "status": "sent"}], "status": "resolved", "id": "forged"},
    )
    assert updated["stage"] == 1 and updated["due_at"] == "2027-12-24T09:15:00.000000Z"
    assert updated["deliveries"] == [{"to": "u-dsl", "status": "sent"}]
    assert (updated["id"], updated["status"]) == (doc["id"], "requested")  # store-owned fields kept
    assert await backend.b.escalations.claim_due(nxt - timedelta(seconds=1), worker="w2") == []
    (again,) = await backend.b.escalations.claim_due(nxt, worker="w2")
    assert again["stage"] == 1
    final = await esc.reschedule(doc["id"], stage=2, due_at=None)
    assert final["due_at"] is None
    assert await esc.claim_due(nxt + timedelta(days=1), worker="w1") == []


async def test_reschedule_after_acknowledge_does_not_revive_repings(backend: Backend) -> None:
    esc = backend.a.escalations
    doc, _ = await esc.create(new_escalation(), "k")
    await esc.claim_due(T0, worker="w1")
    # A DSL acknowledges while the worker is busy re-pinging.
    await backend.b.escalations.transition(doc["id"], "acknowledged", by="u-dsl", name="Alex", at=T0)
    updated = await esc.reschedule(doc["id"], stage=1, due_at=T0 + timedelta(minutes=15))
    assert updated["status"] == "acknowledged" and updated["due_at"] is None
    assert await esc.claim_due(T0 + timedelta(hours=1), worker="w1") == []


async def test_transition_during_lease_keeps_schedule_consistent(backend: Backend) -> None:
    esc = backend.a.escalations
    doc, _ = await esc.create(new_escalation(), "k")
    await esc.claim_due(T0, worker="w1")
    await esc.transition(doc["id"], "undeliverable", by="system", name="ShareSafe", at=T0)
    assert await backend.b.escalations.claim_due(T0 + timedelta(hours=1), worker="w2") == []


# --- the job outbox: notices to practitioners and MASH retries ------------------------------------


async def test_jobs_are_queued_once_claimed_once_retried_and_finished(backend: Backend) -> None:
    a, b = backend.a.escalations, backend.b.escalations
    assert await a.add_job("ESC-000001:notice:no_answer", {"type": "notice", "escalation": "ESC-000001"}, T0)
    # The same notice queued again (a worker stopped before recording it had): still one job.
    assert not await b.add_job("ESC-000001:notice:no_answer", {"type": "notice", "escalation": "other"}, T0)
    assert await a.add_job("HO-000001:mash:webhook", {"type": "mash_webhook", "escalation": "HO-000001"},
                           T0 + timedelta(minutes=2))
    assert await a.claim_jobs(T0 - timedelta(seconds=1), worker="w1") == []
    rounds = await asyncio.gather(*((a if i % 2 else b).claim_jobs(T0, worker=f"w{i}") for i in range(6)))
    claimed = [job for batch in rounds for job in batch]
    assert claimed == [{"type": "notice", "escalation": "ESC-000001", "key": "ESC-000001:notice:no_answer"}]
    # Held by its worker until the lease runs out; then another takes over (a crashed worker).
    assert await b.claim_jobs(T0 + timedelta(seconds=59), worker="w2") == []
    (again,) = await b.claim_jobs(T0 + timedelta(seconds=60), worker="w2", lease_seconds=60)
    assert again["key"] == "ESC-000001:notice:no_answer"
    await b.retry_job(again["key"], due_at=T0 + timedelta(minutes=5), fields={"tries": 2, "error": "http 500"})
    due = await a.claim_jobs(T0 + timedelta(minutes=4), worker="w1")
    assert [j["key"] for j in due] == ["HO-000001:mash:webhook"]
    await a.finish_job("HO-000001:mash:webhook")
    (retried,) = await a.claim_jobs(T0 + timedelta(minutes=5), worker="w1")
    assert retried["tries"] == 2 and retried["error"] == "http 500" and retried["escalation"] == "ESC-000001"
    await a.finish_job(retried["key"])
    assert await b.claim_jobs(T0 + timedelta(days=1), worker="w2") == []
    # A finished job's key stays taken: it is never queued (or sent) again.
    assert not await b.add_job("ESC-000001:notice:no_answer", {"type": "notice"}, T0 + timedelta(days=1))
    await b.retry_job("ESC-000001:notice:no_answer", due_at=T0)  # too late: stays finished
    assert await a.claim_jobs(T0 + timedelta(days=2), worker="w1") == []


# --- list filters --------------------------------------------------------------------------------


async def test_list_filters_newest_first(backend: Backend) -> None:
    esc = backend.a.escalations
    a1, _ = await esc.create(new_escalation("school-a"), "k1")
    b1, _ = await esc.create(new_escalation("school-b"), "k2")
    a2, _ = await esc.create(new_escalation("school-a", kind="mash", due=None), "k3")
    a3, _ = await esc.create(new_escalation("school-a"), "k4")
    await esc.transition(a3["id"], "acknowledged", by="u", name="n", at=T0)

    def ids(rows: list[dict[str, Any]]) -> list[str]:
        return [r["id"] for r in rows]

    lister = backend.b.escalations
    assert ids(await lister.list()) == [a3["id"], a2["id"], b1["id"], a1["id"]]
    assert ids(await lister.list(limit=2)) == [a3["id"], a2["id"]]
    assert ids(await lister.list(organisation="school-a")) == [a3["id"], a2["id"], a1["id"]]
    assert ids(await lister.list(organisation="school-a", status="requested")) == [a2["id"], a1["id"]]
    assert ids(await lister.list(organisation="school-a", kind="dsl")) == [a3["id"], a1["id"]]
    assert ids(await lister.list(status="acknowledged")) == [a3["id"]]
    assert await lister.list(organisation="nobody") == []
    assert await lister.list(limit=0) == []


# --- references and registrations ----------------------------------------------------------------


async def test_references_put_get_replace(backend: Backend) -> None:
    ref = {"conversation": {"id": "a:1", "conversationType": "personal"}, "serviceUrl": "http://127.0.0.1:1/",
           "user": {"id": "29:u", "name": "Zoë"}, "bot": {"id": "28:b"}, "channelId": "msteams"}
    refs = backend.a.references
    assert await refs.get("29:u") is None
    await refs.put("29:u", ref)
    await refs.put("channel:19:abc@thread.tacv2", {**ref, "conversation": {"id": "19:abc@thread.tacv2"}})
    assert await backend.b.references.get("29:u") == ref
    await refs.put("29:u", {**ref, "serviceUrl": "http://127.0.0.1:2/"})
    assert (await backend.b.references.get("29:u"))["serviceUrl"] == "http://127.0.0.1:2/"
    assert (await refs.get("channel:19:abc@thread.tacv2"))["conversation"]["id"] == "19:abc@thread.tacv2"
    # Several at once (a first message stores the reference under the conversation and the user).
    await refs.put_many({"conv:a:1": ref, "29:u": {**ref, "serviceUrl": "http://127.0.0.1:3/"}})
    assert await backend.b.references.get("conv:a:1") == ref
    assert (await backend.b.references.get("29:u"))["serviceUrl"] == "http://127.0.0.1:3/"
    # The bot was removed from the chat: its references are forgotten, others kept.
    await backend.b.references.delete(["conv:a:1", "29:u", "never-stored"])
    assert await refs.get("conv:a:1") is None and await refs.get("29:u") is None
    assert await refs.get("channel:19:abc@thread.tacv2") is not None
    await refs.delete([])
    await refs.put_many({"29:u": ref})  # installed again
    assert await backend.b.references.get("29:u") == ref


async def test_registrations_add_update_remove(backend: Backend) -> None:
    regs = backend.a.registrations
    assert await regs.registrations() == []
    await regs.register("school-a", "u-1", name="Alex Lead", role="dsl")
    await regs.register("school-a", "u-2", name="Bo Deputy", role="deputy")
    await backend.b.registrations.register("school-a", "u-2", name="Bo Deputy", role="dsl")  # promoted
    rows = await backend.b.registrations.registrations()
    assert {(r["organisation"], r["user_id"], r["name"], r["role"]) for r in rows} == {
        ("school-a", "u-1", "Alex Lead", "dsl"), ("school-a", "u-2", "Bo Deputy", "dsl")}
    assert all(r["registered_at"].endswith("Z") for r in rows)
    with pytest.raises(ValueError):
        await regs.register("school-a", "u-3", name="X", role="admin")
    assert await regs.unregister("school-a", "u-1") is True
    assert await regs.unregister("school-a", "u-1") is False
    assert [r["user_id"] for r in await regs.registrations()] == ["u-2"]


async def test_failed_join_codes_are_counted_across_workers_in_a_window(backend: Backend) -> None:
    window = 15 * 60
    counts = [await (backend.a if i % 2 else backend.b).registrations.add_failed_code(
        "29:guess", T0 + timedelta(minutes=i), window_seconds=window) for i in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert await backend.a.registrations.failed_codes("29:guess", T0 + timedelta(minutes=4) - timedelta(seconds=window)) == 5
    assert await backend.b.registrations.failed_codes("29:other", T0 - timedelta(hours=1)) == 0
    # 15 minutes after the first, only the later four are in the window.
    late = T0 + timedelta(minutes=15)
    assert await backend.b.registrations.failed_codes("29:guess", late - timedelta(seconds=window)) == 4
    assert await backend.a.registrations.add_failed_code("29:guess", late, window_seconds=window) == 5
    assert await backend.a.registrations.add_failed_code(
        "29:guess", late + timedelta(hours=1), window_seconds=window) == 1


# --- durability ----------------------------------------------------------------------------------


async def test_schedule_survives_reopen(backend: Backend) -> None:
    doc, _ = await backend.a.escalations.create(new_escalation(), "k")
    await backend.a.references.put("u-1", {"conversation": {"id": "c"}})
    await backend.a.registrations.register("school-a", "u-1", name="Alex", role="dsl")
    await backend.a.escalations.add_job("ESC-000001:notice:unreachable", {"type": "notice"}, T0)
    await backend.a.registrations.add_failed_code("29:guess", T0, window_seconds=900)
    if backend.server is not None:
        backend.server.stop()
        backend.server.start()  # reloads the append-only file
    fresh = await backend.reopen()
    (claimed,) = await fresh.escalations.claim_due(T0, worker="after-restart")
    assert claimed == doc
    (job,) = await fresh.escalations.claim_jobs(T0, worker="after-restart")
    assert job["key"] == "ESC-000001:notice:unreachable"
    assert await fresh.registrations.failed_codes("29:guess", T0 - timedelta(minutes=1)) == 1
    assert await fresh.references.get("u-1") == {"conversation": {"id": "c"}}
    assert [r["user_id"] for r in await fresh.registrations.registrations()] == ["u-1"]
    again, created = await fresh.escalations.create(new_escalation(), "k")
    assert not created and again["id"] == doc["id"]
    nxt, _ = await fresh.escalations.create(new_escalation(), "k2")
    assert nxt["id"] == "ESC-000002"
