"""Proactive messages on the Agents SDK: the Messenger (bot/channels/reference.py) that DSL pings,
notices to practitioners, card updates and undelivered replies go out through."""

from __future__ import annotations

from typing import Any, Mapping

from microsoft_agents.activity import ConversationReference
from pydantic import ValidationError

from bot.channels.agents.adapter import SEND_ERRORS, AgentsAdapter, agents_activity, delivery_failed
from bot.channels.proactive import ContinuingMessenger, Deliver
from bot.channels.reference import ConversationRef, DeliveryFailed


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value (the SDK's models refuse an explicit null for most of them)."""
    return {k: v for k, v in fields.items() if v}


def agents_reference(ref: ConversationRef) -> ConversationReference:
    """The Agents SDK's ConversationReference for a stored one (references stored by the Bot
    Framework channel, in its old shape too, load through ConversationRef.from_dict)."""
    return ConversationReference.model_validate(_present(
        activityId=ref.activity_id,
        user=_present(id=ref.user_id, role="user") if ref.user_id else None,
        bot=_present(id=ref.bot_id, name=ref.extra.get("bot_name")) if ref.bot_id else None,
        conversation=_present(id=ref.conversation_id, conversationType=ref.conversation_type, tenantId=ref.tenant_id),
        channelId=ref.channel,
        locale=ref.extra.get("locale"),
        serviceUrl=ref.service_url,
    ))


class AgentsMessenger(ContinuingMessenger):
    """Sends one activity to a stored conversation with the SDK's `continue_conversation` (the
    adapter hands a failed send back rather than to the turn-error handler, see adapter.py)."""

    send_errors = SEND_ERRORS
    address_errors = (ValidationError, ValueError, TypeError)

    adapter: AgentsAdapter

    def prepare(self, reference: ConversationRef, activity: Mapping[str, Any], activity_id: str | None) -> tuple[Any, Any]:
        """The continuation activity for the reference, and the SDK's Activity."""
        outgoing = agents_activity(dict(activity))
        outgoing.id = activity_id
        return agents_reference(reference).get_continuation_activity(), outgoing

    async def continue_conversation(self, address: Any, deliver: Deliver) -> None:
        """A turn continued through the SDK's CloudAdapter, as the bot's app id."""
        await self.adapter.sdk.continue_conversation(self.app_id, address, deliver)

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """The connector's refusal, with its HTTP status."""
        return delivery_failed(error)
