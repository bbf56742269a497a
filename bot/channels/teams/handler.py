"""The Teams activity handler: activity in, engine input out; replies back as cards or text."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Protocol, Sequence

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount

from bot.channels.reference import ConversationRef, DeliveryFailed
from bot.channels.teams.cards import CONTENT_TYPE, render_card
from bot.channels.teams.proactive import SEND_ERRORS
from bot.channels.teams.references import reference_of
from bot.channels.text import render_text
from bot.turn.outbox import reply_from_stored, stored_reply
from bot.channels.commands import run_edge_command
from bot.escalation.service import Actor, EscalationService
from bot.logs import hash_id
from dialogs.model import Practitioner, Reply, UserInput
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.teams")

# Channels known to render Adaptive Cards 1.5; everything else gets plain text.
CARD_CHANNELS = frozenset({"msteams", "webchat", "emulator", "directline", "test"})
# Teams conversation types shared with other people.
SHARED_CONVERSATIONS = frozenset({"groupchat", "channel"})

PRIVATE_ONLY = (
    "ShareSafe only works in a private chat, because your answers are about a child and must "
    "stay confidential. Open a 1:1 chat with ShareSafe and ask there. "
    "If a child is in immediate danger, call 999."
)


class Runner(Protocol):
    """What the handler needs from bot.turn.runner.TurnRunner."""

    async def run(self, conversation_id: str, inp: UserInput) -> list[Reply]:
        """Run one turn."""


def strip_bot_mention(activity: Activity) -> str:
    """The message text without the @mention of the bot (Teams puts '<at>Name</at>' in the text)."""
    text = activity.text or ""
    bot_id = getattr(activity.recipient, "id", None)
    for entity in activity.entities or ():
        if getattr(entity, "type", None) != "mention":
            continue
        props: dict[str, Any] = getattr(entity, "additional_properties", None) or {}
        mentioned = props.get("mentioned")
        mention_text = props.get("text")
        if isinstance(mentioned, dict) and mentioned.get("id") == bot_id and isinstance(mention_text, str) and mention_text:
            # Literal replacement: a display name is not a regular expression.
            text = text.replace(mention_text, " ")
    return " ".join(text.split())


def tenant_of(activity: Activity) -> str:
    """The Azure AD tenant id of the conversation ('' when the channel has none)."""
    channel_data = activity.channel_data
    if isinstance(channel_data, dict):
        tenant = channel_data.get("tenant")
        if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
            return tenant["id"]
    return getattr(activity.conversation, "tenant_id", None) or ""


def team_of(activity: Activity) -> str:
    """The Teams team id (channelData.team.id) of the conversation, '' outside a team."""
    channel_data = activity.channel_data
    if isinstance(channel_data, dict):
        team = channel_data.get("team")
        if isinstance(team, dict) and isinstance(team.get("id"), str):
            return team["id"]
    return ""


def practitioner_of(activity: Activity, account: ChannelAccount | None = None) -> Practitioner:
    """Who is talking, as far as the channel tells us (the organisation comes from the directory)."""
    who = account or activity.from_property
    return Practitioner(
        user_id=str(getattr(who, "id", "") or "anonymous"),
        name=str(getattr(who, "name", "") or ""),
        organisation="",
        tenant_id=tenant_of(activity),
        team_id=team_of(activity),
        aad_object_id=str(getattr(who, "aad_object_id", "") or ""),
    )


def _when(activity: Activity) -> datetime:
    moment = activity.timestamp
    if not isinstance(moment, datetime):
        return datetime.now(timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# turn_state key: the HTTP gate's danger reading of the message text (bot/http/security.py), if it made one.
DANGER_STATE = "sharesafe.danger"


def user_input(activity: Activity, text: str | None = None, account: ChannelAccount | None = None,
               danger: Any = None) -> UserInput:
    """The engine input for an activity: typed text and/or a card submit value, passed through
    (`danger`: the edge's reading of the typed text, so the engine does not read it again)."""
    value = activity.value if isinstance(activity.value, dict) else None
    return UserInput(
        text=strip_bot_mention(activity) if text is None else text,
        value=value,
        now=_when(activity),
        user=practitioner_of(activity, account),
        activity_id=activity.id or "",
        danger=danger if text is None else None,
    )


def reply_activity(reply: Reply, channel_id: str | None) -> Activity:
    """One reply as an outgoing activity: an Adaptive Card where the channel renders them."""
    if (channel_id or "").lower() in CARD_CHANNELS:
        return Activity(
            type=ActivityTypes.message,
            attachments=[Attachment(content_type=CONTENT_TYPE, content=render_card(reply))],
            # The notification preview on a phone shows this, not the card.
            summary=reply.title or None,
        )
    return Activity(type=ActivityTypes.message, text=render_text(reply), text_format="plain")


REPLY_ID = "sharesafeReplyId"


def render_replies(replies: Sequence[Reply], key: str, channel_id: str | None,
                   rendered: list[Activity] | None = None) -> list[dict[str, Any]]:
    """The replies as outgoing activities (JSON), each with a reply id fixed by the activity it
    answers (channelData.sharesafeReplyId; the SDK clears `id`), so a re-send after a lost delivery
    is recognisably the same message and a client can show it once."""
    if rendered is not None:  # a turn run again after a version clash replaces what it rendered
        rendered[:] = outgoing_activities(replies, key, channel_id)
    # What is saved is the replies themselves, compactly; they are rendered again to re-send.
    return [stored_reply(r) for r in replies]


def outgoing_activities(replies: Sequence[Reply], key: str, channel_id: str | None) -> list[Activity]:
    """The activities that carry a turn's replies, each marked with its fixed reply id."""
    out = []
    for n, reply in enumerate(replies):
        activity = reply_activity(reply, channel_id)
        activity.channel_data = {REPLY_ID: f"r-{key}-{n}"}
        out.append(activity)
    return out


def saved_activities(outbox: dict[str, Any], channel_id: str | None) -> list[Activity]:
    """The activities of a saved outbox entry (bot/turn/outbox.py), rendered again with the same reply ids."""
    replies = [reply_from_stored(r) for r in outbox.get("activities") or () if isinstance(r, dict)]
    return outgoing_activities(replies, str(outbox.get("key", "")), channel_id)


def teams_channel_id(activity: Activity) -> str:
    """The Teams channel a message came from (channelData.channel.id), or ''."""
    channel_data = activity.channel_data
    if isinstance(channel_data, dict):
        channel = channel_data.get("channel")
        if isinstance(channel, dict) and isinstance(channel.get("id"), str):
            return channel["id"]
    return ""


def actor_of(activity: Activity) -> Actor:
    """Who pressed a DSL button or typed a bot-level command, and where."""
    who = activity.from_property
    return Actor(
        user_id=str(getattr(who, "id", "") or ""),
        name=str(getattr(who, "name", "") or ""),
        aad_object_id=str(getattr(who, "aad_object_id", "") or ""),
        conversation_id=str(getattr(activity.conversation, "id", "") or ""),
        channel_id=teams_channel_id(activity),
        shared=is_shared_conversation(activity),
    )


# Activities whose conversation reference is kept for proactive messages (escalations).
REFERENCE_ACTIVITIES = frozenset({ActivityTypes.message, ActivityTypes.conversation_update,
                                  ActivityTypes.installation_update})


REMEMBERED_MAX = 4096


def _where(activity: Activity) -> dict[str, str]:
    """Who and where an activity came from, as the keys a conversation reference is stored under need it."""
    who = activity.from_property
    return {"user_id": str(who.id), "aad_object_id": str(getattr(who, "aad_object_id", "") or ""),
            "conversation_type": str(getattr(activity.conversation, "conversation_type", "") or ""),
            "channel_id": teams_channel_id(activity)}


def _reference_memo(reference: ConversationRef, where: dict[str, str]) -> tuple[Any, ...]:
    """Everything a stored conversation reference holds and the keys it is stored under, as a
    cheap key (the conversation id first)."""
    return (reference.conversation_id, reference, *where.values())


def is_shared_conversation(activity: Activity) -> bool:
    """True in a Teams group chat or channel, where everyone in it would see the answers."""
    kind = getattr(activity.conversation, "conversation_type", None) or ""
    return kind.lower() in SHARED_CONVERSATIONS


class ShareSafeBot(ActivityHandler):
    """Turns Teams activities into engine turns and sends the replies."""

    def __init__(self, runner: Runner, escalation: EscalationService | None = None, delivery: Any = None) -> None:
        self.runner = runner
        self.escalation = escalation
        # bot/turn/delivery.py ReplyDelivery: replies saved with the state, sent, noted as delivered.
        self.delivery = delivery
        # References this worker has already stored, by what they hold: building and serialising
        # a reference on every turn was about a tenth of a turn's CPU (docs/performance.md).
        self._remembered: dict[tuple[Any, ...], None] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Keep the conversation reference (for DSL pings and replies to practitioners), then the turn."""
        await self._remember(turn_context)
        await super().on_turn(turn_context)

    async def _remember(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        who = activity.from_property
        if self.escalation is None or activity.type not in REFERENCE_ACTIVITIES or not getattr(who, "id", None):
            return
        installation = activity.type == ActivityTypes.installation_update
        if installation and str(activity.action or "").lower().startswith("remove"):
            # Uninstalled: forget this chat (in the store and here), so nothing is sent to it and a
            # later reinstall is stored afresh.
            conversation_id = str(getattr(activity.conversation, "id", "") or "")
            for memo in [m for m in self._remembered if m[0] == conversation_id]:
                self._remembered.pop(memo, None)
            try:
                await self.escalation.forget_conversation(conversation_id, **_where(activity))
            except StoreUnavailable:
                log.warning("conversation %s: reference not removed (store unavailable)", hash_id(conversation_id))
            return
        reference, where = reference_of(activity), _where(activity)
        memo = _reference_memo(reference, where)
        if memo in self._remembered and not installation:
            return
        try:
            # An installation is always written: another worker may have removed the reference.
            await self.escalation.remember_conversation(reference, force=installation, **where)
        except StoreUnavailable:
            # The turn still runs; the reference is stored on the next message.
            log.warning("conversation %s: reference not stored (store unavailable)", hash_id(activity.conversation.id))
            return
        self._remembered[memo] = None
        if len(self._remembered) > REMEMBERED_MAX:
            self._remembered.pop(next(iter(self._remembered)))

    async def _escalation_command(self, activity: Activity) -> Reply | None:
        """The registry's edge commands (a request card's buttons, "register dsl <code>",
        "escalations", "ack ESC-..."): handled here, never by the engine (so a join code never
        reaches the conversation state), even in a shared chat (a MASH channel's hand-offs)."""
        value = activity.value
        text = strip_bot_mention(activity) if value is None else ""
        return await run_edge_command(self.escalation, actor_of(activity), text, value)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A typed message or a card button: one engine turn."""
        activity = turn_context.activity
        handled = await self._escalation_command(activity)
        if handled is not None:
            await self._send(turn_context, [handled])
            return
        if is_shared_conversation(activity):
            # Safeguarding answers are confidential: never run the flow where colleagues can read it.
            await turn_context.send_activity(
                Activity(type=ActivityTypes.message, text=PRIVATE_ONLY, text_format="plain"))
            return
        await self._answer(turn_context, user_input(activity, danger=turn_context.turn_state.get(DANGER_STATE)))

    async def on_members_added_activity(
        self, members_added: Sequence[ChannelAccount], turn_context: TurnContext
    ) -> None:
        """Welcome a person who opens a chat with the bot (once, not for the bot itself)."""
        activity = turn_context.activity
        bot_id = getattr(activity.recipient, "id", None)
        people = [m for m in members_added or () if getattr(m, "id", None) and m.id != bot_id]
        if not people or is_shared_conversation(activity):
            return
        await self._answer(turn_context, user_input(activity, text="", account=people[0]))

    async def _answer(self, turn_context: TurnContext, inp: UserInput) -> None:
        """One engine turn; with a ReplyDelivery its replies are saved with the state, then sent."""
        conversation_id = turn_context.activity.conversation.id
        if self.delivery is None or not inp.activity_id:
            await self._send(turn_context, await self.runner.run(conversation_id, inp))
            return
        channel = turn_context.activity.channel_id
        rendered: list[Activity] = []  # this turn's own activities, sent without a JSON round trip
        outcome = await self.runner.run_turn(conversation_id, inp, render=lambda replies, key: render_replies(
            replies, key, channel, rendered))
        if outcome.outbox is None:  # the store was down: nothing saved, so send what we have
            await self._send(turn_context, outcome.replies)
            return
        outgoing = saved_activities(outcome.outbox, channel) if outcome.resend else rendered

        async def send_now() -> list[str | None]:
            try:
                responses = await turn_context.send_activities(outgoing)
            except SEND_ERRORS as exc:
                raise DeliveryFailed(type(exc).__name__) from exc
            # The ids Teams gave the replies: a request's "Sent" card is updated in place later.
            return [getattr(r, "id", None) for r in responses or []]

        if outgoing:
            await self.delivery.deliver(reference_of(turn_context.activity), outcome.outbox, send_now,
                                        resend=outcome.resend)

    async def _send(self, turn_context: TurnContext, replies: Sequence[Reply]) -> None:
        if not replies:
            return  # a resent activity that was already answered
        channel = turn_context.activity.channel_id
        await turn_context.send_activities([reply_activity(r, channel) for r in replies])
