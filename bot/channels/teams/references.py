"""Teams conversation references to and from the channel-neutral ConversationRef."""

from __future__ import annotations

from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.channels.reference import ConversationRef

# Teams conversation types shared with other people (bot/channels/teams/handler.py keeps answers out of them).
GROUP_TYPES = frozenset({"groupchat", "channel"})


def reference_of(activity: Activity) -> ConversationRef:
    """Where an incoming activity came from. The user's and bot's display names are left out:
    a stored reference holds no personal text, and nothing sent needs them."""
    conversation, user, bot = activity.conversation, activity.from_property, activity.recipient
    extra = {k: v for k, v in (("locale", activity.locale), ("bot_name", getattr(bot, "name", None))) if v}
    return ConversationRef(
        channel=str(activity.channel_id or ""),
        conversation_id=str(getattr(conversation, "id", "") or ""),
        service_url=str(activity.service_url or ""),
        tenant_id=str(getattr(conversation, "tenant_id", "") or ""),
        conversation_type=str(getattr(conversation, "conversation_type", "") or ""),
        user_id=str(getattr(user, "id", "") or ""),
        bot_id=str(getattr(bot, "id", "") or ""),
        extra=extra,
    )


def conversation_reference(ref: ConversationRef) -> ConversationReference:
    """botbuilder's ConversationReference for a send with CloudAdapter.continue_conversation."""
    return ConversationReference(
        activity_id=ref.activity_id or None,
        user=ChannelAccount(id=ref.user_id, role="user") if ref.user_id else None,
        bot=ChannelAccount(id=ref.bot_id, name=ref.extra.get("bot_name")) if ref.bot_id else None,
        conversation=ConversationAccount(
            id=ref.conversation_id, conversation_type=ref.conversation_type or None,
            tenant_id=ref.tenant_id or None, is_group=ref.conversation_type.lower() in GROUP_TYPES or None),
        channel_id=ref.channel or None,
        locale=ref.extra.get("locale"),
        service_url=ref.service_url,
    )
