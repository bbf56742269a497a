"""Times as a person in England reads them: Europe/London, GMT in winter and BST in summer.

Stored times stay UTC ISO-8601; only what a practitioner, DSL or auditor reads is local. A record
read years later must not put a decision made at 00:30 BST on the day before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def parse(moment: datetime | str | None) -> datetime | None:
    """An ISO time ('...Z', an offset, or naive taken as UTC) or a datetime -> aware; None if unreadable."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        text = moment.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local(moment: datetime | str | None) -> datetime | None:
    """The moment in England (None if unreadable)."""
    parsed = parse(moment)
    return parsed.astimezone(LONDON) if parsed else None


def day_and_time(moment: datetime | str | None) -> str:
    """'Mon 7 Dec 2026, 00:30 GMT' (or BST): record details, summaries and exports."""
    at = local(moment)
    if at is None:
        return str(moment or "")
    return f"{at:%a} {at.day} {at:%b %Y}, {at:%H:%M} {at.tzname()}"


def short(moment: datetime | str | None) -> str:
    """'7 Dec 2026 00:30': one line of a records list on a phone."""
    at = local(moment)
    if at is None:
        return str(moment or "")[:10]
    return f"{at.day} {at:%b %Y %H:%M}"


def time_on_day(moment: datetime | str | None) -> str:
    """'09:05 on Fri 24 Dec 2027': escalation cards and notices."""
    at = local(moment)
    if at is None:
        return ""
    return f"{at:%H:%M} on {at:%a} {at.day} {at:%b %Y}"


def day(moment: datetime | str | None, days_before: int = 0) -> str:
    """'Mon 7 Dec 2026': the day in England on which `moment` falls, or `days_before` days earlier."""
    at = local(moment)
    if at is None:
        return ""
    d: date = at.date() - timedelta(days=days_before)
    return f"{d:%a} {d.day} {d:%b %Y}"
