"""Proactive messages on the Agents SDK: the Messenger (bot/channels/reference.py) that DSL pings,
notices to practitioners, card updates and undelivered replies go out through."""

from __future__ import annotations

from typing import Any, Mapping

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import TurnContext
from pydantic import ValidationError

from bot.channels.agents.adapter import AgentsAdapter, ConnectorError, agents_activity
from bot.channels.reference import ConversationRef, DeliveryFailed

# What a send through the Agents SDK's connector raises when it did not get there.
SEND_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)


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


def delivery_failed(error: BaseException) -> DeliveryFailed:
    """A send error as DeliveryFailed: the connector's HTTP status where it gave one, else the error type."""
    refused = isinstance(error, (ConnectorError, aiohttp.ClientResponseError))
    status = getattr(error, "status", None) if refused else None
    return DeliveryFailed(f"http {status}" if status else type(error).__name__, status)


class AgentsMessenger:
    """Sends one activity to a stored conversation with the SDK's `continue_conversation`; a failed
    send reaches the caller as DeliveryFailed (the adapter hands it back rather than to the
    turn-error handler, see adapter.py)."""

    def __init__(self, adapter: AgentsAdapter, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    async def send(self, reference: ConversationRef, activity: Mapping[str, Any]) -> str | None:
        """Deliver the activity or raise DeliveryFailed; the id the channel gave it, where it gave one."""
        return await self._run(reference, activity, None)

    async def update(self, reference: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        """Replace a message sent before (a request's card, once someone acted), or raise DeliveryFailed."""
        await self._run(reference, activity, activity_id)

    async def _run(self, reference: ConversationRef, activity: Mapping[str, Any],
                   activity_id: str | None) -> str | None:
        if not reference.reachable:
            raise DeliveryFailed("bad_reference")
        try:
            continuation = agents_reference(reference).get_continuation_activity()
            outgoing = agents_activity(dict(activity))
        except (ValidationError, ValueError, TypeError) as exc:
            raise DeliveryFailed("bad_reference") from exc
        outgoing.id = activity_id
        answers: list[Any] = []

        async def deliver(context: TurnContext) -> None:
            answers.append(await (context.send_activity(outgoing) if activity_id is None
                                  else context.update_activity(outgoing)))

        try:
            await self.adapter.sdk.continue_conversation(self.app_id, continuation, deliver)
        except SEND_ERRORS as exc:
            raise delivery_failed(exc) from exc
        except (ValidationError, ValueError, TypeError) as exc:  # the SDK could not address it
            raise DeliveryFailed(type(exc).__name__) from exc
        if not answers:  # the pipeline never reached the send: never report that as delivered
            raise DeliveryFailed("not_sent")
        return getattr(answers[0], "id", None) if activity_id is None else None
