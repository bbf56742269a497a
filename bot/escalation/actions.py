"""Carrying out what the lifecycle's step() decided: store writes, queued jobs, re-pings and card
updates, in the order step() gave them (a notice is queued before a request is marked undeliverable,
so a worker that stops in between still tells the practitioner)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Mapping, Sequence

from bot.escalation import machine
from bot.escalation.context import Context
from bot.escalation.delivery import Sender

log = logging.getLogger("sharesafe.escalation")

# The durable outbox's job types (other parts of the bot add their own, e.g. a turn's undelivered replies).
NOTICE_JOB = "notice"
MASH_JOB = "mash_delivery"


def mash_job_key(escalation_id: str, to: str) -> str:
    """The outbox key of the retries of one MASH destination (one job per destination, ever)."""
    return f"{escalation_id}:mash:{to}"


class Carrier:
    """Carries out a step's actions against the stores and Teams."""

    def __init__(self, ctx: Context, sender: Sender) -> None:
        self.ctx = ctx
        self.sender = sender

    async def queue_notice(self, esc: Mapping[str, Any], notice: str, *, status: str = "",
                           delay: float = 0.0) -> bool:
        """Queue a durable notice to the practitioner (sent by the job, retried with backoff, once
        across workers): "unreachable", "no_answer", or "update" (a DSL's or MASH's answer, `status`)."""
        key = f"{esc['id']}:notice:{notice}{':' + status if status else ''}"
        job = {"type": NOTICE_JOB, "escalation": esc["id"], "notice": notice, "status": status, "step": 0}
        return await self.ctx.escalations.add_job(key, job, self.ctx.clock() + timedelta(seconds=delay))

    async def run(self, esc: dict[str, Any], actions: Sequence[Any], *,
                  job: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], list[Any]]:
        """Do the store, job and sending actions; (the escalation as it now stands, the actions left
        for the caller: telling the practitioner and other DSLs). Raises InvalidTransition when a
        Move finds someone got there first."""
        left: list[Any] = []
        for action in actions:
            if isinstance(action, machine.Save):
                esc = await self.ctx.escalations.reschedule(esc["id"], stage=action.stage, due_at=action.due_at,
                                                            fields=action.fields)
            elif isinstance(action, machine.Move):
                esc = await self.ctx.escalations.transition(
                    esc["id"], action.status, by=action.by, name=action.name, at=self.ctx.clock(), note=action.note,
                    allowed_from=action.allowed_from)
            elif isinstance(action, machine.Notice):
                await self.queue_notice(esc, action.notice, status=action.status)
            elif isinstance(action, machine.AskAgain):
                await self._ask_again(esc, action.stage)
            elif isinstance(action, machine.RetryJob):
                await self._retry_job(esc, action, job)
            elif isinstance(action, machine.StopJob):
                await self.ctx.escalations.finish_job(mash_job_key(esc["id"], action.to))
            elif isinstance(action, machine.UpdateCards):
                await self.sender.update_cards(esc)
                await self.sender.update_practitioner_card(esc)
            else:
                left.append(action)
        return esc, left

    async def _ask_again(self, esc: dict[str, Any], stage: int) -> None:
        org_id = str(esc.get("organisation", ""))
        exclude = ((esc.get("practitioner") or {}).get("user_id", ""),)
        people = self.ctx.recipients(org_id, "dsl", exclude) + self.ctx.recipients(org_id, "deputy", exclude)
        esc["deliveries"] = list(esc.get("deliveries") or []) + await self.sender.deliver(
            esc, people, stage=stage, quick=False, reminder=True)
        log.info("escalation %s: re-pinged DSLs and deputies", esc["id"])

    async def _retry_job(self, esc: Mapping[str, Any], action: machine.RetryJob, job: Mapping[str, Any] | None) -> None:
        key = mash_job_key(str(esc["id"]), action.to)
        if job is not None and job.get("key") == key:
            await self.ctx.escalations.retry_job(key, due_at=action.at, fields={"step": action.attempt})
            log.warning("hand-off %s: a MASH destination failed again; will retry", esc["id"])
            return
        await self.ctx.escalations.add_job(
            key, {"type": MASH_JOB, "escalation": esc["id"], "to": action.to, "step": action.attempt}, action.at)

