"""Getting a turn's replies to the practitioner, whatever the channel: send the replies saved with
the state, note when the channel took them, and queue a retry in the durable job outbox when it did
not. What a practitioner is told is never lost, and a redelivered activity is answered once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections import OrderedDict, abc
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Collection, Mapping, Sequence

from bot.channels.reference import ConversationRef, DeliveryFailed, Messenger
from bot.logs import hash_id
from bot.turn.outbox import OUTBOX_KEEP, stored_outbox
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.delivery")

# Set by the HTTP handler around a turn: the turn adds the activity key of any reply it could not
# deliver, and the handler then answers 503 so that the channel delivers the activity again.
UNDELIVERED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("sharesafe_undelivered", default=None)

REPLIES_JOB = "replies"
# A redelivery this soon after the replies were saved waits for the first delivery to finish.
RESEND_GRACE_SECONDS = 3.0
# After a failed send: the channel's own retry usually comes first; the job is the safety net.
REPLY_RETRY_SECONDS = (5.0, 30.0, 120.0, 600.0, 1800.0)
MAX_CONVERSATIONS = 10_000

# Sends the turn's replies in the turn itself; the ids the channel gave them. Raises DeliveryFailed.
SendNow = Callable[[], Awaitable[Sequence[str | None]]]
# (saved outbox entry, channel) -> the replies again as Activity Protocol JSON, with the same ids.
Rebuild = Callable[[Mapping[str, Any], str], list[dict[str, Any]]]


class DeliveryNotes:
    """Which activities' replies the channel accepted: in the store (Stores.deliveries, shared by
    every worker) and, for the state this worker saves next, here."""

    def __init__(self, deliveries: Any = None) -> None:
        # None: nothing is noted in a store, so a redelivery always sends again.
        self.deliveries = deliveries
        self._here: OrderedDict[str, set[str]] = OrderedDict()
        self._to_note: list[tuple[str, str]] = []
        self._noting: asyncio.Task[None] | None = None

    def delivered_here(self, conversation_id: str) -> Collection[str]:
        """Activity keys whose replies this worker delivered (dropped from the next state saved)."""
        return self._here.get(conversation_id, ())

    async def delivered(self, conversation_id: str, key: str) -> bool:
        """True when this activity's replies were accepted by the channel (False if unknown)."""
        if self.deliveries is None:
            return False
        try:
            return await self.deliveries.delivered(conversation_id, key)
        except StoreUnavailable:
            return False

    async def mark_delivered(self, conversation_id: str, key: str) -> None:
        """Note that an activity's replies were accepted, so a redelivery sends nothing again."""
        self._here.setdefault(conversation_id, set()).add(key)
        self._here.move_to_end(conversation_id)
        if len(self._here[conversation_id]) > OUTBOX_KEEP * 4:
            self._here[conversation_id] = {key}
        while len(self._here) > MAX_CONVERSATIONS:
            self._here.popitem(last=False)
        if self.deliveries is None:
            return
        # Noted in batches, one round trip for every turn that finished meanwhile: a redelivery
        # this soon waits for the note anyway (RESEND_GRACE_SECONDS).
        self._to_note.append((conversation_id, key))
        if self._noting is None:
            self._noting = asyncio.get_running_loop().create_task(self._note())

    async def _note(self) -> None:
        try:
            while self._to_note:
                batch, self._to_note = self._to_note, []
                try:
                    await self.deliveries.mark_delivered_many(batch)
                except StoreUnavailable:
                    # A redelivery would then send the replies again, with the same ids: seen once.
                    log.warning("%d deliveries not noted (store unavailable)", len(batch))
        finally:
            self._noting = None


class ReplyDelivery:
    """Sends a turn's saved replies and retries them from the job outbox when the channel did not
    take them; the channel supplies the send (in the turn) and the Messenger (later)."""

    def __init__(self, notes: DeliveryNotes, conversations: Any, *, jobs: Any = None,
                 messenger: Messenger | None = None, rebuild: Rebuild | None = None, references: Any = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.notes = notes
        self.conversations = conversations
        self.jobs = jobs  # an EscalationStore (add_job, retry_job, finish_job), or None
        self.messenger = messenger
        self.rebuild = rebuild
        # Where a request's "Sent" card is noted, so it keeps up when a DSL or MASH answers.
        self.references = references
        self.clock = clock

    async def deliver(self, where: ConversationRef, outbox: Mapping[str, Any] | None, send: SendNow,
                      *, resend: bool = False) -> None:
        """Send the saved replies of this activity, unless a redelivery finds them delivered."""
        if outbox is None:
            return
        conversation_id, key = where.conversation_id, str(outbox["key"])
        if resend and await self._delivered_meanwhile(conversation_id, key, outbox):
            return  # a resent activity whose answer the practitioner already has
        try:
            sent_ids = await send()
        except DeliveryFailed as failed:
            log.warning("conversation %s: replies not delivered (%s); the channel is asked to retry",
                        hash_id(conversation_id), failed.reason)
            await self._queue(where, key)
            pending = UNDELIVERED.get()
            if pending is not None:
                pending.append(key)
            return
        await self.notes.mark_delivered(conversation_id, key)
        await self._note_sent_cards(where, outbox, sent_ids)

    async def _delivered_meanwhile(self, conversation_id: str, key: str, outbox: Mapping[str, Any]) -> bool:
        """True once the replies are noted delivered. A redelivery that arrives while the first
        delivery may still be sending them (the channel retrying at once, to another worker) waits
        for that worker a moment rather than sending everything twice."""
        while True:
            if await self.notes.delivered(conversation_id, key):
                return True
            saved_at = outbox.get("at")
            if not isinstance(saved_at, (int, float)) or time.time() - saved_at > RESEND_GRACE_SECONDS:
                return False
            await asyncio.sleep(0.05)

    async def _note_sent_cards(self, where: ConversationRef, outbox: Mapping[str, Any],
                               sent_ids: Sequence[str | None]) -> None:
        """Keep where each request's "Sent" card landed (its message id), so the card can show
        when a DSL or MASH answers (docs/escalation.md)."""
        replies = list(outbox.get("activities") or [])
        if self.references is None or len(replies) != len(sent_ids):
            return
        for reply, activity_id in zip(replies, sent_ids):
            data = reply.get("data") if isinstance(reply, abc.Mapping) else None
            if reply.get("kind") != "escalation" or not isinstance(data, abc.Mapping) or not data.get("id") or not activity_id:
                continue
            try:
                await self.references.put(f"card:{data['id']}", where.with_activity(str(activity_id)).to_dict())
            except StoreUnavailable:
                log.warning("escalation %s: the practitioner's card was not noted (store unavailable)", data["id"])

    async def _queue(self, where: ConversationRef, key: str) -> None:
        if self.jobs is None:
            return
        conversation_id = where.conversation_id
        job = {"type": REPLIES_JOB, "conversation": conversation_id, "activity": key, "step": 0,
               "reference": where.to_dict()}
        try:
            await self.jobs.add_job(f"replies:{conversation_id}:{key}", job,
                                    self.clock() + timedelta(seconds=REPLY_RETRY_SECONDS[0]))
        except StoreUnavailable:
            log.warning("conversation %s: reply retry not queued (store unavailable)", hash_id(conversation_id))

    async def run_job(self, job: dict[str, Any], now: datetime) -> None:
        """Send a turn's undelivered replies again (same ids), from the state they were saved with."""
        key, conversation_id, activity = str(job["key"]), str(job.get("conversation", "")), str(job.get("activity", ""))
        if await self.notes.delivered(conversation_id, activity):
            await self.jobs.finish_job(key)
            return
        state, _ = await self.conversations.load(conversation_id)
        entry = stored_outbox(state, activity)
        if entry is None or self.messenger is None or self.rebuild is None:
            log.error("conversation %s: undelivered replies are no longer stored", hash_id(conversation_id))
            await self.jobs.finish_job(key)
            return
        # Jobs queued before the channel seam hold a Bot Framework reference; from_dict reads both.
        reference = ConversationRef.from_dict(job.get("reference") or {})
        try:
            for outgoing in self.rebuild(entry, reference.channel):
                await self.messenger.send(reference, outgoing)
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
        await self.notes.mark_delivered(conversation_id, activity)
        await self.jobs.finish_job(key)
        log.info("conversation %s: undelivered replies sent from the job", hash_id(conversation_id))
