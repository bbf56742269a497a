"""Connector clients are built once per service URL and reused; replies still reach the connector,
signed with the bot's token when authentication is on."""

from __future__ import annotations

import copy

import pytest

from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botbuilder.schema import Activity, Attachment
from msrest import Serializer

from bot.http import app as app_module
from bot.channels.teams.activities import to_json
from bot.channels.teams.connector import AiohttpSender, PlainJsonSerializer, use_aiohttp
from tests.fake_connector import FakeConnector, send_message


async def test_one_connector_client_serves_every_turn_to_a_service_url(client, connector):
    auth = client.app[app_module.AUTH_KEY]  # on either SDK, it counts the connector clients built
    for text in ("hello", "hello", "hello"):
        assert len(await send_message(client, text, conversation_id="a:cache")) == 1
    await send_message(client, "hello", conversation_id="a:other")  # another conversation, same service
    assert auth.connectors_created() == 1

    other = await FakeConnector().start()  # another region's service URL gets its own client
    try:
        assert len(await send_message(client, "hello", conversation_id="a:cache", connector=other)) == 1
        assert auth.connectors_created() == 2
    finally:
        await other.stop()


@pytest.mark.only_sdk("botframework", reason="compares with botbuilder's own msrest serialisation")
async def test_replies_are_the_same_json_as_the_sdk_would_send(client, connector):
    (reply,) = await send_message(client, "hello")
    card = reply["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and reply["type"] == "message"
    assert reply["replyToId"] and reply["conversation"]["id"] == "a:conv-1"
    # What arrived is exactly what the SDK's own serialisation makes of the same activity.
    models = ConnectorClient(MicrosoftAppCredentials.empty(), base_url="http://127.0.0.1:9/")._serialize
    assert Serializer(models.dependencies).body(Activity().deserialize(reply), "Activity") == reply


def test_plain_json_serializer_matches_msrest():
    models = ConnectorClient(MicrosoftAppCredentials.empty(), base_url="http://127.0.0.1:9/")._serialize
    fast = PlainJsonSerializer(models.dependencies)
    activity = Activity(type="message", text="hi", attachments=[Attachment(
        content_type="application/vnd.microsoft.card.adaptive",
        content={"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "x", "n": 1.5, "ok": True}],
                 "actions": [{"data": {"choice": "yes", "node": "clear_purpose"}}]})])
    assert fast.body(copy.deepcopy(activity), "Activity") == models.body(copy.deepcopy(activity), "Activity")
    # (and it took the direct path, not msrest's: an attachment model is plain)
    assert to_json(activity)["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"


class _TokenCredentials(MicrosoftAppCredentials):
    """Credentials that hand out a fixed token without calling Azure AD."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "test-token"


async def test_cached_clients_sign_replies_when_authentication_is_on():
    import aiohttp
    from aiohttp import web

    seen: list[tuple[str, dict]] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append((request.headers.get("Authorization", ""), await request.json()))
        return web.json_response({"id": "1"})

    server = web.Application()
    server.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    session = aiohttp.ClientSession()
    try:
        client = ConnectorClient(_TokenCredentials("app-id", "secret"), base_url=f"http://127.0.0.1:{port}/")
        assert use_aiohttp(client, lambda: session)
        assert isinstance(client.config.pipeline._sender, AiohttpSender)
        await client.conversations.send_to_conversation("a:signed", Activity(type="message", text="hi"))
        ((authorization, body),) = seen
        assert authorization == "Bearer test-token" and body["text"] == "hi"
    finally:
        await session.close()
        await runner.cleanup()
