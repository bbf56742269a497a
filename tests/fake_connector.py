"""A fake Bot Connector service on 127.0.0.1 that records every activity the bot sends, and helpers
that post real Bot Framework activities to the bot and return the replies of that turn."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

BOT_ID = "28:sharesafe-bot"
BOT_NAME = "ShareSafe"
TENANT_ID = "tenant-0001"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"


class LoopbackServer:
    """A test's own HTTP server on a free port of 127.0.0.1: _serve it, then stop it."""

    url: str = ""
    _runner: web.AppRunner | None = None

    async def _serve(self, app: web.Application, path: str) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{path}"

    async def stop(self) -> None:
        """Shut the server down."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@dataclass
class Received:
    """One call the bot made to the connector."""

    method: str
    path: str
    body: Any
    delivered: bool = True
    # The id the connector answered with (what the bot later names to update that activity).
    response_id: str = ""


@dataclass
class FakeConnector(LoopbackServer):
    """A real aiohttp server that answers every Bot Connector call with {"id": ...}."""

    calls: list[Received] = field(default_factory=list)
    url: str = ""
    # When set, every call is answered with this HTTP status (a connector outage).
    fail_with: int | None = None
    # Calls for these conversation ids are answered 500 (one unreachable DSL, say); others succeed.
    fail_conversations: set[str] = field(default_factory=set)
    _runner: web.AppRunner | None = None

    async def start(self) -> "FakeConnector":
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        await self._serve(app, "/")
        return self

    async def _handle(self, request: web.Request) -> web.Response:
        body: Any = None
        if request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                body = await request.text()
        status = self.fail_with
        if status is None and any(f"/conversations/{c}/" in request.path for c in self.fail_conversations):
            status = 500
        answer = f"act-{uuid.uuid4().hex[:12]}"
        self.calls.append(Received(request.method, request.path, body, delivered=status is None,
                                   response_id=answer if status is None else ""))
        if status is not None:
            return web.json_response({"error": {"code": "ServiceError", "message": "down"}}, status=status)
        return web.json_response({"id": answer})

    def sent_to(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every activity the bot delivered (2xx) to one conversation, proactive sends included."""
        return [c.body for c in self.calls
                if c.method == "POST" and f"/conversations/{conversation_id}/activities" in c.path
                and isinstance(c.body, dict) and c.delivered]

    @property
    def activities(self) -> list[dict[str, Any]]:
        """Every activity the bot sent (replies and sends), in order."""
        return [c.body for c in self.calls
                if c.method == "POST" and "/activities" in c.path and isinstance(c.body, dict)]


def message_activity(
    service_url: str, *, text: str | None = None, value: dict | None = None, conversation_id: str = "a:conv-1",
    user_id: str = "29:user-1", activity_id: str | None = None, channel_id: str = "msteams",
    conversation_type: str = "personal", mention_bot: bool = False,
) -> dict[str, Any]:
    """A Bot Framework message activity as Teams sends it."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or f"in-{uuid.uuid4().hex[:12]}",
        "timestamp": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "serviceUrl": service_url,
        "channelId": channel_id,
        "from": {"id": user_id, "name": "Test Practitioner", "aadObjectId": "aad-" + user_id},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": {"id": conversation_id, "conversationType": conversation_type, "tenantId": TENANT_ID},
        "channelData": {"tenant": {"id": TENANT_ID}},
        "locale": "en-GB",
    }
    if text is not None:
        activity["text"] = f"<at>{BOT_NAME}</at> {text}" if mention_bot else text
        if mention_bot:
            activity["entities"] = [{"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                                     "mentioned": {"id": BOT_ID, "name": BOT_NAME}}]
    if value is not None:
        activity["value"] = value
    return activity


async def post_activity(client: Any, activity: Any, connector: FakeConnector) -> tuple[int, list[dict[str, Any]]]:
    """POST an activity (or any JSON) to /api/messages; (status, activities the bot sent meanwhile)."""
    before = len(connector.activities)
    response = await client.post("/api/messages", json=activity)
    await response.read()
    return response.status, connector.activities[before:]


async def send_message(
    client: Any, text: str | None = None, value: dict | None = None, *, conversation_id: str = "a:conv-1",
    user_id: str = "29:user-1", activity_id: str | None = None, connector: FakeConnector | None = None,
    **extra: Any,
) -> list[dict[str, Any]]:
    """Send the bot a Teams message (typed text or a card submit); return the replies of that turn."""
    connector = connector or client.fake_connector
    activity = message_activity(connector.url, text=text, value=value, conversation_id=conversation_id,
                                user_id=user_id, activity_id=activity_id, **extra)
    status, replies = await post_activity(client, activity, connector)
    assert status in (200, 201, 202), f"bot answered HTTP {status}"
    return replies


async def add_member(client: Any, *, conversation_id: str = "a:conv-1", user_id: str = "29:user-1",
                     member_id: str | None = None, connector: FakeConnector | None = None) -> list[dict[str, Any]]:
    """Send the conversationUpdate Teams sends when a chat with the bot is opened."""
    connector = connector or client.fake_connector
    activity = message_activity(connector.url, conversation_id=conversation_id, user_id=user_id)
    activity["type"] = "conversationUpdate"
    activity["membersAdded"] = [{"id": member_id or user_id}]
    status, replies = await post_activity(client, activity, connector)
    assert status in (200, 201, 202), f"bot answered HTTP {status}"
    return replies


def cards(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Adaptive Card content of each reply (every reply must carry exactly one card)."""
    out = []
    for reply in replies:
        (attachment,) = reply["attachments"]
        assert attachment["contentType"] == CARD_TYPE
        out.append(attachment["content"])
    return out


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock text in a card, in order (hidden ones included)."""
    found: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == "TextBlock":
                found.append(item["text"])
            walk(item.get("items", []))

    walk(card.get("body", []))
    return found


def card_choices(card: dict[str, Any]) -> list[str]:
    """The choice values of a card's submit buttons, in order (top-level and action sets)."""
    actions = list(card.get("actions", []))
    for item in card.get("body", []):
        if item.get("type") == "ActionSet":
            actions.extend(item["actions"])
    return [a["data"]["choice"] for a in actions if a["type"] == "Action.Submit"]
