"""What stands between the internet and a turn: start-up checks, and the gate every POST to
/api/messages passes before the bot sees it.

The gate, in order (each refusal is counted in /metrics and logged without content):
1. Authentication: the Bot Framework token, validated by botbuilder's own code (JwtTokenValidation
   via the adapter's BotFrameworkAuthentication). Missing, expired, forged or for another app: 401.
2. Tenant allow-list (SHARESAFE_ALLOWED_TENANTS; in production a single-tenant bot's own tenant by
   default, and a multi-tenant one refuses to start without it): an activity from any other Teams tenant: 403.
3. Card submits: the value must be what one of ShareSafe's cards can send (an object with known
   keys and short text values, nothing nested); any other value is discarded before the turn, so
   the engine and the escalation handlers never see it and the practitioner is asked again.
4. Per-user message rate (bot/http/ratelimit.py): the first message over the limit gets a polite
   "slow down", the rest are dropped (202) until the bucket refills. A 999 message always gets through.
Only then does the turn run, so a refused request never loads or saves state, files a record or
sends a reply.
"""

from __future__ import annotations

import inspect
import ipaddress
import logging
from collections import abc
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from aiohttp import web
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.config import ANY_TENANT, Settings, SettingsError
from bot.logs import hash_id
from bot.http.metrics import Metrics
from bot.http.ratelimit import RateLimiter
from bot.channels.activity import strip_bot_mention, tenant_of, text_activity
from bot.http.signing_keys import SigningKeysUnavailable
from dialogs import inputs
from dialogs.danger import Assessment

log = logging.getLogger("sharesafe.security")

SLOW_DOWN_TEXT = (
    "You're sending messages very fast; please wait a moment, then send that again. "
    "If a child is in immediate danger, call 999."
)
# What ShareSafe's own cards send back (bot/channels/teams/cards.py, bot/escalation/cards.py): key -> longest value.
# Choices and ids are short; typed text is capped at the card's own maxLength (2000).
TEXT_LIMIT = 2000
CHOICE_LIMIT = 80
ENGINE_SUBMIT = {"choice": CHOICE_LIMIT, "node": CHOICE_LIMIT, "field": CHOICE_LIMIT, "text": TEXT_LIMIT}
ESCALATION_SUBMIT = {"escalation": CHOICE_LIMIT, "action": CHOICE_LIMIT, "advice": TEXT_LIMIT}
SUBMIT_SHAPES = (ENGINE_SUBMIT, ESCALATION_SUBMIT)


def is_loopback(host: str) -> bool:
    """True when `host` is reachable only from this machine: 127.0.0.0/8, ::1 or the name localhost."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost."):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # any other name may resolve to an address other machines can reach
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def listen_address(host: str) -> str:
    """The address to bind: an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 address it
    names, since a socket cannot listen on the mapped form."""
    name = host.strip()
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return name


def check_startup(settings: Settings) -> list[str]:
    """Refuse settings that would run an insecure service; return warnings to log.

    `settings.HOST` must be the address the server will really listen on (`serve` puts --host there).
    """
    if settings.ENV != "development" and not settings.auth_enabled:
        raise SettingsError(
            "SHARESAFE_ENV is production but APP_ID is not set: requests would not be authenticated. "
            "Set APP_ID and APP_PASSWORD (with APP_TYPE and APP_TENANTID) from the bot's app registration, "
            "or set SHARESAFE_ENV=development on a developer machine."
        )
    if not settings.auth_enabled and not settings.ENV_EXPLICIT and not is_loopback(settings.HOST):
        # Secure by default: development is only inferred for a bot nobody else can reach.
        raise SettingsError(
            f"APP_ID is not set, so requests would not be authenticated, and the bot would listen on "
            f"{settings.HOST}, which other machines can reach. Set APP_ID and APP_PASSWORD (with APP_TYPE and "
            "APP_TENANTID) from the bot's app registration; or listen on this machine only "
            "(HOST=127.0.0.1, the default, and no --host); "
            "or, to run an unauthenticated test instance on purpose, set SHARESAFE_ENV=development."
        )
    if settings.ENV == "production" and not settings.RECORD_KEYS:
        raise SettingsError(
            "SHARESAFE_ENV is production but SHARESAFE_RECORD_KEYS is not set: decision records would be stored "
            "unencrypted. Make a key with `python -m bot records new-key`, keep a copy apart from the data, "
            "and set SHARESAFE_RECORD_KEYS to it (see docs/security.md)."
        )
    if settings.ENV == "production" and not settings.CHAIN_KEYS:
        raise SettingsError(
            "SHARESAFE_ENV is production but SHARESAFE_CHAIN_KEYS is not set: anyone who can write the store "
            "could rewrite decision records without it showing. Make a key with `python -m bot records "
            "new-chain-key`, keep a copy apart from the data and from the store's administrators, and set "
            "SHARESAFE_CHAIN_KEYS to it (see docs/security.md)."
        )
    if settings.ENV == "production" and settings.auth_enabled and not settings.ALLOWED_TENANTS:
        raise SettingsError(
            f"SHARESAFE_ENV is production and APP_TYPE is {settings.APP_TYPE}, but SHARESAFE_ALLOWED_TENANTS is not "
            "set: activities from any Microsoft 365 tenant would be accepted. Set SHARESAFE_ALLOWED_TENANTS to "
            "your tenant id (several: comma-separated), or to * to accept every tenant on purpose."
        )
    warnings = []
    if not settings.auth_enabled:
        if is_loopback(settings.HOST):
            warnings.append("APP_ID is not set: Bot Framework authentication is OFF. Use this only on a developer "
                            "machine (the bot listens on this machine's loopback address only).")
        else:
            warnings.append(f"APP_ID is not set: Bot Framework authentication is OFF, and the bot listens on "
                            f"{settings.HOST} (SHARESAFE_ENV=development): anyone who can reach this port can "
                            "use it without signing in.")
    elif settings.ALLOWED_TENANTS == (ANY_TENANT,):
        warnings.append("SHARESAFE_ALLOWED_TENANTS is *: activities from any Microsoft 365 tenant are accepted.")
    elif not settings.ALLOWED_TENANTS:
        warnings.append("SHARESAFE_ALLOWED_TENANTS is not set: activities from any Microsoft 365 tenant are accepted. "
                        "Set it to your tenant id(s).")
    if not settings.CHAIN_KEYS:
        warnings.append("SHARESAFE_CHAIN_KEYS is not set: decision records are hash-chained but not signed, so "
                        "someone who can write the store could rewrite them without records verify noticing.")
    if not settings.RECORD_KEYS:
        warnings.append("SHARESAFE_RECORD_KEYS is not set: the free text of decision records is stored unencrypted.")
    return warnings


def startup_notes(settings: Settings) -> list[str]:
    """What the secure defaults turned off or narrowed, and how to change it (logged at INFO)."""
    notes = []
    if not settings.metrics_enabled:
        notes.append("GET /metrics is off (404): SHARESAFE_METRICS_TOKEN is not set. To turn it on, set "
                     "SHARESAFE_METRICS_TOKEN to a long random value (e.g. `openssl rand -hex 32`) and have your "
                     "scraper send it as `Authorization: Bearer <token>`.")
    if (settings.auth_enabled and settings.ALLOWED_TENANTS == (settings.APP_TENANTID,)
            and settings.APP_TYPE != "MultiTenant"):
        notes.append("Tenant allow-list: only the app's own tenant (APP_TENANTID) may use the bot. "
                     "Set SHARESAFE_ALLOWED_TENANTS to change it.")
    return notes


def check_submit(value: Any) -> str | None:
    """Why a card-submit value is not one ShareSafe's cards could have sent, or None when it is."""
    if value is None:
        return None
    if not isinstance(value, abc.Mapping):
        return "card submit value must be a JSON object"
    keys = set(value)
    shape = next((s for s in SUBMIT_SHAPES if keys <= set(s)), None)
    if shape is None:
        return "card submit has fields no card asked for"
    for key, item in value.items():
        if item is None:
            continue
        if not isinstance(item, str):
            return "card submit values must be text"
        if len(item) > shape[key]:
            return "card submit value is too long"
    return None


def _danger_button(activity: Activity) -> bool:
    value = activity.value if isinstance(activity.value, abc.Mapping) else {}
    return value.get("choice") == "danger"


async def _slow_down(turn: Any) -> None:
    await turn.send([text_activity(SLOW_DOWN_TEXT)])


@dataclass
class Admitted:
    """A request the gate let through: its authentication, and what to run (None: the bot)."""

    auth: AuthenticateRequestResult
    logic: Callable[[Any], Awaitable[None]] | None = None  # given the channel's Turn (bot/channels/bot.py)
    # The message text's danger reading, where the rate limit made one: passed to the engine.
    danger: Assessment | None = None

    @property
    def is_turn(self) -> bool:
        """False for the one "slow down" reply to a flooding user (not a turn of the bot)."""
        return self.logic is None


def _refusal(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class Gate:
    """Authentication, tenant allow-list, card-submit shape and message rate, before any turn."""

    def __init__(self, settings: Settings, auth: BotFrameworkAuthentication, metrics: Metrics,
                 limiter: Any = None) -> None:
        self.auth = auth
        self.metrics = metrics
        # Empty: no check (development without a list, or `*` chosen on purpose).
        self.tenants = frozenset() if settings.any_tenant else frozenset(settings.ALLOWED_TENANTS)
        # A RateLimiter (this worker's buckets) or a RedisRateLimiter (shared by every worker).
        self.limiter = limiter if limiter is not None else (
            RateLimiter(settings.RATE_PER_MINUTE, settings.RATE_BURST) if settings.RATE_PER_MINUTE else None)

    async def admit(self, auth_header: str, activity: Activity, body: Mapping[str, Any]) -> Admitted | web.Response:
        """Admitted, or the HTTP response refusing the request (the turn never runs)."""
        try:
            authenticated = await self.auth.authenticate_request(activity, auth_header or "")
        except SigningKeysUnavailable as exc:
            # Microsoft's signing keys could not be fetched: not the caller's fault; Bot Service retries.
            log.error("request not authenticated: signing keys unavailable (%s)", type(exc).__name__)
            self.metrics.refuse("auth_unavailable")
            return _refusal(503, "authentication unavailable")
        except Exception as exc:  # noqa: BLE001 - botbuilder raises PermissionError, PyJWT errors, bare Exception
            # (bad endorsement or algorithm) and IndexError (unknown signing key): each means "not authenticated".
            log.warning("request refused: not authenticated (%s)", type(exc).__name__)
            self.metrics.refuse("unauthorized")
            return _refusal(401, "unauthorized")

        if self.tenants:
            tenant = tenant_of(body)
            if tenant not in self.tenants:
                log.warning("activity refused: unlisted tenant %s", hash_id(tenant) if tenant else "(none)")
                self.metrics.refuse("tenant")
                return _refusal(403, "tenant not allowed")

        if activity.type == ActivityTypes.message:
            problem = check_submit(body.get("value"))
            if problem:
                # The value goes no further: the turn runs as if it had not been sent, so the
                # practitioner is asked the current question again (a polite re-ask, not an error).
                log.warning("card submit discarded: %s", problem)
                self.metrics.refuse("bad_submit")
                activity.value = None
            if self.limiter is not None:
                user = str(getattr(activity.from_property, "id", "") or "anonymous")
                danger = inputs.danger_of(strip_bot_mention(body))
                verdict = self.limiter.check(user, always=danger.clear or _danger_button(activity))
                if inspect.isawaitable(verdict):
                    verdict = await verdict
                if verdict == "warn":
                    log.info("message rate exceeded: told the user to slow down")
                    self.metrics.refuse("rate_limited")
                    return Admitted(authenticated, logic=_slow_down)
                if verdict == "drop":
                    self.metrics.refuse("dropped")
                    return web.Response(status=202)
                return Admitted(authenticated, danger=danger)
        return Admitted(authenticated)


