"""A DSL's (or MASH's) buttons on a request or hand-off card: acknowledge, I'll call, resolved.
Who may press them is checked here; whether the move is allowed is the lifecycle's (machine.py)."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from bot.escalation import cards, machine
from bot.escalation.actions import Carrier
from bot.escalation.context import Actor, Context
from bot.escalation.delivery import Sender
from bot.escalation.notices import practitioner_update
from dialogs.model import Reply
from state.interfaces import InvalidTransition

log = logging.getLogger("sharesafe.escalation")

REFUSED_ACTION = Reply(kind="info", title="Only for the safeguarding lead",
                       text="Sorry, only the people this request was sent to can respond to it.")


def _confirmation(status: str, who: str, ref: str) -> str:
    return {
        "acknowledged": f"Thank you. {who} has been told you acknowledged {ref}.",
        "calling": f"Thank you. {who} has been told you will call them about {ref}.",
        "resolved": f"Thank you. {ref} is resolved and {who} has your advice.",
    }[status]


def _already(esc: Mapping[str, Any], actor: Actor) -> Reply:
    """Someone got there first (or it was resolved): say who and when; nothing else is sent."""
    last = (esc.get("history") or [{}])[-1]
    label = machine.status_label(str(esc.get("status")))
    by = "you" if last.get("by") == actor.user_id else (last.get("name") or "someone")
    return Reply(kind="info", title=f"{esc.get('id')}: already {label.lower()}",
                 text=f"{label} by {by} at {cards.local_time(last.get('at'))}. Nothing else was sent.")


class Answers:
    """Carries out a DSL's or MASH's answer and tells everyone who needs to know."""

    def __init__(self, ctx: Context, sender: Sender, carrier: Carrier) -> None:
        self.ctx, self.sender, self.carrier = ctx, sender, carrier

    def may_act(self, actor: Actor, esc: Mapping[str, Any]) -> bool:
        """Only the organisation's DSLs (or, for a hand-off, its MASH) may answer."""
        org_id = str(esc.get("organisation", ""))
        if esc.get("kind") == "mash":
            return self.ctx.mash_member(actor, org_id)
        return any(self.ctx.directory.is_dsl(i, org_id) for i in actor.ids)

    async def act(self, actor: Actor, value: Mapping[str, Any]) -> Reply:
        """A button on a request or hand-off card: update it, tell the practitioner, confirm to the DSL."""
        escalation_id = str(value.get("escalation", ""))
        trigger = str(value.get("action", ""))
        status = machine.answer_status(trigger)
        if status is None:
            return Reply(kind="info", title="Not understood", text="I didn't understand that button.")
        await self.ctx.refresh_directory()
        esc = await self.ctx.escalations.get(escalation_id)
        if esc is None or not self.may_act(actor, esc):
            if esc is not None:
                log.info("escalation %s: action refused for a user who is not its DSL", escalation_id)
            # The same words whether the request exists or not, and naming no organisation: a
            # refusal must not let anyone find out which requests exist or whose they are.
            return REFUSED_ACTION
        advice = " ".join(str(value.get("advice") or "").split())[: cards.ADVICE_MAX_LENGTH]
        name = actor.name or "Your DSL"
        event = machine.Event(trigger, {"by": actor.user_id, "name": actor.name, "note": advice})
        try:
            _, actions = machine.step(esc, event, self.ctx.clock(), self.ctx.settings.timing)
        except machine.Refused:
            return _already(esc, actor)
        updated, told = esc, True
        # In the table's order: the status first (someone may have got there first), then the
        # practitioner, the cards, and the other DSLs.
        for action in actions:
            if isinstance(action, machine.TellPractitioner):
                told = await self._tell_practitioner(updated, action.status, name, advice)
            elif isinstance(action, machine.TellOtherDsls):
                await self.sender.tell_other_dsls(updated, actor, action.status, name)
            else:
                try:
                    updated, _ = await self.carrier.run(updated, [action])
                except InvalidTransition as clash:
                    return _already(clash.escalation, actor)
                if isinstance(action, machine.Move):
                    log.info("escalation %s: %s", escalation_id, status)
        who = (updated.get("practitioner") or {}).get("name") or "The practitioner"
        confirmation = _confirmation(status, who, escalation_id)
        if not told:
            confirmation += (f" I could not reach {who} in Teams, so please contact them directly. "
                             "ShareSafe will keep trying to tell them.")
        return Reply(kind="info", title=f"{escalation_id}: {machine.status_label(status).lower()}", text=confirmation,
                     data={"escalation": escalation_id, "status": status})

    async def _tell_practitioner(self, esc: Mapping[str, Any], status: str, name: str, advice: str) -> bool:
        """Tell them now; if Teams fails, queue it durably (the job keeps trying with backoff)."""
        if await self.sender.notify_practitioner(esc, practitioner_update(esc, status, name, advice)):
            return True
        delays = self.ctx.settings.notice_retry_delays
        await self.carrier.queue_notice(esc, "update", status=status, delay=delays[0] if delays else 0.0)
        return False
