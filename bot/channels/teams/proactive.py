"""Proactive messages through botbuilder's CloudAdapter: the Teams channel's Messenger
(bot/channels/reference.py), which the escalation service and the reply outbox send with."""

from __future__ import annotations

from typing import Any, Mapping

from aiohttp import ClientError
from botbuilder.integration.aiohttp import CloudAdapter
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from bot.channels.proactive import ContinuingMessenger, Deliver
from bot.channels.reference import ConversationRef, DeliveryFailed
from bot.channels.teams.activities import activity_from_json
from bot.channels.teams.references import conversation_reference

# What a send through the Bot Connector raises when it did not get there.
SEND_ERRORS = (HttpOperationError, ClientRequestError, ClientError, OSError, TimeoutError)


def _status(error: HttpOperationError) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None) or getattr(response, "status", None)


def delivery_failed(error: BaseException) -> DeliveryFailed:
    """A send error as DeliveryFailed: the connector's HTTP status where it gave one, else the error type."""
    status = _status(error) if isinstance(error, HttpOperationError) else None
    return DeliveryFailed(f"http {status}" if status else type(error).__name__, status)


class AdapterMessenger(ContinuingMessenger):
    """Sends one activity to a stored conversation with botbuilder's `continue_conversation`."""

    send_errors = SEND_ERRORS
    address_errors = (DeserializationError, ValueError, TypeError, AttributeError)

    adapter: CloudAdapter

    def prepare(self, reference: ConversationRef, activity: Mapping[str, Any], activity_id: str | None) -> tuple[Any, Any]:
        """botbuilder's ConversationReference and Activity."""
        outgoing = activity_from_json(dict(activity))
        if activity_id is not None:
            outgoing.id = activity_id
        return conversation_reference(reference), outgoing

    async def continue_conversation(self, address: Any, deliver: Deliver) -> None:
        """A turn continued through the CloudAdapter, as the bot's app id."""
        await self.adapter.continue_conversation(address, deliver, self.app_id)

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """The Bot Connector's refusal, with its HTTP status."""
        return delivery_failed(error)
