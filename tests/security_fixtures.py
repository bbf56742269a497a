"""Shared pieces for the security and operations tests: a fake OpenID metadata + JWKS server on
127.0.0.1 (in its own thread: botbuilder fetches the keys with blocking `requests`), forged Bot
Framework tokens, an outbound credential that never calls Azure AD, and an HTTP walk that files a
decision record with marker text."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from botframework.connector.auth import MicrosoftAppCredentials, PasswordServiceClientCredentialFactory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from dialogs.model import TEXT_SUBMIT
from tests.fake_connector import message_activity, post_activity

APP_ID = "11111111-2222-3333-4444-555555555555"
APP_PASSWORD = "not-a-real-secret"
CHANNEL_ISSUER = "https://api.botframework.com"  # what Bot Framework puts in `iss` for channel tokens
WALK = ["yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "yes"]


def rsa_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA signing key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> bytes:
    """The private key as PEM, for PyJWT."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class OpenIdServer:
    """OpenID metadata and a JWKS on 127.0.0.1, served from a thread."""

    def __init__(self, keys: dict[str, rsa.RSAPrivateKey]) -> None:
        self.jwks = {"keys": [self._jwk(kid, key) for kid, key in keys.items()]}
        self._server: ThreadingHTTPServer | None = None
        self.url = ""
        self.requests = 0

    @staticmethod
    def _jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        # Bot Framework's keys carry the channels they are endorsed for.
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256", "endorsements": ["msteams", "webchat", "emulator"]})
        return jwk

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Serve the metadata or the JWKS to one GET (404 for any other path)."""
        base = f"http://127.0.0.1:{handler.server.server_address[1]}"
        if handler.path.endswith("openidconfiguration"):
            body: Any = {"issuer": CHANNEL_ISSUER, "jwks_uri": f"{base}/keys",
                         "id_token_signing_alg_values_supported": ["RS256"]}
        elif handler.path == "/keys":
            body = self.jwks
        else:
            handler.send_response(404)
            handler.end_headers()
            return
        data = json.dumps(body).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def start(self) -> "OpenIdServer":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.requests += 1
                owner.answer(self)

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        # A path of its own: botbuilder caches metadata per URL for the whole process.
        self.url = (f"http://127.0.0.1:{self._server.server_address[1]}/{uuid.uuid4().hex}"
                    "/v1/.well-known/openidconfiguration")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def channel_token(key: rsa.RSAPrivateKey, kid: str, service_url: str, *, audience: str = APP_ID,
                  issuer: str = CHANNEL_ISSUER, expires_in: int = 3600, **claims: Any) -> str:
    """A token shaped like the one Bot Framework sends with every activity, signed with `key`."""
    now = int(time.time())
    body = {"iss": issuer, "aud": audience, "serviceurl": service_url, "nbf": now - 60, "iat": now - 60,
            "exp": now + expires_in, "jti": uuid.uuid4().hex, **claims}
    return jwt.encode(body, pem(key), algorithm="RS256", headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(secret: bytes, kid: str, service_url: str) -> str:
    """The classic forgery: HMAC-signed with the bot's *public* key as the secret."""
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = _b64(json.dumps({"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": service_url,
                               "nbf": now - 60, "exp": now + 3600}).encode())
    signature = _b64(hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def unsigned_token(service_url: str) -> str:
    """alg "none": no signature at all."""
    now = int(time.time())
    return jwt.encode({"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60,
                       "exp": now + 3600}, None, algorithm="none")


class _LoopbackCredentials(MicrosoftAppCredentials):
    """Outbound credentials that never ask Azure AD (no traffic leaves 127.0.0.1)."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "outbound-test-token"


class LoopbackCredentialFactory(PasswordServiceClientCredentialFactory):
    """botbuilder's own factory (so `is_valid_app_id`, the audience check, is the SDK's), with
    outbound credentials that do not call Azure AD."""

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Any:
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return _LoopbackCredentials(app_id, self.password, None, oauth_scope)


async def say(client: Any, who: tuple[str, str, str], text: str | None = None, value: dict | None = None,
              headers: dict[str, str] | None = None, **extra: Any) -> tuple[int, list[dict[str, Any]]]:
    """One message from a person (user id, conversation id, display name): (status, activities sent)."""
    user_id, conversation_id, name = who
    activity = message_activity(client.fake_connector.url, text=text, value=value, conversation_id=conversation_id,
                                user_id=user_id, **extra)
    activity["from"]["name"] = name
    if headers is None:
        return await post_activity(client, activity, client.fake_connector)
    before = len(client.fake_connector.activities)
    response = await client.post("/api/messages", json=activity, headers=headers)
    await response.read()
    return response.status, client.fake_connector.activities[before:]


def texts(activities: list[dict[str, Any]]) -> str:
    """Every string the bot showed in these activities (plain text and card content)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key in ("text", "title", "value", "summary"):
                    out.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(activities)
    return "\n".join(out)


def record_answers(marker: str) -> list[dict[str, str]]:
    """The record form's answers, each typed field carrying `marker`."""
    typed = [f"Attendance concerns {marker}-info", "both", f"MASH social worker {marker}-role",
             f"Children's social care {marker}-org", f"Child protection referral {marker}-purpose",
             "mash_form", "no_risk", "yes", "no", "significant_harm", "public_task", "yes"]
    return [{"choice": TEXT_SUBMIT, "text": a} if " " in a else {"choice": a} for a in typed]


async def file_record(client: Any, who: tuple[str, str, str], marker: str) -> str:
    """Walk the flowchart and file a decision record over HTTP; return its reference."""
    async def ok(**kw: Any) -> list[dict[str, Any]]:
        status, sent = await say(client, who, **kw)
        assert status in (200, 201, 202), status
        return sent

    await ok(text="hello")
    await ok(value={"choice": "share"})
    for answer in WALK:
        await ok(value={"choice": answer})
    await ok(value={"choice": "record"})
    for value in record_answers(marker):
        await ok(value=value)
    sent = await ok(value={"choice": "confirm"})
    found = re.search(r"ISR-\d{4}-\d{6}", texts(sent))
    assert found, texts(sent)
    return found.group(0)
