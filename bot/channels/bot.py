"""The bot's turn logic, for every channel: an incoming activity (Activity Protocol JSON) in, one
engine turn or an edge command, the replies out as JSON. A channel is a thin adapter that gives
ShareSafeBot a Turn (bot/channels/teams/handler.py on Bot Framework, bot/channels/agents/adapter.py
on the Microsoft 365 Agents SDK).
"""

from __future__ import annotations

import logging
from collections import abc
from typing import Any, Mapping, Protocol, Sequence

from bot.channels.activity import (
    actor_of,
    conversation_id,
    is_shared_conversation,
    outgoing_activities,
    reference_key,
    reference_of,
    reply_activity,
    saved_activities,
    strip_bot_mention,
    text_activity,
    user_input,
    where_of,
)
from bot.channels.commands import run_edge_command
from bot.channels.reference import ConversationRef, DeliveryFailed
from bot.logs import hash_id
from bot.turn.outbox import stored_reply
from dialogs.model import Reply, UserInput
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.bot")

PRIVATE_ONLY = (
    "ShareSafe only works in a private chat, because your answers are about a child and must "
    "stay confidential. Open a 1:1 chat with ShareSafe and ask there. "
    "If a child is in immediate danger, call 999."
)
# turn_state key: the HTTP gate's danger reading of the message text (bot/http/security.py), if it made one.
DANGER_STATE = "sharesafe.danger"
# Activities whose conversation reference is kept for proactive messages (escalations).
REFERENCE_ACTIVITIES = frozenset({"message", "conversationUpdate", "installationUpdate"})
REMEMBERED_MAX = 4096


class Turn(Protocol):
    """One incoming activity, as a channel hands it to the bot."""

    activity: Mapping[str, Any]  # Activity Protocol JSON, after the HTTP gate's checks
    turn_state: dict[str, Any]

    async def send(self, activities: Sequence[Mapping[str, Any]]) -> list[str | None]:
        """Send activities in order as replies; the ids the channel gave them. DeliveryFailed when
        the channel did not take them."""


class SdkTurn:
    """A Turn over an SDK's own turn context (`context.send_activities`): a channel says how the
    JSON becomes its SDK's activity and what its sends raise when they did not get there."""

    send_errors: tuple[type[BaseException], ...] = (OSError, TimeoutError)

    def __init__(self, context: Any) -> None:
        self.context = context

    def outgoing(self, activity: Mapping[str, Any]) -> Any:
        """The SDK's activity for this JSON."""
        raise NotImplementedError

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """A send error as DeliveryFailed (the channel's HTTP status where it gave one)."""
        return DeliveryFailed(type(error).__name__)

    async def send(self, activities: Sequence[Mapping[str, Any]]) -> list[str | None]:
        """Send activities in order as replies; their ids, or DeliveryFailed."""
        try:
            responses = await self.context.send_activities([self.outgoing(a) for a in activities])
        except self.send_errors as exc:
            raise self.delivery_failed(exc) from exc
        return [getattr(r, "id", None) for r in responses or []]


class Runner(Protocol):
    """What the bot needs from bot.turn.runner.TurnRunner."""

    async def run(self, conversation_id: str, inp: UserInput) -> list[Reply]:
        """Run one turn."""


def _invoke_status(activity: Mapping[str, Any]) -> int:
    """The status for an invoke the bot does not handle: 400 for a malformed Adaptive Card action
    (as Bot Framework's ActivityHandler answers), else 501."""
    if activity.get("name") == "adaptiveCard/action":
        value = activity.get("value")
        action = value.get("action") if isinstance(value, abc.Mapping) else None
        if not isinstance(action, abc.Mapping) or action.get("type") != "Action.Execute":
            return 400
    return 501


def _render_replies(replies: Sequence[Reply], key: str, channel_id: str,
                    rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a turn's replies are saved as (compactly; rendered again to re-send), keeping the
    activities rendered for this run (a run again after a version clash replaces them)."""
    rendered[:] = outgoing_activities(replies, key, channel_id)
    return [stored_reply(r) for r in replies]


class ShareSafeBot:
    """Turns activities into engine turns and sends the replies, on any channel."""

    def __init__(self, runner: Runner, escalation: Any = None, delivery: Any = None) -> None:
        self.runner = runner
        self.escalation = escalation  # bot/escalation/service.py EscalationService
        # bot/turn/delivery.py ReplyDelivery: replies saved with the state, sent, noted as delivered.
        self.delivery = delivery
        # References this worker has already stored, by reference_key: building and serialising
        # a reference on every turn was about a tenth of a turn's CPU (docs/performance.md).
        self._remembered: dict[tuple[str, ...], ConversationRef] = {}

    async def on_turn(self, turn: Turn) -> None:
        """Keep the conversation reference (for DSL pings and replies to practitioners), then the turn."""
        activity = turn.activity
        await self._remember(activity)
        kind = activity.get("type")
        if kind == "message":
            await self._on_message(turn)
        elif kind == "conversationUpdate" and activity.get("membersAdded"):
            await self._on_members_added(turn)
        elif kind == "invoke":
            await turn.send([{"type": "invokeResponse", "value": {"status": _invoke_status(activity)}}])

    async def _remember(self, activity: Mapping[str, Any]) -> None:
        who = activity.get("from")
        if self.escalation is None or activity.get("type") not in REFERENCE_ACTIVITIES \
                or not (isinstance(who, abc.Mapping) and who.get("id")):
            return
        installation = activity.get("type") == "installationUpdate"
        conversation = conversation_id(activity)
        if installation and str(activity.get("action") or "").lower().startswith("remove"):
            # Uninstalled: forget this chat (in the store and here), so nothing is sent to it and a
            # later reinstall is stored afresh.
            for memo in [m for m in self._remembered if m[0] == conversation]:
                self._remembered.pop(memo, None)
            try:
                await self.escalation.forget_conversation(conversation, **where_of(activity))
            except StoreUnavailable:
                log.warning("conversation %s: reference not removed (store unavailable)", hash_id(conversation))
            return
        memo = reference_key(activity)
        if memo in self._remembered and not installation:
            return
        reference, where = reference_of(activity), where_of(activity)
        try:
            # An installation is always written: another worker may have removed the reference.
            await self.escalation.remember_conversation(reference, force=installation, **where)
        except StoreUnavailable:
            # The turn still runs; the reference is stored on the next message.
            log.warning("conversation %s: reference not stored (store unavailable)", hash_id(conversation))
            return
        self._remembered[memo] = reference
        if len(self._remembered) > REMEMBERED_MAX:
            self._remembered.pop(next(iter(self._remembered)))

    async def _on_message(self, turn: Turn) -> None:
        """A typed message or a card button: an edge command, or one engine turn."""
        activity = turn.activity
        # The registry's edge commands (a request card's buttons, "register dsl <code>",
        # "escalations", "ack ESC-..."): handled here, never by the engine (so a join code never
        # reaches the conversation state), even in a shared chat (a MASH channel's hand-offs).
        value = activity.get("value")
        text = strip_bot_mention(activity) if value is None else ""
        handled = await run_edge_command(self.escalation, actor_of(activity), text,
                                         value if isinstance(value, abc.Mapping) else None)
        if handled is not None:
            await self._send(turn, [handled])
            return
        if is_shared_conversation(activity):
            # Safeguarding answers are confidential: never run the flow where colleagues can read it.
            await turn.send([text_activity(PRIVATE_ONLY)])
            return
        await self._answer(turn, user_input(activity, danger=turn.turn_state.get(DANGER_STATE)))

    async def _on_members_added(self, turn: Turn) -> None:
        """Welcome a person who opens a chat with the bot (once, not for the bot itself)."""
        activity = turn.activity
        bot = activity.get("recipient")
        bot_id = bot.get("id") if isinstance(bot, abc.Mapping) else None
        people = [m for m in activity.get("membersAdded") or ()
                  if isinstance(m, abc.Mapping) and m.get("id") and m.get("id") != bot_id]
        if not people or is_shared_conversation(activity):
            return
        await self._answer(turn, user_input(activity, text="", account=people[0]))

    async def _answer(self, turn: Turn, inp: UserInput) -> None:
        """One engine turn; with a ReplyDelivery its replies are saved with the state, then sent."""
        conversation = conversation_id(turn.activity)
        if self.delivery is None or not inp.activity_id:
            await self._send(turn, await self.runner.run(conversation, inp))
            return
        channel = str(turn.activity.get("channelId") or "")
        rendered: list[dict[str, Any]] = []  # this turn's own activities, sent without a JSON round trip
        outcome = await self.runner.run_turn(conversation, inp, render=lambda replies, key: _render_replies(
            replies, key, channel, rendered))
        if outcome.outbox is None:  # the store was down: nothing saved, so send what we have
            await self._send(turn, outcome.replies)
            return
        outgoing = saved_activities(outcome.outbox, channel) if outcome.resend else rendered

        async def send_now() -> list[str | None]:
            # The ids the channel gave the replies: a request's "Sent" card is updated in place later.
            return await turn.send(outgoing)

        if outgoing:
            # The reference stored for this conversation (the same one, not built again), if any.
            where = self._remembered.get(reference_key(turn.activity)) or reference_of(turn.activity)
            await self.delivery.deliver(where, outcome.outbox, send_now, resend=outcome.resend)

    async def _send(self, turn: Turn, replies: Sequence[Reply]) -> None:
        if not replies:
            return  # a resent activity that was already answered
        channel = str(turn.activity.get("channelId") or "")
        await turn.send([reply_activity(r, channel) for r in replies])
