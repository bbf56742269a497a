"""Reuse Bot Connector clients across turns instead of building new ones for every activity.

The stock CloudAdapter asks its BotFrameworkAuthentication, on every turn, for a new connector
factory, a new ConnectorClient (credentials, a serializer over every schema model, an HTTP
pipeline and a fresh HTTP session, so a new TCP/TLS connection for every reply) and a new
UserTokenClient (another client and session, which this bot never uses: it has no OAuth sign-in).
Profiling showed that this was most of the CPU a turn took.

`CachingBotFrameworkAuthentication` wraps the SDK's own authentication, so request
authentication (JWT validation) is exactly the SDK's. It changes only where outbound clients come
from: one ConnectorClient per (app id, service URL, audience), kept and reused, so its credentials
keep their cached token and its HTTP session keeps its connections alive; the UserTokenClient is
built only if something actually uses it. No SDK code is copied or patched.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Awaitable, Callable

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth.authentication_constants import AuthenticationConstants

log = logging.getLogger("sharesafe.connector")

# Teams uses a handful of service URLs per region; the bound only stops a flood of made-up
# service URLs (possible where authentication is off) from growing memory without limit.
MAX_CLIENTS = 64
# An evicted client may still be sending a reply for a turn in flight: close it a little later.
RETIRE_AFTER_SECONDS = 30.0


async def close_connector_client(client: Any) -> None:
    """Release a connector client's HTTP sessions (best effort: it is being thrown away)."""
    try:
        await client.__aexit__(None, None, None)
    except (OSError, RuntimeError, AttributeError) as exc:
        log.debug("closing a connector client failed: %s", type(exc).__name__)


class CachingConnectorFactory(ConnectorFactory):
    """A ConnectorFactory that builds each (service URL, audience) client once and reuses it."""

    def __init__(self, inner: ConnectorFactory, *, max_clients: int = MAX_CLIENTS,
                 retire: Callable[[Any], None] | None = None) -> None:
        self._inner = inner
        self._max = max_clients
        self._clients: OrderedDict[tuple[str, str | None], ConnectorClient] = OrderedDict()
        self._retire = retire or (lambda client: None)
        self.created = 0  # how many clients were actually built (tests and benchmarks read it)

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:  # noqa: RUF013 - SDK signature
        """The client for this service URL and audience: the cached one, or a new one kept for next time."""
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = await self._inner.create(service_url, audience)
        self.created += 1
        existing = self._clients.get(key)
        if existing is not None:  # another turn built the same client while we awaited
            self._retire(client)
            return existing
        self._clients[key] = client
        while len(self._clients) > self._max:
            _, old = self._clients.popitem(last=False)
            self._retire(old)
        return client

    def clients(self) -> list[ConnectorClient]:
        """The clients held now."""
        return list(self._clients.values())

    def clear(self) -> list[ConnectorClient]:
        """Forget every client and return them (for the caller to close)."""
        held = list(self._clients.values())
        self._clients.clear()
        return held


class LazyUserTokenClient(UserTokenClient):
    """A UserTokenClient that builds the real one on first use (this bot normally never uses it)."""

    def __init__(self, make: Callable[[], Awaitable[UserTokenClient]]) -> None:
        super().__init__()
        self._make = make
        self._client: UserTokenClient | None = None
        self._lock = asyncio.Lock()

    async def _real(self) -> UserTokenClient:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await self._make()
        return self._client

    async def get_user_token(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).get_user_token(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).get_sign_in_resource(*args, **kwargs)

    async def sign_out_user(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).sign_out_user(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).get_token_status(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).get_aad_tokens(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> Any:
        """See UserTokenClient."""
        return await (await self._real()).exchange_token(*args, **kwargs)


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """The bot app id a turn acts as (the SDK reads the audience claim, else the appid claim)."""
    if claims_identity is None:
        return ""
    return (claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
            or claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM) or "")


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """The SDK's BotFrameworkAuthentication, with outbound clients cached per app id.

    Usage: `CloudAdapter(CachingBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication(settings)))`,
    and `await auth.close()` when the app stops.
    """

    def __init__(self, inner: BotFrameworkAuthentication, *, max_clients: int = MAX_CLIENTS) -> None:
        self._inner = inner
        self._max_clients = max_clients
        self._factories: dict[str, CachingConnectorFactory] = {}
        self._token_clients: dict[str, LazyUserTokenClient] = {}
        self._retiring: set[asyncio.Task[None]] = set()
        self._waiting: dict[asyncio.TimerHandle, Any] = {}  # retired clients not closed yet

    @property
    def inner(self) -> BotFrameworkAuthentication:
        """The wrapped SDK authentication."""
        return self._inner

    def _factory(self, app_id: str, make: Callable[[], ConnectorFactory]) -> CachingConnectorFactory:
        factory = self._factories.get(app_id)
        if factory is None:
            factory = CachingConnectorFactory(make(), max_clients=self._max_clients, retire=self._retire_later)
            self._factories[app_id] = factory
        return factory

    def _retire_later(self, client: Any) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return

        def start_close() -> None:
            self._waiting.pop(handle, None)
            task = loop.create_task(close_connector_client(client))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)

        handle = loop.call_later(RETIRE_AFTER_SECONDS, start_close)
        self._waiting[handle] = client

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """The SDK's authentication; the result's connector factory is the cached one for the app id."""
        result = await self._inner.authenticate_request(activity, auth_header)
        made = result.connector_factory
        if made is not None:
            result.connector_factory = self._factory(_app_id(result.claims_identity), lambda: made)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        """Unchanged: the SDK's."""
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """The cached factory for the app id (proactive messages use this)."""
        return self._factory(_app_id(claims_identity),
                             lambda: self._inner.create_connector_factory(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """A user token client built only when first used, one per app id."""
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = LazyUserTokenClient(lambda: self._inner.create_user_token_client(claims_identity))
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self) -> Any:
        """Unchanged: the SDK's (skills)."""
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        """Unchanged: the SDK's."""
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        """Unchanged: the SDK's."""
        return await self._inner.authenticate_channel_request(auth_header)

    def connectors_created(self) -> int:
        """How many connector clients were built so far (one per service URL, not one per turn)."""
        return sum(f.created for f in self._factories.values())

    async def close(self) -> None:
        """Close every cached client (call when the app stops)."""
        held = [c for f in self._factories.values() for c in f.clear()]
        for handle, client in list(self._waiting.items()):
            handle.cancel()
            held.append(client)
        self._waiting.clear()
        self._factories.clear()
        for client in held:
            await close_connector_client(client)
        if self._retiring:
            await asyncio.gather(*self._retiring, return_exceptions=True)
