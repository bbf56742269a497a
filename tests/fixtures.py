"""What the tests share, in one place (the pytest fixtures themselves are in tests/conftest.py).

- Escalation: the directory file, a recording messenger, a hand-moved clock, a loopback MASH webhook
  receiver, the engine effects the dialog emits and the escalation service built on real stores.
- The SDKs the edge runs on (tests/conftest.py runs every edge test on each).
- Security and operations: a fake OpenID metadata + JWKS server on 127.0.0.1 (in its own thread),
  each SDK's switch for where it fetches signing keys, forged Bot Framework tokens, outbound
  credentials for each SDK that never call Azure AD, and an HTTP walk that files a decision record.
- People talking to the app over HTTP (say, ask_dsl, open_chats) and what the bot showed them.
- A decision record as the bot files it, and the national flowchart's answer paths.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Collection

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import MicrosoftAppCredentials, PasswordServiceClientCredentialFactory
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.channels.reference import ConversationRef, DeliveryFailed
from bot.escalation.directory import FileDirectory
from bot.escalation.service import EscalationService, EscalationSettings
from bot.http import app as app_module
from dialogs.model import TEXT_SUBMIT, Effect, Practitioner, UserInput
from dialogs.pack import builtin_ids, load_builtin
from state.factory import Stores
from tests.fake_connector import TENANT_ID, LoopbackServer, message_activity, post_activity

PACK = load_builtin("cambridgeshire")
JOIN_CODE = "oak-tree-4729"
MASH_CHANNEL = "19:mash-consult@thread.tacv2"
# Friday 24 December 2027, 09:00 in London (GMT): the next working day is Wednesday 29 December.
T0 = datetime(2027, 12, 24, 9, 0, tzinfo=timezone.utc)

DIRECTORY_YAML = """
admins: ["29:admin"]
partnerships:
  cambs:
    name: Cambridgeshire and Peterborough Safeguarding Partnership
    mash:
      channel: "{channel}"
      webhook: {webhook}
      webhook_secret_env: TEST_MASH_SECRET
organisations:
  oakfield:
    name: Oakfield Primary School
    partnership: cambs
    pack: cambridgeshire
    dsls:
      - {{id: "29:dsl-1", name: Alex Lead}}
    deputies: ["29:dep-1"]
    members: ["29:prac-1", "29:prac-2"]
  riverside:
    name: Riverside Academy
    members: ["29:prac-r"]
  nomash:
    name: No MASH School
    dsls: ["29:dsl-n"]
    members: ["29:prac-n"]
"""


def write_directory(tmp_path: Path, webhook: str = "https://mash.invalid/hook", channel: str = MASH_CHANNEL) -> Path:
    """The directory file for the tests (Oakfield in the Cambridgeshire partnership)."""
    path = tmp_path / "directory.yaml"
    path.write_text(DIRECTORY_YAML.format(webhook=webhook, channel=channel), encoding="utf-8")
    return path


ENVIRON = {"SHARESAFE_JOIN_CODE_OAKFIELD": JOIN_CODE, "TEST_MASH_SECRET": "s3cret-key"}


def reference(user_id: str, conversation_id: str, service_url: str = "http://127.0.0.1:9/") -> dict[str, Any]:
    """A serialised ConversationReference, as the edge stores it."""
    return {
        "activityId": None,
        "user": {"id": user_id, "name": user_id},
        "bot": {"id": "28:sharesafe-bot", "name": "ShareSafe"},
        "conversation": {"id": conversation_id, "conversationType": "personal"},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@dataclass
class RecordingMessenger:
    """Records every proactive send; fails sends to conversations listed in `failing` (or all)."""

    sent: list[tuple[ConversationRef, dict[str, Any]]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    fail_all: bool = False
    attempts: int = 0

    async def send(self, reference: ConversationRef, activity: dict[str, Any]) -> None:
        self.attempts += 1
        conversation = reference.conversation_id
        if self.fail_all or conversation in self.failing:
            raise DeliveryFailed("http 500", 500)
        self.sent.append((reference, activity))

    def to(self, conversation_id: str) -> list[dict[str, Any]]:
        """Activities delivered to one conversation."""
        return [a for r, a in self.sent if r.conversation_id == conversation_id]

    def texts(self, conversation_id: str) -> list[str]:
        """The plain texts delivered to one conversation."""
        return [a["text"] for a in self.to(conversation_id) if a.get("text")]

    def cards(self, conversation_id: str) -> list[dict[str, Any]]:
        """The Adaptive Cards delivered to one conversation."""
        return [att["content"] for a in self.to(conversation_id) for att in a.get("attachments") or []]


def strings_in(node: Any, keys: Collection[str]) -> list[str]:
    """Every string held under one of `keys` anywhere in a JSON tree (a card, activities)."""
    found: list[str] = []
    nested: list[Any] = []
    if isinstance(node, dict):
        found += [value for key, value in node.items() if key in keys and isinstance(value, str)]
        nested = [value for value in node.values() if isinstance(value, (dict, list))]
    elif isinstance(node, list):
        nested = node
    for child in nested:
        found += strings_in(child, keys)
    return found


def card_text(card: dict[str, Any]) -> str:
    """Every string on a card, flattened (text blocks, facts, button titles)."""
    return "\n".join(strings_in(card, ("text", "title", "value", "placeholder", "label")))


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit's data on a card, including those inside a ShowCard."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


SUMMARY = {
    "pack": {"id": "cambridgeshire", "version": "1.0"},
    "stuck_on": PACK.nodes["has_consent"].text if "has_consent" in PACK.nodes else "Do you have consent?",
    "outcome": "",
    "answers": [{"question": "Is there a clear and legitimate purpose for sharing?", "answer": "Yes"}],
}


def escalate_effect(key: str = "dsl:1", urgent: bool = False, note: str = "Unsure if a bruise counts") -> Effect:
    """The effect the engine emits on Send in the "Ask my DSL" form."""
    return Effect(kind="escalate", key=key, data={
        "summary": SUMMARY, "note": note, "urgent": urgent,
        "consent": {"status": "not_sought", "reason": ""}, "requested_at": "2027-12-24T09:00:00Z",
    })


def handoff_effect(key: str = "mash:1", urgent: bool = True) -> Effect:
    """The effect the engine emits on Send in the MASH consultation form."""
    return Effect(kind="handoff", key=key, data={
        "summary": SUMMARY,
        "referrer": {"referrer_name": "Sam Teacher", "agency": "Oakfield Primary", "role": "Class teacher",
                     "phone": "01234 567890"},
        "concern": "Repeated unexplained injuries",
        "consent": {"status": "not_sought", "reason": "It would put the child at increased risk"},
        "urgent": urgent, "requested_at": "2027-12-24T09:00:00Z",
    })


def practitioner_input(user_id: str = "29:prac-1", name: str = "Sam Teacher", organisation: str = "") -> UserInput:
    """The turn input the effect came with (the runner fills in the organisation)."""
    return UserInput(text="", user=Practitioner(user_id=user_id, name=name, organisation=organisation),
                     now=T0, activity_id="act-1")


@dataclass
class WebhookReceiver(LoopbackServer):
    """A loopback HTTPS-stand-in that records the MASH packets it is sent."""

    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200
    url: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> "WebhookReceiver":
        app = web.Application()

        async def handle(request: web.Request) -> web.Response:
            self.received.append((dict(request.headers), await request.read()))
            return web.json_response({"ok": self.status < 300}, status=self.status)

        app.router.add_post("/mash", handle)
        await self._serve(app, "/mash")
        return self


# ---- Security and operations ----------------------------------------------------------------------

# The SDKs the edge runs on (SHARESAFE_SDK); tests/conftest.py runs every edge test on each.
SDKS = ("botframework", "agents")
AGENTS_MISSING = "" if importlib.util.find_spec("microsoft_agents") else (
    "the Microsoft 365 Agents SDK is not installed: pip install -r requirements-agents.txt")

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


TRUSTED = rsa_key()  # the key the loopback key server holds: tokens signed with it are Microsoft's
UNTRUSTED = rsa_key()
KID = "trusted-key-1"


class OpenIdServer:
    """OpenID metadata and a JWKS on 127.0.0.1, served from a thread (by default holding TRUSTED)."""

    def __init__(self, keys: dict[str, rsa.RSAPrivateKey] | None = None) -> None:
        keys = {KID: TRUSTED} if keys is None else keys
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

    @property
    def keys_url(self) -> str:
        """The key set's own address (the Agents SDK names the JWKS, not the metadata)."""
        return "/".join(self.url.split("/")[:3]) + "/keys"

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def point_key_validation_at(server: OpenIdServer, sdk: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `sdk`'s token validation fetch Microsoft's signing keys from `server`, through each SDK's
    own switch for it, for every app built after this."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    if sdk == "agents":
        from microsoft_agents.hosting.core.authorization import AuthenticationConstants

        from bot.channels.agents.auth import AgentsAuthentication

        monkeypatch.setattr(AgentsAuthentication, "key_set_urls",
                            {AuthenticationConstants.PUBLIC_ABS_JWKS_URL: server.keys_url})
    else:
        from botframework.connector.auth import ChannelValidation

        # The documented switch (botbuilder's own tests use it).
        monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", server.url)


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


class LoopbackTokens:
    """The Agents SDK's token provider for outgoing messages, without asking Azure AD."""

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        """A fixed token (the fake Bot Connector accepts any)."""
        return "outbound-test-token"


def outbound_credentials(sdk: str) -> Any:
    """What signs the app's replies on `sdk` (create_app's credentials_factory), never calling Azure AD."""
    return LoopbackTokens() if sdk == "agents" else LoopbackCredentialFactory(APP_ID, APP_PASSWORD)


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
    return "\n".join(strings_in(activities, ("text", "title", "value", "summary")))


def record_answers(marker: str) -> list[dict[str, str]]:
    """The record form's answers, each typed field carrying `marker`."""
    typed = [f"Attendance concerns {marker}-info", "both", f"MASH social worker {marker}-role",
             f"Children's social care {marker}-org", f"Child protection referral {marker}-purpose",
             "mash_form", "no_risk", "yes", "no", "significant_harm", "public_task", "yes"]
    return [{"choice": TEXT_SUBMIT, "text": a} if " " in a else {"choice": a} for a in typed]


async def file_record(client: Any, who: tuple[str, str, str], marker: str) -> str:
    """Walk the flowchart and file a decision record over HTTP; return its reference."""
    await say_accepted(client, who, "hello")
    await say_accepted(client, who, value={"choice": "share"})
    for answer in WALK:
        await say_accepted(client, who, value={"choice": answer})
    await say_accepted(client, who, value={"choice": "record"})
    for value in record_answers(marker):
        await say_accepted(client, who, value=value)
    sent = await say_accepted(client, who, value={"choice": "confirm"})
    found = re.search(r"ISR-\d{4}-\d{6}", texts(sent))
    assert found, texts(sent)
    return found.group(0)


# ---- The escalation service on real stores, without HTTP ----------------------------------------------

PACKS = {pid: load_builtin(pid) for pid in builtin_ids()}
SERVICE_SETTINGS = EscalationSettings(quick_retry_delays=(0.0, 0.0), retry_delays=(30.0, 60.0))
DSL_CONV, DEPUTY_CONV, PRAC_CONV = "a:dsl-1", "a:dep-1", "a:prac-1"


async def no_sleep(_: float) -> None:
    """Retry back-off that takes no time (the tests move the clock themselves)."""
    return None


def make_service(stores: Stores, tmp_path: Path, *, messenger: RecordingMessenger, clock: FakeClock,
                 webhook_url: str = "https://mash.invalid/hook", settings: EscalationSettings = SERVICE_SETTINGS,
                 worker_id: str = "w1") -> EscalationService:
    """The escalation service on these stores, the test directory, a recording messenger and a hand clock."""
    directory = FileDirectory.load(write_directory(tmp_path, webhook_url), environ=ENVIRON)
    return EscalationService(
        escalations=stores.escalations, references=stores.references, registrations=stores.registrations,
        directory=directory, packs=PACKS, default_pack="national-2018", messenger=messenger,
        settings=settings, clock=clock, sleep=no_sleep, environ=ENVIRON, worker_id=worker_id,
    )


async def seed_references(stores: Stores) -> None:
    """The DSL's, the deputy's and the practitioner's conversation references, as if each had said hello."""
    await stores.references.put("29:dsl-1", reference("29:dsl-1", DSL_CONV))
    await stores.references.put("29:dep-1", reference("29:dep-1", DEPUTY_CONV))
    await stores.references.put(f"conv:{PRAC_CONV}", reference("29:prac-1", PRAC_CONV))


# ---- People talking to the app over HTTP ---------------------------------------------------------------

DSL = ("29:dsl-1", "a:dsl-1", "Alex Lead")
DEPUTY = ("29:dep-1", "a:dep-1", "Bo Deputy")
PRAC = ("29:prac-1", "a:prac-1", "Sam Teacher")


def on_hand_clock(app: Any, clock: FakeClock) -> Any:
    """The app's escalation service on a hand-moved clock, with instant quick retries."""
    service = app[app_module.ESCALATION_KEY]
    service.clock = clock
    service.sleep = no_sleep
    service.settings = replace(service.settings, quick_retry_delays=(0.0, 0.0), retry_delays=(30.0, 60.0))
    return service


async def serve_app(settings: Any, connector: Any, **options: Any) -> TestClient:
    """The real app (create_app) on a loopback test server, its replies going to the fake Bot
    Connector; its escalations on a hand-moved clock (client.clock), so no test waits on real time."""
    http = TestClient(TestServer(app_module.create_app(settings, **options), host="127.0.0.1"))
    await http.start_server()
    http.fake_connector = connector
    http.clock = FakeClock()
    http.service = on_hand_clock(http.app, http.clock)
    return http


async def say_accepted(client: Any, who: tuple[str, str, str], text: str | None = None, value: dict | None = None,
                       **extra: Any) -> list[dict[str, Any]]:
    """One Teams message from a person, which the bot must accept; every activity it sent during that turn."""
    status, sent = await say(client, who, text, value, **extra)
    assert status in (200, 201, 202), status
    return sent


def to(sent: list[dict[str, Any]], conversation_id: str) -> list[dict[str, Any]]:
    """The activities in `sent` addressed to one conversation."""
    return [a for a in sent if a["conversation"]["id"] == conversation_id]


def texts_of(activities: list[dict[str, Any]]) -> str:
    """Everything readable in activities: plain text and card text."""
    out = []
    for activity in activities:
        if activity.get("text"):
            out.append(activity["text"])
        for attachment in activity.get("attachments") or []:
            out.append(card_text(attachment["content"]))
    return "\n".join(out)


async def open_chats(client: Any, *people: tuple[str, str, str]) -> None:
    """Each person says hello to the bot once (so ShareSafe has their conversation reference)."""
    for person in people:
        await say_accepted(client, person, "hello")


async def ask_dsl(client: Any, who: tuple[str, str, str] = PRAC, *, urgent: bool = False,
                  note: str = "Unsure if a bruise counts", **extra: Any) -> list[dict[str, Any]]:
    """"Ask my DSL" through the form; the activities of the Send turn."""
    await say_accepted(client, who, "ask my DSL")
    await say_accepted(client, who, value={"choice": TEXT_SUBMIT, "text": note})
    await say_accepted(client, who, value={"choice": "urgent" if urgent else "routine"})
    return await say_accepted(client, who, value={"choice": "confirm"}, **extra)


async def ask_mash(client: Any, who: tuple[str, str, str] = PRAC, *, urgent: bool = False) -> list[dict[str, Any]]:
    """"Request MASH professional consultation" with consent obtained; the activities of the Send turn."""
    await say_accepted(client, who, "Request MASH professional consultation")
    for words in ["Sam Teacher", "Oakfield Primary", "Class teacher", "01234 567890", "Repeated injuries"]:
        await say_accepted(client, who, value={"choice": TEXT_SUBMIT, "text": words})
    await say_accepted(client, who, value={"choice": "obtained"})
    await say_accepted(client, who, value={"choice": "urgent" if urgent else "routine"})
    return await say_accepted(client, who, value={"choice": "confirm"})


async def add_bot_to_mash_team(client: Any) -> None:
    """The conversationUpdate Teams sends when the bot is added to the MASH team."""
    activity = message_activity(client.fake_connector.url, conversation_id=MASH_CHANNEL, user_id="29:mash-admin",
                                conversation_type="channel")
    activity["type"] = "conversationUpdate"
    activity["membersAdded"] = [{"id": "28:sharesafe-bot"}]
    activity["channelData"] = {"tenant": {"id": TENANT_ID}, "team": {"id": MASH_CHANNEL},
                               "channel": {"id": MASH_CHANNEL}, "eventType": "teamMemberAdded"}
    status, _ = await post_activity(client, activity, client.fake_connector)
    assert status in (200, 201, 202)


# ---- A decision record as the bot files it -------------------------------------------------------------


def make_record(
    user_id: str = "u-1",
    organisation: str = "school-a",
    created_at: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A decision record as the bot files it (free text included, as in real use)."""
    record: dict[str, Any] = {
        "practitioner": {"user_id": user_id, "name": "Sam Teacher", "organisation": organisation},
        "pack": {"id": "national", "version": "2018.1"},
        "decision": "share",
        "lawful_basis": "public task",
        "consent": {"status": "not_sought", "why": "would increase risk of significant harm"},
        "shared": {"what": "bruise on left arm — child said “dad did it”", "with": "MASH"},
    }
    if created_at is not None:
        record["created_at"] = created_at
    record.update(extra)
    return record


# ---- The national flowchart's answer paths --------------------------------------------------------------
# test_flowchart_paths walks each one; test_local_packs checks every partnership pack keeps them.
# Each row cites the source document and section it comes from.

# Before consent: a clear purpose, no legal duty (Sandwell 6.7 and Appendix 2 Q1 come first).
BEFORE = ["yes", "no"]
HARM = BEFORE + ["yes"]  # a worry about harm: the threshold question comes next
EARLY_HELP = HARM + ["no"]  # below significant harm: consent is needed
NO_HARM = BEFORE + ["no"]  # not a worry about harm: the rest of the flowchart
TO_CONSENT = NO_HARM + ["yes", "yes"]  # identifies someone, confidential
VALID = ["given", "yes", "no", "yes", "no"]  # right person, no conflict, freely given, no imbalance

NATIONAL_PATHS = [
    # id, entry, answers, outcome, decision, golden rules, consent status
    # Sandwell Appendix 2 Q1: no clear and legitimate purpose -> do not share.
    ("no-purpose", "share", ["no"], "outcome_do_not_share", "do_not_share", [6, 7], "not_decided"),
    # Bradford flowchart: seek advice if unsure at any stage (golden rule 3).
    ("unsure-purpose", "share", ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 6.7: a statutory duty or court order comes before consent, which should not be sought.
    ("court-order", "share", ["yes", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-duty", "share", ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 5.4 and Surrey 4: a worry about harm must not be ignored.
    ("unsure-harm", "share", BEFORE + ["not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5, 7], "not_decided"),
    ("unsure-threshold", "share", HARM + ["not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5, 7], "not_decided"),
    # Sandwell Appendix 2 "Safeguarding": significant harm -> refer without consent, talk to the family if safe.
    ("significant-harm", "share", HARM + ["yes", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    # Sandwell 6.3 / Surrey 4: do not seek consent if it would increase risk, prejudice serious crime, delay.
    ("sh-risk", "share", HARM + ["yes", "risk_of_harm"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-adult", "share", HARM + ["yes", "adult_serious_harm"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-crime", "share", HARM + ["yes", "serious_crime"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-delay", "share", HARM + ["yes", "unjustified_delay"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-unsure-telling", "share", HARM + ["yes", "not_sure"], "outcome_refer_ask_dsl", "share", [3, 5, 7], "not_decided"),
    # Cambridgeshire "When consent should be sought"; Sandwell Appendix 2 "Early Help".
    ("early-help-not-asked", "share", EARLY_HELP + ["not_asked"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_yet_sought"),
    ("early-help-given", "share", EARLY_HELP + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    ("early-help-refused", "share", EARLY_HELP + ["refused", "parent", "no"], "outcome_do_not_share_no_basis", "do_not_share", [3, 4, 7], "refused"),
    ("early-help-unsure", "share", EARLY_HELP + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell Appendix 2 Q2: anonymised information can be shared for a legitimate purpose.
    ("anonymised", "share", NO_HARM + ["no"], "outcome_share_anonymised", "share", [1, 6, 7], "not_needed"),
    ("unsure-identifies", "share", NO_HARM + ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q3: not confidential -> share appropriately (Appendix 4 flowchart).
    ("not-confidential", "share", NO_HARM + ["yes", "no"], "outcome_share", "share", [1, 6, 7], "not_needed"),
    ("unsure-confidential", "share", NO_HARM + ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q4 and schools guidance: valid consent from the right person.
    ("valid-consent", "share", TO_CONSENT + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    ("unsure-has-consent", "share", TO_CONSENT + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell Q4: doubt about capacity, or conflict between parent and child -> safeguarding lead.
    ("unsure-whose", "share", TO_CONSENT + ["given", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("wrong-person", "share", TO_CONSENT + ["given", "no"], "outcome_consent_not_valid", "seek_advice", [2, 3, 4, 7], "not_valid"),
    ("conflict", "share", TO_CONSENT + ["given", "yes", "yes"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("unsure-conflict", "share", TO_CONSENT + ["given", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Schools guidance: consent under pressure is not freely given, so not valid.
    ("consent-not-free", "share", TO_CONSENT + ["given", "yes", "no", "no"], "outcome_consent_not_valid", "seek_advice", [2, 3, 4, 7], "not_valid"),
    ("unsure-free", "share", TO_CONSENT + ["given", "yes", "no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell 6.3: with an imbalance of power consent is not valid even when given; public task applies.
    ("imbalance", "share", TO_CONSENT + ["given", "yes", "no", "yes", "yes"], "outcome_share_public_task", "share", [1, 4, 6, 7], "not_valid"),
    ("unsure-imbalance", "share", TO_CONSENT + ["given", "yes", "no", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "obtained"),
    # Sandwell Appendix 2 Q5 / Cambridgeshire: refused, but public interest -> share.
    ("refused-public-interest", "share", TO_CONSENT + ["refused", "parent", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "refused"),
    # Golden rules 3 and 4: respect a refusal (a young person's own included) where there is no other basis.
    ("withdrawn-no-basis", "share", TO_CONSENT + ["withdrawn", "young_person", "no"], "outcome_do_not_share_no_basis", "do_not_share", [3, 4, 7], "withdrawn"),
    # Unsure after a refusal: respect their wishes until advice says otherwise (rules 3 and 4).
    ("refused-unsure", "share", TO_CONSENT + ["refused", "parent", "not_sure"], "outcome_seek_advice_refusal", "seek_advice", [3, 4, 7], "refused"),
    # Sandwell Appendix 2 Q4: the capacity of the person refusing; in doubt, seek guidance.
    ("refusal-capacity", "share", TO_CONSENT + ["refused", "may_lack_capacity"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    ("refusal-conflict", "share", TO_CONSENT + ["refused", "disagree"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    ("refusal-whose-unsure", "share", TO_CONSENT + ["refused", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    # Sandwell 6.3 and Appendix 2 Q5: serious crime as a reason, with the public interest.
    ("not-sought-crime", "share", TO_CONSENT + ["not_asked", "yes", "serious_crime", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-risk-no-basis", "share", TO_CONSENT + ["not_asked", "yes", "risk_of_harm", "no"], "outcome_not_sought_no_basis", "seek_advice", [2, 3, 4, 7], "not_sought"),
    ("not-sought-power", "share", TO_CONSENT + ["not_asked", "yes", "imbalance_of_power"], "outcome_share_public_task", "share", [1, 4, 6, 7], "not_sought"),
    ("not-sought-crime-unsure", "share", TO_CONSENT + ["not_asked", "yes", "serious_crime", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_sought"),
    ("unsure-reason", "share", TO_CONSENT + ["not_asked", "yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    ("ask-consent", "share", TO_CONSENT + ["not_asked", "no"], "outcome_ask_consent", "do_not_share", [2, 4, 7], "not_decided"),
    ("unsure-would-harm", "share", TO_CONSENT + ["not_asked", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # The "Do I need consent?" entry asks about a legal duty and a worry about harm first.
    ("consent-entry-court-order", "consent", ["yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("consent-entry-significant-harm", "consent", ["no", "yes", "yes", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    ("consent-entry-valid", "consent", ["no", "no", "yes", "yes"] + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
]


# ---- The source documents the packs cite ------------------------------------------------------------------
# Not in the repository: the partnerships' documents are theirs (only the national guidance is under
# the Open Government Licence), so a citation test reads them from ../shared/seeds beside the
# repository or from the folder SHARESAFE_SEEDS names (as `python -m bot packs check` does), and
# is skipped, saying so, where they are absent.

SEEDS = Path(os.environ.get("SHARESAFE_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
NO_SEEDS = (f"needs the source documents the packs cite, not found at {SEEDS}: put them in ../shared/seeds "
            "beside the repository or set SHARESAFE_SEEDS to their folder")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=NO_SEEDS)
