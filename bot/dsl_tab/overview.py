"""What the DSL tab shows, worked out from the stores: open requests (overdue first), MASH hand-offs
and their call-back times, decisions per week by outcome, pack and consent, and recent corrections.

Pure functions of the records and escalations given, so the counts are tested on a seeded store and
the CSV export is exactly what the page shows.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Sequence

from bot.escalation.machine import OPEN_STATUSES, PHASES, status_label
from dialogs import uk_time
from dialogs.engine import CONSENT_LABELS, DECISION_LABELS

UNDELIVERABLE = PHASES["undeliverable"].status
KIND_LABELS = {"dsl": "Ask my DSL", "mash": "MASH consultation"}
DECISIONS = ("share", "do_not_share", "seek_advice")
DEFAULT_WEEKS = 12
RECENT_CORRECTIONS = 20
SHOWN_RECORDS = 50


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD day from the date filter, or None when absent or unreadable."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in (weeks as a school in England counts them)."""
    return day - timedelta(days=day.weekday())


def day_range(start: date | None, end: date | None, now: datetime) -> tuple[date, date]:
    """The days shown (inclusive): default the last DEFAULT_WEEKS weeks up to today in England."""
    today = uk_time.local(now).date()
    end = end or today
    start = start or week_start(end) - timedelta(weeks=DEFAULT_WEEKS - 1)
    if start > end:
        start, end = end, start
    return start, end


def when_decided(record: Mapping[str, Any]) -> datetime | None:
    """When the decision was made (the practitioner's 'decided at'), else when it was filed."""
    return uk_time.local(record.get("decided_at")) or uk_time.local(record.get("created_at"))


def _in_range(moment: datetime | None, start: date, end: date) -> bool:
    return moment is not None and start <= moment.date() <= end


def pack_title(record: Mapping[str, Any]) -> str:
    """The pack's title as practitioners know it (its id only when a record lacks the title)."""
    pack = record.get("pack") or {}
    return str(pack.get("title") or pack.get("id") or "Unknown guidance")


def consent_words(record: Mapping[str, Any]) -> str:
    """What happened to consent, in words ('Not sought', 'Given' ...)."""
    status = str((record.get("consent") or {}).get("status") or "not_decided")
    return CONSENT_LABELS.get(status, status.replace("_", " ").capitalize())


def decision_words(record: Mapping[str, Any]) -> str:
    """'Share', 'Do not share' or 'Seek advice'."""
    decision = str(record.get("decision") or "")
    return DECISION_LABELS.get(decision, decision.replace("_", " ").capitalize() or "Not recorded")


def _age_text(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def _acted_by(escalation: Mapping[str, Any], status: str) -> str:
    for entry in reversed(escalation.get("history") or []):
        if entry.get("status") == status:
            return str(entry.get("name") or entry.get("by") or "")
    return ""


def request_row(escalation: Mapping[str, Any], now: datetime, periods: Mapping[str, timedelta]) -> dict[str, Any]:
    """One request or hand-off as the tab lists it."""
    created = uk_time.parse(escalation.get("created_at"))
    minutes = max(0, int((now - created).total_seconds() // 60)) if created else 0
    status = str(escalation.get("status") or "")
    urgent = bool(escalation.get("urgent"))
    kind = str(escalation.get("kind") or "dsl")
    callback = uk_time.parse(escalation.get("callback_by"))
    # Overdue: nobody has picked it up within the re-ping period, or MASH's promised call-back passed.
    overdue = status == "requested" and created is not None and (
        now - created > periods["urgent" if urgent else "normal"])
    if kind == "mash" and callback is not None and status in OPEN_STATUSES and now > callback:
        overdue = True
    practitioner = escalation.get("practitioner") or {}
    return {
        "id": str(escalation.get("id") or ""),
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, kind),
        "urgent": urgent,
        "status": status,
        "status_label": status_label(status, kind),
        "overdue": overdue,
        "age_minutes": minutes,
        "age_text": _age_text(minutes),
        "created_at": escalation.get("created_at"),
        "created_text": uk_time.day_and_time(escalation.get("created_at")),
        "acknowledged_by": _acted_by(escalation, "acknowledged") or _acted_by(escalation, "calling"),
        "practitioner": str(practitioner.get("name") or ""),
        "summary": _summary_text(escalation.get("summary")),
        "callback_by": escalation.get("callback_by"),
        "callback_text": uk_time.day_and_time(callback) if callback else "",
    }


def _summary_text(summary: Any) -> str:
    """Where the practitioner is stuck, or the outcome so far, in words: a request stores its summary
    as the card's fields (stuck_on, outcome, answers), which must never reach the DSL as a printout."""
    if isinstance(summary, Mapping):
        return str(summary.get("stuck_on") or summary.get("outcome") or "")
    return str(summary or "")


def _sort_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    # What needs someone first: overdue, then urgent, then the longest waiting.
    return (not row["overdue"], not row["urgent"], -row["age_minutes"])


def open_requests(escalations: Iterable[Mapping[str, Any]], now: datetime, periods: Mapping[str, timedelta],
                  start: date, end: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(DSL requests needing someone, MASH hand-offs), overdue first: open ones whenever they were
    raised, closed hand-offs and undelivered requests only when raised in the range."""
    dsl, mash = [], []
    for esc in escalations:
        status = str(esc.get("status") or "")
        # A request still open is never hidden by the date filter: an old one is the most overdue.
        if status not in OPEN_STATUSES and not _in_range(uk_time.local(esc.get("created_at")), start, end):
            continue
        row = request_row(esc, now, periods)
        if row["kind"] == "mash":
            mash.append(row)
        elif status in OPEN_STATUSES or status == UNDELIVERABLE:
            # No DSL was reached: the tab is where a DSL finds it and follows it up.
            row["overdue"] = row["overdue"] or status == UNDELIVERABLE
            dsl.append(row)
    return sorted(dsl, key=_sort_key), sorted(mash, key=_sort_key)


def weekly(records: Sequence[Mapping[str, Any]], start: date, end: date) -> dict[str, Any]:
    """Records per week (Monday to Sunday, in England) by outcome, by pack and by consent."""
    weeks: list[date] = []
    monday = week_start(start)
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    index = {w: i for i, w in enumerate(weeks)}
    by: dict[str, dict[str, list[int]]] = {"outcome": {}, "pack": {}, "consent": {}}
    totals = [0] * len(weeks)
    for record in records:
        at = when_decided(record)
        if not _in_range(at, start, end):
            continue
        i = index[week_start(at.date())]
        totals[i] += 1
        for name, label in (("outcome", decision_words(record)), ("pack", pack_title(record)),
                            ("consent", consent_words(record))):
            by[name].setdefault(label, [0] * len(weeks))[i] += 1
    outcome_order = [DECISION_LABELS[d] for d in DECISIONS]
    def series(name: str, order: Sequence[str] = ()) -> list[dict[str, Any]]:
        labels = [o for o in order if o in by[name]] + sorted(k for k in by[name] if k not in order)
        return [{"label": label, "counts": by[name][label], "total": sum(by[name][label])} for label in labels]
    return {
        "weeks": [{"start": w.isoformat(), "label": f"w/c {w.day} {w:%b}"} for w in weeks],
        "totals": totals,
        "by_outcome": series("outcome", outcome_order),
        "by_pack": series("pack"),
        "by_consent": series("consent", list(CONSENT_LABELS.values())),
    }


def record_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One decision record as the tab lists it."""
    practitioner = record.get("practitioner") or {}
    at = record.get("decided_at") or record.get("created_at")
    return {
        "reference": str(record.get("reference") or ""),
        "decided_text": uk_time.day_and_time(at),
        "decision": decision_words(record),
        "outcome": str((record.get("outcome") or {}).get("title") or ""),
        "pack": pack_title(record),
        "consent": consent_words(record),
        "by": str(practitioner.get("name") or ""),
        "corrects": str(record.get("corrects") or ""),
    }


def records_in_range(records: Iterable[Mapping[str, Any]], start: date, end: date) -> list[Mapping[str, Any]]:
    """The records decided in the range, newest first."""
    chosen = [r for r in records if _in_range(when_decided(r), start, end)]
    return sorted(chosen, key=lambda r: when_decided(r) or datetime.min.replace(tzinfo=timezone.utc), reverse=True)


def overview(records: Sequence[Mapping[str, Any]], escalations: Sequence[Mapping[str, Any]], *, now: datetime,
             start: date, end: date, periods: Mapping[str, timedelta]) -> dict[str, Any]:
    """Everything the page shows for one organisation and range."""
    chosen = records_in_range(records, start, end)
    dsl, mash = open_requests(escalations, now, periods, start, end)
    corrections = [record_row(r) for r in chosen if r.get("corrects")][:RECENT_CORRECTIONS]
    totals = {DECISION_LABELS[d]: sum(1 for r in chosen if r.get("decision") == d) for d in DECISIONS}
    return {
        "range": {"from": start.isoformat(), "to": end.isoformat()},
        "generated_text": uk_time.day_and_time(now),
        "requests": dsl,
        "handoffs": mash,
        "charts": weekly(chosen, start, end),
        "totals": {"records": len(chosen), **totals},
        "corrections": corrections,
        "records": [record_row(r) for r in chosen[:SHOWN_RECORDS]],
        "records_total": len(chosen),
    }


CSV_COLUMNS = {
    "requests": [("id", "Reference"), ("kind_label", "Kind"), ("urgent", "Urgent"), ("status_label", "Status"),
                 ("overdue", "Overdue"), ("age_text", "Waiting"), ("created_text", "Asked at"),
                 ("acknowledged_by", "Acknowledged by"), ("practitioner", "Asked by")],
    "handoffs": [("id", "Reference"), ("urgent", "Urgent"), ("status_label", "Status"), ("overdue", "Overdue"),
                 ("created_text", "Asked at"), ("callback_text", "MASH to call back by"),
                 ("acknowledged_by", "Picked up by"), ("practitioner", "Asked by")],
    "records": [("reference", "Reference"), ("decided_text", "Decided at"), ("decision", "Decision"),
                ("outcome", "Outcome"), ("pack", "Guidance"), ("consent", "Consent"), ("by", "Decided by"),
                ("corrects", "Corrects")],
}


def _cell(value: Any) -> str:
    text = "Yes" if value is True else "No" if value is False else str(value if value is not None else "")
    # A cell a spreadsheet would run as a formula is written as text (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(view: Mapping[str, Any], what: str) -> str:
    """One table of the page as CSV, the rows and columns the page shows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if what == "weeks":
        charts = view["charts"]
        writer.writerow(["Chart", "Series"] + [w["label"] for w in charts["weeks"]] + ["Total"])
        writer.writerow(["Records", "All"] + charts["totals"] + [sum(charts["totals"])])
        for chart, key in (("Outcome", "by_outcome"), ("Guidance", "by_pack"), ("Consent", "by_consent")):
            for s in charts[key]:
                writer.writerow([chart, _cell(s["label"])] + s["counts"] + [s["total"]])
        return out.getvalue()
    columns = CSV_COLUMNS[what]
    writer.writerow([title for _, title in columns])
    for row in view[what]:
        writer.writerow([_cell(row.get(key)) for key, _ in columns])
    return out.getvalue()
