"""Proactive messages through the CloudAdapter: the Teams channel's Messenger (bot/channels/reference.py),
which the escalation service and the reply outbox send with."""

from __future__ import annotations

from typing import Any, Mapping

from aiohttp import ClientError
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from bot.channels.reference import ConversationRef, DeliveryFailed
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


class AdapterMessenger:
    """Sends one activity to a stored conversation with `continue_conversation`.

    The adapter hands exceptions raised inside a turn to its on_turn_error, which would swallow a
    failed proactive send; so the send is wrapped here and its failure re-raised as DeliveryFailed.
    """

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    async def send(self, reference: ConversationRef, activity: Mapping[str, Any]) -> str | None:
        """Deliver the activity or raise DeliveryFailed (connector 4xx/5xx, unknown conversation);
        the id the channel gave it (to update the card in place later), where it gave one."""
        return await self._run(reference, activity, None)

    async def update(self, reference: ConversationRef, activity_id: str, activity: Mapping[str, Any]) -> None:
        """Replace an activity sent before (a request card, once someone has acted on it), or raise DeliveryFailed."""
        await self._run(reference, activity, activity_id)

    async def _run(self, reference: ConversationRef, activity: Mapping[str, Any], activity_id: str | None) -> str | None:
        if not reference.reachable:
            raise DeliveryFailed("bad_reference")
        try:
            conversation = conversation_reference(reference)
            outgoing = Activity().deserialize(dict(activity))
        except (DeserializationError, ValueError, TypeError, AttributeError) as exc:
            raise DeliveryFailed("bad_reference") from exc
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
            except SEND_ERRORS as exc:
                failure.append(delivery_failed(exc))

        try:
            await self.adapter.continue_conversation(conversation, deliver, self.app_id)
        except SEND_ERRORS as exc:
            # Getting a token or building the connector failed before the send.
            raise DeliveryFailed(type(exc).__name__) from exc
        if failure:
            raise failure[0]
        return sent_id[0] if sent_id else None
