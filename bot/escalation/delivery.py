"""Sending: the request card to DSLs and deputies, the hand-off to MASH's channel and webhook,
notices to the practitioner, and cards updated in place. All the I/O of an escalation is here;
what to send and when is decided by the lifecycle (bot/escalation/machine.py).

A send that fails is tried a few times quickly in the turn; further tries come from the job.
Nothing of what the practitioner wrote is logged: only ids, roles and error types.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Mapping, Sequence

import aiohttp

from bot.channels.reference import ConversationRef, DeliveryFailed, Messenger
from bot.escalation import cards
from bot.escalation.context import Actor, Context
from bot.escalation.directory import Member
from bot.escalation.machine import FAILED, RETRYING, SENT, after_background_try, iso, status_label

log = logging.getLogger("sharesafe.escalation")


def request_activity(esc: Mapping[str, Any], *, reminder: bool,
                     summary: str = "Safeguarding advice requested") -> dict[str, Any]:
    """The DSL's request card as a proactive message."""
    return cards.card_message(cards.dsl_request_card(esc, reminder=reminder), summary)


def handoff_activity(esc: Mapping[str, Any]) -> dict[str, Any]:
    """The MASH hand-off card as a proactive message."""
    return cards.card_message(cards.mash_handoff_card(esc), "Professional consultation requested")


class Sender:
    """Every proactive send, webhook post and card update of the escalation service."""

    def __init__(self, ctx: Context, messenger: Messenger | None, *, http: aiohttp.ClientSession | None,
                 environ: Mapping[str, str]) -> None:
        self.ctx = ctx
        self.messenger = messenger
        self._http = http
        self._owns_http = http is None
        self._environ = environ

    async def close(self) -> None:
        """Release the HTTP session if this sender opened it."""
        if self._http is not None and self._owns_http:
            await self._http.close()
            self._http = None

    async def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
            self._owns_http = True
        return self._http

    # ---- One send ----------------------------------------------------------------------------

    async def send_once(self, reference: ConversationRef, activity: dict[str, Any],
                        delivery: dict[str, Any] | None = None) -> str | None:
        """One try; None on success, else a short reason. The id Teams gave the message is kept on
        `delivery`, so the card can be updated in place when someone acts on the request."""
        if self.messenger is None:
            return "no_messenger"
        try:
            async with asyncio.timeout(self.ctx.settings.send_timeout):
                sent_id = await self.messenger.send(reference, activity)
            if delivery is not None and isinstance(sent_id, str) and sent_id:
                delivery["activity_id"] = sent_id
            return None
        except DeliveryFailed as exc:
            return exc.reason
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return type(exc).__name__

    async def send_quick(self, reference: ConversationRef, activity: dict[str, Any],
                         delivery: dict[str, Any] | None = None, *, quick: bool = True) -> str | None:
        """A few quick tries with short waits (one try when not `quick`); None on success, else the
        last reason. Each try is counted on `delivery`."""
        delays = self.ctx.settings.quick_retry_delays if quick else ()
        error: str | None = None
        for attempt in range(len(delays) + 1):
            if delivery is not None:
                delivery["attempts"] = int(delivery.get("attempts", 0)) + 1
            error = await self.send_once(reference, activity, delivery)
            if error is None:
                return None
            if attempt < len(delays):
                await self.ctx.sleep(delays[attempt])
        return error

    async def reference(self, key: str) -> ConversationRef | None:
        """A stored conversation reference (either stored shape: bot/channels/reference.py), or None."""
        stored = await self.ctx.references.get(key)
        return None if stored is None else ConversationRef.from_dict(stored)

    async def reference_for(self, member: Member) -> ConversationRef | None:
        """The 1:1 chat with a DSL or deputy, under their user id or AAD object id."""
        reference = await self.reference(member.user_id)
        if reference is None:
            reference = await self.reference(f"aad:{member.user_id}")
        return reference

    # ---- DSLs and deputies -------------------------------------------------------------------

    async def deliver(self, esc: dict[str, Any], members: Sequence[Member], *, stage: int, quick: bool,
                      reminder: bool = False) -> list[dict[str, Any]]:
        """Send the request card to each member; one delivery entry each (sent / retrying / failed)."""
        who = (esc.get("practitioner") or {}).get("name") or "A practitioner"
        urgent = "URGENT: " if esc.get("urgent") else ""
        activity = request_activity(esc, reminder=reminder, summary=f"{urgent}{who} asks for safeguarding advice")
        now = self.ctx.clock()
        delays = self.ctx.settings.retry_delays

        async def one(member: Member) -> dict[str, Any]:
            delivery: dict[str, Any] = {"to": member.user_id, "name": member.name, "role": member.role,
                                        "stage": stage, "status": FAILED, "attempts": 0, "background_tries": 0,
                                        "next_try": None, "error": ""}
            reference = await self.reference_for(member)
            if reference is None:
                # They have never opened ShareSafe: there is no conversation to message.
                delivery["error"] = "no_reference"
                return delivery
            error = await self.send_quick(reference, activity, delivery, quick=quick)
            if error is None:
                delivery.update(status=SENT, sent_at=iso(self.ctx.clock()))
                return delivery
            delivery["error"] = error
            if delays:
                delivery.update(status=RETRYING, next_try=iso(now + timedelta(seconds=delays[0])))
            log.warning("escalation %s: send to a %s failed (%s); %s", esc["id"], member.role, error,
                        "will retry" if delivery["status"] == RETRYING else "giving up")
            return delivery

        return list(await asyncio.gather(*(one(m) for m in members)))

    async def retry(self, esc: dict[str, Any], delivery: dict[str, Any], now: datetime) -> None:
        """One background try of a DSL send that failed; the delivery says what happened."""
        member = Member(delivery["to"], delivery.get("name", ""), delivery.get("role", "dsl"))
        reference = await self.reference_for(member)
        delivery["attempts"] = int(delivery.get("attempts", 0)) + 1
        delivery["background_tries"] = int(delivery.get("background_tries", 0)) + 1
        activity = request_activity(esc, reminder=delivery.get("stage", 0) > 0)
        error = "no_reference" if reference is None else await self.send_once(reference, activity, delivery)
        after_background_try(delivery, error, self.ctx.clock() if error is None else now,
                             self.ctx.settings.retry_delays)
        if error is None:
            log.info("escalation %s: retry %d delivered", esc["id"], delivery["background_tries"])
        elif delivery["status"] == FAILED:
            log.error("escalation %s: send to a %s failed after %d tries (%s)", esc["id"], member.role,
                      delivery["attempts"], error)

    # ---- MASH --------------------------------------------------------------------------------

    async def to_mash_channel(self, esc: dict[str, Any], channel: str, *, quick: bool = True) -> dict[str, Any]:
        """Post the hand-off card in the MASH channel; its delivery entry."""
        delivery = {"to": f"channel:{channel}", "role": "mash", "stage": 0, "status": FAILED, "attempts": 0,
                    "error": ""}
        reference = await self.reference(f"channel:{channel}")
        if reference is None:
            delivery["error"] = "no_reference"
            log.error("hand-off %s: the MASH channel has no stored reference (add the bot to its team)", esc["id"])
            return delivery
        error = await self.send_quick(reference, handoff_activity(esc), delivery, quick=quick)
        if error is None:
            delivery["status"] = SENT
        else:
            delivery["error"] = error
            log.error("hand-off %s: MASH channel send failed: %s", esc["id"], error)
        return delivery

    async def to_mash_webhook(self, esc: dict[str, Any], url: str, secret_env: str | None,
                              *, quick: bool = True) -> dict[str, Any]:
        """POST the hand-off packet to MASH's case system (signed when a secret is set); its delivery entry."""
        delivery = {"to": "webhook", "role": "mash", "stage": 0, "status": FAILED, "attempts": 0, "error": ""}
        body = json.dumps(cards.webhook_packet(esc), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(esc["id"]),
                   "User-Agent": "ShareSafe"}
        secret = self._environ.get(secret_env or "", "") if secret_env else ""
        if secret:
            digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-ShareSafe-Signature"] = f"sha256={digest}"
        delays = self.ctx.settings.quick_retry_delays if quick else ()
        for attempt in range(len(delays) + 1):
            delivery["attempts"] = attempt + 1
            try:
                session = await self._session()
                timeout = aiohttp.ClientTimeout(total=self.ctx.settings.webhook_timeout)
                async with session.post(url, data=body, headers=headers, timeout=timeout,
                                        allow_redirects=False) as resp:
                    await resp.read()
                    if 200 <= resp.status < 300:
                        delivery["status"], delivery["error"] = SENT, ""
                        return delivery
                    delivery["error"] = f"http {resp.status}"
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                delivery["error"] = type(exc).__name__
            log.warning("hand-off %s: webhook try %d failed: %s", esc["id"], attempt + 1, delivery["error"])
            if attempt < len(delays):
                await self.ctx.sleep(delays[attempt])
        return delivery

    # ---- The practitioner --------------------------------------------------------------------

    async def practitioner_reference(self, esc: Mapping[str, Any]) -> ConversationRef | None:
        """The conversation where the practitioner asked (else their 1:1 chat)."""
        who = esc.get("practitioner") or {}
        reference = None
        if who.get("conversation_id"):
            reference = await self.reference(f"conv:{who['conversation_id']}")
        if reference is None and who.get("user_id"):
            reference = await self.reference(str(who["user_id"]))
        return reference

    async def notify_practitioner(self, esc: Mapping[str, Any], text: str) -> bool:
        """Tell the practitioner, in the conversation where they asked; False (and logged) if it fails."""
        reference = await self.practitioner_reference(esc)
        if reference is None:
            log.error("escalation %s: cannot tell the practitioner (no conversation reference)", esc.get("id"))
            return False
        error = await self.send_quick(reference, cards.message(text))
        if error is not None:
            log.error("escalation %s: could not tell the practitioner (%s)", esc.get("id"), error)
            return False
        return True

    # ---- Cards kept up to date ---------------------------------------------------------------

    async def _update_card(self, update: Callable[..., Awaitable[Any]], reference: ConversationRef,
                           activity_id: str, activity: dict[str, Any], esc: Mapping[str, Any], what: str) -> bool:
        """One try at updating a sent card in place; False (logged, no text of the request) if it failed."""
        try:
            async with asyncio.timeout(self.ctx.settings.send_timeout):
                await update(reference, activity_id, activity)
            return True
        except (DeliveryFailed, TimeoutError, aiohttp.ClientError, OSError) as exc:
            reason = exc.reason if isinstance(exc, DeliveryFailed) else type(exc).__name__
            log.warning("escalation %s: %s was not updated (%s)", esc.get("id"), what, reason)
            return False

    async def update_practitioner_card(self, esc: Mapping[str, Any]) -> bool:
        """Show the request's status on the practitioner's "Sent" card, in place; False if not done."""
        update = getattr(self.messenger, "update", None)
        reference = await self.reference(f"card:{esc.get('id')}")
        if update is None or reference is None or not reference.activity_id:
            return False
        activity = cards.card_message(cards.practitioner_card(esc), f"Your request {esc.get('id')}")
        return await self._update_card(update, reference.with_activity(""), reference.activity_id, activity, esc,
                                       "the practitioner's card")

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
            if delivery.get("status") != SENT or not activity_id:
                continue
            to = str(delivery.get("to", ""))
            if esc.get("kind") == "mash":
                if not to.startswith("channel:"):
                    continue  # the webhook has no card to update
                reference = await self.reference(to)
                activity = handoff_activity(esc)
            else:
                reference = await self.reference_for(Member(to, "", str(delivery.get("role", "dsl"))))
                activity = request_activity(esc, reminder=int(delivery.get("stage", 0)) > 0)
            if reference is not None:
                updated += await self._update_card(update, reference, str(activity_id), activity, esc, "a card")
        return updated

    async def tell_other_dsls(self, esc: Mapping[str, Any], actor: Actor, status: str, name: str) -> None:
        """So a second DSL does not call the same practitioner: one try each, best effort."""
        others = {d["to"] for d in esc.get("deliveries") or [] if d.get("status") == SENT} - set(actor.ids)
        text = f"{esc['id']}: {status_label(status).lower()} by {name} at {cards.local_time(self.ctx.clock())}."
        for user_id in sorted(others):
            reference = await self.reference_for(Member(user_id, "", "dsl"))
            if reference is not None and await self.send_once(reference, cards.message(text)) is not None:
                log.warning("escalation %s: could not update another DSL", esc["id"])
