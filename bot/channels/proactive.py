"""Writing first, on any channel whose SDK has `continue_conversation`: the send, update and failure
handling every channel's Messenger (bot/channels/reference.py) shares. A channel says how a stored
reference and an activity become its SDK's objects and how its SDK continues a conversation.

An SDK hands exceptions raised inside a continued turn to its turn-error handler, which would
swallow a failed proactive send; so the send is caught inside the turn here and re-raised after it
as DeliveryFailed, and a send the pipeline never reached is never reported as delivered.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Mapping

from bot.channels.reference import ConversationRef, DeliveryFailed

Deliver = Callable[[Any], Awaitable[None]]


class ContinuingMessenger:
    """A Messenger over an SDK's continue_conversation (see the module docstring)."""

    # What the channel's sends raise when they did not get there.
    send_errors: tuple[type[BaseException], ...] = (OSError, TimeoutError)
    # What the channel's models raise for a reference or an activity they cannot take.
    address_errors: tuple[type[BaseException], ...] = (ValueError, TypeError)

    def __init__(self, adapter: Any, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    def prepare(self, reference: ConversationRef, activity: Mapping[str, Any], activity_id: str | None) -> tuple[Any, Any]:
        """The SDK's address for the reference, and its activity (with `activity_id` for an update)."""
        raise NotImplementedError

    async def continue_conversation(self, address: Any, deliver: Deliver) -> None:
        """Run `deliver` in a turn continued at `address`."""
        raise NotImplementedError

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """A send error as DeliveryFailed (the channel's HTTP status where it gave one)."""
        return DeliveryFailed(type(error).__name__)

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
            address, outgoing = self.prepare(reference, activity, activity_id)
        except self.address_errors as exc:
            raise DeliveryFailed("bad_reference") from exc
        failure: list[DeliveryFailed] = []
        sent: list[str | None] = []

        async def deliver(context: Any) -> None:
            try:
                if activity_id is None:
                    response = await context.send_activity(outgoing)
                    sent.append(str(response.id) if getattr(response, "id", None) else None)
                else:
                    await context.update_activity(outgoing)
                    sent.append(None)
            except self.send_errors as exc:
                failure.append(self.delivery_failed(exc))

        try:
            await self.continue_conversation(address, deliver)
        except self.send_errors as exc:
            # Getting a token or building the connector failed before the send.
            raise self.delivery_failed(exc) from exc
        except self.address_errors as exc:  # the SDK could not address it
            raise DeliveryFailed(type(exc).__name__) from exc
        if failure:
            raise failure[0]
        if not sent:  # the pipeline never reached the send: never report that as delivered
            raise DeliveryFailed("not_sent")
        return sent[0]
