"""One turn: load the conversation, run the pure engine, carry out its effects, save once.

The save is checked against the version that was read; on a clash (another worker took a turn of
the same conversation) the whole turn runs again on the fresh state. Effects carry idempotency
keys, so running them again files nothing twice.

If the store cannot be reached, nothing is silently lost: the practitioner is told plainly, and
the conversation (with any record draft) is kept in this process until the store is back.
"""

from __future__ import annotations

import asyncio
import logging
import time as _time
from collections import OrderedDict
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date, datetime, time, timezone
from typing import Any, Callable, Collection, Iterable, Mapping

from bot.logs import hash_id
from bot.escalation.working_days import LONDON
from dialogs import engine, inputs
from dialogs.engine import activity_key
from dialogs.model import Choice, Effect, EffectResult, Practitioner, Reply, RuleRef, UserInput
from dialogs.pack import Pack
from state.interfaces import ConversationStore, RecordStore, StoreUnavailable, VersionConflict
from state.records_chain import parse_created_at

log = logging.getLogger("sharesafe.turn")

MAX_ATTEMPTS = 8
MAX_UNSAVED = 10_000

STORE_DOWN = Reply(
    kind="error", title="ShareSafe can't reach its store",
    text=(
        "I can't load your conversation right now. Nothing has been lost. Try again in a minute. "
        "If a child is in immediate danger, call 999."
    ),
)
KEPT_LOCALLY = Reply(
    kind="info", title="Not saved to the store",
    text="ShareSafe can't reach its store, so where you are is kept on this server only for now.",
)


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


@dataclass
class TurnOutcome:
    """What a turn produced: the replies, and the effects with what happened to them."""

    replies: list[Reply]
    effects: list[Effect] = field(default_factory=list)
    results: list[EffectResult] = field(default_factory=list)
    saved: bool = True
    # With a renderer: the rendered replies as saved with the state ({"key", "activities"}), to
    # send and then mark delivered. `resend`: a redelivered activity whose replies were stored
    # before (send them again, same ids, unless they were delivered).
    outbox: dict[str, Any] | None = None
    resend: bool = False


# The state keeps the rendered replies of the last few activities, so a redelivery whose replies
# were never delivered (a worker killed between save and send) gets them, not silence.
OUTBOX_KEY = "outbox"
OUTBOX_KEEP = 3


def _reply_defaults() -> tuple[tuple[str, Any], ...]:
    return tuple((f.name, f.default if f.default is not MISSING else (
        f.default_factory() if f.default_factory is not MISSING else MISSING)) for f in fields(Reply))


# Worked out once: stored_reply runs for every reply of every turn.
_REPLY_DEFAULTS = _reply_defaults()


def stored_reply(reply: Reply) -> dict[str, Any]:
    """A reply as kept in the outbox: every field that differs from its default, as plain JSON
    (a few hundred bytes; a rendered card is several times that, and the state is saved every turn)."""
    out: dict[str, Any] = {}
    for name, default in _REPLY_DEFAULTS:
        value = getattr(reply, name)
        if value is default or value == default:
            continue
        if name == "choices":
            value = [[c.value, c.label] for c in value]
        elif name == "rules":
            value = [[r.number, r.text, r.short] for r in value]
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        elif isinstance(value, Mapping):
            value = dict(value)
        out[name] = value
    return out


def reply_from_stored(data: Mapping[str, Any]) -> Reply:
    """The Reply that stored_reply kept (fields this version does not know are ignored)."""
    known = {f.name for f in fields(Reply)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name == "choices":
            value = tuple(Choice(str(v), str(label)) for v, label in value)
        elif name == "rules":
            value = tuple(RuleRef(int(r[0]), str(r[1]), str(r[2]) if len(r) > 2 else "") for r in value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[name] = value
    return Reply(**values)


def danger_first(replies: Iterable[Reply]) -> list[Reply]:
    """The replies with any "call 999" reply first: on a phone the first message is the one read."""
    listed = list(replies)
    return [r for r in listed if r.kind == "danger"] + [r for r in listed if r.kind != "danger"]


def stored_outbox(state: Mapping[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The stored replies of one activity (by activity_key), if the state still holds them."""
    for entry in (state or {}).get(OUTBOX_KEY) or ():
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry
    return None


def with_outbox(saved: dict[str, Any], previous: Mapping[str, Any] | None, entry: dict[str, Any],
                delivered: Collection[str] = ()) -> None:
    """Put this turn's rendered replies into the state about to be saved (the same one write),
    keeping earlier activities' replies unless they are known to have been delivered."""
    older = [e for e in (previous or {}).get(OUTBOX_KEY) or ()
             if isinstance(e, dict) and e.get("key") != entry["key"] and e.get("key") not in delivered]
    saved[OUTBOX_KEY] = [entry] + older[:OUTBOX_KEEP - 1]


class EffectExecutor:
    """Carries out the engine's effects against the stores."""

    def __init__(
        self,
        records: RecordStore,
        directory: Directory,
        escalate: Callable[..., Any] | None = None,
        handoff: Callable[..., Any] | None = None,
    ) -> None:
        self.records = records
        self.directory = directory
        # `await escalate(conversation_id, effect, inp) -> dict` for "escalate"; "handoff" goes to
        # `handoff` when given, else to the same callable (EscalationService.handle_effect takes both).
        self.escalate = escalate
        self.handoff = handoff

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
                return EffectResult(effect, ok=True, data={"reference": stored["reference"]})
            if effect.kind == "query_records":
                return await self._query(effect, inp.user)
            if effect.kind in ("escalate", "handoff"):
                send = self.escalate if effect.kind == "escalate" else (self.handoff or self.escalate)
                if send is None:
                    return EffectResult(effect, ok=False, error="not_configured")
                data = await send(conversation_id, effect, inp)
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


class TurnRunner:
    """Runs turns for every channel (Teams, terminal, tests, benchmarks)."""

    def __init__(
        self,
        *,
        packs: Mapping[str, Pack],
        default_pack: str,
        conversations: ConversationStore,
        executor: EffectExecutor,
        directory: Directory | None = None,
        deliveries: Any = None,
    ) -> None:
        self.packs = dict(packs)
        # Where delivered replies are noted (Stores.deliveries); None: a redelivery always re-sends.
        self.deliveries = deliveries
        # Activity keys whose replies this worker delivered, by conversation: dropped from the next
        # state saved, so the state carries only replies that may still be owed.
        self._delivered_here: OrderedDict[str, set[str]] = OrderedDict()
        self._to_note: list[tuple[str, str]] = []
        self._noting: asyncio.Task[None] | None = None
        self.default_pack = default_pack
        self.conversations = conversations
        self.executor = executor
        self.directory = directory or executor.directory
        # Conversations whose last save failed: id -> (state, version it was based on).
        self._unsaved: OrderedDict[str, tuple[dict[str, Any], int]] = OrderedDict()
        # The last state this worker saved for each recent conversation, so that if the store goes
        # down mid-conversation the practitioner's place and record draft are not lost with it.
        self._recent: OrderedDict[str, tuple[dict[str, Any], int]] = OrderedDict()

    def pack_for(self, user: Practitioner) -> Pack:
        """The pack for this practitioner: organisation, else team, else tenant, else the deployment's."""
        # The most specific choice wins: a school in a county-wide tenant keeps its own pack.
        chosen = (
            (self.directory.pack_for(user.organisation) if user.organisation else None)
            or (self.directory.pack_for_team(user.team_id) if user.team_id else None)
            or (self.directory.pack_for_tenant(user.tenant_id) if user.tenant_id else None)
        )
        pack = self.packs.get(chosen or self.default_pack)
        if pack is None:
            log.error("pack %r is not loaded; using the deployment default %r", chosen, self.default_pack)
            return self.packs[self.default_pack]
        return pack

    async def run(self, conversation_id: str, inp: UserInput) -> list[Reply]:
        """Run a turn and return the replies to send."""
        return (await self.run_turn(conversation_id, inp)).replies

    async def run_turn(self, conversation_id: str, inp: UserInput,
                       render: Callable[[list[Reply], str], list[dict[str, Any]]] | None = None) -> TurnOutcome:
        """Run a turn and return replies, effects and their results.

        With `render` (replies, activity key -> outgoing activities as JSON, each with its id) the
        rendered replies are saved with the state, so a redelivery of the activity can send them
        again if they were never delivered (TurnOutcome.outbox / resend)."""
        if not inp.user.organisation:
            org = self.directory.organisation_of(inp.user.ids)
            if org:
                inp = replace(inp, user=replace(inp.user, organisation=org))
        # A form is not offered for a request nobody is set up to receive (docs/escalation.md).
        org = inp.user.organisation
        inp = replace(inp, dsl_available=inp.dsl_available and self.directory.can_ask_dsl(org),
                      mash_available=inp.mash_available and self.directory.can_ask_mash(org))
        pack = self.pack_for(inp.user)
        for _ in range(MAX_ATTEMPTS):
            try:
                state, version = await self.conversations.load(conversation_id)
            except StoreUnavailable:
                return self._store_down(conversation_id, pack, inp)
            kept = self._unsaved.get(conversation_id)
            if kept is not None and kept[1] == version:
                state = kept[0]  # our unsaved copy is newer than the store's
            elif kept is not None:
                self._unsaved.pop(conversation_id, None)  # another worker moved on; theirs wins
            key = activity_key(inp.activity_id) if render is not None and inp.activity_id else ""
            if key and key in ((state or {}).get("seen") or ()):
                # Redelivered: the engine answers nothing, so hand back what was stored with the
                # state that first answered it (the caller skips it if it was delivered).
                entry = stored_outbox(state, key)
                return TurnOutcome([], outbox=entry, resend=entry is not None)
            outcome, session = await self._step(conversation_id, pack, state, inp)
            try:
                saved_state = session.to_dict()
                if key:
                    outcome.replies = danger_first(outcome.replies)
                    outcome.outbox = {"key": key, "at": _time.time(), "activities": render(outcome.replies, key)}
                    with_outbox(saved_state, state, outcome.outbox, self._delivered_here.get(conversation_id, ()))
                new_version = await self.conversations.save(conversation_id, saved_state, version)
            except VersionConflict:
                continue
            except StoreUnavailable:
                self._keep(conversation_id, session.to_dict(), version)
                if not any(r.kind == "not_saved" for r in outcome.replies):
                    outcome.replies.append(KEPT_LOCALLY)
                outcome.saved = False
                return outcome
            self._unsaved.pop(conversation_id, None)
            self._remember(self._recent, conversation_id, saved_state, new_version)
            return outcome
        log.error("conversation %s: gave up after %d version clashes", hash_id(conversation_id), MAX_ATTEMPTS)
        return TurnOutcome([Reply(kind="error", title="Busy", text="ShareSafe is busy. Please send that again.")])

    async def _step(self, conversation_id: str, pack: Pack, state: dict[str, Any] | None, inp: UserInput):
        result = engine.step(pack, state, inp)
        session, replies = result.session, list(result.replies)
        outcome = TurnOutcome(replies, effects=list(result.effects))
        for effect in result.effects:
            effect_result = await self.executor.execute(conversation_id, effect, inp)
            outcome.results.append(effect_result)
            session, more = engine.apply(pack, session, effect_result)
            replies.extend(more)
        outcome.replies = replies
        return outcome, session

    async def delivered(self, conversation_id: str, key: str) -> bool:
        """True when this activity's replies were accepted by the Bot Connector (False if unknown)."""
        if self.deliveries is None:
            return False
        try:
            return await self.deliveries.delivered(conversation_id, key)
        except StoreUnavailable:
            return False

    async def mark_delivered(self, conversation_id: str, key: str) -> None:
        """Note that an activity's replies were accepted, so a redelivery sends nothing again."""
        self._delivered_here.setdefault(conversation_id, set()).add(key)
        self._delivered_here.move_to_end(conversation_id)
        if len(self._delivered_here[conversation_id]) > OUTBOX_KEEP * 4:
            self._delivered_here[conversation_id] = {key}
        while len(self._delivered_here) > MAX_UNSAVED:
            self._delivered_here.popitem(last=False)
        if self.deliveries is None:
            return
        # Noted in batches, one round trip for every turn that finished meanwhile: a redelivery
        # this soon waits for the note anyway (bot/channels/teams/proactive.py, RESEND_GRACE_SECONDS).
        self._to_note.append((conversation_id, key))
        if self._noting is None:
            self._noting = asyncio.get_running_loop().create_task(self._note_deliveries())

    async def _note_deliveries(self) -> None:
        try:
            while self._to_note:
                batch, self._to_note = self._to_note, []
                try:
                    await self.deliveries.mark_delivered_many(batch)
                except StoreUnavailable:
                    # A redelivery would then send the replies again, with the same ids: seen once.
                    log.warning("%d deliveries not noted (store unavailable)", len(batch))
        finally:
            self._noting = None

    def _store_down(self, conversation_id: str, pack: Pack, inp: UserInput) -> TurnOutcome:
        kept = self._unsaved.get(conversation_id) or self._recent.get(conversation_id)
        if kept is None:
            replies = [STORE_DOWN]
            if inputs.is_danger(inp.text or "") or (inp.value or {}).get("choice") == "danger":
                danger = engine.step(pack, None, replace(inp, activity_id="")).replies
                replies = danger + replies
            return TurnOutcome(replies, saved=False)
        # Carry on from the copy kept in this process; file nothing until the store is back
        # (the engine reports a failed filing as NOT saved, and the draft stays here).
        result = engine.step(pack, kept[0], inp)
        session, replies = result.session, list(result.replies)
        for effect in result.effects:
            failed = EffectResult(effect, ok=False, error="store_unavailable")
            session, more = engine.apply(pack, session, failed)
            replies.extend(more)
        self._keep(conversation_id, session.to_dict(), kept[1])
        if not any(r.kind in ("not_saved", "danger") for r in replies):
            replies.append(KEPT_LOCALLY)
        return TurnOutcome(replies, effects=list(result.effects), saved=False)

    def _keep(self, conversation_id: str, state: dict[str, Any], version: int) -> None:
        self._remember(self._unsaved, conversation_id, state, version)

    @staticmethod
    def _remember(cache: OrderedDict[str, tuple[dict[str, Any], int]], conversation_id: str,
                  state: dict[str, Any], version: int) -> None:
        cache[conversation_id] = (state, version)
        cache.move_to_end(conversation_id)
        while len(cache) > MAX_UNSAVED:
            cache.popitem(last=False)


def build_runner(*, stores: Any, pack_id: str, directory: Directory | None = None,
                 packs_dir: str | None = None) -> TurnRunner:
    """Load every shipped pack (and those in packs_dir, SHARESAFE_PACKS_DIR) and wire a runner to the stores."""
    from dialogs.pack import PackError, load_by_id, pack_files

    extra = (packs_dir,) if packs_dir else ()
    packs = {pid: load_by_id(pid, extra) for pid in pack_files(extra)}
    directory = directory or Directory()
    # Combined ids (sandwell+schools) are loaded here, so a wrong name stops start-up instead of
    # silently giving a practitioner another partnership's guidance.
    wanted = {pack_id: "SHARESAFE_PACK", **{k: v for k, v in directory.pack_choices().items() if k != pack_id}}
    for wanted_id, where in wanted.items():
        if wanted_id in packs:
            continue
        try:
            packs[wanted_id] = load_by_id(wanted_id, extra)
        except PackError as exc:
            label = f"SHARESAFE_PACK={wanted_id!r}" if where == "SHARESAFE_PACK" else f"the directory's {where} names pack {wanted_id!r}"
            raise ValueError(f"{label}, which is not a known pack: {exc}") from exc
    executor = EffectExecutor(stores.records, directory)
    return TurnRunner(packs=packs, default_pack=pack_id, conversations=stores.conversations,
                      executor=executor, directory=directory, deliveries=getattr(stores, "deliveries", None))
