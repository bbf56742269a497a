"""`python -m bot records ...`: export, verify and purge decision records (administrators)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, TextIO

from state.interfaces import RecordStore

CSV_COLUMNS = (
    "reference", "created_at", "practitioner_id", "practitioner_name", "organisation", "pack_id",
    "pack_version", "decision", "outcome", "decided_at", "consent_status", "consent_reason",
    "lawful_basis_art6", "lawful_basis_art9", "info_type", "fact_or_opinion", "recipient_role",
    "recipient_org", "purpose", "method", "individual_informed", "receipt_confirmed", "reasons",
    "advice", "corrects", "correction_reason", "escalations", "golden_rules", "answers", "prev_hash",
    "hash",
)
FIELD_COLUMNS = (
    "info_type", "fact_or_opinion", "recipient_role", "recipient_org", "purpose", "method",
    "individual_informed", "receipt_confirmed", "reasons", "advice", "correction_reason",
)


def admin_problem(directory_path: str | None, admin: str | None, command: str) -> str | None:
    """Why this caller may not export or purge records, or None when they are an administrator.

    The user id must be listed under `admins` in the directory file (SHARESAFE_DIRECTORY). This
    names who is acting (the audit log line carries it); reading the free text still needs
    SHARESAFE_RECORD_KEYS, which only administrators are given.
    """
    from bot.directory import DirectoryError, FileDirectory

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
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a date; use YYYY-MM-DD") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def csv_row(record: dict[str, Any]) -> dict[str, str]:
    """Flatten a record into the export's CSV columns."""
    who = record.get("practitioner", {})
    fields = record.get("fields", {})
    basis = record.get("lawful_basis", {})
    consent = record.get("consent", {})
    row = {
        "reference": record.get("reference", ""),
        "created_at": record.get("created_at", ""),
        "practitioner_id": who.get("user_id", ""),
        "practitioner_name": who.get("name", ""),
        "organisation": who.get("organisation", ""),
        "pack_id": record.get("pack", {}).get("id", ""),
        "pack_version": record.get("pack", {}).get("version", ""),
        "decision": record.get("decision", ""),
        "outcome": record.get("outcome", {}).get("title", ""),
        "decided_at": record.get("decided_at", ""),
        "consent_status": consent.get("status", ""),
        "consent_reason": consent.get("reason", ""),
        "lawful_basis_art6": basis.get("article_6", ""),
        "lawful_basis_art9": basis.get("article_9", ""),
        "corrects": record.get("corrects") or "",
        "escalations": " ".join(record.get("escalations", [])),
        "golden_rules": " ".join(str(r.get("number")) for r in record.get("golden_rules", [])),
        "answers": "; ".join(f"{a.get('node')}={a.get('answer')}@{a.get('at')}" for a in record.get("answers", [])),
        "prev_hash": record.get("prev_hash", ""),
        "hash": record.get("hash", ""),
    }
    row.update({name: str(fields.get(name, "")) for name in FIELD_COLUMNS})
    # A cell starting with = + - @ would run as a formula when an auditor opens the file in Excel.
    return {k: ("'" + v if v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()}


async def export(records: RecordStore, *, since: datetime | None, fmt: str, out: TextIO) -> int:
    """Write every record since a date as JSON lines or CSV; return how many."""
    count = 0
    stream: AsyncIterator[dict[str, Any]] = records.export(since=since)
    if fmt == "jsonl":
        async for record in stream:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        async for record in stream:
            writer.writerow(csv_row(record))
            count += 1
    else:
        raise ValueError(f"unknown format '{fmt}': use jsonl or csv")
    out.flush()
    return count


async def verify(records: RecordStore, out: TextIO = sys.stdout) -> int:
    """Recompute the chain; print the result; exit code 0 when intact, 1 when not."""
    result = await records.verify()
    if result.ok:
        out.write(f"OK: {result.checked} records checked; the chain is intact.\n")
        return 0
    out.write(
        f"FAILED: record {result.first_bad} was {result.problem} "
        f"({result.checked} records checked before it). Treat the records after it as suspect "
        "and compare them with your backups.\n"
    )
    return 1


async def purge(records: RecordStore, *, before: datetime, out: TextIO = sys.stdout) -> int:
    """Remove records filed before a date, keeping the rest verifiable."""
    removed = await records.purge(before)
    result = await records.verify()
    out.write(f"Removed {removed} records filed before {before.date().isoformat()}. "
              f"Chain {'intact' if result.ok else 'NOT intact: run records verify'} "
              f"({result.checked} records remain).\n")
    return 0 if result.ok else 1


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """The purge date for a retention period in days."""
    return (now or datetime.now(timezone.utc)) - timedelta(days=days)
