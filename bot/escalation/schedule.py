"""The background job: re-pings and send retries that are due, then the outbox (notices to the
practitioner, MASH retries, and jobs other parts of the bot queue). Each due request and job is
claimed by one worker alone; what happens to a request is decided by its lifecycle (machine.py)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable

from bot.escalation import cards, machine
from bot.escalation.actions import MASH_JOB, NOTICE_JOB, Carrier
from bot.escalation.asking import Asking
from bot.escalation.context import Context
from bot.escalation.delivery import Sender
from bot.escalation.mash import Handoff
from bot.escalation.notices import contacts_text, notice_text
from state.interfaces import InvalidTransition, StoreUnavailable

log = logging.getLogger("sharesafe.escalation")

JobHandler = Callable[[dict[str, Any], datetime], Awaitable[None]]


class Schedule:
    """Runs what is due: re-pings, retries and the outbox."""

    def __init__(self, ctx: Context, sender: Sender, carrier: Carrier, asking: Asking, handoff: Handoff) -> None:
        self.ctx, self.sender, self.carrier, self.asking, self.handoff = ctx, sender, carrier, asking, handoff
        # Jobs other parts of the bot queue in the same outbox, by type (a turn's undelivered replies).
        self.job_handlers: dict[str, JobHandler] = {}

    # ---- Re-pings and retries ----------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> int:
        """Do every re-ping and retry that is due (each claimed by this worker alone), then the due
        notices and MASH retries (run_jobs); how many escalations were re-pinged or retried."""
        given, now = now, now or self.ctx.clock()
        claimed = await self.ctx.escalations.claim_due(now, worker=self.ctx.worker_id,
                                                       lease_seconds=self.ctx.settings.lease_seconds)
        if claimed:
            await self.ctx.refresh_directory()
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
        timing = self.ctx.settings.timing
        if machine.phase_of(esc) != "sending" and not machine.may(esc, "tried"):
            # Nothing in the lifecycle is due from here (a hand-off has no re-pings): stop the schedule.
            log.warning("escalation %s: due with nothing to do; taken off the schedule", esc.get("id"))
            await self.ctx.escalations.reschedule(esc["id"], stage=int(esc.get("stage") or 0), due_at=None)
            return
        if machine.phase_of(esc) == "sending":
            # The turn that created it never recorded its first send (the worker stopped): send now.
            org_id = str(esc.get("organisation", ""))
            exclude = ((esc.get("practitioner") or {}).get("user_id", ""),)
            deliveries = list(esc.get("deliveries") or []) + await self.asking.first_send(
                esc, self.ctx.recipients(org_id, "dsl", exclude), self.ctx.recipients(org_id, "deputy", exclude),
                quick=False)
            event = machine.Event("first_send", {"deliveries": deliveries, "in_turn": False})
        else:
            esc = {**esc, "deliveries": [dict(d) for d in esc.get("deliveries") or []]}
            for delivery in esc["deliveries"]:
                next_try = machine.parse(delivery.get("next_try"))
                if delivery.get("status") == machine.RETRYING and next_try is not None and next_try <= now:
                    await self.sender.retry(esc, delivery, now)
            ping_due = machine.parse(esc.get("ping_due_at"))
            if ping_due is not None and ping_due <= now and machine.may(esc, "ping_due"):
                esc, actions = machine.step(esc, machine.Event("ping_due"), now, timing)
                esc, _ = await self.carrier.run(esc, actions)  # the re-ping's sends, or the notice queued
            event = machine.Event("tried", {"deliveries": esc["deliveries"]})
        after, actions = machine.step(esc, event, now, timing)
        try:
            await self.carrier.run(esc, actions)
        except InvalidTransition:
            return  # a DSL answered meanwhile after all
        if machine.phase_of(after) == "undeliverable":
            log.warning("escalation %s undeliverable after retries; practitioner to be told", esc["id"])

    # ---- The outbox --------------------------------------------------------------------------

    async def run_jobs(self, now: datetime | None = None) -> int:
        """Send every due notice and MASH retry (each claimed by this worker alone); how many."""
        now = now or self.ctx.clock()
        jobs = await self.ctx.escalations.claim_jobs(now, worker=self.ctx.worker_id,
                                                     lease_seconds=self.ctx.settings.lease_seconds)
        for job in jobs:
            try:
                await self._run_job(job, now)
            except StoreUnavailable:
                log.warning("job for %s: store unavailable; will retry after the lease", job.get("escalation"))
            except Exception:  # noqa: BLE001 - one bad job must not stop the others
                log.exception("job for %s failed; will retry after the lease", job.get("escalation"))
        return len(jobs)

    async def _run_job(self, job: dict[str, Any], now: datetime) -> None:
        kind = str(job.get("type"))
        handler = self.job_handlers.get(kind)
        if handler is not None:
            await handler(job, now)
            return
        key = str(job["key"])
        esc = await self.ctx.escalations.get(str(job.get("escalation", "")))
        if esc is None:
            await self.ctx.escalations.finish_job(key)
            return
        if kind == MASH_JOB:
            await self.handoff.retry(esc, job)
            return
        if kind != NOTICE_JOB:
            log.error("escalation %s: a job of an unknown type was dropped", esc["id"])
            await self.ctx.escalations.finish_job(key)
            return
        await self._send_notice(esc, job, key, now)

    async def _send_notice(self, esc: dict[str, Any], job: dict[str, Any], key: str, now: datetime) -> None:
        text = notice_text(esc, job, contacts_text(esc, self.ctx.packs, self.ctx.default_pack))
        error: str | None = None
        if text is None:
            log.info("escalation %s: %s notice no longer needed", esc["id"], job.get("notice"))
        else:
            reference = await self.sender.practitioner_reference(esc)
            error = "no_reference" if reference is None else await self.sender.send_once(reference, cards.message(text))
        step, delays = int(job.get("step", 0)), self.ctx.settings.notice_retry_delays
        if error is None:
            await self.ctx.escalations.finish_job(key)
            if text is not None:
                log.info("escalation %s: %s notice delivered from the job", esc["id"], job.get("notice"))
        elif step < len(delays):
            await self.ctx.escalations.retry_job(key, due_at=now + timedelta(seconds=delays[step]),
                                                 fields={"step": step + 1, "error": error})
            log.warning("escalation %s: %s notice failed (%s); will retry", esc["id"], job.get("notice"), error)
        else:
            await self.ctx.escalations.finish_job(key)
            log.error("escalation %s: %s notice failed for good after %d tries (%s)", esc["id"],
                      job.get("notice"), step + 1, error)

    # ---- The loop ----------------------------------------------------------------------------

    async def loop(self) -> None:
        """Run what is due every settings.poll_seconds, outliving any one failure."""
        while True:
            try:
                await self.run_due()
            except StoreUnavailable:
                log.warning("re-ping job: store unavailable; trying again next tick")
            except Exception:  # noqa: BLE001 - the loop must outlive any one failure
                log.exception("re-ping job failed; trying again next tick")
            await asyncio.sleep(self.ctx.settings.poll_seconds)
