"""Who is looking at the DSL tab: a Teams SSO token (Microsoft Entra ID) checked on the server, or in
development a loopback-only sign-in for testing.

The tab shows every open request and decision of an organisation, so the server, never the page,
decides: the token's signature, issuer (a tenant on the allow-list), audience (this app) and expiry
are checked the way the bot's own tokens are (bot/http/security.py), and only a DSL or deputy of the
organisation the directory puts the user in gets an answer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import PyJWKClient

from bot.config import Settings

log = logging.getLogger("sharesafe.dsl_tab")

# Where Entra ID publishes its signing keys (the "common" endpoint covers every tenant; the issuer
# check below then narrows it to the allow-list). Tests point this at a key server on 127.0.0.1.
ENTRA_JWKS_URL = "https://login.microsoftonline.com/common/discovery/v2.0/keys"
DEV_ISSUER = "sharesafe-dev-signin"
DEV_TOKEN_SECONDS = 8 * 3600
LEEWAY_SECONDS = 60
JWKS_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TabUser:
    """A signed-in viewer: every id the directory may list them under, and their display name."""

    ids: tuple[str, ...]
    name: str
    tenant: str = ""


class NotSignedIn(Exception):
    """No valid token: the answer is 401 (the reason goes to the log, never the token)."""


def is_loopback_address(host: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1 (the only addresses the development sign-in answers)."""
    try:
        return bool(host) and ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _bearer(header: str) -> str:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotSignedIn("no bearer token")
    return token.strip()


class TabAuth:
    """Checks tab tokens: Entra ID SSO tokens in production, development tokens otherwise."""

    def __init__(self, settings: Settings, jwks_url: str | None = None) -> None:
        self.app_id = settings.APP_ID or ""
        self.domain = settings.BOT_DOMAIN
        self.production = settings.auth_enabled
        self.tenants = frozenset() if settings.any_tenant else frozenset(settings.ALLOWED_TENANTS)
        self.jwks_url = jwks_url or ENTRA_JWKS_URL
        self._jwks: PyJWKClient | None = None
        # A fresh secret each start: development tokens never outlive the process that signed them.
        self._dev_secret = secrets.token_bytes(32)

    # ---- development ---------------------------------------------------------------------------

    def dev_token(self, user_id: str, name: str = "") -> str:
        """A short-lived development token for user_id (only offered when no APP_ID is configured)."""
        if self.production:
            raise NotSignedIn("development sign-in is off in production")
        now = int(time.time())
        claims = {"iss": DEV_ISSUER, "sub": user_id, "name": name or user_id, "iat": now, "exp": now + DEV_TOKEN_SECONDS}
        return jwt.encode(claims, self._dev_secret, algorithm="HS256")

    # ---- checking ------------------------------------------------------------------------------

    async def user(self, authorization: str) -> TabUser:
        """The viewer a request's Authorization header proves, or NotSignedIn."""
        token = _bearer(authorization)
        if not self.production:
            try:
                claims = jwt.decode(token, self._dev_secret, algorithms=["HS256"], issuer=DEV_ISSUER,
                                    options={"require": ["exp", "sub", "iss"]}, leeway=LEEWAY_SECONDS)
            except jwt.PyJWTError as exc:
                raise NotSignedIn(type(exc).__name__) from exc
            return TabUser(ids=(str(claims["sub"]),), name=str(claims.get("name") or ""))
        return await self._entra_user(token)

    async def _signing_key(self, token: str) -> Any:
        if self._jwks is None:
            self._jwks = PyJWKClient(self.jwks_url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS, timeout=5)
        try:
            # PyJWKClient fetches with blocking urllib: off the event loop, like the bot's own keys.
            return await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            log.error("tab sign-in: Entra ID signing keys unavailable")
            raise NotSignedIn("signing keys unavailable") from exc
        except jwt.PyJWTError as exc:
            raise NotSignedIn(type(exc).__name__) from exc

    def _audience_ok(self, audience: Any) -> bool:
        # Teams SSO tokens name the app as api://<domain>/<app id> (or the bare app id). With
        # BOT_DOMAIN set (as the Teams app package needs it), only this deployment's own URI counts.
        values = audience if isinstance(audience, list) else [audience]
        own = f"api://{self.domain}/{self.app_id}" if self.domain else None
        return bool(self.app_id) and any(
            isinstance(a, str) and (a == self.app_id or (a == own if own else
                                                          (a.startswith("api://") and a.endswith("/" + self.app_id))))
            for a in values)

    async def _entra_user(self, token: str) -> TabUser:
        key = await self._signing_key(token)
        try:
            claims = jwt.decode(token, key.key, algorithms=["RS256"], leeway=LEEWAY_SECONDS,
                                options={"require": ["exp", "iss", "aud", "tid"], "verify_aud": False})
        except jwt.PyJWTError as exc:
            raise NotSignedIn(type(exc).__name__) from exc
        tenant = str(claims.get("tid") or "")
        issuers = {f"https://login.microsoftonline.com/{tenant}/v2.0", f"https://sts.windows.net/{tenant}/"}
        if claims.get("iss") not in issuers:
            raise NotSignedIn("wrong issuer")
        if not self._audience_ok(claims.get("aud")):
            raise NotSignedIn("wrong audience")
        if self.tenants and tenant not in self.tenants:
            raise NotSignedIn("tenant not allowed")
        oid = str(claims.get("oid") or "")
        if not oid:
            raise NotSignedIn("no object id")
        return TabUser(ids=(oid,), name=str(claims.get("name") or ""), tenant=tenant)
