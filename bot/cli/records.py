"""`python -m bot records ...`: export, verify and purge decision records (administrators)."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Iterator, TextIO

from dialogs import uk_time
from state.encryption import PREFIX, UNREADABLE
from state.interfaces import RecordStore

# Times are kept as stored (UTC, ISO-8601) with a UK local-time column beside them for the reader.
CSV_COLUMNS = (
    "reference", "seq", "created_at", "created_at_uk", "practitioner_id", "practitioner_name", "organisation",
    "pack_id", "pack_version", "decision", "outcome", "outcome_id", "guidance", "guidance_checklist",
    "guidance_source", "decided_at", "decided_at_uk", "request_asked", "requester_name", "requester_role",
    "requester_org", "request_when", "data_requested", "risk_level", "consent_status", "consent_label",
    "consent_by", "consent_reason", "consent_problem", "lawful_basis", "lawful_basis_art6", "lawful_basis_art9", "info_type", "fact_or_opinion",
    "recipient_role", "recipient_org", "purpose", "method", "method_other", "individual_informed",
    "receipt_confirmed", "special_category", "reasons", "advice", "corrects", "correction_reason", "other_fields",
    "escalations",
    "golden_rules", "answers", "answer_codes", "prev_hash", "hash",
)
FIELD_COLUMNS = (
    "request_asked", "requester_name", "requester_role", "requester_org", "request_when", "data_requested",
    "risk_level", "lawful_basis", "info_type", "fact_or_opinion", "recipient_role", "recipient_org", "purpose",
    "method", "method_other", "individual_informed", "receipt_confirmed", "special_category", "reasons", "advice",
    "correction_reason",
)


@dataclass
class ExportStats:
    """What an export met, for the administrator's summary line."""

    count: int = 0
    # Records holding free text still encrypted (exported without SHARESAFE_RECORD_KEYS).
    encrypted: int = 0
    # Records holding free text encrypted with a key not in SHARESAFE_RECORD_KEYS.
    undecryptable: int = 0

    def summary(self) -> str:
        """The line the CLI prints to stderr after an export."""
        notes = []
        if self.encrypted:
            notes.append(f"free text encrypted in {self.encrypted} of them: SHARESAFE_RECORD_KEYS is not set")
        if self.undecryptable:
            notes.append(f"free text in {self.undecryptable} of them is encrypted with a key that is not "
                         "in SHARESAFE_RECORD_KEYS")
        return f"Exported {self.count} records" + (f" ({'; '.join(notes)})" if notes else "") + "."


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def admin_problem(directory_path: str | None, admin: str | None, command: str) -> str | None:
    """Why this caller may not export or purge records, or None when they are an administrator.

    The user id must be listed under `admins` in the directory file (SHARESAFE_DIRECTORY). This
    names who is acting (the audit log line carries it); reading the free text still needs
    SHARESAFE_RECORD_KEYS, which only administrators are given.
    """
    from bot.escalation.directory import DirectoryError, FileDirectory

    if not admin:
        return (f"records {command} is for administrators: add --admin <your user id>, "
                "as listed under admins in the directory file (SHARESAFE_DIRECTORY).")
    if not directory_path:
        return (f"records {command} is for administrators, but SHARESAFE_DIRECTORY is not set, "
                "so there is no list of admins to check --admin against.")
    try:
        directory = FileDirectory.load(directory_path)
    except DirectoryError as exc:
        return f"records {command}: the directory file could not be read: {exc}"
    if not directory.is_admin(admin):
        return (f"records {command} is for administrators: '{admin}' is not listed under admins "
                f"in {directory_path}.")
    return None


def parse_date(value: str) -> datetime:
    """'2026-11-01' or an ISO time -> an aware UTC datetime; ValueError with a clear message."""
    moment = uk_time.parse(value)
    if moment is None:
        raise ValueError(f"'{value}' is not a date; use YYYY-MM-DD")
    return moment


def csv_row(record: dict[str, Any]) -> dict[str, str]:
    """Flatten a record into the export's CSV columns."""
    who = record.get("practitioner", {})
    fields = record.get("fields", {})
    basis = record.get("lawful_basis", {})
    consent = record.get("consent", {})
    outcome = record.get("outcome") or {}
    source = outcome.get("source") or {}
    row = {
        "reference": record.get("reference", ""),
        "seq": str(record.get("seq", "")),
        "created_at": record.get("created_at", ""),
        "created_at_uk": uk_time.day_and_time(record.get("created_at")) if record.get("created_at") else "",
        "practitioner_id": who.get("user_id", ""),
        "practitioner_name": who.get("name", ""),
        "organisation": who.get("organisation", ""),
        "pack_id": record.get("pack", {}).get("id", ""),
        "pack_version": record.get("pack", {}).get("version", ""),
        "decision": record.get("decision", ""),
        "outcome": outcome.get("title", ""),
        "outcome_id": outcome.get("id", ""),
        # The guidance the practitioner was shown, as shown (the pack version says which text).
        "guidance": outcome.get("guidance", ""),
        "guidance_checklist": "\n".join(str(item) for item in outcome.get("checklist", [])),
        "guidance_source": ", ".join(str(part) for part in (source.get("doc"), source.get("section")) if part),
        "decided_at": record.get("decided_at", ""),
        "decided_at_uk": uk_time.day_and_time(record.get("decided_at")) if record.get("decided_at") else "",
        "consent_status": consent.get("status", ""),
        # What happened to consent, in the words the practitioner saw (records since consent labels).
        "consent_label": consent.get("label", ""),
        "consent_by": consent.get("by", ""),
        "consent_reason": consent.get("reason", ""),
        "consent_problem": consent.get("problem", ""),
        "lawful_basis_art6": basis.get("article_6", ""),
        "lawful_basis_art9": basis.get("article_9", ""),
        "corrects": record.get("corrects") or "",
        # Fields a partnership's pack added to the record form (docs/pack-authoring.md), one a line.
        "other_fields": "\n".join(f"{k}: {v}" for k, v in fields.items() if k not in FIELD_COLUMNS),
        "escalations": " ".join(record.get("escalations", [])),
        "golden_rules": " ".join(str(r.get("number")) for r in record.get("golden_rules", [])),
        # One line an answer, as the practitioner saw it; the codes and times beside it.
        "answers": "\n".join(f"{a.get('question') or a.get('node')}: {a.get('label') or a.get('answer')}"
                             for a in record.get("answers", [])),
        "answer_codes": "; ".join(f"{a.get('node')}={a.get('answer')}@{a.get('at')}" for a in record.get("answers", [])),
        "prev_hash": record.get("prev_hash", ""),
        "hash": record.get("hash", ""),
    }
    row.update({name: str(fields.get(name) or "") for name in FIELD_COLUMNS})
    # A cell starting with = + - @ would run as a formula when an auditor opens the file in Excel.
    return {k: ("'" + v if v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()}


def _note(record: dict[str, Any], stats: ExportStats) -> None:
    texts = list(_strings(record))
    if any(t.startswith(PREFIX) for t in texts):
        stats.encrypted += 1
    if any(t == UNREADABLE for t in texts):
        stats.undecryptable += 1


async def export(
    records: RecordStore, *, since: datetime | None, fmt: str, out: TextIO, stats: ExportStats | None = None
) -> int:
    """Write every record since a date as JSON lines or CSV; return how many (details in stats)."""
    stats = stats if stats is not None else ExportStats()
    stream: AsyncIterator[dict[str, Any]] = records.export(since=since)
    if fmt == "jsonl":
        async for record in stream:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            stats.count += 1
            _note(record, stats)
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        async for record in stream:
            writer.writerow(csv_row(record))
            stats.count += 1
            _note(record, stats)
    else:
        raise ValueError(f"unknown format '{fmt}': use jsonl or csv")
    out.flush()
    return stats.count


# What to do, by kind of problem (state/records_chain.py names them).
_ADVICE = {
    "head behind": ("New records are refused until this is put right: compare the store with your "
                    "backups and with the head reference noted at the last verify, and restore the head."),
    "index altered": ("Lists and searches use this index, so they could be misled, and purge refuses to "
                      "remove a record whose index is wrong: compare with your backups and repair the index."),
    "retry map altered": ("Compare the retry entries with your backups, and check with the practitioners "
                          "concerned that their decisions were recorded."),
}


async def verify(records: RecordStore, out: TextIO = sys.stdout, *, checkpoint: str | None = None,
                 chain_keys: str = "") -> int:
    """Recompute the chain (and, given a checkpoint file, prove nothing before it was removed or
    rewritten); print the result and the head to note; exit code 0 when intact, 1 when not, 2 for a
    checkpoint that cannot be used."""
    from state.records_chain import ChainKeys, checkpoint_problem, read_checkpoint

    seen = None
    if checkpoint is not None:
        if not chain_keys:
            out.write("A checkpoint can only be checked with SHARESAFE_CHAIN_KEYS set (the key that signed it).\n")
            return 2
        try:
            with open(checkpoint, encoding="utf-8") as file:
                seen = read_checkpoint(file.read(), ChainKeys.parse(chain_keys))
        except (OSError, ValueError) as exc:
            out.write(f"Cannot use the checkpoint: {exc if isinstance(exc, ValueError) else type(exc).__name__}\n")
            return 2
    result = await records.verify()
    if result.ok and seen is not None:
        reference = seen.get("head_reference")
        held = await records.get(reference) if reference else None
        problem = checkpoint_problem(seen, result, held)
        if problem:
            out.write(f"FAILED: {problem} Treat every record up to {reference} as suspect, and compare them with "
                      "your backups and exports.\n")
            return 1
        out.write(f"Checkpoint of {seen.get('time')} ({reference or 'an empty chain'}): everything filed before it "
                  "is still here, unchanged.\n")
    if result.ok:
        out.write(f"OK: {result.checked} records checked; the chain is intact.\n")
        if not result.authenticated:
            out.write("Signatures not checked: SHARESAFE_CHAIN_KEYS is not set, so a rewrite re-chained by hand "
                      "would not show.\n")
        elif result.legacy:
            out.write(f"{result.legacy} of them were filed before records were signed (unauthenticated legacy "
                      "records): they are hash-chained, and the first signed record fixes them in place.\n")
        if result.retry_unchecked:
            out.write(f"{result.retry_unchecked} of them were filed before records carried their retry key, so the "
                      "store's retry entries for them cannot be checked.\n")
    else:
        suspect = result.previous or result.first_bad
        advice = _ADVICE.get(result.problem) or (
            f"Treat {suspect} and every record after it as suspect, and compare them with your backups."
            if suspect else "Treat the records as suspect, and compare them with your backups.")
        counted = f"{result.checked} record{'' if result.checked == 1 else 's'}"
        out.write(f"FAILED: {result.detail or result.problem} "
                  f"({counted} checked before the problem was found.) {advice}\n")
    if result.head_reference:
        # verify cannot see the newest records removed together with the head moved back:
        # an auditor who notes the head elsewhere can.
        out.write(f"Chain head: {result.head_reference} sha256 {result.head_hash}. Note it outside this "
                  "store (for example in your audit log); if a later verify shows an older head, or "
                  "this reference with another hash, records were removed or replaced.\n")
    return 0 if result.ok else 1


async def checkpoint(records: RecordStore, *, chain_keys: str, out: TextIO = sys.stdout) -> int:
    """Verify the chain, then print a signed checkpoint (JSON) to hand to an auditor; 1 if it fails."""
    from state.records_chain import ChainKeys, make_checkpoint

    if not chain_keys:
        sys.stderr.write("records checkpoint needs SHARESAFE_CHAIN_KEYS (the key that signs it).\n")
        return 2
    result = await records.verify()
    if not result.ok:
        sys.stderr.write(f"No checkpoint written: the chain fails verification ({result.detail or result.problem}).\n")
        return 1
    made = make_checkpoint(result, ChainKeys.parse(chain_keys), datetime.now(timezone.utc))
    out.write(json.dumps(made, sort_keys=True) + "\n")
    return 0


async def purge(records: RecordStore, *, before: datetime, out: TextIO = sys.stdout) -> int:
    """Remove records filed before a date, keeping the rest verifiable."""
    removed = await records.purge(before)
    result = await records.verify()
    state = (f"Chain intact ({result.checked} records remain)." if result.ok
             else f"Chain NOT intact: {result.detail or result.problem} Run records verify.")
    out.write(f"Removed {removed} records filed before {before.date().isoformat()}. {state}\n")
    return 0 if result.ok else 1


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """The purge date for a retention period in days."""
    return (now or datetime.now(timezone.utc)) - timedelta(days=days)
