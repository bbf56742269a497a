"""Shared pieces for the escalation tests: a directory file, a recording messenger, a clock, a
loopback webhook receiver, and the engine effects the dialog emits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.escalation.service import DeliveryFailed
from dialogs.model import Effect, Practitioner, UserInput
from dialogs.pack import load_builtin

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

    sent: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    fail_all: bool = False
    attempts: int = 0

    async def send(self, reference: dict[str, Any], activity: dict[str, Any]) -> None:
        self.attempts += 1
        conversation = reference["conversation"]["id"]
        if self.fail_all or conversation in self.failing:
            raise DeliveryFailed("http 500", 500)
        self.sent.append((reference, activity))

    def to(self, conversation_id: str) -> list[dict[str, Any]]:
        """Activities delivered to one conversation."""
        return [a for r, a in self.sent if r["conversation"]["id"] == conversation_id]

    def texts(self, conversation_id: str) -> list[str]:
        """The plain texts delivered to one conversation."""
        return [a["text"] for a in self.to(conversation_id) if a.get("text")]

    def cards(self, conversation_id: str) -> list[dict[str, Any]]:
        """The Adaptive Cards delivered to one conversation."""
        return [att["content"] for a in self.to(conversation_id) for att in a.get("attachments") or []]


def card_text(card: dict[str, Any]) -> str:
    """Every string on a card, flattened (text blocks, facts, button titles)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "placeholder", "label"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


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
class WebhookReceiver:
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
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/mash"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
