"""Escalation to the safeguarding lead and the MASH professional-consultation hand-off (golden rule 3).

The service is the edge's side of the engine's `escalate` and `handoff` effects, the DSL's card
buttons, the re-ping job and DSL self-registration. It only wires the parts together:

- machine.py      the lifecycle, declared as a `transitions` table, and its pure step()
- asking.py       a DSL request: stored, then sent to the DSLs (or at once to the deputies)
- mash.py         a MASH hand-off: the channel and the webhook, and their retries
- schedule.py     the background job: re-pings, send retries, the outbox of notices
- answers.py      a DSL's or MASH's buttons
- delivery.py     every send, webhook post and card update (the only I/O with Teams)
- actions.py      carrying out what step() decided, against the stores and Teams
- notices.py      what the practitioner is told, in words
- registration.py, listing.py, references.py   "register dsl", "escalations", conversation references

Nothing fails silently: a send that fails is retried (a few quick tries in the turn, then from the
re-ping job with backoff), and when the last try fails the practitioner is told that their DSL
could not be reached and who to phone instead. No user text is ever logged: only ids and error types.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import datetime
from typing import Any, Awaitable, Callable, Mapping

import aiohttp

from bot.channels.reference import ConversationRef, Messenger
from bot.escalation.actions import Carrier
from bot.escalation.answers import Answers
from bot.escalation.asking import Asking
from bot.escalation.context import Actor, Context, EscalationSettings, utc_now
from bot.escalation.delivery import Sender
from bot.escalation.directory import FileDirectory
from bot.escalation.listing import Listing, is_overview_command
from bot.escalation.mash import Handoff
from bot.escalation.references import References
from bot.escalation.registration import Registration, is_register_command
from bot.escalation.schedule import JobHandler, Schedule
from bot.turn.effects import EscalationFailed
from dialogs.model import Effect, Reply, UserInput
from dialogs.pack import Pack
from state.interfaces import EscalationStore, ReferenceStore, RegistrationStore, StoreUnavailable

# What the channels and tests import from here.
__all__ = ["Actor", "EscalationService", "EscalationSettings", "is_overview_command", "is_register_command"]

log = logging.getLogger("sharesafe.escalation")


class EscalationService:
    """Asks DSLs, re-pings, hands off to MASH, and tells the practitioner what happened."""

    def __init__(
        self,
        *,
        escalations: EscalationStore,
        references: ReferenceStore,
        registrations: RegistrationStore,
        directory: FileDirectory,
        packs: Mapping[str, Pack],
        default_pack: str,
        messenger: Messenger | None,
        settings: EscalationSettings = EscalationSettings(),
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        http: aiohttp.ClientSession | None = None,
        environ: Mapping[str, str] = os.environ,
        worker_id: str | None = None,
        job_handlers: Mapping[str, JobHandler] | None = None,
    ) -> None:
        self.ctx = Context(
            escalations=escalations, references=references, registrations=registrations, directory=directory,
            registered=directory.registered, packs=packs, default_pack=default_pack, settings=settings, clock=clock, sleep=sleep,
            worker_id=worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        )
        self._sender = Sender(self.ctx, messenger, http=http, environ=environ)
        carrier = Carrier(self.ctx, self._sender)
        self._asking = Asking(self.ctx, self._sender, carrier)
        self._handoff = Handoff(self.ctx, self._sender, carrier)
        self._schedule = Schedule(self.ctx, self._sender, carrier, self._asking, self._handoff)
        # Jobs other parts of the bot queue in the same outbox, by type (a turn's undelivered replies).
        self._schedule.job_handlers.update(job_handlers or {})
        self._answers = Answers(self.ctx, self._sender, carrier)
        self._registration = Registration(self.ctx)
        self._listing = Listing(self.ctx)
        self._references = References(self.ctx)
        self._task: asyncio.Task[None] | None = None

    # The stores, directory, settings and clock every part shares (tests move the clock and settings).

    @property
    def escalations(self) -> EscalationStore:
        """The escalation store."""
        return self.ctx.escalations

    @property
    def registrations(self) -> RegistrationStore:
        """The store of self-registered DSLs."""
        return self.ctx.registrations

    @property
    def directory(self) -> FileDirectory:
        """Who is a DSL, a deputy or MASH, for which organisation."""
        return self.ctx.directory

    @property
    def settings(self) -> EscalationSettings:
        """The waits and tries."""
        return self.ctx.settings

    @settings.setter
    def settings(self, value: EscalationSettings) -> None:
        self.ctx.settings = value

    @property
    def clock(self) -> Callable[[], datetime]:
        """The clock every part reads."""
        return self.ctx.clock

    @clock.setter
    def clock(self, value: Callable[[], datetime]) -> None:
        self.ctx.clock = value

    @property
    def sleep(self) -> Callable[[float], Awaitable[Any]]:
        """How the quick retries wait."""
        return self.ctx.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], Awaitable[Any]]) -> None:
        self.ctx.sleep = value

    # ---- The engine's effects ------------------------------------------------------------------

    async def handle_effect(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """EffectExecutor's callable for both "escalate" and "handoff"; raises EscalationFailed."""
        try:
            if effect.kind == "escalate":
                return await self._asking.escalate(conversation_id, effect, inp)
            if effect.kind == "handoff":
                return await self._handoff.handoff(conversation_id, effect, inp)
        except StoreUnavailable as exc:
            raise EscalationFailed("store_unavailable") from exc
        raise EscalationFailed("unknown_effect")

    # ---- What DSLs, MASH and practitioners do --------------------------------------------------

    async def act(self, actor: Actor, value: Mapping[str, Any]) -> Reply:
        """A button on a request or hand-off card: update it, tell the practitioner, confirm to the DSL."""
        return await self._answers.act(actor, value)

    async def register(self, actor: Actor, text: str) -> Reply:
        """"register dsl <join code>" / "register deputy <join code>" (the code is never logged or kept)."""
        return await self._registration.register(actor, text)

    async def overview(self, actor: Actor, *, limit: int = 15) -> Reply:
        """"escalations": a DSL sees their organisation's requests; MASH its hand-offs; others their own."""
        return await self._listing.overview(actor, limit=limit)

    async def refresh_directory(self) -> None:
        """Re-read the registered DSLs (other workers' registrations too) into the directory's cache."""
        await self.ctx.refresh_directory()

    # ---- Conversation references ----------------------------------------------------------------

    async def remember_conversation(self, reference: ConversationRef, *, user_id: str, aad_object_id: str = "",
                                    conversation_type: str = "", channel_id: str = "", force: bool = False) -> None:
        """Keep the reference of the conversation an activity came from, for proactive messages."""
        await self._references.remember_conversation(
            reference, user_id=user_id, aad_object_id=aad_object_id, conversation_type=conversation_type,
            channel_id=channel_id, force=force)

    async def forget_conversation(self, conversation_id: str, *, user_id: str, aad_object_id: str = "",
                                  conversation_type: str = "", channel_id: str = "") -> None:
        """The bot was removed from a chat or team: delete the references that pointed there."""
        await self._references.forget_conversation(
            conversation_id, user_id=user_id, aad_object_id=aad_object_id, conversation_type=conversation_type,
            channel_id=channel_id)

    # ---- The background job ---------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> int:
        """Do every re-ping and retry that is due, then the due outbox jobs; how many escalations."""
        return await self._schedule.run_due(now)

    def setup_gaps(self) -> list[str]:
        """What is not set up for asking a DSL or MASH, and the packs with no number to phone instead."""
        gaps = list(self.ctx.directory.setup_gaps())
        unnumbered = sorted(pid for pid, pack in self.ctx.packs.items()
                            if not any(isinstance(pack.contacts.get(n), Mapping) and pack.contacts[n].get("phone")
                                       for n in ("mash", "out_of_hours")))
        if unnumbered:
            gaps.append(f"fallback phone numbers (MASH / out of hours) in pack(s) {', '.join(unnumbered)}: "
                        "practitioners are told to find their council's MASH number")
        return gaps

    def start(self) -> asyncio.Task[None]:
        """Start the background re-ping loop (every settings.poll_seconds)."""
        if self._task is None:
            # Said once at start-up, so an administrator sees what a practitioner would be sent round.
            gaps = self.setup_gaps()
            if gaps:
                log.warning("escalation set-up incomplete; missing: %s", "; ".join(gaps))
            else:
                log.info("escalation set-up: DSL directory, MASH destination and fallback numbers all present")
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._schedule.loop(), name="sharesafe-repings")
        return self._task

    async def close(self) -> None:
        """Stop the background loop and release the HTTP session."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self._sender.close()
