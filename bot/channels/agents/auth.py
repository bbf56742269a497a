"""Who may post to /api/messages on the Agents SDK channel: the SDK's own JwtTokenValidator decides
what a valid token is (RS256 signature, expiry, audience = our app id, tenant binding, issuer), with
three changes that keep it as strict as the Bot Framework channel and unable to stall a worker:

- Signing keys come from SigningKeyCache (bot/http/signing_keys.py), not the SDK's PyJWKClient: fetched
  with aiohttp under a deadline, kept for their lifetime, and backing off after a failure, so a hung
  key server means 503 for unknown keys (Bot Service retries), never a request stuck for 30 s.
- An issuer we do not accept is refused before any key is fetched, so a forged token cannot make
  the worker fetch keys from wherever its `iss` points.
- As botbuilder does: a Bot Service token must name the activity's serviceUrl, and a key that lists
  the channels it is endorsed for must be endorsed for the activity's channel.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

import jwt
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.authorization.auth_types import AuthTypes
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

from bot.config import Settings
from bot.http.signing_keys import SigningKeyCache

BOT_SERVICE_ISSUERS = frozenset({AuthenticationConstants.AGENTS_SDK_TOKEN_ISSUER,
                                 AuthenticationConstants.GOV_AGENTS_SDK_TOKEN_ISSUER})


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's connection settings from ShareSafe's (APP_ID / APP_PASSWORD / APP_TYPE / APP_TENANTID)."""
    managed = settings.APP_TYPE == "UserAssignedMSI"
    return AgentAuthConfiguration(
        auth_type=AuthTypes.user_managed_identity if managed else AuthTypes.client_secret,
        client_id=settings.APP_ID or None,
        tenant_id=settings.APP_TENANTID or None,
        client_secret=None if managed else (settings.APP_PASSWORD or None),
        # Off by default in the SDK; a token from an issuer nobody configured is never a channel's.
        validate_issuer=True,
    )


class JwksCache(SigningKeyCache):
    """SigningKeyCache for a key set URL itself (the Agents SDK names the JWKS, not the metadata)."""

    names_key_set = True

    def _config(self, kid: str | None) -> Any:
        key = self.keys.get(str(kid))
        if key is None:
            return None
        if str(kid) not in self._parsed:
            self._parsed[str(kid)] = jwt.PyJWK.from_json(json.dumps(key))
        return self._parsed[str(kid)]


class _Validator(JwtTokenValidator):
    """The SDK's validator, its key lookups answered by JwksCache."""

    def __init__(self, configuration: AgentAuthConfiguration, keys: Callable[[str], JwksCache]) -> None:
        super().__init__(configuration)
        self._keys = keys
        self._jwk_client_manager = self  # instance attribute: the SDK's class-wide PyJWKClient is never used

    async def get_signing_key(self, jwks_uri: str, header: Mapping[str, Any]) -> jwt.PyJWK:
        """The key the token names (ValueError: 401), or SigningKeysUnavailable (503)."""
        key = await self._keys(jwks_uri).get(header.get(AuthenticationConstants.KEY_ID_HEADER))
        if key is None:
            raise ValueError("unknown signing key")
        return key


class AgentsAuthentication:
    """Authenticates one activity's Authorization header; anonymous when no APP_ID is set (the
    start-up checks in bot/http/security.py allow that only on a developer's own machine)."""

    # Where each of Microsoft's key sets is fetched from, when not from its own address: the switch
    # tests use to serve the keys from loopback (as botbuilder's use ChannelValidation.open_id_metadata_endpoint).
    key_set_urls: Mapping[str, str] = {}

    def __init__(self, settings: Settings, *, key_sets: Mapping[str, str] | None = None, clients: Any = None) -> None:
        self.enabled = settings.auth_enabled
        # The connector clients (adapter.ConnectorClients), closed with this object when the app
        # stops, as the Bot Framework channel's authentication closes its own.
        self.clients = clients
        self.configuration = auth_configuration(settings)
        # Where each key set is fetched from (tests point Microsoft's at a loopback server).
        self.key_sets = {**self.key_set_urls, **(key_sets or {})}
        self._caches: dict[str, JwksCache] = {}
        self._validator = _Validator(self.configuration, self.cache)
        self._issuers = frozenset(i.lower() for i in self.configuration.ISSUERS)

    def cache(self, jwks_uri: str) -> JwksCache:
        """The key cache for a key set URL (one per URL for the life of the app)."""
        url = self.key_sets.get(jwks_uri, jwks_uri)
        found = self._caches.get(url)
        if found is None:
            found = self._caches[url] = JwksCache(url)
        return found

    async def warm(self, app: Any = None) -> None:
        """Start fetching Bot Service's signing keys now, so the first message need not wait
        (an aiohttp on_startup handler)."""
        if self.enabled:
            self.cache(AuthenticationConstants.PUBLIC_ABS_JWKS_URL).warm()

    async def authenticate_request(self, activity: Any, auth_header: str) -> ClaimsIdentity:
        """The token's claims; raises for any token that is missing, forged, expired or not for us."""
        if not self.enabled:
            return ClaimsIdentity()  # anonymous: no Authorization header is sent back either
        scheme, _, token = (auth_header or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise PermissionError("no bearer token")
        issuer = jwt.decode(token, options={"verify_signature": False}).get(AuthenticationConstants.ISSUER_CLAIM)
        if not isinstance(issuer, str) or issuer.lower() not in self._issuers:
            raise PermissionError("issuer not accepted")
        identity = await self._validator.validate_token(token)
        claims = identity.claims
        if "exp" not in claims:
            raise PermissionError("token never expires")
        service_url = claims.get(AuthenticationConstants.SERVICE_URL_CLAIM)
        if (service_url is not None or issuer in BOT_SERVICE_ISSUERS) and service_url != activity.service_url:
            raise PermissionError("serviceurl claim does not match the activity")
        self._check_endorsement(token, str(activity.channel_id or ""))
        return identity

    def _check_endorsement(self, token: str, channel: str) -> None:
        kid = jwt.get_unverified_header(token).get(AuthenticationConstants.KEY_ID_HEADER)
        for cache in self._caches.values():
            key = cache.keys.get(str(kid))
            endorsements = key.get("endorsements") if key else None
            if endorsements and channel not in endorsements:
                raise PermissionError("signing key not endorsed for this channel")

    def connectors_created(self) -> int:
        """How many connector clients were built (one per service URL, as on the Bot Framework channel)."""
        return self.clients.created if self.clients is not None else 0

    async def close(self) -> None:
        """Close the connector clients (each key fetch has its own session, closed at its deadline)."""
        if self.clients is not None:
            await self.clients.close()
