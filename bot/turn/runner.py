"""One turn: load the conversation, run the pure engine, carry out its effects, save once.

The save is checked against the version that was read; on a clash (another worker took a turn of
the same conversation) the whole turn runs again on the fresh state. Effects carry idempotency
keys, so running them again files nothing twice.

If the store cannot be reached, nothing is silently lost: the practitioner is told plainly, and
the conversation (with any record draft) is kept in this process until the store is back.
"""

from __future__ import annotations

import logging
import time as _time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from bot.logs import hash_id
from bot.turn.delivery import DeliveryNotes
from bot.turn.effects import Directory, EffectExecutor, Escalate
from bot.turn.outbox import danger_first, stored_outbox, with_outbox
from dialogs import engine, inputs
from dialogs.engine import activity_key
from dialogs.model import Effect, EffectResult, Practitioner, Reply, UserInput
from dialogs.pack import Pack
from state.interfaces import ConversationStore, StoreUnavailable, VersionConflict

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
        notes: DeliveryNotes | None = None,
    ) -> None:
        self.packs = dict(packs)
        # Which activities' replies were delivered (bot/turn/delivery.py): those are dropped from
        # the next state saved, so the state carries only replies that may still be owed.
        self.notes = notes or DeliveryNotes()
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
        # The help lists the DSL's commands only to a DSL (dialogs/commands.py).
        roles = inp.roles | {"dsl"} if org and self.directory.is_dsl(inp.user.ids, org) else inp.roles
        inp = replace(inp, dsl_available=inp.dsl_available and self.directory.can_ask_dsl(org),
                      mash_available=inp.mash_available and self.directory.can_ask_mash(org), roles=roles)
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
                    with_outbox(saved_state, state, outcome.outbox, self.notes.delivered_here(conversation_id))
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

    def _store_down(self, conversation_id: str, pack: Pack, inp: UserInput) -> TurnOutcome:
        kept = self._unsaved.get(conversation_id) or self._recent.get(conversation_id)
        if kept is None:
            replies = [STORE_DOWN]
            alarm = inp.danger if inp.danger is not None else inputs.danger_of(inp.text or "")
            if alarm.clear or (inp.value or {}).get("choice") == "danger":
                danger = engine.step(pack, None, replace(inp, activity_id="", danger=alarm)).replies
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


def load_packs(pack_id: str, directory: Directory, packs_dir: str | None = None) -> dict[str, Pack]:
    """Every shipped pack (and those in packs_dir, SHARESAFE_PACKS_DIR), plus the combined ids the
    deployment and the directory choose; a wrong name stops start-up."""
    from dialogs.pack import PackError, load_by_id, pack_files

    extra = (packs_dir,) if packs_dir else ()
    packs = {pid: load_by_id(pid, extra) for pid in pack_files(extra)}
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
    return packs


def build_runner(*, stores: Any, pack_id: str, directory: Directory | None = None, packs_dir: str | None = None,
                 packs: Mapping[str, Pack] | None = None, escalate: Escalate | None = None,
                 on_filed: Callable[[str], None] | None = None, notes: DeliveryNotes | None = None) -> TurnRunner:
    """A runner on the stores, its executor given everything it calls (packs loaded unless given)."""
    directory = directory or Directory()
    if packs is None:
        packs = load_packs(pack_id, directory, packs_dir)
    executor = EffectExecutor(stores.records, directory, escalate, on_filed=on_filed)
    return TurnRunner(packs=packs, default_pack=pack_id, conversations=stores.conversations, executor=executor,
                      directory=directory, notes=notes or DeliveryNotes(getattr(stores, "deliveries", None)))
