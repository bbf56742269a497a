"""Asking the DSL (the engine's `escalate` effect): the request is stored first, then sent to every
DSL of the practitioner's organisation, or to the deputies at once when no DSL can be reached."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Mapping, Sequence

from bot.escalation import machine
from bot.escalation.actions import Carrier
from bot.escalation.context import Context
from bot.escalation.delivery import Sender
from bot.escalation.directory import Member
from bot.turn.effects import EscalationFailed
from dialogs.model import Effect, UserInput

log = logging.getLogger("sharesafe.escalation")


def effect_result(esc: Mapping[str, Any]) -> dict[str, Any]:
    """What the engine is told about a request or hand-off (raises EscalationFailed if undeliverable)."""
    if machine.phase_of(esc) == "undeliverable":
        raise EscalationFailed("undeliverable", escalation_id=str(esc["id"]))
    if esc.get("kind") == "mash":
        return {"id": esc["id"], "callback_by": esc.get("callback_by"), "callback_by_text": esc.get("callback_by_text")}
    reached = {d["to"]: d for d in esc.get("deliveries") or [] if d["status"] == machine.SENT}
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


class Asking:
    """Creates a DSL request and makes its first send."""

    def __init__(self, ctx: Context, sender: Sender, carrier: Carrier) -> None:
        self.ctx, self.sender, self.carrier = ctx, sender, carrier

    async def escalate(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """Ask every DSL of the practitioner's organisation; {id, sent_to[, pending]}."""
        user = inp.user
        org_id = await self.ctx.organisation_asking(user)
        dsls = self.ctx.recipients(org_id, "dsl", exclude=user.ids)
        deputies = self.ctx.recipients(org_id, "deputy", exclude=user.ids)
        if org_id not in self.ctx.directory.organisations or not (dsls or deputies):
            raise EscalationFailed("no_dsl")
        now = self.ctx.clock()
        urgent = bool(effect.data.get("urgent"))
        period = self.ctx.period(urgent)
        doc = {
            **self.ctx.new_request("dsl", org_id, conversation_id, effect, user, now),
            "note": str(effect.data.get("note") or ""),
            # Until the first send is recorded, the job picks it up after a lease (a crash mid-send).
            "due_at": now + timedelta(seconds=self.ctx.settings.lease_seconds),
            "ping_due_at": machine.iso(now + period),
            "period_seconds": period.total_seconds(),
            "initial_done": False,
            "deliveries": [],
        }
        # effect.key names the request by its random id ("dsl:<id>"), so a Teams retry or a second
        # Send finds this escalation, and a new request after the conversation state expired (a
        # Teams 1:1 conversation id never changes) is never answered with an old one.
        stored, created = await self.ctx.escalations.create(doc, f"{conversation_id}:{effect.key}")
        if not created:
            # A Teams retry or a second Send: say what happened the first time, send nothing new.
            return effect_result(stored)
        log.info("escalation %s created for organisation %s (urgent=%s)", stored["id"], org_id, urgent)
        deliveries = await self.first_send(stored, dsls, deputies, quick=True)
        stored, _ = await self.finish_first_send(stored, deliveries, in_turn=True)
        return effect_result(stored)

    async def first_send(self, esc: dict[str, Any], dsls: Sequence[Member], deputies: Sequence[Member], *,
                         quick: bool) -> list[dict[str, Any]]:
        """Ask the DSLs; if none of them got it (never opened ShareSafe, or Teams failed), ask the
        deputies at once rather than leave the practitioner waiting on a DSL nobody can reach."""
        deliveries = await self.sender.deliver(esc, dsls, stage=0, quick=quick) if dsls else []
        if deputies and not machine.reached(deliveries):
            if dsls:
                log.info("escalation %s: no DSL reachable; asking the deputies now", esc["id"])
            deliveries += await self.sender.deliver(esc, deputies, stage=0, quick=quick)
        return deliveries

    async def finish_first_send(self, esc: dict[str, Any], deliveries: list[dict[str, Any]], *,
                                in_turn: bool) -> tuple[dict[str, Any], list[Any]]:
        """Record the first send through the lifecycle: waiting for a DSL, or undeliverable."""
        event = machine.Event("first_send", {"deliveries": deliveries, "in_turn": in_turn})
        after, actions = machine.step(esc, event, self.ctx.clock(), self.ctx.settings.timing)
        stored, left = await self.carrier.run(esc, actions)
        if machine.phase_of(after) == "undeliverable":
            log.warning("escalation %s undeliverable: no DSL or deputy reachable", esc["id"])
        return stored, left
