"""Connector clients are built once per service URL and reused; replies still reach the connector,
signed with the bot's token when authentication is on."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botbuilder.schema import Activity, Attachment, ConversationAccount
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


class _Recorder:
    """A Bot Connector on 127.0.0.1 that records each request and answers with `status`."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.seen: list[tuple[str, str, dict, dict]] = []

    async def start(self) -> "_Recorder":
        from aiohttp import web

        async def handle(request: web.Request) -> web.Response:
            self.seen.append((request.method, request.raw_path, dict(request.headers), await request.json()))
            if self.status >= 400:
                return web.json_response({"error": {"code": "BadArgument", "message": "no such conversation"}},
                                         status=self.status)
            return web.json_response({"id": f"reply-{len(self.seen)}"}, status=self.status)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/amer/"
        return self

    async def stop(self) -> None:
        await self.runner.cleanup()


async def _both_clients(url: str, session):
    """The SDK's own client (msrest's pipeline) and the same client as the bot prepares it."""
    from bot.channels.teams.connector import DirectReplies, use_plain_json

    sdk = ConnectorClient(_TokenCredentials("app-id", "secret"), base_url=url)
    ours = ConnectorClient(_TokenCredentials("app-id", "secret"), base_url=url)
    use_plain_json(ours)
    assert use_aiohttp(ours, lambda: session) and isinstance(ours.conversations, DirectReplies)
    return sdk, ours


def _card_reply(conversation_id: str, conversation: Any = None) -> Activity:
    return Activity(type="message", text="Is the purpose clear?", reply_to_id="1:abc", input_hint="acceptingInput",
                    conversation=conversation or ConversationAccount(id=conversation_id), attachments=[Attachment(
                        content_type="application/vnd.microsoft.card.adaptive",
                        content={"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Café – “yes”"}]})])


async def test_replies_go_out_as_the_same_request_msrest_makes():
    import aiohttp

    connector = await _Recorder().start()
    session = aiohttp.ClientSession()
    # A Teams channel thread id has ':', '@', ';' and '=' in it; each must be quoted as msrest quotes it.
    conversation = "19:abc@thread.tacv2;messageid=1700000000000"
    try:
        sdk, ours = await _both_clients(connector.url, session)
        answers = []
        for client in (sdk, ours):
            answers.append(await client.conversations.reply_to_activity(conversation, "1:abc", _card_reply(conversation)))
            answers.append(await client.conversations.send_to_conversation(conversation, _card_reply(conversation)))
        (sdk_reply, sdk_send, our_reply, our_send) = connector.seen
        for theirs, mine in ((sdk_reply, our_reply), (sdk_send, our_send)):
            assert mine[:2] == theirs[:2] and mine[3] == theirs[3]  # method, path, JSON body
            for header in ("Accept", "Content-Type", "Authorization", "User-Agent", "x-ms-conversation-id"):
                assert mine[2].get(header) == theirs[2].get(header), header
        assert sdk_reply[1].startswith("/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D")
        # The ids Teams gives back are read the same way (the bot keeps them to update a card later).
        assert [a.id for a in answers] == ["reply-1", "reply-2", "reply-3", "reply-4"]
        # An activity the direct path does not write (a plain dict where a model belongs) goes through msrest.
        odd = _card_reply(conversation, conversation={"id": conversation})
        assert (await ours.conversations.reply_to_activity(conversation, "1:abc", odd)).id == "reply-5"
        assert connector.seen[-1][3] == sdk_reply[3]
    finally:
        await session.close()
        await connector.stop()


async def test_a_refused_reply_raises_what_msrest_raises_and_is_sent_once():
    import aiohttp
    from botframework.connector.models import ErrorResponseException

    from bot.channels.teams.proactive import delivery_failed

    connector = await _Recorder(status=404).start()
    session = aiohttp.ClientSession()
    try:
        sdk, ours = await _both_clients(connector.url, session)
        failures = []
        for client in (sdk, ours):
            with pytest.raises(ErrorResponseException) as caught:
                await client.conversations.reply_to_activity("a:gone", "1:abc", _card_reply("a:gone"))
            failures.append(caught.value)
        assert str(failures[1]) == str(failures[0]) and "no such conversation" in str(failures[1])
        # What the outbox and the escalation service are told: the connector's status.
        assert delivery_failed(failures[1]).status == delivery_failed(failures[0]).status == 404
        connector.status = 500
        with pytest.raises(ErrorResponseException):
            await ours.conversations.send_to_conversation("a:busy", _card_reply("a:busy"))
        # A POST that got an answer is never sent again (it may have been delivered).
        assert [path for _, path, _, _ in connector.seen].count("/amer/v3/conversations/a%3Abusy/activities") == 1
    finally:
        await session.close()
        await connector.stop()
