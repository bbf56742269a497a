"""Proactive messages through the CloudAdapter: the Messenger the escalation service sends with."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from bot.escalation import DeliveryFailed

log = logging.getLogger("sharesafe.proactive")


def _status(error: HttpOperationError) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None) or getattr(response, "status", None)


class AdapterMessenger:
    """Sends one activity to a stored conversation reference with `continue_conversation`.

    The adapter hands exceptions raised inside a turn to its on_turn_error, which would swallow a
    failed proactive send; so the send is wrapped here and its failure re-raised as DeliveryFailed.
    """

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    async def send(self, reference: dict[str, Any], activity: dict[str, Any]) -> None:
        """Deliver the activity or raise DeliveryFailed (connector 4xx/5xx, unknown conversation)."""
        try:
            conversation = ConversationReference().deserialize(reference)
            outgoing = Activity().deserialize(activity)
        except (DeserializationError, ValueError, TypeError, AttributeError) as exc:
            raise DeliveryFailed("bad_reference") from exc
        if not conversation.conversation or not conversation.service_url:
            raise DeliveryFailed("bad_reference")
        failure: list[DeliveryFailed] = []

        async def deliver(turn_context: TurnContext) -> None:
            try:
                await turn_context.send_activity(outgoing)
            except HttpOperationError as exc:
                status = _status(exc)
                failure.append(DeliveryFailed(f"http {status}" if status else type(exc).__name__, status))
            except (ClientRequestError, ClientError, OSError, TimeoutError) as exc:
                failure.append(DeliveryFailed(type(exc).__name__))

        try:
            await self.adapter.continue_conversation(conversation, deliver, self.app_id)
        except (HttpOperationError, ClientRequestError, ClientError, OSError, TimeoutError) as exc:
            # Getting a token or building the connector failed before the send.
            raise DeliveryFailed(type(exc).__name__) from exc
        if failure:
            raise failure[0]
