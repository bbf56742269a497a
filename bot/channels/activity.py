"""Activities in and out as Activity Protocol JSON (plain dicts), the schema Bot Framework and the
Microsoft 365 Agents SDK share: who is talking and where, the engine input an activity carries,
the replies as card or text activities, and where to write back later (ConversationRef).

No SDK is imported here: each channel (bot/channels/teams/, bot/channels/agents/) hands the bot
the incoming JSON and sends the JSON it gets back (bot/channels/bot.py).
"""

from __future__ import annotations

from collections import abc
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from bot.channels.reference import ConversationRef
from bot.channels.teams.cards import CONTENT_TYPE, render_card
from bot.channels.text import render_text
from bot.escalation.context import Actor
from bot.turn.outbox import reply_from_stored
from dialogs.model import Practitioner, Reply, UserInput

# Channels known to render Adaptive Cards 1.5; everything else gets plain text.
CARD_CHANNELS = frozenset({"msteams", "webchat", "emulator", "directline", "test"})
# Teams conversation types shared with other people (answers are kept out of them).
SHARED_CONVERSATIONS = frozenset({"groupchat", "channel"})
# The channelData key of a reply's fixed id (see outgoing_activities).
REPLY_ID = "sharesafeReplyId"


_EMPTY: Mapping[str, Any] = {}


def _dict(value: Any) -> Mapping[str, Any]:
    # Read a dozen times a turn: a plain dict (what JSON gives) is checked first, and
    # collections.abc rather than typing's Mapping, which is several times slower in isinstance.
    return value if type(value) is dict or isinstance(value, abc.Mapping) else _EMPTY


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def strip_bot_mention(activity: Mapping[str, Any]) -> str:
    """The message text without the @mention of the bot (Teams puts '<at>Name</at>' in the text)."""
    text = activity.get("text")
    text = text if isinstance(text, str) else ""
    bot_id = _dict(activity.get("recipient")).get("id")
    entities = activity.get("entities")
    for entity in entities if isinstance(entities, list) else ():
        if not isinstance(entity, abc.Mapping) or entity.get("type") != "mention":
            continue
        mentioned, mention_text = entity.get("mentioned"), entity.get("text")
        if isinstance(mentioned, abc.Mapping) and mentioned.get("id") == bot_id and isinstance(mention_text, str) \
                and mention_text:
            # Literal replacement: a display name is not a regular expression.
            text = text.replace(mention_text, " ")
    return " ".join(text.split())


def _channel_data_id(activity: Mapping[str, Any], key: str) -> str:
    found = _dict(_dict(activity.get("channelData")).get(key)).get("id")
    return found if isinstance(found, str) else ""


def tenant_of(activity: Mapping[str, Any]) -> str:
    """The Azure AD tenant id of the conversation ('' when the channel has none)."""
    return _channel_data_id(activity, "tenant") or _text(_dict(activity.get("conversation")).get("tenantId"))


def team_of(activity: Mapping[str, Any]) -> str:
    """The Teams team id (channelData.team.id) of the conversation, '' outside a team."""
    return _channel_data_id(activity, "team")


def teams_channel_id(activity: Mapping[str, Any]) -> str:
    """The Teams channel a message came from (channelData.channel.id), or ''."""
    return _channel_data_id(activity, "channel")


def conversation_id(activity: Mapping[str, Any]) -> str:
    """The conversation's id ('' when there is none)."""
    return _text(_dict(activity.get("conversation")).get("id"))


def conversation_type(activity: Mapping[str, Any]) -> str:
    """'personal', 'groupChat', 'channel' or '' (channels other than Teams)."""
    return _text(_dict(activity.get("conversation")).get("conversationType"))


def is_shared_conversation(activity: Mapping[str, Any]) -> bool:
    """True in a Teams group chat or channel, where everyone in it would see the answers."""
    return conversation_type(activity).lower() in SHARED_CONVERSATIONS


def practitioner_of(activity: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> Practitioner:
    """Who is talking, as far as the channel tells us (the organisation comes from the directory)."""
    who = _dict(account if account is not None else activity.get("from"))
    return Practitioner(
        user_id=_text(who.get("id")) or "anonymous",
        name=_text(who.get("name")),
        organisation="",
        tenant_id=tenant_of(activity),
        team_id=team_of(activity),
        aad_object_id=_text(who.get("aadObjectId")),
    )


def _when(activity: Mapping[str, Any]) -> datetime:
    raw = activity.get("timestamp")
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return datetime.now(timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def user_input(activity: Mapping[str, Any], text: str | None = None, account: Mapping[str, Any] | None = None,
               danger: Any = None) -> UserInput:
    """The engine input for an activity: typed text and/or a card submit value, passed through
    (`danger`: the edge's reading of the typed text, so the engine does not read it again)."""
    value = activity.get("value")
    return UserInput(
        text=strip_bot_mention(activity) if text is None else text,
        value=dict(value) if isinstance(value, abc.Mapping) else None,
        now=_when(activity),
        user=practitioner_of(activity, account),
        activity_id=_text(activity.get("id")),
        danger=danger if text is None else None,
    )


def actor_of(activity: Mapping[str, Any]) -> Actor:
    """Who pressed a DSL button or typed a bot-level command, and where."""
    who = _dict(activity.get("from"))
    return Actor(
        user_id=_text(who.get("id")),
        name=_text(who.get("name")),
        aad_object_id=_text(who.get("aadObjectId")),
        conversation_id=conversation_id(activity),
        channel_id=teams_channel_id(activity),
        shared=is_shared_conversation(activity),
    )


def reference_of(activity: Mapping[str, Any]) -> ConversationRef:
    """Where an incoming activity came from. The user's and bot's display names are left out:
    a stored reference holds no personal text, and nothing sent needs them."""
    conversation, user, bot = (_dict(activity.get(k)) for k in ("conversation", "from", "recipient"))
    extra = {k: v for k, v in (("locale", activity.get("locale")), ("bot_name", bot.get("name"))) if v}
    return ConversationRef(
        channel=_text(activity.get("channelId")),
        conversation_id=_text(conversation.get("id")),
        service_url=_text(activity.get("serviceUrl")),
        tenant_id=tenant_of(activity),
        conversation_type=_text(conversation.get("conversationType")),
        user_id=_text(user.get("id")),
        bot_id=_text(bot.get("id")),
        extra=extra,
    )


def reference_key(activity: Mapping[str, Any]) -> tuple[str, ...]:
    """Everything reference_of and where_of read, as a cheap key (conversation id first): two
    activities with the same key give the same stored reference."""
    conversation, user, bot = (_dict(activity.get(k)) for k in ("conversation", "from", "recipient"))
    return (_text(conversation.get("id")), _text(activity.get("channelId")), _text(activity.get("serviceUrl")),
            tenant_of(activity), _text(conversation.get("conversationType")),
            _text(user.get("id")), _text(user.get("aadObjectId")), _text(bot.get("id")), _text(bot.get("name")),
            _text(activity.get("locale")), teams_channel_id(activity))


def where_of(activity: Mapping[str, Any]) -> dict[str, str]:
    """Who and where an activity came from, as the keys a conversation reference is stored under need it."""
    who = _dict(activity.get("from"))
    return {"user_id": _text(who.get("id")), "aad_object_id": _text(who.get("aadObjectId")),
            "conversation_type": conversation_type(activity), "channel_id": teams_channel_id(activity)}


# ---- Out -------------------------------------------------------------------------------------------------


def text_activity(text: str) -> dict[str, Any]:
    """A plain-text message."""
    return {"type": "message", "text": text, "textFormat": "plain"}


def reply_activity(reply: Reply, channel_id: str | None) -> dict[str, Any]:
    """One reply as an outgoing activity: an Adaptive Card where the channel renders them."""
    if (channel_id or "").lower() in CARD_CHANNELS:
        activity: dict[str, Any] = {"type": "message",
                                    "attachments": [{"contentType": CONTENT_TYPE, "content": render_card(reply)}]}
        if reply.title:  # the notification preview on a phone shows this, not the card
            activity["summary"] = reply.title
        return activity
    return text_activity(render_text(reply))


def outgoing_activities(replies: Sequence[Reply], key: str, channel_id: str | None) -> list[dict[str, Any]]:
    """The activities that carry a turn's replies, each with a reply id fixed by the activity it
    answers (channelData.sharesafeReplyId; the SDKs clear `id`), so a re-send after a lost delivery
    is recognisably the same message and a client can show it once."""
    out = []
    for n, reply in enumerate(replies):
        activity = reply_activity(reply, channel_id)
        activity["channelData"] = {REPLY_ID: f"r-{key}-{n}"}
        out.append(activity)
    return out


def saved_activities(outbox: Mapping[str, Any], channel_id: str | None) -> list[dict[str, Any]]:
    """The activities of a saved outbox entry (bot/turn/outbox.py), rendered again with the same reply ids."""
    replies = [reply_from_stored(r) for r in outbox.get("activities") or () if isinstance(r, dict)]
    return outgoing_activities(replies, str(outbox.get("key", "")), channel_id)
