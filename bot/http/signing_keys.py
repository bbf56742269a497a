"""Microsoft's signing keys, fetched off the event loop, for both SDKs' token validation: botbuilder's
(install_signing_key_cache) and the Agents SDK's (bot/channels/agents/auth.py). No SDK is imported
here at module level, so the Agents SDK channel does not load botbuilder.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, Mapping

import aiohttp

log = logging.getLogger("sharesafe.security")


# ---- Microsoft's signing keys, fetched off the event loop -----------------------------------------

# How long a request for a key we do not hold waits for a fetch already under way, before 503.
KEY_WAIT_SECONDS = 1.5
# One fetch (metadata, then the key set) gives up after this, however slowly the bytes come.
KEY_FETCH_TIMEOUT_SECONDS = 5.0
KEY_HTTP_TIMEOUT = aiohttp.ClientTimeout(connect=2.0, sock_read=3.0)
# Keys are refreshed in the background after this (the SDK's own period), sooner if the server says.
KEY_LIFETIME_SECONDS = 24 * 3600.0
KEY_MIN_LIFETIME_SECONDS = 300.0
# A token naming a key we do not hold triggers a fetch at most this often (else: 401 at once).
UNKNOWN_KEY_REFETCH_SECONDS = 300.0
# After a failed fetch, none is tried again for this long (doubling, up to the cap).
KEY_BACKOFF_SECONDS = 2.0
KEY_BACKOFF_MAX_SECONDS = 300.0


class SigningKeysUnavailable(Exception):
    """Microsoft's signing keys could not be fetched (or a fetch is backing off): answer 503."""


def _max_age(headers: Mapping[str, str]) -> float | None:
    for part in (headers.get("Cache-Control") or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.isdigit():
            return float(value)
    return None


# Microsoft's key set is about 10 KB; a larger answer is not one.
KEY_MAX_BYTES = 512 * 1024


async def get_json(session: aiohttp.ClientSession, url: str) -> tuple[Any, float | None]:
    """GET url: its JSON and its Cache-Control max-age; ValueError past KEY_MAX_BYTES. The caller
    bounds the whole fetch with a deadline (asyncio.timeout), so a server that dribbles bytes is cut off."""
    async with session.get(url) as response:
        response.raise_for_status()
        body = bytearray()
        async for chunk in response.content.iter_any():
            body += chunk
            if len(body) > KEY_MAX_BYTES:
                raise ValueError("signing key answer too large")
        return json.loads(bytes(body)), _max_age(response.headers)


class SigningKeyCache:
    """Bot Framework's OpenID metadata and signing keys for one metadata URL, without ever blocking
    the event loop: fetched with aiohttp under a deadline, kept for their lifetime, refreshed in
    the background, and after a failure not fetched again until a back-off has passed.

    Drop-in for the SDK's per-URL `_OpenIdMetadata` (`await get(kid)` -> key config or None), so
    botbuilder's own validation still decides what a valid token is. While the key server hangs,
    requests signed with known keys and /healthz go on as usual; a request naming a key we do not
    hold waits at most KEY_WAIT_SECONDS, then gets 503 (Bot Service retries).
    """

    # True when `url` names the key set itself rather than OpenID metadata that names it.
    names_key_set = False

    def __init__(self, url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self.clock = clock
        self.keys: dict[str, dict[str, Any]] = {}
        self._parsed: dict[str, Any] = {}
        self.fetched_at: float | None = None
        self.lifetime = KEY_LIFETIME_SECONDS
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._tried_at = -UNKNOWN_KEY_REFETCH_SECONDS

    async def _fetch(self) -> tuple[list[dict[str, Any]], float | None]:
        # A session per fetch: the cache outlives any one event loop, and a fetch is rare (daily,
        # or for an unknown key at most every UNKNOWN_KEY_REFETCH_SECONDS).
        async with aiohttp.ClientSession(timeout=KEY_HTTP_TIMEOUT) as session:
            url = self.url
            if not self.names_key_set:
                metadata, _ = await get_json(session, self.url)
                url = metadata["jwks_uri"]
            keys, max_age = await get_json(session, url)
        return list(keys["keys"]), max_age

    async def _refresh(self) -> None:
        self._tried_at = self.clock()
        try:
            # A server that sends a byte every few seconds never trips the read timeout: the
            # deadline cuts the whole fetch off, connection and all.
            async with asyncio.timeout(KEY_FETCH_TIMEOUT_SECONDS):
                keys, max_age = await self._fetch()
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError, KeyError, TypeError) as exc:
            self._failures += 1
            self._retry_at = self.clock() + min(KEY_BACKOFF_MAX_SECONDS, KEY_BACKOFF_SECONDS * 2 ** (self._failures - 1))
            log.error("signing keys not fetched (%s); next try in %.0f s", type(exc).__name__,
                      self._retry_at - self.clock())
            raise SigningKeysUnavailable(type(exc).__name__) from exc
        self.keys = {str(k.get("kid")): k for k in keys if isinstance(k, dict)}
        self._parsed = {}
        self.fetched_at = self.clock()
        self.lifetime = max(KEY_MIN_LIFETIME_SECONDS, min(KEY_LIFETIME_SECONDS, max_age or KEY_LIFETIME_SECONDS))
        self._failures = 0

    def _start(self) -> asyncio.Task[None] | None:
        """The fetch under way, or a new one unless backing off after a failure."""
        if self._task is not None and not self._task.done():
            return self._task
        if self.clock() < self._retry_at:
            return None
        self._task = asyncio.get_running_loop().create_task(self._refresh())
        # A background refresh that fails is logged in _refresh; nobody else awaits it.
        self._task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return self._task

    def warm(self) -> None:
        """Start fetching now (at start-up), so the first message does not wait for it."""
        self._start()

    def _config(self, kid: str | None) -> Any:
        from botframework.connector.auth.jwt_token_extractor import _OpenIdConfig
        from jwt.algorithms import RSAAlgorithm

        kid = str(kid)
        key = self.keys.get(kid)
        if key is None:
            return None
        if kid not in self._parsed:
            self._parsed[kid] = _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))
        return self._parsed[kid]

    async def get(self, kid: str | None) -> Any:
        """The key config for kid; None for a key the (fresh) key set lacks (401); raises
        SigningKeysUnavailable when the keys cannot be had in time (503)."""
        now = self.clock()
        if self.fetched_at is not None and now - self.fetched_at > self.lifetime:
            self._start()  # in the background: the keys we hold keep working meanwhile
        found = self._config(kid)
        if found is not None:
            return found
        if self.fetched_at is not None and now - self._tried_at < UNKNOWN_KEY_REFETCH_SECONDS:
            return None  # fetched lately and not there: forged, or not Microsoft's
        task = self._start()
        if task is None:
            raise SigningKeysUnavailable("backing off after a failed fetch")
        try:
            await asyncio.wait_for(asyncio.shield(task), KEY_WAIT_SECONDS)
        except TimeoutError:
            raise SigningKeysUnavailable("key fetch still under way") from None
        return self._config(kid)


_KEY_CACHES: dict[str, SigningKeyCache] = {}


def install_signing_key_cache() -> dict[str, SigningKeyCache]:
    """Make botbuilder's token validation use SigningKeyCache for every metadata URL (once per
    process: the SDK keeps its metadata per URL for the whole process too). Returns the caches."""
    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    def get_open_id_metadata(metadata_url: str) -> SigningKeyCache:
        cache = _KEY_CACHES.get(metadata_url)
        if cache is None:
            cache = _KEY_CACHES[metadata_url] = SigningKeyCache(metadata_url)
        return cache

    JwtTokenExtractor.get_open_id_metadata = staticmethod(get_open_id_metadata)
    return _KEY_CACHES
