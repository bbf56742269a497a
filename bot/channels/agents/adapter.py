"""The Microsoft 365 Agents SDK adapter behind ShareSafe's own /api/messages handler.

`AgentsAdapter.process_activity(claims, activity, logic)` has the shape of botbuilder's CloudAdapter
method, so the HTTP handler, its checks (bot/http/) and the turn logic (bot/channels/bot.py) are the
same on both SDKs: the activity goes to the Agents SDK's `process_activity` as its pydantic
Activity, and the turn logic gets an AgentsTurn (the incoming activity as JSON; replies sent as
JSON through the SDK's TurnContext and connector client). Nothing here imports botbuilder. The
turn-error handler is always ShareSafe's: the SDK's default sends the exception text to the user.

Connector clients are built once per service URL and reused, with the bot's token cached (the SDK
builds a new HTTP session and asks for a token on every turn); ShareSafe never uses the user-token
service, so no per-turn user-token client is made either.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Mapping, Sequence

import aiohttp
from microsoft_agents.activity import Activity as AgentsActivity
from microsoft_agents.activity import ActivityEventNames
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from pydantic import ValidationError

from bot.channels.bot import SdkTurn
from bot.channels.reference import DeliveryFailed

log = logging.getLogger("sharesafe.agents")

# The same bounds as the Bot Framework channel's sender (bot/channels/teams/connector.py).
MAX_CLIENTS = 64
TOKEN_REUSE_SECONDS = 60.0
TOKEN_TIMEOUT_SECONDS = 10.0
CONNECTOR_TIMEOUT = aiohttp.ClientTimeout(total=30.0, connect=5.0)
TOKEN_SERVICE_URL = "https://api.botframework.com"
TURN_KEY = "sharesafe.turn"
# What a send through the Agents SDK's connector raises when it did not get there.
SEND_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)


def delivery_failed(error: BaseException) -> DeliveryFailed:
    """A send error as DeliveryFailed: the connector's HTTP status where it gave one, else the error type."""
    status = error.status if isinstance(error, aiohttp.ClientResponseError) else None
    return DeliveryFailed(f"http {status}" if status else type(error).__name__, status)


# What the SDK needs of an incoming activity to address the replies; used when the full activity
# is something its stricter model refuses (the turn itself reads ShareSafe's own parse of it).
_ADDRESSING = ("type", "id", "channelId", "serviceUrl", "conversation", "from", "recipient", "locale", "deliveryMode")


def agents_activity(data: Mapping[str, Any], kind: type[AgentsActivity] = AgentsActivity) -> AgentsActivity:
    """Activity Protocol JSON as the Agents SDK's Activity (or `kind`, a subclass)."""
    try:
        return kind.model_validate(data)
    except ValidationError:
        log.info("activity kept to its addressing fields for the Agents SDK")
        return kind.model_validate({k: data[k] for k in _ADDRESSING if data.get(k) is not None})


class SentOnceActivity(AgentsActivity):
    """An outgoing activity made for one send and held by nothing else: the Agents SDK's
    TurnContext deep-copies what it sends so the caller's object is not changed; this one has no
    other holder, so the copy protects nothing (as bot/channels/teams/activities.py's SentOnce)."""

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> "SentOnceActivity":
        return self


class AgentsTurn(SdkTurn):
    """The Agents SDK's TurnContext as the bot's Turn (bot/channels/bot.py): the incoming activity
    as JSON (ShareSafe's own, after the HTTP gate's checks), sends of JSON."""

    send_errors = SEND_ERRORS

    def __init__(self, context: TurnContext, activity: Mapping[str, Any]) -> None:
        super().__init__(context)
        self.activity = activity
        self.turn_state: dict[str, Any] = {}

    def outgoing(self, activity: Mapping[str, Any]) -> AgentsActivity:
        """The Agents SDK's Activity for this JSON."""
        return agents_activity(activity, SentOnceActivity)

    def delivery_failed(self, error: BaseException) -> DeliveryFailed:
        """The connector's refusal, with its HTTP status."""
        return delivery_failed(error)


class _KeptConnectorClient(TeamsConnectorClient):
    """A connector client the SDK may "close" after every turn: it is kept for the next one."""

    async def close(self) -> None:
        """Kept open: released by ConnectorClients.close when the app stops."""

    async def release(self) -> None:
        """Really close its HTTP session."""
        await super().close()


class _UnusedUserTokens(UserTokenClient):
    """The user-token client every turn is given; ShareSafe asks it for nothing (no OAuth prompts:
    the DSL tab signs in on its own), so one unsigned client serves every turn."""

    async def close(self) -> None:
        """Kept open: released when the app stops."""

    async def release(self) -> None:
        """Really close its HTTP session."""
        await super().close()


class ConnectorClients:
    """The Agents SDK's client factory (ChannelServiceClientFactoryBase), with a client per service
    URL kept and reused, and the bot's token cached a minute (MSAL caches it longer itself)."""

    def __init__(self, token_provider: Any = None, *, max_clients: int = MAX_CLIENTS) -> None:
        # None: no app id, so nothing is signed (a developer's machine, the Agents Playground).
        self.token_provider = token_provider
        self._max = max_clients
        self._clients: OrderedDict[str, _KeptConnectorClient] = OrderedDict()
        self._tokens: dict[tuple[str, tuple[str, ...]], tuple[str, float]] = {}
        self._user_tokens: _UnusedUserTokens | None = None
        self.created = 0  # clients actually built (tests and benchmarks read it)

    async def _token(self, audience: str, scopes: Sequence[str]) -> str:
        if self.token_provider is None:
            return ""
        key = (audience, tuple(scopes))
        held = self._tokens.get(key)
        if held is not None and time.monotonic() - held[1] < TOKEN_REUSE_SECONDS:
            return held[0]
        # MSAL runs in a thread; the deadline keeps a hung Azure AD from holding the turn.
        async with asyncio.timeout(TOKEN_TIMEOUT_SECONDS):
            token = await self.token_provider.get_access_token(audience, list(scopes))
        self._tokens[key] = (token, time.monotonic())
        return token

    async def create_connector_client(self, context: Any, claims_identity: ClaimsIdentity, service_url: str,
                                      audience: str, scopes: list[str] | None = None,
                                      use_anonymous: bool = False) -> _KeptConnectorClient:
        """The kept client for this service URL, signed with the bot's current token."""
        token = await self._token(audience, scopes or claims_identity.get_token_scope())
        client = self._clients.get(service_url)
        if client is None:
            session = aiohttp.ClientSession(base_url=service_url if service_url.endswith("/") else service_url + "/",
                                            timeout=CONNECTOR_TIMEOUT)
            client = _KeptConnectorClient(service_url, token, session=session)
            self.created += 1
            self._clients[service_url] = client
            while len(self._clients) > self._max:
                _, old = self._clients.popitem(last=False)
                await old.release()
        self._clients.move_to_end(service_url)
        if token:
            client.client.headers["Authorization"] = f"Bearer {token}"
        return client

    async def create_user_token_client(self, context: Any, claims_identity: ClaimsIdentity,
                                       use_anonymous: bool = False) -> _UnusedUserTokens:
        """The one user-token client every turn shares (see _UnusedUserTokens)."""
        if self._user_tokens is None:
            self._user_tokens = _UnusedUserTokens(TOKEN_SERVICE_URL, "", app_id=claims_identity.get_app_id())
        return self._user_tokens

    async def close(self) -> None:
        """Close every kept client (when the app stops)."""
        held = list(self._clients.values())
        self._clients.clear()
        for client in held:
            await client.release()
        if self._user_tokens is not None:
            await self._user_tokens.release()
            self._user_tokens = None


TurnLogic = Callable[[Any], Awaitable[None]]


class AgentsAdapter:
    """The Agents SDK's CloudAdapter, driven by ShareSafe's HTTP handler (see the module docstring).
    `json_of` turns the activity the HTTP layer parsed into Activity Protocol JSON (when it is not
    already a dict)."""

    def __init__(self, clients: ConnectorClients, json_of: Callable[[Any], dict[str, Any]] = dict) -> None:
        self.clients = clients
        self.json_of = json_of
        self.sdk = CloudAdapter(channel_service_client_factory=clients)
        self._on_turn_error: Callable[[Any, Exception], Awaitable[None]] | None = None
        self.sdk.on_turn_error = self._turn_failed

    @property
    def on_turn_error(self) -> Callable[[Any, Exception], Awaitable[None]] | None:
        """ShareSafe's turn-error handler (bot/http/app.py), given the AgentsTurn."""
        return self._on_turn_error

    @on_turn_error.setter
    def on_turn_error(self, handler: Callable[[Any, Exception], Awaitable[None]] | None) -> None:
        self._on_turn_error = handler

    async def _turn_failed(self, context: TurnContext, error: Exception) -> None:
        if context.activity.name == ActivityEventNames.continue_conversation:
            # A proactive send that failed: its sender (proactive.py) decides what happens next;
            # nobody is in a turn to be told.
            raise error
        if self._on_turn_error is None:
            # Never the SDK's default, which shows the user the exception text.
            log.error("turn failed: %s", type(error).__name__)
            return
        turn = context.turn_state.get(TURN_KEY) or AgentsTurn(
            context, context.activity.model_dump(by_alias=True, exclude_none=True, mode="json"))
        await self._on_turn_error(turn, error)

    async def process_activity(self, claims: ClaimsIdentity, activity: Any, logic: TurnLogic) -> Any:
        """Run one incoming activity (checked and admitted) through the Agents SDK; the invoke
        response, if the turn made one."""
        data = activity if isinstance(activity, dict) else self.json_of(activity)

        async def run(context: TurnContext) -> None:
            turn = AgentsTurn(context, data)
            context.turn_state[TURN_KEY] = turn
            await logic(turn)

        return await self.sdk.process_activity(claims, agents_activity(data), run)
