"""The aiohttp application: POST /api/messages for Bot Framework, /healthz and /readyz for probes.

`create_app(settings)` builds every object (stores, runner, adapter, bot); there are no module
globals, so tests and many workers each get their own.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
import traceback
from typing import Any, AsyncIterator, Awaitable, Callable

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ActivityTypes
from msrest.exceptions import DeserializationError, SerializationError

from bot import logs
from bot.channels.teams.activities import activity_from_json
from bot.config import Settings
from bot.channels.teams.connector import CachingBotFrameworkAuthentication
from bot.escalation.service import EscalationService
from bot.http.metrics import Metrics, metered_stores, metrics_handler, turn_kind
from bot.channels.teams.activities import activity_json
from bot.channels.teams.proactive import AdapterMessenger
from bot.http.security import Admitted, Gate, check_startup, startup_notes
from bot.http.signing_keys import install_signing_key_cache
from bot.channels.activity import saved_activities, text_activity
from bot.channels.bot import DANGER_STATE, ShareSafeBot
from bot.channels.reference import DeliveryFailed
from bot.channels.teams.handler import TeamsAdapter
from bot.turn.delivery import UNDELIVERED
from bot.turn.runtime import build_runtime, stores_for
from state.interfaces import StoreUnavailable

log = logging.getLogger("sharesafe.app")

# A Bot Framework activity is a few KB; a card submit with a long typed note is still far below this.
MAX_BODY_BYTES = 256 * 1024
# Teams' activities nest a handful of levels (an invoke's card data under value.action.data); anything
# past this is an attack on the parsers' recursion, answered 400 rather than a RecursionError's 500.
MAX_JSON_DEPTH = 64
NESTED_TOO_DEEPLY = "body is nested too deeply"
READY_TIMEOUT_SECONDS = 2.0
# A Bot Framework token is 1-2 KB; no header we need comes near this.
MAX_HEADER_BYTES = 8190
HEADER_READ_LIMIT = 64 * 1024
TURN_ERROR_TEXT = (
    "Sorry, something went wrong. Your answers are kept. Try again, or talk to your DSL. "
    "If a child is in immediate danger, call 999."
)

SETTINGS_KEY = web.AppKey("settings", Settings)
STORES_KEY = web.AppKey("stores", object)
RUNNER_KEY = web.AppKey("runner", object)
ADAPTER_KEY = web.AppKey("adapter", CloudAdapter)
BOT_KEY = web.AppKey("bot", ShareSafeBot)
AUTH_KEY = web.AppKey("auth", CachingBotFrameworkAuthentication)
ESCALATION_KEY = web.AppKey("escalation", EscalationService)
GATE_KEY = web.AppKey("gate", Gate)
METRICS_KEY = web.AppKey("metrics", Metrics)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _where(error: BaseException) -> str:
    """file:line of the innermost frame: enough to find the bug, carries no user text."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"


def make_turn_error_handler() -> Callable[[Any, Exception], Awaitable[None]]:
    """The adapter's on_turn_error (given the channel's Turn, bot/channels/bot.py): log ids and the
    exception type only, tell the user, keep state."""

    async def on_turn_error(turn: Any, error: Exception) -> None:
        raw = (turn.activity.get("conversation") or {}).get("id")
        # Hashed like every other log line's conversation (bot/logs.py), so the line can be matched
        # with the rest of the turn without the id itself; never the exception message: it can quote
        # what the practitioner typed.
        conversation = logs.hash_id(raw) if raw else "-"
        log.error("turn failed: conversation=%s error=%s at %s", conversation, type(error).__name__, _where(error))
        if turn.activity.get("type") not in (ActivityTypes.message, ActivityTypes.conversation_update):
            return
        try:
            await turn.send([text_activity(TURN_ERROR_TEXT)])
        except DeliveryFailed as send_error:
            log.error("could not tell the user about the failed turn: conversation=%s error=%s",
                      conversation, type(send_error).__name__)
            # The practitioner heard nothing (a "999" among them): 503, so Bot Service tries again.
            pending = UNDELIVERED.get()
            if pending is not None:
                pending.append("turn-error")
        # State and records are deliberately left alone: the practitioner's answers survive the error.

    return on_turn_error


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """True when JSON objects and arrays nest more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


# Control characters and lone surrogates (which no store can encode) are never in a real id.
_BAD_ID = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A \uD800-\uDFFF escape in the raw body: a surrogate pair (an emoji) or a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(raw: bytes, body: Any) -> bool:
    """True when a string anywhere in the body holds a lone surrogate: no store can write it, so a
    name or tenant id carrying one would fail the turn after it started (the practitioner told nothing)."""
    if not _SURROGATE_ESCAPE.search(raw):
        return False  # the common case: no escape at all, nothing to walk
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


MAX_ID_LENGTH = 1024


def _ids(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """The ids of an activity that reach the stores and the logs, where present."""
    found: list[tuple[str, Any]] = [("conversation id", body["conversation"].get("id"))]
    if body.get("id") is not None:
        found.append(("activity id", body["id"]))
    for account in ("from", "recipient"):
        if isinstance(body.get(account), dict) and body[account].get("id") is not None:
            found.append((f"{account} id", body[account]["id"]))
    return found


def _check_activity(body: Any) -> str | None:
    """Why a parsed body is not an activity we can answer, or None when it is."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "activity type is missing"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str) or not conversation["id"]:
        return "conversation id is missing"
    for name, value in _ids(body):
        if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH or _BAD_ID.search(value):
            return f"{name} is not a valid id"
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
        return "serviceUrl is missing"
    for account in ("from", "recipient"):
        if account in body and not isinstance(body[account], dict):
            return f"{account} must be an object"
    return None


async def messages(request: web.Request) -> web.StreamResponse:
    """POST /api/messages: one Bot Framework activity."""
    if request.content_type != "application/json":
        return _error(400, "expected Content-Type: application/json")
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "body too large")
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError, and integers over 4,300 digits
        return _error(400, "body is not valid JSON")
    except RecursionError:  # thousands of nested brackets: the parser gives up
        return _error(400, NESTED_TOO_DEEPLY)
    raw = await request.read()  # already read by json(): no copy
    # Parsed, but the SDK's deserialiser would recurse on it. A body with fewer brackets than the
    # limit cannot nest that deep (brackets inside strings only over-count), so most skip the walk.
    if raw.count(b"{") + raw.count(b"[") > MAX_JSON_DEPTH and _nested_deeper_than(body, MAX_JSON_DEPTH):
        return _error(400, NESTED_TOO_DEEPLY)
    problem = _check_activity(body)
    if problem:
        return _error(400, problem)
    if _has_lone_surrogate(raw, body):
        return _error(400, "body holds text that is not valid Unicode")
    try:
        activity = activity_from_json(body)
    except (DeserializationError, ValueError, TypeError, AttributeError):
        return _error(400, "body is not a valid activity")
    except RecursionError:
        return _error(400, NESTED_TOO_DEEPLY)
    logs.bind_activity(activity.id, getattr(activity.conversation, "id", None))
    # Authentication, tenant allow-list, card-submit shape, message rate (bot/http/security.py).
    admitted = await request.app[GATE_KEY].admit(request.headers.get("Authorization", ""), activity, body)
    if not isinstance(admitted, Admitted):
        return admitted
    adapter = request.app[ADAPTER_KEY]
    bot = request.app[BOT_KEY]
    undelivered: list[str] = []
    token = UNDELIVERED.set(undelivered)
    try:
        if admitted.is_turn:
            async def turn(channel_turn: Any) -> None:
                # The gate's danger reading of the message, so the engine does not read it again.
                channel_turn.turn_state[DANGER_STATE] = admitted.danger
                await bot.on_turn(channel_turn)

            with request.app[METRICS_KEY].turn(turn_kind(activity)):
                invoke = await adapter.process_activity(admitted.auth, activity, turn)
        else:
            invoke = await adapter.process_activity(admitted.auth, activity, admitted.logic)
    except PermissionError:
        return _error(401, "unauthorized")
    finally:
        UNDELIVERED.reset(token)
    if undelivered:
        # The turn is saved with its replies; Bot Service retries on 503 and the redelivery sends
        # them (the job outbox does too, in case it never comes).
        return web.json_response({"error": "reply not delivered; retry"}, status=503, headers={"Retry-After": "1"})
    if invoke is not None:
        try:
            body = serializer_helper(invoke.body) if invoke.body is not None else None
        except SerializationError:
            body = None  # botbuilder's own error bodies do not always serialise; the status is what counts
        if body is None:  # e.g. 501 for an invoke this bot does not handle
            return web.Response(status=invoke.status)
        return web.json_response(data=body, status=invoke.status)
    return web.Response(status=201)


@web.middleware
async def json_errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Every error is a short JSON body, never a stack trace; the server keeps serving."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "body too large")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _error(exc.status, exc.reason)
    except Exception as exc:  # noqa: BLE001 - last resort, so one bad request cannot take the worker down
        log.error("request failed: path=%s error=%s at %s", request.path, type(exc).__name__, _where(exc))
        return _error(500, "internal error")


@web.middleware
async def header_limits(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """A request with a header longer than any real client sends gets a short JSON 400."""
    if any(len(value) > MAX_HEADER_BYTES for value in request.headers.values()):
        return _error(400, "request header too large")
    return await handler(request)


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz: the process is up."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """GET /readyz: 200 when the stores answer, else 503 (take this worker out of rotation)."""
    stores = request.app[STORES_KEY]
    ok = False
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            ok = bool(await stores.conversations.ping()) and bool(await stores.records.ping())
    except (StoreUnavailable, OSError, TimeoutError) as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
    if ok:
        return web.json_response({"status": "ready", "backend": stores.backend})
    return web.json_response({"status": "unavailable"}, status=503)


def check_production(settings: Settings) -> None:
    """Refuse to run a deployment that would accept unsigned requests from the network, accept any
    tenant unasked, or store records unencrypted; log what a deployment should still fix, and what
    the secure defaults turned off (bot/http/security.py)."""
    for warning in check_startup(settings):
        log.warning("%s", warning)
    for note in startup_notes(settings):
        log.info("%s", note)


async def start_escalation(escalation: EscalationService) -> None:
    """Load the registered DSLs and start the re-ping job (the due times are in the store, so a
    restart loses none)."""
    try:
        await escalation.refresh_directory()
    except StoreUnavailable:
        log.warning("registered DSLs not loaded yet: store unavailable (the re-ping job retries)")
    escalation.start()


def _rebuild_json(entry: Any, channel: str) -> list[dict[str, Any]]:
    """A saved outbox entry as the Teams activities to send again (Activity Protocol JSON)."""
    return saved_activities(entry, channel)


async def freeze_startup_objects(app: web.Application) -> None:
    """Move everything built at start-up (packs, flowchart machines, SDK models) out of the garbage
    collector's sight: a full collection then walks only per-turn objects, so it no longer pauses
    every turn in flight for tens of milliseconds (docs/performance.md)."""
    gc.collect()
    gc.freeze()


async def warm_signing_keys(app: web.Application) -> None:
    """Start fetching Microsoft's signing keys in the background, so the first message need not wait."""
    from botframework.connector.auth import AuthenticationConstants, ChannelValidation
    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    url = (ChannelValidation.open_id_metadata_endpoint
           or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL)
    JwtTokenExtractor.get_open_id_metadata(url).warm()


def create_app(settings: Settings, stores: Any = None, *, credentials_factory: Any = None) -> web.Application:
    """Build the whole bot: adapter and routes now; stores, runner and handler when the app starts.

    Stores passed in belong to the caller and are not closed; stores opened here close on cleanup.
    `credentials_factory` (botbuilder's ServiceClientCredentialsFactory) replaces the one built from
    APP_ID/APP_PASSWORD, e.g. for certificate credentials; incoming tokens are validated either way.
    """
    check_production(settings)
    # The SDK would fetch Microsoft's signing keys with a blocking call on the event loop, with no
    # timeout, on every request while the fetch fails: one forged token could stall the worker.
    install_signing_key_cache()
    logs.quiet_libraries()  # botbuilder & co. can log activities at DEBUG: never, whatever LOG_LEVEL says
    # ---- Channel selection (SHARESAFE_SDK, issue 17): the Microsoft 365 Agents SDK edge
    # (bot/channels/agents/, where `credentials_factory` is its token provider) or Bot Framework's.
    if settings.SDK == "agents":
        from bot.channels.agents import build_edge

        edge = build_edge(settings, credentials_factory, json_of=activity_json)
        auth, adapter, messenger, warm_keys = edge.auth, edge.adapter, edge.messenger, edge.auth.warm
    else:
        # Connector clients are built once per service URL and reused (see bot/channels/teams/connector.py).
        auth = CachingBotFrameworkAuthentication(
            ConfigurationBotFrameworkAuthentication(settings, credentials_factory=credentials_factory))
        adapter = TeamsAdapter(auth)
        messenger, warm_keys = AdapterMessenger(adapter, settings.APP_ID), warm_signing_keys
    # ---- end of channel selection
    adapter.on_turn_error = make_turn_error_handler()

    # Headers up to HEADER_READ_LIMIT are read so that an oversized one gets a JSON 400 from
    # header_limits (below aiohttp's own limit the answer would be its plain-text 400).
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[logs.correlate, json_errors, header_limits],
                          handler_args={"max_field_size": HEADER_READ_LIMIT, "max_line_size": HEADER_READ_LIMIT})
    app[SETTINGS_KEY] = settings
    app[ADAPTER_KEY] = adapter
    app[AUTH_KEY] = auth
    metrics = Metrics()
    app[METRICS_KEY] = metrics
    limiter = None
    if settings.REDIS_URL and settings.RATE_PER_MINUTE:
        # One limit per user across every worker (each worker's own buckets would allow N times it).
        from bot.http.ratelimit import RedisRateLimiter
        from state.redis_store import connect_redis

        limiter = RedisRateLimiter(connect_redis(settings.REDIS_URL), settings.RATE_PER_MINUTE, settings.RATE_BURST)
    app[GATE_KEY] = Gate(settings, auth, metrics, limiter)

    async def runtime(app: web.Application) -> AsyncIterator[None]:
        opened = stores if stores is not None else await stores_for(settings)
        try:
            built = build_runtime(settings, opened, messenger=messenger, rebuild=_rebuild_json,
                                  wrap_stores=lambda opened: metered_stores(opened, metrics),
                                  on_filed=metrics.record_filed)
        except BaseException:
            if stores is None:
                await opened.close()
            raise
        app[STORES_KEY] = built.stores
        app[RUNNER_KEY] = built.runner
        if built.escalation is not None:
            app[ESCALATION_KEY] = built.escalation
            await start_escalation(built.escalation)
        app[BOT_KEY] = ShareSafeBot(built.runner, escalation=built.escalation, delivery=built.delivery)
        try:
            yield
        finally:
            if built.escalation is not None:
                await built.escalation.close()
            if stores is None:
                await opened.close()

    app.cleanup_ctx.append(runtime)

    async def close_connectors(app: web.Application) -> None:
        await auth.close()
        if limiter is not None:
            await limiter.close()

    app.on_cleanup.append(close_connectors)  # after runtime's cleanup, which may still send
    app.on_startup.append(freeze_startup_objects)  # after runtime's start-up has built everything
    if settings.auth_enabled:
        app.on_startup.append(warm_keys)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    # The DSL overview tab (bot/dsl_tab, docs/dsl-tab.md): its own sign-in and DSL-only access.
    from bot import dsl_tab

    dsl_tab.register(app, settings, lambda a: (a.get(STORES_KEY), getattr(a.get(RUNNER_KEY), "directory", None)))
    if settings.metrics_enabled:  # production without SHARESAFE_METRICS_TOKEN: no route, so 404 like any path
        app.router.add_get("/metrics", metrics_handler(
            metrics, lambda request: getattr(request.app.get(STORES_KEY), "escalations", None), settings.METRICS_TOKEN))
    return app
