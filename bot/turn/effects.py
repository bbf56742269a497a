"""The engine's effects carried out against the stores: file a record (or a correction), list
records, ask a DSL or hand off to MASH (through the escalation service given to the executor)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timezone
from typing import Any, Awaitable, Callable, Iterable, Mapping

from dialogs.model import Effect, EffectResult, Practitioner, UserInput
from dialogs.uk_time import LONDON
from state.interfaces import RecordStore, StoreUnavailable
from state.records_chain import parse_created_at

log = logging.getLogger("sharesafe.effects")


class EscalationFailed(Exception):
    """An escalation or MASH hand-off could not be carried out; `error` is the short, user-safe reason
    the engine explains ("no_dsl", "not_configured", "undeliverable", "store_unavailable")."""

    def __init__(self, error: str, *, escalation_id: str = "") -> None:
        super().__init__(error)
        self.error = error
        # The request that was made but could not be delivered, so the decision record links it too.
        self.escalation_id = escalation_id


# One id, or every id a person has (Practitioner.ids / Actor.ids: Teams user id, Entra object id).
UserIds = str | Iterable[str]
# `await escalate(conversation_id, effect, inp) -> dict`; raises EscalationFailed.
Escalate = Callable[[str, Effect, UserInput], Awaitable[dict[str, Any]]]


def user_ids(user: UserIds) -> tuple[str, ...]:
    """The ids to look a person up by: the directory may list them under any of them."""
    return (user,) if isinstance(user, str) else tuple(i for i in user if i)


class Directory:
    """Who belongs to which organisation and who is a DSL or an administrator (read-only view).

    Every lookup takes one id or all of a person's ids (`Practitioner.ids`, `Actor.ids`).
    """

    def organisation_of(self, user: UserIds) -> str:
        """The organisation id of a practitioner, or '' if unknown."""
        return ""

    def is_dsl(self, user: UserIds, organisation: str) -> bool:
        """True when the user is a DSL or deputy DSL of the organisation."""
        return False

    def pack_for(self, organisation: str) -> str | None:
        """The policy pack id chosen for an organisation, if any."""
        return None

    def pack_for_team(self, team_id: str) -> str | None:
        """The policy pack id chosen for a Teams team, if any."""
        return None

    def pack_for_tenant(self, tenant_id: str) -> str | None:
        """The policy pack id chosen for a Teams tenant, if any."""
        return None

    def pack_choices(self) -> dict[str, str]:
        """Every pack id the directory names -> where it is named (so start-up can check them)."""
        return {}

    def can_ask_dsl(self, organisation: str) -> bool:
        """False when a request to the organisation's DSL could never be delivered (none set up)."""
        return True

    def can_ask_mash(self, organisation: str) -> bool:
        """False when no MASH destination is set up for the organisation."""
        return True


class EffectExecutor:
    """Carries out the engine's effects against the stores."""

    def __init__(
        self,
        records: RecordStore,
        directory: Directory,
        escalate: Escalate | None = None,
        *,
        on_filed: Callable[[str], None] | None = None,
    ) -> None:
        self.records = records
        self.directory = directory
        # EscalationService.handle_effect: both "escalate" and "handoff"; None where nobody can be
        # asked (the terminal chat, tests), so the engine says the request could not be made.
        self.escalate = escalate
        # Told the reference of every record filed (the records-filed metric).
        self.on_filed = on_filed

    async def execute(self, conversation_id: str, effect: Effect, inp: UserInput) -> EffectResult:
        """Do one effect; never raise for an outage, report it instead."""
        try:
            if effect.kind == "file_record":
                record = dict(effect.data["record"])
                if record.get("corrects"):
                    corrected = await self._own_record(str(record["corrects"]), inp.user)
                    if corrected is None:
                        return EffectResult(effect, ok=False, error="not_yours")
                    record = correction_of(corrected, record)
                stored = await self.records.append(record, f"{conversation_id}:{effect.key}")
                if self.on_filed is not None:
                    self.on_filed(str(stored["reference"]))
                return EffectResult(effect, ok=True, data={"reference": stored["reference"]})
            if effect.kind == "query_records":
                return await self._query(effect, inp.user)
            if effect.kind in ("escalate", "handoff"):
                if self.escalate is None:
                    return EffectResult(effect, ok=False, error="not_configured")
                data = await self.escalate(conversation_id, effect, inp)
                return EffectResult(effect, ok=True, data=data or {})
        except EscalationFailed as failed:
            log.warning("%s %s failed: %s", effect.kind, effect.key, failed.error)
            return EffectResult(effect, ok=False, error=failed.error,
                                data={"id": failed.escalation_id} if failed.escalation_id else {})
        except StoreUnavailable:
            log.warning("store unavailable during %s", effect.kind)
            return EffectResult(effect, ok=False, error="store_unavailable")
        return EffectResult(effect, ok=False, error="unknown_effect")

    async def _own_record(self, reference: str, user: Practitioner) -> dict[str, Any] | None:
        """The record if this practitioner filed it (only its author may correct it), else None."""
        record = await self.records.get(reference.upper())
        if record is None or (record.get("practitioner") or {}).get("user_id") not in user.ids:
            return None
        return record

    async def _query(self, effect: Effect, user: Practitioner) -> EffectResult:
        scope = effect.data.get("scope")
        if scope in ("mine", "organisation"):
            if scope == "organisation" and (not user.organisation or not self.directory.is_dsl(user.ids, user.organisation)):
                return EffectResult(effect, ok=False, error="forbidden")
            who = {"practitioner_id": user.user_id} if scope == "mine" else {"organisation": user.organisation}
            return await self._page(effect, who)
        if scope == "open":
            record = await self.records.get(str(effect.data.get("reference", "")).upper())
            if record is None:
                return EffectResult(effect, ok=False, error="not_found")
            owner = record.get("practitioner", {})
            own = owner.get("user_id") in user.ids
            allowed = own or (bool(owner.get("organisation")) and self.directory.is_dsl(user.ids, owner["organisation"]))
            # Refuse without saying whether the reference exists: records are confidential.
            if not allowed:
                return EffectResult(effect, ok=False, error="not_found")
            return EffectResult(effect, ok=True, data={"records": [await self._with_corrections(record)], "own": own})
        if scope == "correct":
            record = await self._own_record(str(effect.data.get("reference", "")), user)
            if record is None:
                return EffectResult(effect, ok=False, error="not_found")
            return EffectResult(effect, ok=True, data={"records": [record], "own": True})
        return EffectResult(effect, ok=False, error="unknown_scope")

    async def _page(self, effect: Effect, who: Mapping[str, str]) -> EffectResult:
        """One page of "my records" / "org records" (newest first), optionally since a date."""
        page = min(max(int(effect.data.get("page") or 0), 0), MAX_PAGES - 1)
        since = london_midnight(str(effect.data.get("since") or ""))
        end = (page + 1) * PAGE_SIZE
        rows = await self.records.list(**who, since=since, limit=end + 1)
        # Corrections are newer than what they correct, so any of this page's are among `rows`.
        corrected_by = corrections_index(rows)
        shown = [{**r, "corrected_by": corrected_by.get(r.get("reference", ""), [])} for r in rows[page * PAGE_SIZE:end]]
        return EffectResult(effect, ok=True, data={
            "records": shown, "page": page, "first": page * PAGE_SIZE + 1,
            "more": len(rows) > end and page + 1 < MAX_PAGES,
        })

    async def _with_corrections(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record with `corrected_by` (the later records that correct it), worked out now:
        records are append-only, so an old record is never changed to say it was corrected."""
        owner = (record.get("practitioner") or {}).get("user_id")
        try:
            created = parse_created_at(str(record.get("created_at")))
        except ValueError:
            return record
        if not owner:
            return record
        later = await self.records.list(practitioner_id=owner, since=created, limit=CORRECTIONS_SCAN)
        return {**record, "corrected_by": corrections_index(later).get(record.get("reference", ""), [])}


PAGE_SIZE = 10
MAX_PAGES = 50  # 500 records in the chat; an administrator's export has the rest
CORRECTIONS_SCAN = 500
# What a correction keeps from the record it corrects: the decision as it was made then.
CARRIED_INTO_CORRECTION = ("pack", "answers", "outcome", "golden_rules", "decision", "decided_at", "escalations",
                           "escalation_states")


def correction_of(corrected: Mapping[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """A correction record: the corrected record's decision (its answers, outcome, pack), with the
    practitioner's corrected fields and reason. The old record itself is never changed."""
    out = dict(record)
    for key in CARRIED_INTO_CORRECTION:
        if key in corrected:
            out[key] = corrected[key]
    return out


def corrections_index(records: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """reference -> the references of the records that correct it, oldest first."""
    index: dict[str, list[str]] = {}
    for r in sorted(records, key=lambda r: int(r.get("seq") or 0)):
        if r.get("corrects"):
            index.setdefault(str(r["corrects"]), []).append(str(r.get("reference", "")))
    return index


def london_midnight(day: str) -> datetime | None:
    """'2026-11-01' -> the start of that day in England, as UTC; None for ''/not a date."""
    try:
        return datetime.combine(date.fromisoformat(day), time(0), LONDON).astimezone(timezone.utc) if day else None
    except ValueError:
        return None
