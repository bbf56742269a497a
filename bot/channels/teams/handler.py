"""The Bot Framework channel's side of a turn: botbuilder's TurnContext as the Turn the bot's
channel-neutral logic is written against (bot/channels/bot.py), and a CloudAdapter that hands the
bot, and the turn-error handler, that Turn."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Mapping

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes

from bot.channels.bot import SdkTurn
from bot.channels.reference import DeliveryFailed
from bot.channels.teams.activities import activity_json, outgoing_activity
from bot.channels.teams.proactive import SEND_ERRORS, delivery_failed


class TeamsTurn(SdkTurn):
    """botbuilder's TurnContext as the bot's Turn: the incoming activity as JSON, sends of JSON."""

    send_errors = SEND_ERRORS

    def __init__(self, context: TurnContext) -> None:
        super().__init__(context)
        self.turn_state = context.turn_state
        self._activity: dict[str, Any] | None = None

    @property
    def activity(self) -> dict[str, Any]:
        """The incoming activity as JSON (made once, after the HTTP gate's checks changed it)."""
        if self._activity is None:
            self._activity = activity_json(self.context.activity)
        return self._activity

    def outgoing(self, activity: Mapping[str, Any]) -> Activity:
        """botbuilder's Activity for this JSON."""
        if activity.get("type") == "invokeResponse":
            # CloudAdapter answers the invoke's HTTP request with this value's status and body.
            value = activity.get("value") if isinstance(activity.get("value"), Mapping) else {}
            return Activity(type=ActivityTypes.invoke_response,
                            value=InvokeResponse(status=int(value.get("status", 500)), body=value.get("body")))
        return outgoing_activity(activity if type(activity) is dict else dict(activity))

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """The Bot Connector's refusal, with its HTTP status."""
        return delivery_failed(error)


TurnLogic = Callable[[Any], Awaitable[None]]


class TeamsAdapter(CloudAdapter):
    """botbuilder's CloudAdapter whose turn logic and turn-error handler get a TeamsTurn."""

    async def process_activity(self, auth_header_or_authenticate_request_result: Any, activity: Activity,
                               logic: TurnLogic) -> Any:
        """Run one incoming activity; the invoke response, if the turn made one."""

        async def run(context: TurnContext) -> None:
            await logic(TeamsTurn(context))

        return await super().process_activity(auth_header_or_authenticate_request_result, activity, run)

    @property
    def on_turn_error(self) -> Callable[[TurnContext, Exception], Awaitable[None]] | None:
        """The adapter's error handler (botbuilder calls it with its TurnContext)."""
        return self._turn_error

    @on_turn_error.setter
    def on_turn_error(self, handler: Callable[[Any, Exception], Awaitable[None]] | None) -> None:
        async def with_turn(context: TurnContext, error: Exception) -> None:
            await handler(TeamsTurn(context), error)

        self._turn_error = None if handler is None else with_turn
