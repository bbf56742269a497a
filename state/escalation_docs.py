"""The escalation document, written once and used by every escalation backend.

The backends differ only in how they store and index it; what a new escalation looks like, what a
status change does to it and which fields a caller may not overwrite live here. Which statuses
exist and which moves are allowed is the lifecycle's (bot/escalation/machine.py): the store records
the status it is given, checking `allowed_from` atomically so that of two DSLs one wins.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Collection, Mapping

from state.interfaces import InvalidTransition
from state.records_chain import epoch_micros, format_utc, parse_created_at

KINDS = {"dsl": "ESC", "mash": "HO"}
# The one status the store itself must know: a request still waiting has re-pings due (due_at).
WAITING = "requested"
# Set by the store alone: a caller's copy of these is ignored by reschedule(fields=...).
STORE_OWNED = frozenset({"id", "kind", "status", "history", "created_at", "stage", "due_at", "organisation"})


# A finished background job's key is kept this long, so a job queued twice (a worker that stopped
# between queueing it and recording that it had) is still sent once.
DONE_JOBS_KEPT_SECONDS = 30 * 24 * 3600


def format_id(kind: str, number: int) -> str:
    """'ESC-000001' for a DSL request, 'HO-000001' for a MASH hand-off."""
    return f"{KINDS[kind]}-{number:06d}"


def iso(moment: datetime | str | None) -> str | None:
    """A datetime (or ISO text) as UTC ISO-8601 with Z; None stays None."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = parse_created_at(moment)
    return format_utc(moment)


def micros(moment: datetime | str | None) -> int | None:
    """Epoch microseconds of a datetime or ISO text, for ordering and due-time indexes."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = parse_created_at(moment)
    return epoch_micros(moment)


def prepare_new(escalation: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A deep JSON copy of a new escalation with the store's defaults filled in (no id yet)."""
    # created_at / due_at may be datetimes; everything else must already be JSON.
    doc: dict[str, Any] = json.loads(json.dumps(
        {k: (iso(v) if isinstance(v, datetime) else v) for k, v in escalation.items()}, ensure_ascii=False,
    ))
    kind = doc.get("kind", "dsl")
    if kind not in KINDS:
        raise ValueError(f"escalation kind must be one of {', '.join(KINDS)}, not {kind!r}")
    doc["kind"] = kind
    doc["organisation"] = str(doc.get("organisation") or "")
    doc["status"] = str(doc.get("status") or WAITING)
    doc["created_at"] = iso(doc.get("created_at") or now)
    doc["due_at"] = iso(doc.get("due_at")) if doc["status"] == WAITING else None
    doc["stage"] = int(doc.get("stage") or 0)
    if not doc.get("history"):
        who = doc.get("practitioner") or {}
        doc["history"] = [{
            "status": doc["status"], "by": str(who.get("user_id", "")), "name": str(who.get("name", "")),
            "at": doc["created_at"], "note": "",
        }]
    return doc


def apply_transition(
    doc: dict[str, Any],
    status: str,
    *,
    by: str,
    name: str,
    at: datetime,
    note: str,
    allowed_from: Collection[str] | None,
) -> dict[str, Any]:
    """The document after a status change (raises InvalidTransition when not allowed from here)."""
    if not status:
        raise ValueError("an escalation status change needs a status")
    if allowed_from is not None and doc.get("status") not in allowed_from:
        raise InvalidTransition(doc)
    doc["status"] = status
    doc["history"] = list(doc.get("history") or []) + [
        {"status": status, "by": by, "name": name, "at": iso(at), "note": note}
    ]
    doc["updated_at"] = iso(at)
    if status != WAITING:
        doc["due_at"] = None
    return doc


def apply_reschedule(
    doc: dict[str, Any], *, stage: int, due_at: datetime | None, fields: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The document after a re-ping stage (caller fields merged; store-owned fields kept)."""
    if fields:
        extra = json.loads(json.dumps(dict(fields), ensure_ascii=False))
        for key, value in extra.items():
            if key not in STORE_OWNED:
                doc[key] = value
    doc["stage"] = int(stage)
    doc["due_at"] = iso(due_at) if doc.get("status") == WAITING else None
    return doc
