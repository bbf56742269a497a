"""Teams conversation references from the channel-neutral ConversationRef (bot/channels/activity.py
makes one from an incoming activity)."""

from __future__ import annotations

from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.channels.activity import SHARED_CONVERSATIONS
from bot.channels.reference import ConversationRef


def conversation_reference(ref: ConversationRef) -> ConversationReference:
    """botbuilder's ConversationReference for a send with CloudAdapter.continue_conversation."""
    return ConversationReference(
        activity_id=ref.activity_id or None,
        user=ChannelAccount(id=ref.user_id, role="user") if ref.user_id else None,
        bot=ChannelAccount(id=ref.bot_id, name=ref.extra.get("bot_name")) if ref.bot_id else None,
        conversation=ConversationAccount(
            id=ref.conversation_id, conversation_type=ref.conversation_type or None,
            tenant_id=ref.tenant_id or None, is_group=ref.conversation_type.lower() in SHARED_CONVERSATIONS or None),
        channel_id=ref.channel or None,
        locale=ref.extra.get("locale"),
        service_url=ref.service_url,
    )
