"""Proactive messages through the CloudAdapter: the Messenger the escalation service sends with."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

from aiohttp import ClientError
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from bot.channels.teams.activities import to_json
from bot.escalation.service import DeliveryFailed
from bot.logs import hash_id
from bot.turn.runner import stored_outbox
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.proactive")


def _status(error: HttpOperationError) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None) or getattr(response, "status", None)


class AdapterMessenger:
    """Sends one activity to a stored conversation reference with `continue_conversation`.

    The adapter hands exceptions raised inside a turn to its on_turn_error, which would swallow a
    failed proactive send; so the send is wrapped here and its failure re-raised as DeliveryFailed.
    """

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    async def send(self, reference: dict[str, Any], activity: dict[str, Any]) -> str | None:
        """Deliver the activity or raise DeliveryFailed (connector 4xx/5xx, unknown conversation);
        the id the channel gave it (to update the card in place later), where it gave one."""
        return await self._run(reference, activity, None)

    async def update(self, reference: dict[str, Any], activity_id: str, activity: dict[str, Any]) -> None:
        """Replace an activity sent before (a request card, once someone has acted on it), or raise DeliveryFailed."""
        await self._run(reference, activity, activity_id)

    async def _run(self, reference: dict[str, Any], activity: dict[str, Any], activity_id: str | None) -> str | None:
        try:
            conversation = ConversationReference().deserialize(reference)
            outgoing = Activity().deserialize(activity)
        except (DeserializationError, ValueError, TypeError, AttributeError) as exc:
            raise DeliveryFailed("bad_reference") from exc
        if not conversation.conversation or not conversation.service_url:
            raise DeliveryFailed("bad_reference")
        failure: list[DeliveryFailed] = []
        sent_id: list[str] = []

        async def deliver(turn_context: TurnContext) -> None:
            try:
                if activity_id is None:
                    response = await turn_context.send_activity(outgoing)
                    if getattr(response, "id", None):
                        sent_id.append(str(response.id))
                else:
                    outgoing.id = activity_id
                    await turn_context.update_activity(outgoing)
            except HttpOperationError as exc:
                status = _status(exc)
                failure.append(DeliveryFailed(f"http {status}" if status else type(exc).__name__, status))
            except (ClientRequestError, ClientError, OSError, TimeoutError) as exc:
                failure.append(DeliveryFailed(type(exc).__name__))

        try:
            await self.adapter.continue_conversation(conversation, deliver, self.app_id)
        except (HttpOperationError, ClientRequestError, ClientError, OSError, TimeoutError) as exc:
            # Getting a token or building the connector failed before the send.
            raise DeliveryFailed(type(exc).__name__) from exc
        if failure:
            raise failure[0]
        return sent_id[0] if sent_id else None


# Set by the HTTP handler around a turn: the turn adds the activity key of any reply it could not
# deliver, and the handler then answers 503 so that Bot Service delivers the activity again.
UNDELIVERED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("sharesafe_undelivered", default=None)

REPLIES_JOB = "replies"
# A redelivery this soon after the replies were saved waits for the first delivery to finish.
RESEND_GRACE_SECONDS = 3.0
# After a failed send: the Bot Service retry usually comes first; the job is the safety net.
REPLY_RETRY_SECONDS = (5.0, 30.0, 120.0, 600.0, 1800.0)


def _reference_for_job(activity: Activity) -> dict[str, Any]:
    """Where to send the replies later, without the practitioner's name (a job holds no personal text)."""
    reference = TurnContext.get_conversation_reference(activity).serialize()
    for account in ("user", "bot"):
        if isinstance(reference.get(account), dict):
            reference[account].pop("name", None)
    return reference


class ReplyDelivery:
    """Sends a turn's saved replies, notes when the Bot Connector took them, and queues a retry
    (the durable job outbox) when it did not: what a practitioner is told is never lost."""

    def __init__(self, runner: Any, jobs: Any = None, messenger: AdapterMessenger | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 rebuild: Callable[[dict[str, Any], str | None], list[Activity]] | None = None) -> None:
        self.runner = runner
        # (saved outbox entry, channel id) -> the activities to send again (bot/channels/teams/handler.py saved_activities).
        self.rebuild = rebuild
        self.jobs = jobs  # an EscalationStore (add_job, retry_job, finish_job), or None
        self.messenger = messenger
        self.clock = clock
        # `await on_sent(conversation id, outbox entry, activity ids)` after a turn's replies went out.
        self.on_sent: Callable[[str, dict[str, Any], list[str | None]], Awaitable[None]] | None = None

    async def deliver(self, turn_context: TurnContext, outbox: dict[str, Any] | None, resend: bool = False,
                      activities: list[Activity] | None = None) -> None:
        """Send the saved replies of this activity (unless a redelivery finds them delivered);
        `activities`: the same replies already built (the turn that saved them)."""
        if outbox is None:
            return
        activity = turn_context.activity
        conversation_id = str(activity.conversation.id)
        key = str(outbox["key"])
        if resend and await self._delivered_meanwhile(conversation_id, key, outbox):
            return  # a resent activity whose answer the practitioner already has
        outgoing = activities if activities is not None else (
            self.rebuild(outbox, activity.channel_id) if self.rebuild is not None else [])
        if not outgoing:
            return
        try:
            responses = await turn_context.send_activities(outgoing)
        except (HttpOperationError, ClientRequestError, ClientError, OSError, TimeoutError) as exc:
            log.warning("conversation %s: replies not delivered (%s); Bot Service asked to retry",
                        hash_id(conversation_id), type(exc).__name__)
            await self._queue(activity, key)
            pending = UNDELIVERED.get()
            if pending is not None:
                pending.append(key)
            return
        await self.runner.mark_delivered(conversation_id, key)
        if self.on_sent is not None:
            # The ids Teams gave the replies: the "Sent" card of a request is updated in place later.
            await self.on_sent(conversation_id, outbox, [getattr(r, "id", None) for r in responses or []])

    async def _delivered_meanwhile(self, conversation_id: str, key: str, outbox: dict[str, Any]) -> bool:
        """True once the replies are noted delivered. A redelivery that arrives while the first
        delivery may still be sending them (Teams retrying at once, to another worker) waits for
        that worker a moment rather than sending everything twice."""
        while True:
            if await self.runner.delivered(conversation_id, key):
                return True
            saved_at = outbox.get("at")
            if not isinstance(saved_at, (int, float)) or time.time() - saved_at > RESEND_GRACE_SECONDS:
                return False
            await asyncio.sleep(0.05)

    async def _queue(self, activity: Activity, key: str) -> None:
        if self.jobs is None:
            return
        conversation_id = str(activity.conversation.id)
        job = {"type": REPLIES_JOB, "conversation": conversation_id, "activity": key, "step": 0,
               "reference": _reference_for_job(activity)}
        try:
            await self.jobs.add_job(f"replies:{conversation_id}:{key}", job,
                                    self.clock() + timedelta(seconds=REPLY_RETRY_SECONDS[0]))
        except StoreUnavailable:
            log.warning("conversation %s: reply retry not queued (store unavailable)", hash_id(conversation_id))

    async def run_job(self, job: dict[str, Any], now: datetime) -> None:
        """Send a turn's undelivered replies again (same ids), from the state they were saved with."""
        key, conversation_id, activity = str(job["key"]), str(job.get("conversation", "")), str(job.get("activity", ""))
        if await self.runner.delivered(conversation_id, activity):
            await self.jobs.finish_job(key)
            return
        state, _ = await self.runner.conversations.load(conversation_id)
        entry = stored_outbox(state, activity)
        if entry is None or self.messenger is None or self.rebuild is None:
            log.error("conversation %s: undelivered replies are no longer stored", hash_id(conversation_id))
            await self.jobs.finish_job(key)
            return
        try:
            reference = job.get("reference") or {}
            for outgoing in self.rebuild(entry, reference.get("channelId")):
                await self.messenger.send(reference, to_json(outgoing))
        except DeliveryFailed as failed:
            step = int(job.get("step", 0))
            if step + 1 < len(REPLY_RETRY_SECONDS):
                await self.jobs.retry_job(key, due_at=now + timedelta(seconds=REPLY_RETRY_SECONDS[step + 1]),
                                          fields={"step": step + 1, "error": failed.reason})
                log.warning("conversation %s: replies still not delivered (%s); will retry",
                            hash_id(conversation_id), failed.reason)
            else:
                await self.jobs.finish_job(key)
                log.error("conversation %s: replies not delivered after %d tries (%s)",
                          hash_id(conversation_id), step + 1, failed.reason)
            return
        await self.runner.mark_delivered(conversation_id, activity)
        await self.jobs.finish_job(key)
        log.info("conversation %s: undelivered replies sent from the job", hash_id(conversation_id))
