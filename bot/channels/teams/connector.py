"""Reuse Bot Connector clients across turns instead of building new ones for every activity.

The stock CloudAdapter asks its BotFrameworkAuthentication, on every turn, for a new connector
factory, a new ConnectorClient (credentials, a serializer over every schema model, an HTTP
pipeline and a fresh HTTP session, so a new TCP/TLS connection for every reply) and a new
UserTokenClient (another client and session, which this bot never uses: it has no OAuth sign-in).
Each client configuration also builds msrest's retry policy with a quadratic list comprehension:
py-spy put 62% of a turn's CPU there, and a turn cost 11 ms of CPU instead of 1.6 ms
(docs/performance.md).

`CachingBotFrameworkAuthentication` wraps the SDK's own authentication, so request
authentication (JWT validation) is exactly the SDK's. It changes only where outbound clients come
from: one ConnectorClient per (app id, service URL, audience), kept and reused, so its credentials
keep their cached token and its HTTP session keeps its connections alive; the UserTokenClient is
built only if something actually uses it. No SDK module is copied or patched: the clients made
here are SDK-built and adjusted through their own extension points (their msrest pipeline and
serializer), and only for this process's use.

The SDK's connector client sends each reply with `requests` on a thread pool (a thread hop and the
GIL for every reply). A cached client gets an aiohttp sender instead, on one shared session with
keep-alive connections, through the client's own msrest pipeline (the same user-agent, logging and
deserialisation policies; the bearer token from the same credentials; the retries the SDK's sender
really makes: up to 3 when a connection cannot be opened, and for idempotent methods on 408 and
5xx other than 501/505; a POST that got an answer is never sent again, since urllib3 2 does not
retry POST on a status). Credentials of a kind this module does not know keep the SDK's sender.
A card (a plain JSON dict) is passed through serialisation as it is (PlainJsonSerializer).
The two sends of every turn (a reply, a message to a conversation) skip msrest's per-request
machinery altogether and are posted directly, as the same request (DirectReplies).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from collections import OrderedDict
from urllib.parse import quote, urljoin
from typing import Any, Awaitable, Callable

import aiohttp
import orjson
from yarl import URL
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.models import ErrorResponseException
from botframework.connector.aio import ConnectorClient
from botframework.connector.aio.operations_async import ConversationsOperations
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth.app_credentials import AppCredentials
from botframework.connector.auth.authentication_constants import AuthenticationConstants
from msrest import Serializer
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncPipeline, Request, Response
from msrest.pipeline.async_abc import AsyncHTTPPolicy, AsyncHTTPSender
from msrest.pipeline.universal import RawDeserializer
from msrest.serialization import Model
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse

from bot.channels.teams.activities import NotPlain, model_from_json, plain_object, to_json

log = logging.getLogger("sharesafe.connector")

# Teams uses a handful of service URLs per region; the bound only stops a flood of made-up
# service URLs (possible where authentication is off) from growing memory without limit.
MAX_CLIENTS = 64
# An evicted client may still be sending a reply for a turn in flight: close it a little later.
RETIRE_AFTER_SECONDS = 30.0
# The SDK's default retry rule as it works with urllib3 2 (msrest ClientRetryPolicy): 3 retries,
# back-off factor 0.8 s; statuses are retried only for the methods urllib3 deems idempotent.
RETRIES = 3
BACKOFF_SECONDS = 0.8
NO_RETRY_5XX = frozenset({501, 505})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
# An access token is asked of the credentials (MSAL's cache, or Azure AD when it is due) at most
# this often; MSAL renews tokens minutes before they expire, so a token kept this long is valid.
TOKEN_REUSE_SECONDS = 60.0


def _should_retry(method: str, status: int) -> bool:
    return method.upper() in IDEMPOTENT and (status == 408 or (status >= 500 and status not in NO_RETRY_5XX))


class AiohttpSender(AsyncHTTPSender):
    """An msrest pipeline sender on one shared aiohttp session (keep-alive, no thread pool)."""

    def __init__(self, session: Callable[[], aiohttp.ClientSession], timeout_seconds: float = 100.0) -> None:
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def __aenter__(self) -> "AiohttpSender":
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        """The session is shared and closed by CachingBotFrameworkAuthentication.close()."""

    def build_context(self) -> Any:
        """No per-request context."""
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        """Send one request, retrying as the SDK's default sender does."""
        http = request.http_request
        if http.files:
            raise ValueError("file uploads are not sent through the cached connector client")
        raw = await send_with_retries(self._session(), http.method, http.url, dict(http.headers), http.data,
                                      self._timeout)
        response = AioHttpClientResponse(http, raw)
        await response.load_body()
        return Response(request, response)


async def send_with_retries(session: aiohttp.ClientSession, method: str, url: str, headers: dict[str, str],
                            data: Any, timeout: aiohttp.ClientTimeout) -> aiohttp.ClientResponse:
    """One request on the shared session, its body read, retried as the SDK's default sender
    retries (see the module docstring); ClientRequestError when it could not be sent."""
    attempt = 0
    while True:
        try:
            # encoded=True: the path goes out quoted as msrest quoted it (aiohttp would turn a
            # conversation id's %3A back into ':'), byte for byte what the SDK's own sender sends.
            raw = await session.request(method, URL(url, encoded=True), headers=headers, data=data, timeout=timeout)
            await raw.read()
        except aiohttp.ClientConnectorError as exc:  # never connected: nothing was sent
            if attempt >= RETRIES:
                raise ClientRequestError(f"Error occurred in request: {type(exc).__name__}") from exc
        except aiohttp.ServerDisconnectedError as exc:
            # A kept-alive connection the server had already closed: send once more on a new one.
            if attempt >= 1:
                raise ClientRequestError(f"Error occurred in request: {type(exc).__name__}") from exc
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ClientRequestError(f"Error occurred in request: {type(exc).__name__}") from exc
        else:
            if not _should_retry(method, raw.status) or attempt >= RETRIES:
                return raw
        attempt += 1
        await asyncio.sleep(BACKOFF_SECONDS * (2 ** (attempt - 1)))


class BearerToken:
    """The bot's access token for its replies, as AppCredentials.signed_session gets it for the
    SDK's sender: none when authentication is off, else the credentials' token, asked for at most
    every TOKEN_REUSE_SECONDS."""

    def __init__(self, credentials: AppCredentials) -> None:
        self._credentials = credentials
        self._token = ""
        self._fetched = 0.0

    def _wanted(self) -> bool:
        app_id = self._credentials.microsoft_app_id
        return bool(app_id) and app_id != AuthenticationConstants.ANONYMOUS_SKILL_APP_ID

    async def header(self) -> str | None:
        """The Authorization header's value, or None when authentication is off."""
        if not self._wanted():
            return None
        if not self._token or time.monotonic() - self._fetched > TOKEN_REUSE_SECONDS:
            # MSAL may call Azure AD here: keep that off the event loop.
            self._token = await asyncio.to_thread(self._credentials.get_access_token)
            self._fetched = time.monotonic()
        return f"Bearer {self._token}"


class BearerTokenPolicy(AsyncHTTPPolicy):
    """Adds the bot's access token to each request of an msrest pipeline."""

    def __init__(self, token: BearerToken) -> None:
        super().__init__()
        self._token = token

    async def send(self, request: Request, **kwargs: Any) -> Response:
        """Sign the request (no header when authentication is off), then pass it on."""
        authorization = await self._token.header()
        if authorization is not None:
            request.http_request.headers["Authorization"] = authorization
        return await self.next.send(request, **kwargs)


@functools.lru_cache(maxsize=4096)  # a conversation's reply URL is the same on every turn of it
def _joined(base: str, path: str) -> str:
    """urljoin(base, path), remembered."""
    return urljoin(base, path)


class DirectReplies(ConversationsOperations):
    """The client's conversation operations, with the two sends of every turn (a reply, a message
    to a conversation) posted straight on the shared session.

    They go to the same URL, with the same headers, body, token and retries as through msrest's
    pipeline, and give back the same ResourceResponse or raise the same ErrorResponseException;
    what they skip is msrest's per-request machinery (a request object, URL templating, five
    policies, a second JSON encoding, generic deserialisation), which cost about 0.2 ms of CPU a
    reply (docs/performance.md). Every other operation, and a send with custom headers, raw output
    or operation options, is msrest's own."""

    def __init__(self, client: ConnectorClient, token: BearerToken,
                 session: Callable[[], aiohttp.ClientSession], timeout_seconds: float) -> None:
        super().__init__(client._client, client.config, client._serialize, client._deserialize)  # noqa: SLF001 - ours
        self._token = token
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._base = client.config.base_url.rstrip("/") + "/"
        self._user_agent = client.config.user_agent_policy.user_agent

    async def reply_to_activity(self, conversation_id: Any, activity_id: Any, activity: Any, *,
                                custom_headers: Any = None, raw: bool = False, **operation_config: Any) -> Any:
        """See ConversationsOperations.reply_to_activity."""
        body = self._direct_body(activity, custom_headers or raw or operation_config, conversation_id, activity_id)
        if body is None:
            return await super().reply_to_activity(conversation_id, activity_id, activity, custom_headers=custom_headers,
                                                   raw=raw, **operation_config)
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        return await self._post(path, body, {"x-ms-conversation-id": conversation_id})

    async def send_to_conversation(self, conversation_id: Any, activity: Any, *, custom_headers: Any = None,
                                   raw: bool = False, **operation_config: Any) -> Any:
        """See ConversationsOperations.send_to_conversation."""
        body = self._direct_body(activity, custom_headers or raw or operation_config, conversation_id)
        if body is None:
            return await super().send_to_conversation(conversation_id, activity, custom_headers=custom_headers,
                                                      raw=raw, **operation_config)
        return await self._post(f"v3/conversations/{quote(conversation_id, safe='')}/activities", body, {})

    # msrest's own methods read their URL template from these (the fallbacks above call them).
    reply_to_activity.metadata = ConversationsOperations.reply_to_activity.metadata  # type: ignore[attr-defined]
    send_to_conversation.metadata = ConversationsOperations.send_to_conversation.metadata  # type: ignore[attr-defined]

    @staticmethod
    def _direct_body(activity: Any, options: Any, *ids: Any) -> bytes | None:
        """The activity's JSON body for a direct send; None where msrest must send it (options
        given, an id that is not a string, an activity that is not plain JSON)."""
        if options or any(type(i) is not str for i in ids):
            return None
        try:
            return orjson.dumps(to_json(activity))
        except (NotPlain, TypeError, AttributeError):  # not a plain activity, or not JSON orjson writes
            return None

    async def _post(self, path: str, body: bytes, extra: dict[str, str]) -> ResourceResponse | None:
        """POST the body; the ResourceResponse the connector answered, as msrest reads it."""
        url = _joined(self._base, path)  # as msrest's format_url
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8", **extra,
                   "User-Agent": self._user_agent}
        authorization = await self._token.header()
        if authorization is not None:
            headers["Authorization"] = authorization
        answer = await send_with_retries(self._session(), "POST", url, headers, body, self._timeout)
        if answer.status in (200, 201, 202) and answer.content_type == "application/json":
            try:
                return model_from_json(ResourceResponse, orjson.loads(await answer.read()))
            except (orjson.JSONDecodeError, NotPlain):
                pass  # msrest decides, below
        response = AioHttpClientResponse(ClientRequest("POST", url, headers=headers), answer)
        await response.load_body()
        if answer.status not in (200, 201, 202):
            raise ErrorResponseException(self._deserialize, response)
        return self._deserialize("ResourceResponse", response)


class PlainJsonSerializer(Serializer):
    """msrest's Serializer, except that a card (a plain JSON dict, typed `object` in the schema) is
    passed through as it is instead of being rebuilt key by key: the same JSON, about a third of the
    CPU of a reply. Anything that is not plain JSON goes through msrest as before."""

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        """See msrest.Serializer.body; an activity takes bot/channels/teams/activities.py's direct path."""
        if isinstance(data, Model) and not kwargs:
            try:
                return to_json(data)
            except NotPlain:
                pass
        return super().body(data, data_type, **kwargs)

    def serialize_object(self, attr: Any, **kwargs: Any) -> Any:
        """See msrest.Serializer.serialize_object."""
        if type(attr) is dict:
            try:
                return plain_object(attr)
            except NotPlain:
                pass
        return super().serialize_object(attr, **kwargs)


def use_plain_json(client: ConnectorClient) -> None:
    """Let the client's operations use PlainJsonSerializer (same models, same validation)."""
    serializer = PlainJsonSerializer(client._serialize.dependencies)  # noqa: SLF001 - the client is ours
    client._serialize = serializer  # noqa: SLF001
    for operations in (client.conversations, client.attachments):
        operations._serialize = serializer  # noqa: SLF001


def use_aiohttp(client: ConnectorClient, session: Callable[[], aiohttp.ClientSession]) -> bool:
    """Give an SDK-built connector client an aiohttp pipeline; False (unchanged) for unknown credentials."""
    config = client.config
    credentials = config.credentials
    if not isinstance(credentials, AppCredentials):
        return False
    old = config.pipeline
    token = BearerToken(credentials)
    timeout = getattr(getattr(config, "connection", None), "timeout", 100) or 100
    # The same policies, in the same order, as the SDK's AsyncBfPipeline; only the sender differs.
    config.pipeline = AsyncPipeline(
        [config.user_agent_policy, BearerTokenPolicy(token), RawDeserializer(), config.http_logger_policy],
        AiohttpSender(session, timeout_seconds=float(timeout)),
    )
    client.conversations = DirectReplies(client, token, session, float(timeout))
    sender = getattr(old, "_sender", None)
    driver = getattr(sender, "driver", None)
    if driver is not None and hasattr(driver, "close"):
        driver.close()  # the unused requests session of the replaced sender
    return True


async def close_connector_client(client: Any) -> None:
    """Release a connector client's HTTP sessions (best effort: it is being thrown away)."""
    try:
        await client.__aexit__(None, None, None)
    except (OSError, RuntimeError, AttributeError) as exc:
        log.debug("closing a connector client failed: %s", type(exc).__name__)


class CachingConnectorFactory(ConnectorFactory):
    """A ConnectorFactory that builds each (service URL, audience) client once and reuses it."""

    def __init__(self, inner: ConnectorFactory, *, max_clients: int = MAX_CLIENTS,
                 retire: Callable[[Any], None] | None = None,
                 prepare: Callable[[ConnectorClient], Any] | None = None) -> None:
        self._inner = inner
        self._prepare = prepare or (lambda client: None)
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
        self._prepare(client)
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


def _forward(name: str) -> Callable[..., Awaitable[Any]]:
    """A UserTokenClient method that calls the same method of the real client."""

    async def method(self: "LazyUserTokenClient", *args: Any, **kwargs: Any) -> Any:
        return await getattr(await self._real(), name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = "See UserTokenClient."
    return method


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

    get_user_token = _forward("get_user_token")
    get_sign_in_resource = _forward("get_sign_in_resource")
    sign_out_user = _forward("sign_out_user")
    get_token_status = _forward("get_token_status")
    get_aad_tokens = _forward("get_aad_tokens")
    exchange_token = _forward("exchange_token")


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

    def __init__(self, inner: BotFrameworkAuthentication, *, max_clients: int = MAX_CLIENTS,
                 aiohttp_sender: bool = True) -> None:
        self._inner = inner
        self._max_clients = max_clients
        self._aiohttp_sender = aiohttp_sender
        self._session: aiohttp.ClientSession | None = None
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
            factory = CachingConnectorFactory(make(), max_clients=self._max_clients, retire=self._retire_later,
                                              prepare=self._prepare)
            self._factories[app_id] = factory
        return factory

    def http_session(self) -> aiohttp.ClientSession:
        """The one aiohttp session every cached client sends through (made on first use, in the loop)."""
        if self._session is None or self._session.closed:
            # Honour HTTPS_PROXY / NO_PROXY as the SDK's requests sender does, but only when one is
            # set: with trust_env aiohttp reads the environment and ~/.netrc on every request.
            proxied = any(os.environ.get(k) for k in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                                                      "ALL_PROXY", "all_proxy"))
            self._session = aiohttp.ClientSession(trust_env=proxied,
                                                  connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=60))
        return self._session

    def _prepare(self, client: ConnectorClient) -> None:
        use_plain_json(client)
        if self._aiohttp_sender and not use_aiohttp(client, self.http_session):
            log.info("connector client kept the SDK's sender (credentials of type %s)",
                     type(client.config.credentials).__name__)

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
        if self._session is not None:
            await self._session.close()
            self._session = None
