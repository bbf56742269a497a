"""The MASH professional-consultation hand-off (the engine's `handoff` effect): the packet goes to
the partnership's MASH channel and its webhook; a destination that failed while the other got it is
retried from the job with backoff; nothing reached means the practitioner is told at once."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from bot.escalation import machine
from bot.escalation.actions import Carrier
from bot.escalation.asking import effect_result
from bot.escalation.context import Context
from bot.escalation.delivery import Sender
from bot.escalation.working_days import callback_deadline, describe
from bot.turn.effects import EscalationFailed
from dialogs.model import Effect, UserInput

log = logging.getLogger("sharesafe.escalation")


class Handoff:
    """Creates a MASH hand-off, delivers it, and runs the retries of a destination that failed."""

    def __init__(self, ctx: Context, sender: Sender, carrier: Carrier) -> None:
        self.ctx, self.sender, self.carrier = ctx, sender, carrier

    async def handoff(self, conversation_id: str, effect: Effect, inp: UserInput) -> dict[str, Any]:
        """Deliver the consultation packet to the partnership's MASH; {id, callback_by, callback_by_text}."""
        org_id = await self.ctx.organisation_asking(inp.user)
        destination = self.ctx.directory.mash_for(org_id)
        if not destination.configured:
            raise EscalationFailed("not_configured")
        partnership = self.ctx.directory.partnership_of(org_id)
        now = self.ctx.clock()
        deadline = callback_deadline(now)
        data = effect.data
        doc = {
            **self.ctx.new_request("mash", org_id, conversation_id, effect, inp.user, now),
            "partnership": partnership.id if partnership else "",
            "referrer": dict(data.get("referrer") or {}),
            "concern": str(data.get("concern") or ""),
            "due_at": None,
            "callback_by": deadline.isoformat(),
            "callback_by_text": describe(deadline),
            "deliveries": [],
        }
        stored, created = await self.ctx.escalations.create(doc, f"{conversation_id}:{effect.key}")  # "mash:<id>"
        if not created:
            return effect_result(stored)
        log.info("hand-off %s created for organisation %s", stored["id"], org_id or "-")
        deliveries: list[dict[str, Any]] = []
        if destination.channel:
            deliveries.append(await self.sender.to_mash_channel(stored, destination.channel))
        if destination.webhook:
            deliveries.append(await self.sender.to_mash_webhook(stored, destination.webhook,
                                                                destination.webhook_secret_env))
        event = machine.Event("handed_off", {"deliveries": deliveries})
        after, actions = machine.step(stored, event, self.ctx.clock(), self.ctx.settings.timing)
        stored, _ = await self.carrier.run(stored, actions)
        if machine.phase_of(after) == "undeliverable":
            log.warning("hand-off %s undeliverable", stored["id"])
        return effect_result(stored)

    async def retry(self, esc: dict[str, Any], job: Mapping[str, Any]) -> None:
        """One background try of a MASH destination that failed (the job's `step` counts the tries)."""
        to = str(job.get("to", ""))
        destination = self.ctx.directory.mash_for(str(esc.get("organisation", "")))
        if to == "webhook" and destination.webhook:
            delivery = await self.sender.to_mash_webhook(esc, destination.webhook, destination.webhook_secret_env,
                                                         quick=False)
        elif to.startswith("channel:") and destination.channel == to[len("channel:"):]:
            delivery = await self.sender.to_mash_channel(esc, destination.channel, quick=False)
        else:
            log.warning("hand-off %s: MASH destination no longer configured; retry dropped", esc["id"])
            await self.ctx.escalations.finish_job(str(job["key"]))
            return
        error = None if delivery["status"] == machine.SENT else str(delivery["error"] or "failed")
        event = machine.Event("mash_tried", {"to": to, "error": error, "attempt": int(job.get("step", 1)),
                                             "attempts": int(delivery.get("attempts", 0))})
        try:
            _, actions = machine.step(esc, event, self.ctx.clock(), self.ctx.settings.timing)
        except machine.Refused:
            log.warning("hand-off %s: no retry from where it is; retry dropped", esc["id"])
            await self.ctx.escalations.finish_job(str(job["key"]))
            return
        await self.carrier.run(esc, actions, job=job)
        if error is None:
            log.info("hand-off %s: MASH destination reached from the job", esc["id"])
        elif not any(isinstance(a, machine.RetryJob) for a in actions):
            log.error("hand-off %s: a MASH destination failed for good after %d tries (%s)", esc["id"],
                      int(job.get("step", 1)), error)
