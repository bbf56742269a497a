"""A seeded store for the DSL tab tests and for trying the tab by hand: decision records spread over
weeks and requests in every state, for Oakfield (the directory in tests/fixtures.py) and a
few for Riverside, which Oakfield's DSL must never see.

    .venv/bin/python -m tests.browser.seed DATA_DIR DIRECTORY_FILE [--records 200 --requests 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from dialogs.pack import load_builtin
from state.factory import open_stores
from tests.fixtures import DIRECTORY_YAML

PACKS = [(p.id, p.version, p.title) for p in (load_builtin("cambridgeshire"), load_builtin("national-2018"))]
DECISIONS = ["share", "do_not_share", "seek_advice"]
CONSENTS = ["obtained", "refused", "not_sought", "not_needed"]
ORG = "oakfield"
OTHER_ORG = "riverside"
DSL = ("29:dsl-1", "Alex Lead")
DEPUTY = ("29:dep-1", "Dee Deputy")
PRACTITIONER = ("29:prac-1", "Pat Practitioner")
OTHER_PRACTITIONER = ("29:prac-r", "Riley River")


@dataclass(frozen=True)
class SeedRecord:
    """What one seeded record says, kept so tests count from the seed, not from the code under test."""

    organisation: str
    decision: str
    pack_title: str
    consent: str
    decided_at: datetime
    corrects_index: int | None = None


@dataclass(frozen=True)
class SeedRequest:
    """One seeded request or hand-off and what became of it."""

    organisation: str
    kind: str
    urgent: bool
    status: str
    created_at: datetime


def plan(now: datetime, records: int, requests: int, seed: int = 15) -> tuple[list[SeedRecord], list[SeedRequest]]:
    """The records and requests to seed (deterministic for a given seed)."""
    rng = random.Random(seed)
    out: list[SeedRecord] = []
    for n in range(records):
        org = OTHER_ORG if n % 10 == 9 else ORG
        pack = PACKS[0 if n % 3 else 1][2]
        corrects = n - 1 if n % 25 == 24 and out[n - 1].organisation == org else None
        out.append(SeedRecord(org, rng.choice(DECISIONS), pack, rng.choice(CONSENTS),
                              now - timedelta(days=rng.randint(0, 76), hours=rng.randint(0, 8)), corrects))
    reqs: list[SeedRequest] = []
    statuses = ["requested", "requested", "acknowledged", "calling", "resolved"]
    for n in range(requests):
        org = OTHER_ORG if n % 7 == 6 else ORG
        kind = "mash" if n % 4 == 3 else "dsl"
        reqs.append(SeedRequest(org, kind, n % 3 == 0, statuses[n % len(statuses)],
                                now - timedelta(minutes=rng.choice([2, 4, 30, 90, 600, 3000]))))
    return out, reqs


async def seed(stores: Any, records: list[SeedRecord], requests: list[SeedRequest]) -> tuple[list[str], list[str]]:
    """File the planned records and requests; (record references, request ids) in plan order."""
    refs: list[str] = []
    for n, r in enumerate(records):
        who = PRACTITIONER if r.organisation == ORG else OTHER_PRACTITIONER
        pack = next(p for p in PACKS if p[2] == r.pack_title)
        stored = await stores.records.append({
            "practitioner": {"user_id": who[0], "name": who[1], "organisation": r.organisation},
            "pack": {"id": pack[0], "version": pack[1], "title": pack[2]},
            "decision": r.decision, "outcome": {"title": r.decision.replace("_", " ").capitalize()},
            "consent": {"status": r.consent}, "decided_at": r.decided_at.isoformat(),
            "answers": [{"node": "clear_purpose", "question": "Is there a clear and legitimate purpose for sharing?",
                         "answer": "yes", "label": "Yes", "at": r.decided_at.isoformat()}],
            "fields": {}, "escalations": [],
            "corrects": refs[r.corrects_index] if r.corrects_index is not None else None,
        }, f"seed-record-{n}")
        refs.append(stored["reference"])
    ids: list[str] = []
    for n, q in enumerate(requests):
        who = PRACTITIONER if q.organisation == ORG else OTHER_PRACTITIONER
        extra = {}
        if q.kind == "mash":
            extra = {"callback_by": (q.created_at + timedelta(hours=4)).isoformat()}
        esc, _ = await stores.escalations.create({
            "kind": q.kind, "organisation": q.organisation, "urgent": q.urgent,
            "practitioner": {"user_id": who[0], "name": who[1], "conversation_id": f"a:{who[0]}"},
            "summary": "Worried about a pupil's bruising; may I share with the school nurse?", "note": "",
            "created_at": q.created_at, "due_at": q.created_at + timedelta(minutes=15), **extra,
        }, f"seed-request-{n}")
        at = q.created_at + timedelta(minutes=1)
        for status in {"acknowledged": ["acknowledged"], "calling": ["acknowledged", "calling"],
                       "resolved": ["acknowledged", "resolved"]}.get(q.status, []):
            esc = await stores.escalations.transition(esc["id"], status, by=DSL[0], name=DSL[1], at=at)
        ids.append(esc["id"])
    return refs, ids


def write_directory(path: Path) -> Path:
    """The test directory (Oakfield: DSL Alex Lead, deputy; Riverside; MASH for Cambridgeshire)."""
    path.write_text(DIRECTORY_YAML.format(webhook="https://mash.invalid/hook", channel="19:mash@thread.tacv2"),
                    encoding="utf-8")
    return path


async def _main(data_dir: str, directory: str, records: int, requests: int) -> None:
    stores = await open_stores(redis_url=None, data_dir=data_dir)
    try:
        planned = plan(datetime.now(timezone.utc), records, requests)
        await seed(stores, *planned)
    finally:
        await stores.close()
    write_directory(Path(directory))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir")
    parser.add_argument("directory")
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(_main(args.data_dir, args.directory, args.records, args.requests))
