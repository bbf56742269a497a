"""Escalation to the safeguarding lead and the MASH professional-consultation hand-off (golden rule 3).

The service is the edge's side of the engine's `escalate` and `handoff` effects, the DSL's card
buttons, the re-ping job and DSL self-registration. It talks to Bot Framework only through a
`Messenger` (one proactive send), so everything here runs in tests without HTTP.

Nothing fails silently: a send that fails is retried (a few quick tries in the turn, then from the
re-ping job with backoff), and when the last try fails the practitioner is told that their DSL
could not be reached and who to phone instead. No user text is ever logged: only ids and error types.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Mapping, Protocol, Sequence

import aiohttp

from bot.escalation import cards
from bot.escalation.directory import FileDirectory, Member
from bot.turn.runner import EscalationFailed
from bot.escalation.working_days import callback_deadline, describe
from dialogs.model import Effect, Reply, UserInput
from dialogs.pack import Pack
from state.interfaces import (
    EscalationStore,
    InvalidTransition,
    ReferenceStore,
    RegistrationStore,
    StoreUnavailable,
)
from state.records_chain import parse_created_at

log = logging.getLogger("sharesafe.escalation")

SYSTEM = "sharesafe"
# The statuses each button may move from: the first DSL to acknowledge wins, and a resolved
# request stays resolved.
ALLOWED_FROM = cards.ALLOWED_FROM
_REGISTER = re.compile(r"^\s*register\s+(dsl|deputy)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_OVERVIEW_WORDS = frozenset({"escalations", "open requests", "my requests", "show escalations", "open escalations"})
_FAILED_CODES_WINDOW = 15 * 60
_FAILED_CODES_LIMIT = 5
_REFERENCE_CACHE = 2048


REFUSED_ACTION = Reply(kind="info", title="Only for the safeguarding lead",
                      text="Sorry, only the people this request was sent to can respond to it.")


class DeliveryFailed(Exception):
    """A proactive send failed: connector 4xx/5xx, unknown conversation, timeout. `reason` is short."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class Messenger(Protocol):
    """Sends one proactive activity to a stored conversation reference."""

    async def send(self, reference: dict[str, Any], activity: dict[str, Any]) -> str | None:
        """Deliver it or raise DeliveryFailed (connector 4xx/5xx, unknown conversation, timeout);
        the sent activity's id where the channel gives one. A messenger may also have
        `async update(reference, activity_id, activity)`, to update a card in place."""


@dataclass(frozen=True)
class EscalationSettings:
    """How long to wait for a DSL, how hard to try a send, how often the re-ping job runs."""

    period: timedelta = timedelta(minutes=15)
    urgent_period: timedelta = timedelta(minutes=5)
    # Waits between the quick tries in the practitioner's turn (so 3 tries by default).
    quick_retry_delays: tuple[float, ...] = (0.5, 1.5)
    # Waits before each further try from the background job; after the last, the send has failed.
    retry_delays: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0)
    # Waits between tries of a notice to the practitioner from the job ("could not reach", "no
    # answer"): longer, because it tells them who to phone; after the last it is logged as lost.
    notice_retry_delays: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
    send_timeout: float = 4.0
    lease_seconds: int = 60
    poll_seconds: float = 15.0
    webhook_timeout: float = 10.0


@dataclass(frozen=True)
class Actor:
    """Who pressed a button or typed a bot-level command, and where."""

    user_id: str
    name: str = ""
    aad_object_id: str = ""
    conversation_id: str = ""
    # The Teams channel the message came from (channelData.channel.id), if any.
    channel_id: str = ""
    shared: bool = False  # a group chat or channel

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the directory may list this person under."""
        return tuple(i for i in (self.user_id, self.aad_object_id) if i)


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(timezone.utc)


def _parse(value: str | None) -> datetime | None:
    return parse_created_at(value) if value else None


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def is_overview_command(text: str) -> bool:
    """True for "escalations" / "open requests": the DSL's (or MASH's) view of requests."""
    return " ".join(text.lower().split()).strip(" .!?") in _OVERVIEW_WORDS


def is_register_command(text: str) -> bool:
    """True for "register dsl <code>" / "register deputy <code>" (handled before the engine)."""
    return bool(_REGISTER.match(text or ""))


def is_escalation_submit(value: Any) -> bool:
    """True for a button on a request or hand-off card ({"escalation": id, "action": ...})."""
    return isinstance(value, Mapping) and isinstance(value.get("escalation"), str) and "action" in value


def reference_keys(
    *, conversation_id: str, user_id: str, aad_object_id: str = "", conversation_type: str = "", channel_id: str = ""
) -> list[str]:
    """The keys a conversation reference is stored under.

    A person's own key (their user id, and "aad:<object id>") only ever points to a 1:1 chat, so
    a DSL's ping can never land in a channel; a channel is "channel:<id>"; every conversation is
    also "conv:<id>", where the practitioner is told about their request.
    """
    keys = [f"conv:{conversation_id}"]
    if (conversation_type or "personal").lower() == "personal":
        keys.append(user_id)
        if aad_object_id:
            keys.append(f"aad:{aad_object_id}")
    if channel_id:
        keys.append(f"channel:{channel_id}")
    return keys



def _any_sent(deliveries: Sequence[Mapping[str, Any]], role: str | None = None) -> bool:
    """True when any delivery (of that role: dsl, deputy, mash) reached someone."""
    return any(d.get("status") == "sent" and (role is None or d.get("role") == role) for d in deliveries)


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
    ) -> None:
        self.escalations = escalations
        self.references = references
        self.registrations = registrations
        self.directory = directory
        self.packs = packs
        self.default_pack = default_pack
        self.messenger = messenger
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self._http = http
        self._owns_http = http is None
        self._environ = environ
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stored_refs: dict[str, str] = {}
        # Jobs other parts of the bot queue in the same outbox, by type (a turn's undelivered replies).
        self.job_handlers: dict[str, Callable[[dict[str, Any], datetime], Awaitable[None]]] = {}
        self._task: asyncio.Task[None] | None = None

    # ---- The engine's effects ------------------------------------------------------------------

    async def handle_effect(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """EffectExecutor's callable for both "escalate" and "handoff"; raises EscalationFailed."""
        try:
            if effect.kind == "escalate":
                return await self.escalate(conversation_id, effect, inp)
            if effect.kind == "handoff":
                return await self.handoff(conversation_id, effect, inp)
        except StoreUnavailable as exc:
            raise EscalationFailed("store_unavailable") from exc
        raise EscalationFailed("unknown_effect")

    async def escalate(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """Ask every DSL of the practitioner's organisation; {id, sent_to[, pending]}."""
        user = inp.user
        await self.refresh_directory()
        org_id = user.organisation or self.directory.organisation_of(user.ids)
        org = self.directory.organisations.get(org_id)
        dsls = self._recipients(org_id, "dsl", exclude=user.ids)
        deputies = self._recipients(org_id, "deputy", exclude=user.ids)
        if org is None or not (dsls or deputies):
            raise EscalationFailed("no_dsl")
        now = self.clock()
        data = effect.data
        urgent = bool(data.get("urgent"))
        period = self._period(urgent)
        doc = {
            "kind": "dsl",
            "organisation": org_id,
            "organisation_name": org.name,
            "practitioner": {"user_id": user.user_id, "name": user.name, "conversation_id": conversation_id},
            "summary": dict(data.get("summary") or {}),
            "note": str(data.get("note") or ""),
            # Sent although it looked identifying: the kinds only, never the words.
            "identifier_warning": dict(data.get("identifier_warning") or {}),
            "urgent": urgent,
            "consent": dict(data.get("consent") or {}),
            "requested_at": data.get("requested_at"),
            "created_at": now,
            # Until the first send is recorded, the job picks it up after a lease (a crash mid-send).
            "due_at": now + timedelta(seconds=self.settings.lease_seconds),
            "ping_due_at": _iso(now + period),
            "period_seconds": period.total_seconds(),
            "initial_done": False,
            "deliveries": [],
        }
        # effect.key names the request by its random id ("dsl:<id>"), so a Teams retry or a second
        # Send finds this escalation, and a new request after the conversation state expired (a
        # Teams 1:1 conversation id never changes) is never answered with an old one.
        stored, created = await self.escalations.create(doc, f"{conversation_id}:{effect.key}")
        if not created:
            # A Teams retry or a second Send: say what happened the first time, send nothing new.
            return self._effect_result(stored)
        log.info("escalation %s created for organisation %s (urgent=%s)", stored["id"], org_id, urgent)
        deliveries = await self._first_send(stored, dsls, deputies, quick=True)
        return await self._after_first_send(stored, deliveries, now)

    async def _first_send(
        self, esc: dict[str, Any], dsls: Sequence[Member], deputies: Sequence[Member], *, quick: bool
    ) -> list[dict[str, Any]]:
        """Ask the DSLs; if none of them got it (never opened ShareSafe, or Teams failed), ask the
        deputies at once rather than leave the practitioner waiting on a DSL nobody can reach."""
        deliveries = await self._deliver(esc, dsls, stage=0, quick=quick) if dsls else []
        if deputies and not _any_sent(deliveries):
            if dsls:
                log.info("escalation %s: no DSL reachable; asking the deputies now", esc["id"])
            deliveries += await self._deliver(esc, deputies, stage=0, quick=quick)
        return deliveries

    async def _after_first_send(
        self, esc: dict[str, Any], deliveries: list[dict[str, Any]], now: datetime
    ) -> dict[str, Any]:
        sent = [d for d in deliveries if d["status"] == "sent"]
        retrying = [d for d in deliveries if d["status"] == "retrying"]
        if not sent and not retrying:
            await self.escalations.reschedule(esc["id"], stage=0, due_at=None,
                                              fields={"deliveries": deliveries, "initial_done": True})
            await self.escalations.transition(esc["id"], "undeliverable", by=SYSTEM, name="ShareSafe", at=now,
                                              note="no DSL could be reached", allowed_from=("requested",))
            log.warning("escalation %s undeliverable: no DSL or deputy reachable", esc["id"])
            raise EscalationFailed("undeliverable", escalation_id=esc["id"])
        ping_due = _parse(esc.get("ping_due_at"))
        updated = await self.escalations.reschedule(
            esc["id"], stage=0, due_at=self._next_due(ping_due, deliveries),
            fields={"deliveries": deliveries, "initial_done": True},
        )
        return self._effect_result(updated)

    def _effect_result(self, esc: Mapping[str, Any]) -> dict[str, Any]:
        if esc.get("status") == "undeliverable":
            raise EscalationFailed("undeliverable", escalation_id=str(esc["id"]))
        if esc.get("kind") == "mash":
            return {"id": esc["id"], "callback_by": esc.get("callback_by"),
                    "callback_by_text": esc.get("callback_by_text")}
        deliveries = esc.get("deliveries") or []
        reached = {d["to"]: d for d in deliveries if d["status"] == "sent"}
        result: dict[str, Any] = {"id": esc["id"], "sent_to": len(reached)}
        if not reached:
            result["pending"] = True  # still trying; the practitioner is told if it fails for good
        elif all(d.get("role") == "deputy" for d in reached.values()):
            # No DSL could be reached: the practitioner is told it went to the deputies instead.
            result["to_deputies"] = True
            names = sorted(str(d["name"]) for d in reached.values() if d.get("name"))
            if names:
                result["names"] = names
        return result

    async def handoff(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """Deliver the consultation packet to the partnership's MASH; {id, callback_by, callback_by_text}."""
        user = inp.user
        await self.refresh_directory()
        org_id = user.organisation or self.directory.organisation_of(user.ids)
        destination = self.directory.mash_for(org_id)
        if not destination.configured:
            raise EscalationFailed("not_configured")
        org = self.directory.organisations.get(org_id)
        partnership = self.directory.partnership_of(org_id)
        now = self.clock()
        deadline = callback_deadline(now)
        data = effect.data
        doc = {
            "kind": "mash",
            "organisation": org_id,
            "organisation_name": org.name if org else "",
            "partnership": partnership.id if partnership else "",
            "practitioner": {"user_id": user.user_id, "name": user.name, "conversation_id": conversation_id},
            "summary": dict(data.get("summary") or {}),
            "referrer": dict(data.get("referrer") or {}),
            "concern": str(data.get("concern") or ""),
            "identifier_warning": dict(data.get("identifier_warning") or {}),
            "consent": dict(data.get("consent") or {}),
            "urgent": bool(data.get("urgent")),
            "requested_at": data.get("requested_at"),
            "created_at": now,
            "due_at": None,
            "callback_by": deadline.isoformat(),
            "callback_by_text": describe(deadline),
            "deliveries": [],
        }
        stored, created = await self.escalations.create(doc, f"{conversation_id}:{effect.key}")  # "mash:<id>"
        if not created:
            return self._effect_result(stored)
        log.info("hand-off %s created for organisation %s", stored["id"], org_id or "-")
        deliveries: list[dict[str, Any]] = []
        if destination.channel:
            deliveries.append(await self._deliver_to_channel(stored, destination.channel))
        if destination.webhook:
            deliveries.append(await self._deliver_to_webhook(stored, destination.webhook, destination.webhook_secret_env))
        if _any_sent(deliveries) and self.settings.retry_delays:
            # MASH has it one way; the other (its case system, or the channel its duty team watches)
            # is tried again from the job with backoff, durably, so it survives a restart.
            first_wait = timedelta(seconds=self.settings.retry_delays[0])
            for delivery in deliveries:
                if delivery["status"] == "failed":
                    delivery["status"] = "retrying"
                    await self.escalations.add_job(
                        f"{stored['id']}:mash:{delivery['to']}",
                        {"type": "mash_delivery", "escalation": stored["id"], "to": delivery["to"], "step": 1},
                        now + first_wait)
        await self.escalations.reschedule(stored["id"], stage=0, due_at=None, fields={"deliveries": deliveries})
        if not _any_sent(deliveries):
            await self.escalations.transition(stored["id"], "undeliverable", by=SYSTEM, name="ShareSafe",
                                              at=self.clock(), note="MASH could not be reached",
                                              allowed_from=("requested",))
            log.warning("hand-off %s undeliverable", stored["id"])
            raise EscalationFailed("undeliverable", escalation_id=stored["id"])
        return {"id": stored["id"], "callback_by": stored["callback_by"], "callback_by_text": stored["callback_by_text"]}

    async def _retry_mash(self, esc: dict[str, Any], job: Mapping[str, Any], *, last: bool) -> str | None:
        """One background try of a MASH destination that failed (the `last` one: marked failed if it
        fails); None when delivered."""
        to = str(job.get("to", ""))
        destination = self.directory.mash_for(str(esc.get("organisation", "")))
        if to == "webhook" and destination.webhook:
            delivery = await self._deliver_to_webhook(esc, destination.webhook, destination.webhook_secret_env,
                                                      quick=False)
        elif to.startswith("channel:") and destination.channel == to[len("channel:"):]:
            delivery = await self._deliver_to_channel(esc, destination.channel, quick=False)
        else:
            log.warning("hand-off %s: MASH destination no longer configured; retry dropped", esc["id"])
            return None
        await self._update_delivery(esc["id"], to, delivery, gave_up=last)
        return None if delivery["status"] == "sent" else str(delivery["error"] or "failed")

    async def _update_delivery(self, escalation_id: str, to: str, result: Mapping[str, Any],
                               *, gave_up: bool = False) -> None:
        """Record a background try on the hand-off's delivery entry (what "escalations" shows)."""
        current = await self.escalations.get(escalation_id)
        if current is None:
            return
        deliveries = [dict(d) for d in current.get("deliveries") or []]
        for delivery in deliveries:
            if delivery.get("to") != to:
                continue
            delivery["attempts"] = int(delivery.get("attempts", 0)) + int(result.get("attempts", 0))
            if result.get("status") == "sent":
                delivery.update(status="sent", error="", sent_at=_iso(self.clock()))
            else:
                delivery["error"] = result.get("error", delivery.get("error", ""))
                if gave_up:
                    delivery["status"] = "failed"
        await self.escalations.reschedule(escalation_id, stage=int(current.get("stage", 0)), due_at=None,
                                          fields={"deliveries": deliveries})

    async def _deliver_to_channel(self, esc: dict[str, Any], channel: str, *, quick: bool = True) -> dict[str, Any]:
        delivery = {"to": f"channel:{channel}", "role": "mash", "stage": 0, "status": "failed", "attempts": 0,
                    "error": ""}
        reference = await self.references.get(f"channel:{channel}")
        if reference is None:
            delivery["error"] = "no_reference"
            log.error("hand-off %s: the MASH channel has no stored reference (add the bot to its team)", esc["id"])
            return delivery
        card = cards.mash_handoff_card(esc)
        activity = cards.card_message(card, "Professional consultation requested")
        error = await self._send_quick(reference, activity, delivery, quick=quick)
        if error is None:
            delivery["status"] = "sent"
        else:
            delivery["error"] = error
            log.error("hand-off %s: MASH channel send failed: %s", esc["id"], error)
        return delivery

    async def _deliver_to_webhook(self, esc: dict[str, Any], url: str, secret_env: str | None,
                                  *, quick: bool = True) -> dict[str, Any]:
        delivery = {"to": "webhook", "role": "mash", "stage": 0, "status": "failed", "attempts": 0, "error": ""}
        body = json.dumps(cards.webhook_packet(esc), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(esc["id"]),
                   "User-Agent": "ShareSafe"}
        secret = self._environ.get(secret_env or "", "") if secret_env else ""
        if secret:
            digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-ShareSafe-Signature"] = f"sha256={digest}"
        delays = self.settings.quick_retry_delays if quick else ()
        for attempt in range(len(delays) + 1):
            delivery["attempts"] = attempt + 1
            try:
                session = await self._session()
                timeout = aiohttp.ClientTimeout(total=self.settings.webhook_timeout)
                async with session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False) as resp:
                    await resp.read()
                    if 200 <= resp.status < 300:
                        delivery["status"], delivery["error"] = "sent", ""
                        return delivery
                    delivery["error"] = f"http {resp.status}"
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                delivery["error"] = type(exc).__name__
            log.warning("hand-off %s: webhook try %d failed: %s", esc["id"], attempt + 1, delivery["error"])
            if attempt < len(delays):
                await self.sleep(delays[attempt])
        return delivery

    async def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
            self._owns_http = True
        return self._http

    # ---- Sending -------------------------------------------------------------------------------

    def _recipients(self, org_id: str, role: str, exclude: Sequence[str] = ()) -> list[Member]:
        return [m for m in self.directory.members_of(org_id, role) if m.user_id not in exclude]

    def _period(self, urgent: bool) -> timedelta:
        return self.settings.urgent_period if urgent else self.settings.period

    async def _reference_for(self, member: Member) -> dict[str, Any] | None:
        reference = await self.references.get(member.user_id)
        if reference is None:
            reference = await self.references.get(f"aad:{member.user_id}")
        return reference

    async def _send_once(self, reference: dict[str, Any], activity: dict[str, Any],
                         delivery: dict[str, Any] | None = None) -> str | None:
        """One try; None on success, else a short reason. The id Teams gave the message is kept on
        `delivery`, so the card can be updated in place when someone acts on the request."""
        if self.messenger is None:
            return "no_messenger"
        try:
            async with asyncio.timeout(self.settings.send_timeout):
                sent_id = await self.messenger.send(reference, activity)
            if delivery is not None and isinstance(sent_id, str) and sent_id:
                delivery["activity_id"] = sent_id
            return None
        except DeliveryFailed as exc:
            return exc.reason
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return type(exc).__name__

    async def _send_quick(self, reference: dict[str, Any], activity: dict[str, Any],
                          delivery: dict[str, Any] | None = None, *, quick: bool = True) -> str | None:
        """A few quick tries with short waits (one try when not `quick`); None on success, else the
        last reason. Each try is counted on `delivery`."""
        delays = self.settings.quick_retry_delays if quick else ()
        error: str | None = None
        for attempt in range(len(delays) + 1):
            if delivery is not None:
                delivery["attempts"] = int(delivery.get("attempts", 0)) + 1
            error = await self._send_once(reference, activity, delivery)
            if error is None:
                return None
            if attempt < len(delays):
                await self.sleep(delays[attempt])
        return error

    async def _deliver(
        self, esc: dict[str, Any], members: Sequence[Member], *, stage: int, quick: bool, reminder: bool = False
    ) -> list[dict[str, Any]]:
        """Send the request card to each member; one delivery entry each (sent / retrying / failed)."""
        card = cards.dsl_request_card(esc, reminder=reminder)
        who = (esc.get("practitioner") or {}).get("name") or "A practitioner"
        activity = cards.card_message(card, f"{'URGENT: ' if esc.get('urgent') else ''}{who} asks for safeguarding advice")
        now = self.clock()

        async def one(member: Member) -> dict[str, Any]:
            delivery: dict[str, Any] = {"to": member.user_id, "name": member.name, "role": member.role,
                                        "stage": stage, "status": "failed", "attempts": 0, "background_tries": 0,
                                        "next_try": None, "error": ""}
            reference = await self._reference_for(member)
            if reference is None:
                # They have never opened ShareSafe: there is no conversation to message.
                delivery["error"] = "no_reference"
                return delivery
            error = await self._send_quick(reference, activity, delivery, quick=quick)
            if error is None:
                delivery["status"] = "sent"
                delivery["sent_at"] = _iso(self.clock())
                return delivery
            delivery["error"] = error
            if self.settings.retry_delays:
                delivery["status"] = "retrying"
                delivery["next_try"] = _iso(now + timedelta(seconds=self.settings.retry_delays[0]))
            log.warning("escalation %s: send to a %s failed (%s); %s", esc["id"], member.role, error,
                        "will retry" if delivery["status"] == "retrying" else "giving up")
            return delivery

        return list(await asyncio.gather(*(one(m) for m in members)))

    async def _retry_delivery(self, esc: dict[str, Any], delivery: dict[str, Any], now: datetime) -> None:
        member = Member(delivery["to"], delivery.get("name", ""), delivery.get("role", "dsl"))
        reference = await self._reference_for(member)
        card = cards.dsl_request_card(esc, reminder=delivery.get("stage", 0) > 0)
        activity = cards.card_message(card, "Safeguarding advice requested")
        delivery["attempts"] = int(delivery.get("attempts", 0)) + 1
        tries = int(delivery.get("background_tries", 0)) + 1
        delivery["background_tries"] = tries
        error = "no_reference" if reference is None else await self._send_once(reference, activity, delivery)
        if error is None:
            delivery.update(status="sent", next_try=None, error="", sent_at=_iso(self.clock()))
            log.info("escalation %s: retry %d delivered", esc["id"], tries)
            return
        delivery["error"] = error
        delays = self.settings.retry_delays
        if tries < len(delays):
            delivery["next_try"] = _iso(now + timedelta(seconds=delays[tries]))
        else:
            delivery.update(status="failed", next_try=None)
            log.error("escalation %s: send to a %s failed after %d tries (%s)", esc["id"], member.role,
                      delivery["attempts"], error)

    def _next_due(self, ping_due: datetime | None, deliveries: Sequence[Mapping[str, Any]]) -> datetime | None:
        times = [t for t in [ping_due] + [_parse(d.get("next_try")) for d in deliveries
                                         if d.get("status") == "retrying"] if t is not None]
        return min(times) if times else None

    # ---- Telling the practitioner --------------------------------------------------------------

    def _contacts_text(self, esc: Mapping[str, Any]) -> str:
        """The partnership's MASH and out-of-hours numbers from the pack the practitioner used."""
        pack_id = ((esc.get("summary") or {}).get("pack") or {}).get("id") or self.default_pack
        pack = self.packs.get(pack_id) or self.packs.get(self.default_pack)
        lines = []
        for name in ("mash", "out_of_hours"):
            contact = pack.contacts.get(name) if pack else None
            if isinstance(contact, Mapping) and contact.get("phone"):
                lines.append(f"- {contact.get('name', name)}: {contact['phone']}")
        if not lines:
            lines.append("- your local children's social care front door (MASH), or its out-of-hours team")
        return "\n".join(lines)

    async def _practitioner_reference(self, esc: Mapping[str, Any]) -> dict[str, Any] | None:
        who = esc.get("practitioner") or {}
        reference = None
        if who.get("conversation_id"):
            reference = await self.references.get(f"conv:{who['conversation_id']}")
        if reference is None and who.get("user_id"):
            reference = await self.references.get(str(who["user_id"]))
        return reference

    async def notify_practitioner(self, esc: Mapping[str, Any], text: str) -> bool:
        """Tell the practitioner, in the conversation where they asked; False (and logged) if it fails."""
        reference = await self._practitioner_reference(esc)
        if reference is None:
            log.error("escalation %s: cannot tell the practitioner (no conversation reference)", esc.get("id"))
            return False
        error = await self._send_quick(reference, cards.message(text))
        if error is not None:
            log.error("escalation %s: could not tell the practitioner (%s)", esc.get("id"), error)
            return False
        return True

    async def queue_notice(self, esc: Mapping[str, Any], notice: str, *, status: str = "",
                           delay: float = 0.0) -> bool:
        """Queue a durable notice to the practitioner (sent by the job, retried with backoff, once
        across workers): "unreachable", "no_answer", or "update" (a DSL's or MASH's answer, `status`)."""
        key = f"{esc['id']}:notice:{notice}{':' + status if status else ''}"
        job = {"type": "notice", "escalation": esc["id"], "notice": notice, "status": status, "step": 0}
        return await self.escalations.add_job(key, job, self.clock() + timedelta(seconds=delay))

    @staticmethod
    def _reached(esc: Mapping[str, Any], role: str | None = None) -> bool:
        return _any_sent(esc.get("deliveries") or [], role)

    def _notice_text(self, esc: Mapping[str, Any], job: Mapping[str, Any]) -> str | None:
        """The notice as it should read now; None when it no longer applies (say a DSL answered)."""
        notice, status = job.get("notice"), str(esc.get("status"))
        if notice == "no_answer":
            return self._no_answer_text(esc) if status == "requested" else None
        if notice == "unreachable":
            return self._unreachable_text(esc) if status in ("requested", "undeliverable") else None
        if notice == "update":
            wanted = str(job.get("status", ""))
            entry = next((h for h in reversed(esc.get("history") or []) if h.get("status") == wanted), None)
            if entry is None or wanted not in ALLOWED_FROM:
                return None
            return self._practitioner_update(esc, wanted, entry.get("name") or "Your DSL", str(entry.get("note") or ""))
        return None

    def _unreachable_text(self, esc: Mapping[str, Any]) -> str:
        deputies = any(d.get("role") == "deputy" for d in esc.get("deliveries") or [])
        return (
            f"I couldn't reach your DSL with your request {esc['id']}: Teams did not deliver it"
            f"{' to them or to the deputy DSLs' if deputies else ''}. "
            "Please call or message your DSL directly now. If you can't reach them, phone:\n"
            f"{self._contacts_text(esc)}\n\nIf a child is in immediate danger, call 999."
        )

    def _no_answer_text(self, esc: Mapping[str, Any]) -> str:
        if not self._reached(esc):
            # Every send is still failing: nobody has seen it, so don't say nobody has answered.
            return self._unreachable_text(esc)
        if not self._reached(esc, "dsl"):
            first = (f"I couldn't reach your DSL in Teams, and no deputy DSL has answered your request "
                     f"{esc['id']} yet. ")
        else:
            first = f"None of your safeguarding leads has answered your request {esc['id']} yet. "
        return (
            f"{first}Don't wait any longer: call your DSL if you can, or phone:\n"
            f"{self._contacts_text(esc)}\n\nIf a child is in immediate danger, call 999."
        )

    # ---- The job outbox: notices and MASH retries ------------------------------------------------

    async def run_jobs(self, now: datetime | None = None) -> int:
        """Send every due notice and MASH retry (each claimed by this worker alone); how many."""
        now = now or self.clock()
        jobs = await self.escalations.claim_jobs(now, worker=self.worker_id, lease_seconds=self.settings.lease_seconds)
        for job in jobs:
            try:
                await self._run_job(job, now)
            except StoreUnavailable:
                log.warning("job for %s: store unavailable; will retry after the lease", job.get("escalation"))
            except Exception:  # noqa: BLE001 - one bad job must not stop the others
                log.exception("job for %s failed; will retry after the lease", job.get("escalation"))
        return len(jobs)

    async def _run_job(self, job: dict[str, Any], now: datetime) -> None:
        handler = self.job_handlers.get(str(job.get("type")))
        if handler is not None:
            await handler(job, now)
            return
        key = str(job["key"])
        esc = await self.escalations.get(str(job.get("escalation", "")))
        delays = self.settings.notice_retry_delays if job.get("type") == "notice" else self.settings.retry_delays
        step = int(job.get("step", 0))
        error: str | None = None
        if esc is not None and job.get("type") == "notice":
            text = self._notice_text(esc, job)
            if text is None:
                log.info("escalation %s: %s notice no longer needed", esc["id"], job.get("notice"))
            else:
                reference = await self._practitioner_reference(esc)
                error = "no_reference" if reference is None else await self._send_once(reference, cards.message(text))
        elif esc is not None and job.get("type") == "mash_delivery":
            error = await self._retry_mash(esc, job, last=step >= len(delays))
        if error is None:
            await self.escalations.finish_job(key)
            if esc is not None:
                log.info("escalation %s: %s delivered from the job", esc["id"], job.get("notice") or job.get("type"))
            return
        if step < len(delays):
            await self.escalations.retry_job(key, due_at=now + timedelta(seconds=delays[step]),
                                             fields={"step": step + 1, "error": error})
            log.warning("escalation %s: %s failed (%s); will retry", esc["id"], job.get("notice") or job.get("type"), error)
            return
        await self.escalations.finish_job(key)
        log.error("escalation %s: %s failed for good after %d tries (%s)", esc["id"],
                  job.get("notice") or job.get("type"), step + 1, error)

    # ---- The re-ping job -----------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> int:
        """Do every re-ping and retry that is due (each claimed by this worker alone), then the due
        notices and MASH retries (run_jobs); how many escalations were re-pinged or retried."""
        given, now = now, now or self.clock()
        claimed = await self.escalations.claim_due(now, worker=self.worker_id, lease_seconds=self.settings.lease_seconds)
        if claimed:
            await self.refresh_directory()
        for esc in claimed:
            try:
                await self._process_due(esc, now)
            except StoreUnavailable:
                # The lease runs out and a worker (this one, next tick) tries again.
                log.warning("escalation %s: store unavailable during re-ping; will retry", esc.get("id"))
            except Exception:  # noqa: BLE001 - one bad escalation must not stop the others' re-pings
                log.exception("escalation %s: re-ping failed; will retry after the lease", esc.get("id"))
        # Then the notices and MASH retries due now, including any queued just above.
        await self.run_jobs(given)
        return len(claimed)

    async def _process_due(self, esc: dict[str, Any], now: datetime) -> None:
        org_id = esc.get("organisation", "")
        user_id = (esc.get("practitioner") or {}).get("user_id", "")
        deliveries: list[dict[str, Any]] = [dict(d) for d in esc.get("deliveries") or []]
        stage = int(esc.get("stage", 0))
        ping_due = _parse(esc.get("ping_due_at"))
        period = timedelta(seconds=float(esc.get("period_seconds") or self._period(bool(esc.get("urgent"))).total_seconds()))

        if not esc.get("initial_done"):
            # The turn that created it never recorded its first send (the worker stopped): send now.
            deliveries += await self._first_send(esc, self._recipients(org_id, "dsl", exclude=(user_id,)),
                                                 self._recipients(org_id, "deputy", exclude=(user_id,)), quick=False)
        else:
            for delivery in deliveries:
                next_try = _parse(delivery.get("next_try"))
                if delivery.get("status") == "retrying" and next_try is not None and next_try <= now:
                    await self._retry_delivery(esc, delivery, now)
            if ping_due is not None and ping_due <= now:
                if stage == 0:
                    # Nobody acknowledged in time: ask again, and ask the deputies too.
                    people = (self._recipients(org_id, "dsl", exclude=(user_id,))
                              + self._recipients(org_id, "deputy", exclude=(user_id,)))
                    for delivery in deliveries:
                        if delivery.get("status") == "retrying":
                            delivery.update(status="superseded", next_try=None)
                    deliveries += await self._deliver(esc, people, stage=1, quick=False, reminder=True)
                    stage, ping_due = 1, now + period
                    log.info("escalation %s: re-pinged DSLs and deputies", esc["id"])
                else:
                    # Still nothing: the practitioner must not wait on us any longer.
                    current = await self.escalations.get(esc["id"])
                    if current is not None and current.get("status") == "requested":
                        # If nobody has received it at all, that is what they are told (and the
                        # "could not be reached" notice is then not sent a second time).
                        notice = "no_answer" if _any_sent(deliveries) else "unreachable"
                        await self.queue_notice(esc, notice)
                        log.info("escalation %s: practitioner to be told (%s)", esc["id"], notice)
                    stage, ping_due = 2, None

        if not any(d.get("status") in ("sent", "retrying") for d in deliveries):
            # Queued first, so a worker that stops here still tells them (the notice is dropped
            # when sent if a DSL answered meanwhile after all).
            await self.queue_notice(esc, "unreachable")
            await self.escalations.reschedule(esc["id"], stage=stage, due_at=None,
                                              fields={"deliveries": deliveries, "initial_done": True})
            try:
                await self.escalations.transition(esc["id"], "undeliverable", by=SYSTEM, name="ShareSafe", at=now,
                                                  note="no DSL could be reached", allowed_from=("requested",))
            except InvalidTransition:
                return  # a DSL answered meanwhile after all
            log.warning("escalation %s undeliverable after retries; practitioner to be told", esc["id"])
            return
        await self.escalations.reschedule(
            esc["id"], stage=stage, due_at=self._next_due(ping_due, deliveries),
            fields={"deliveries": deliveries, "ping_due_at": _iso(ping_due), "initial_done": True},
        )

    def setup_gaps(self) -> list[str]:
        """What is not set up for asking a DSL or MASH, and the packs with no number to phone instead."""
        gaps = list(self.directory.setup_gaps())
        unnumbered = sorted(pid for pid, pack in self.packs.items()
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
            self._task = asyncio.create_task(self._loop(), name="sharesafe-repings")
        return self._task

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_due()
            except StoreUnavailable:
                log.warning("re-ping job: store unavailable; trying again next tick")
            except Exception:  # noqa: BLE001 - the loop must outlive any one failure
                log.exception("re-ping job failed; trying again next tick")
            await asyncio.sleep(self.settings.poll_seconds)

    async def close(self) -> None:
        """Stop the background loop and release the HTTP session."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self._http is not None and self._owns_http:
            await self._http.close()
            self._http = None

    # ---- DSL (and MASH) actions ----------------------------------------------------------------

    async def _may_act(self, actor: Actor, esc: Mapping[str, Any]) -> bool:
        if esc.get("kind") == "mash":
            destination = self.directory.mash_for(str(esc.get("organisation", "")))
            in_channel = bool(destination.channel) and (
                actor.channel_id == destination.channel or actor.conversation_id.split(";")[0] == destination.channel)
            return in_channel or any(i in destination.members for i in actor.ids)
        org_id = str(esc.get("organisation", ""))
        return any(self.directory.is_dsl(i, org_id) for i in actor.ids)

    async def act(self, actor: Actor, value: Mapping[str, Any]) -> Reply:
        """A button on a request or hand-off card: update it, tell the practitioner, confirm to the DSL."""
        escalation_id = str(value.get("escalation", ""))
        action = str(value.get("action", ""))
        status = cards.ACTIONS.get(action)
        if status is None:
            return Reply(kind="info", title="Not understood", text="I didn't understand that button.")
        await self.refresh_directory()
        esc = await self.escalations.get(escalation_id)
        if esc is None or not await self._may_act(actor, esc):
            if esc is not None:
                log.info("escalation %s: action refused for a user who is not its DSL", escalation_id)
            # The same words whether the request exists or not, and naming no organisation: a
            # refusal must not let anyone find out which requests exist or whose they are.
            return REFUSED_ACTION
        advice = " ".join(str(value.get("advice") or "").split())[: cards.ADVICE_MAX_LENGTH]
        name = actor.name or "Your DSL"
        try:
            updated = await self.escalations.transition(
                escalation_id, status, by=actor.user_id, name=actor.name, at=self.clock(), note=advice,
                allowed_from=ALLOWED_FROM[status],
            )
        except InvalidTransition as clash:
            last = (clash.escalation.get("history") or [{}])[-1]
            label = cards.STATUS_LABELS.get(str(clash.escalation.get("status")), str(clash.escalation.get("status")))
            by = "you" if last.get("by") == actor.user_id else (last.get("name") or "someone")
            return Reply(kind="info", title=f"{escalation_id}: already {label.lower()}",
                         text=f"{label} by {by} at {cards.local_time(last.get('at'))}. Nothing else was sent.")
        log.info("escalation %s: %s", escalation_id, status)
        told = await self.notify_practitioner(updated, self._practitioner_update(updated, status, name, advice))
        await self.update_cards(updated)
        await self.update_practitioner_card(updated)
        await self._tell_other_recipients(updated, actor, status, name)
        who = (updated.get("practitioner") or {}).get("name") or "The practitioner"
        confirmation = {
            "acknowledged": f"Thank you. {who} has been told you acknowledged {escalation_id}.",
            "calling": f"Thank you. {who} has been told you will call them about {escalation_id}.",
            "resolved": f"Thank you. {escalation_id} is resolved and {who} has your advice.",
        }[status]
        if not told:
            # Durable: the job keeps trying with backoff, even if this worker stops.
            delays = self.settings.notice_retry_delays
            await self.queue_notice(updated, "update", status=status, delay=delays[0] if delays else 0.0)
            confirmation += (f" I could not reach {who} in Teams, so please contact them directly. "
                             "ShareSafe will keep trying to tell them.")
        return Reply(kind="info", title=f"{escalation_id}: {cards.STATUS_LABELS[status].lower()}", text=confirmation,
                     data={"escalation": escalation_id, "status": status})

    def _practitioner_update(self, esc: Mapping[str, Any], status: str, name: str, advice: str) -> str:
        ref = esc["id"]
        if esc.get("kind") == "mash":
            return {
                "acknowledged": f"MASH ({name}) has picked up your consultation request {ref}.",
                "calling": f"{name} from MASH will call you about your consultation request {ref}.",
                "resolved": f"Resolved: {advice or 'MASH has closed the consultation.'}\n\n"
                            f"{name} from MASH closed your consultation request {ref}. "
                            "Record your decision and the advice (golden rule 7).",
            }[status]
        return {
            "acknowledged": f"Your DSL {name} has acknowledged your request {ref}. They will be in touch.",
            "calling": f"{name} will call you about your request {ref}.",
            "resolved": f"Resolved: {advice or 'your DSL has closed the request.'}\n\n"
                        f"{name} answered your request {ref}. Record your decision and the advice (golden rule 7).",
        }[status]

    async def remember_sent_card(self, conversation_id: str, outbox: Mapping[str, Any],
                                 activity_ids: Sequence[str | None]) -> None:
        """After a turn's replies went out: keep where the practitioner's "Sent" card for a request
        is (its conversation and activity id), so it can show when a DSL or MASH answers."""
        replies = list(outbox.get("activities") or [])
        if len(replies) != len(activity_ids):
            return
        for reply, activity_id in zip(replies, activity_ids):
            data = reply.get("data") if isinstance(reply, Mapping) else None
            if reply.get("kind") != "escalation" or not isinstance(data, Mapping) or not data.get("id") or not activity_id:
                continue
            reference = await self.references.get(f"conv:{conversation_id}")
            if reference is None:
                continue
            try:
                await self.references.put(f"card:{data['id']}", {**reference, "activityId": activity_id})
            except StoreUnavailable:
                log.warning("escalation %s: the practitioner's card was not noted (store unavailable)", data["id"])

    async def update_practitioner_card(self, esc: Mapping[str, Any]) -> bool:
        """Show the request's status on the practitioner's "Sent" card, in place; False if not done."""
        update = getattr(self.messenger, "update", None)
        reference = await self.references.get(f"card:{esc.get('id')}")
        if update is None or reference is None or not reference.get("activityId"):
            return False
        activity = cards.card_message(cards.practitioner_card(esc), f"Your request {esc.get('id')}")
        return await self._update_card(update, {k: v for k, v in reference.items() if k != "activityId"},
                                       str(reference["activityId"]), activity, esc, "the practitioner's card")

    async def _update_card(self, update: Callable[..., Awaitable[Any]], reference: dict[str, Any],
                           activity_id: str, activity: dict[str, Any], esc: Mapping[str, Any], what: str) -> bool:
        """One try at updating a sent card in place; False (logged, no text of the request) if it failed."""
        try:
            async with asyncio.timeout(self.settings.send_timeout):
                await update(reference, activity_id, activity)
            return True
        except (DeliveryFailed, TimeoutError, aiohttp.ClientError, OSError) as exc:
            reason = exc.reason if isinstance(exc, DeliveryFailed) else type(exc).__name__
            log.warning("escalation %s: %s was not updated (%s)", esc.get("id"), what, reason)
            return False

    async def update_cards(self, esc: Mapping[str, Any]) -> int:
        """Update every copy of the request's card in place (each DSL's and deputy's, the MASH
        channel's): the status, who acted and only the buttons that still make sense. Best effort,
        one try each; how many were updated."""
        update = getattr(self.messenger, "update", None)
        if update is None:
            return 0
        updated = 0
        for delivery in esc.get("deliveries") or []:
            activity_id = delivery.get("activity_id")
            if delivery.get("status") != "sent" or not activity_id:
                continue
            to = str(delivery.get("to", ""))
            if esc.get("kind") == "mash":
                if not to.startswith("channel:"):
                    continue  # the webhook has no card to update
                reference = await self.references.get(to)
                activity = cards.card_message(cards.mash_handoff_card(esc), "Professional consultation requested")
            else:
                reference = await self._reference_for(Member(to, "", str(delivery.get("role", "dsl"))))
                card = cards.dsl_request_card(esc, reminder=int(delivery.get("stage", 0)) > 0)
                activity = cards.card_message(card, "Safeguarding advice requested")
            if reference is not None:
                updated += await self._update_card(update, reference, str(activity_id), activity, esc, "a card")
        return updated

    async def _tell_other_recipients(self, esc: Mapping[str, Any], actor: Actor, status: str, name: str) -> None:
        """So a second DSL does not call the same practitioner: one try each, best effort."""
        if esc.get("kind") != "dsl":
            return
        others = {d["to"] for d in esc.get("deliveries") or [] if d.get("status") == "sent"} - set(actor.ids)
        text = f"{esc['id']}: {cards.STATUS_LABELS[status].lower()} by {name} at {cards.local_time(self.clock())}."
        for user_id in sorted(others):
            reference = await self._reference_for(Member(user_id, "", "dsl"))
            if reference is not None and await self._send_once(reference, cards.message(text)) is not None:
                log.warning("escalation %s: could not update another DSL", esc["id"])

    # ---- What DSLs and MASH see ----------------------------------------------------------------

    async def overview(self, actor: Actor, *, limit: int = 15) -> Reply:
        """"escalations": a DSL sees their organisation's requests; MASH its hand-offs; others their own."""
        await self.refresh_directory()
        orgs = [o for o in self.directory.organisations if any(self.directory.is_dsl(i, o) for i in actor.ids)]
        if actor.shared:
            # Colleagues can read a group chat: only the MASH channel sees its own hand-offs there.
            orgs = []
            if not any(self._mash_member(actor, o) for o in self.directory.organisations):
                return Reply(kind="info", title="Ask in a private chat",
                             text='Requests are confidential. Type "escalations" in a 1:1 chat with ShareSafe.')
        rows: list[dict[str, Any]] = []
        scope = ""
        for org_id in orgs:
            rows += await self.escalations.list(organisation=org_id, limit=limit)
        if orgs:
            scope = ", ".join(self.directory.organisations[o].name for o in orgs)
        mash_orgs = [o for o in self.directory.organisations
                     if self.directory.mash_for(o).configured and self._mash_member(actor, o)]
        if mash_orgs:
            for org_id in mash_orgs:
                rows += [r for r in await self.escalations.list(organisation=org_id, kind="mash", limit=limit)
                         if r["id"] not in {x["id"] for x in rows}]
            scope = scope or "MASH hand-offs"
        if not orgs and not mash_orgs:
            org_id = self.directory.organisation_of(actor.ids)
            if org_id:
                rows = [r for r in await self.escalations.list(organisation=org_id, limit=200)
                        if (r.get("practitioner") or {}).get("user_id") == actor.user_id][:limit]
            scope = "your requests"
        rows.sort(key=lambda r: r.get("created_at", ""), reverse=True)
        rows = rows[:limit]
        if not rows:
            return Reply(kind="info", title="Requests", text=f"There are no requests ({scope}).")
        facts = tuple((r["id"], self._state_line(r)) for r in rows)
        return Reply(kind="info", title=f"Requests: {scope}",
                     text="Newest first. Requested, acknowledged or resolved; who and when.", facts=facts)

    def _mash_member(self, actor: Actor, org_id: str) -> bool:
        destination = self.directory.mash_for(org_id)
        in_channel = bool(destination.channel) and (
            actor.channel_id == destination.channel or actor.conversation_id.split(";")[0] == destination.channel)
        return in_channel or any(i in destination.members for i in actor.ids)

    def _state_line(self, esc: Mapping[str, Any]) -> str:
        history = esc.get("history") or []
        first = history[0] if history else {}
        last = history[-1] if history else {}
        kind = "MASH consultation" if esc.get("kind") == "mash" else "DSL request"
        parts = [f"{kind}{' (urgent)' if esc.get('urgent') else ''} from {first.get('name') or 'a practitioner'}"
                 f" at {cards.local_time(esc.get('created_at'))}"]
        status = str(esc.get("status"))
        if status == "requested":
            sent = len({d['to'] for d in esc.get('deliveries') or [] if d.get('status') == 'sent'})
            parts.append(f"requested, not yet acknowledged (sent to {sent})")
        else:
            who = last.get("name") or "ShareSafe"
            parts.append(f"{cards.STATUS_LABELS.get(status, status).lower()} by {who} at {cards.local_time(last.get('at'))}")
        return "; ".join(parts)

    # ---- Registration and references -----------------------------------------------------------

    async def register(self, actor: Actor, text: str) -> Reply:
        """"register dsl <join code>" / "register deputy <join code>" (the code is never logged or kept)."""
        match = _REGISTER.match(text or "")
        if match is None:
            return Reply(kind="info", title="Register", text="Type: register dsl <join code> (or register deputy <join code>).")
        role, code = match.group(1).lower(), " ".join(match.group(2).split())
        if actor.shared:
            return Reply(kind="info", title="Register in a private chat",
                         text="Please register in a 1:1 chat with ShareSafe, not here where others can see the code. "
                              "Ask your administrator for a new join code, as this one has been seen.")
        if not code:
            return Reply(kind="info", title="Register", text=f"Type: register {role} <join code>. Your administrator has the code.")
        if await self._too_many_failures(actor.user_id):
            return Reply(kind="info", title="Too many tries",
                         text="That code was wrong too many times. Wait 15 minutes, or ask your administrator.")
        org_id = self.directory.organisation_for_code(code)
        if org_id is None:
            # In the store, so the limit holds across workers and restarts.
            await self.registrations.add_failed_code(actor.user_id, self.clock(), window_seconds=_FAILED_CODES_WINDOW)
            log.info("registration refused: wrong join code")
            return Reply(kind="info", title="Not registered",
                         text="That join code is not right. Check it with your administrator.")
        await self.registrations.register(org_id, actor.user_id, name=actor.name, role=role)
        await self.refresh_directory()
        org = self.directory.organisations[org_id]
        label = "DSL" if role == "dsl" else "deputy DSL"
        log.info("registered a %s for organisation %s", role, org_id)
        return Reply(kind="info", title=f"Registered as {label}",
                     text=f"You're registered as {label} for {org.name}. Requests for advice from its staff "
                          "will come to this chat. Type \"escalations\" to see your organisation's requests.",
                     data={"organisation": org_id, "role": role})

    async def _too_many_failures(self, user_id: str) -> bool:
        since = self.clock() - timedelta(seconds=_FAILED_CODES_WINDOW)
        return await self.registrations.failed_codes(user_id, since) >= _FAILED_CODES_LIMIT

    async def refresh_directory(self) -> None:
        """Merge the registered DSLs into the directory (other workers' registrations too)."""
        self.directory.apply_registrations(await self.registrations.registrations())

    async def remember_conversation(
        self,
        reference: Mapping[str, Any],
        *,
        user_id: str,
        aad_object_id: str = "",
        conversation_type: str = "",
        channel_id: str = "",
        force: bool = False,
    ) -> None:
        """Keep the reference of the conversation an activity came from, for proactive messages
        (`force`: write even if this worker stored the same before, e.g. on a new installation)."""
        base = {k: v for k, v in dict(reference).items() if k != "activityId"}
        conversation = dict(base.get("conversation") or {})
        conversation_id = str(conversation.get("id") or "")
        if not conversation_id:
            return
        keys = reference_keys(conversation_id=conversation_id, user_id=user_id, aad_object_id=aad_object_id,
                              conversation_type=conversation_type, channel_id=channel_id)
        by_key: dict[str, Mapping[str, Any]] = {}
        for key in keys:
            by_key[key] = base
            if key.startswith("channel:"):
                # A new post in the channel, not a reply in whichever thread this came from.
                by_key[key] = {**base, "conversation": {**conversation, "id": channel_id,
                                                        "conversationType": "channel", "isGroup": True}}
        await self._remember_each(by_key, force=force)

    async def forget_conversation(
        self,
        conversation_id: str,
        *,
        user_id: str,
        aad_object_id: str = "",
        conversation_type: str = "",
        channel_id: str = "",
    ) -> None:
        """The bot was removed from a chat or team: delete the references that pointed there, so a
        request goes to someone who can be reached rather than to a chat that is gone."""
        if not conversation_id:
            return
        keys = reference_keys(conversation_id=conversation_id, user_id=user_id, aad_object_id=aad_object_id,
                              conversation_type=conversation_type, channel_id=channel_id)
        await self.references.delete(keys)
        for key in keys:
            self._stored_refs.pop(key, None)
        log.info("conversation references removed (the bot was uninstalled from a %s)", conversation_type or "chat")

    async def remember(self, reference: Mapping[str, Any], keys: Sequence[str]) -> None:
        """Store a conversation reference under each key (skipping writes that change nothing)."""
        await self._remember_each({key: reference for key in keys})

    async def _remember_each(self, by_key: Mapping[str, Mapping[str, Any]], *, force: bool = False) -> None:
        """Write the references that changed since this worker last stored them, in one round trip."""
        changed: dict[str, dict[str, Any]] = {}
        bodies: dict[str, str] = {}
        for key, reference in by_key.items():
            body = json.dumps(reference, sort_keys=True, default=str)
            if force or self._stored_refs.get(key) != body:
                changed[key], bodies[key] = dict(reference), body
        if not changed:
            return
        await self.references.put_many(changed)
        for key, body in bodies.items():
            self._stored_refs[key] = body
            if len(self._stored_refs) > _REFERENCE_CACHE:
                self._stored_refs.pop(next(iter(self._stored_refs)))
