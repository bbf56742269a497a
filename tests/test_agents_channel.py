"""What only the Microsoft 365 Agents SDK channel has (SHARESAFE_SDK=agents), over HTTP.

Every edge specification (tests/test_http.py, the escalation, security and fault tests...) runs on
both SDKs already (the `sdk` fixture, tests/conftest.py); the tests here cover this channel's own
workings: its adapter and messenger, its key fetching, references in the old Bot Framework shape,
its turn-error handler and its configuration names.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from microsoft_agents.hosting.core.authorization import AuthenticationConstants

from bot.channels.agents.adapter import AgentsAdapter
from bot.channels.agents.auth import AgentsAuthentication
from bot.channels.agents.proactive import AgentsMessenger
from bot.channels.reference import ConversationRef, DeliveryFailed
from bot.config import Settings, SettingsError
from bot.http import app as app_module
from state.encryption import new_key
from tests.fake_connector import TENANT_ID, message_activity, post_activity
from tests.fixtures import (APP_ID, APP_PASSWORD, KID, TRUSTED, LoopbackTokens, channel_token,
                            file_record, say)

pytestmark = [pytest.mark.only_sdk("agents", reason="the Agents SDK channel's own adapter, messenger and key fetching"),
              pytest.mark.with_directory]  # the test directory (DSLs, the MASH channel)
PRAC = ("29:prac-agents", "a:prac-agents", "Sam Teacher")


def signed_settings(tmp_path: Path, **extra: str) -> Settings:
    """Production settings with an app id, as a real deployment on the Agents SDK runs."""
    return Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_ALLOWED_TENANTS": TENANT_ID,
                              "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
                              "SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_SDK": "agents", **extra})


# ---- What only this channel has -----------------------------------------------------------------------


async def test_the_agents_sdk_runs_the_turns_and_sends_the_proactive_messages(client) -> None:
    assert isinstance(client.app[app_module.ADAPTER_KEY], AgentsAdapter)
    assert isinstance(client.app[app_module.BOT_KEY].delivery.messenger, AgentsMessenger)


async def test_a_signed_walk_files_a_record_on_the_agents_sdk(tmp_path, connector, signing_keys, sdk) -> None:
    token = channel_token(TRUSTED, KID, connector.url)
    # A walk at test speed is far over the production message rate: the limit is off here.
    app = app_module.create_app(signed_settings(tmp_path, SHARESAFE_RATE_PER_MINUTE="0"),
                                credentials_factory=LoopbackTokens())
    async with TestClient(TestServer(app, host="127.0.0.1"), headers={"Authorization": f"Bearer {token}"}) as http:
        http.fake_connector = connector
        reference = await file_record(http, PRAC, "agents")
        (record,) = await http.app[app_module.STORES_KEY].records.list(practitioner_id=PRAC[0])
        assert record["reference"] == reference
    # The key set was fetched once, not once a request.
    assert signing_keys.requests == 1


async def test_a_token_signed_with_a_key_not_endorsed_for_the_channel_is_refused(tmp_path, connector,
                                                                                  signing_keys, sdk) -> None:
    """As botbuilder checks: the trusted key is endorsed for Teams, Web Chat and the Emulator only."""
    app = app_module.create_app(signed_settings(tmp_path), credentials_factory=LoopbackTokens())
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        http.fake_connector = connector
        headers = {"Authorization": f"Bearer {channel_token(TRUSTED, KID, connector.url)}"}
        status, sent = await say(http, PRAC, "hello", headers=headers, channel_id="slack")
        assert status == 401 and sent == []
        status, sent = await say(http, PRAC, "hello", headers=headers)
        assert status == 201 and len(sent) == 1


async def test_signing_keys_that_never_come_give_503_and_the_worker_keeps_serving(tmp_path, connector, sdk,
                                                                                   monkeypatch) -> None:
    """A key server that accepts the connection and never answers: Bot Service is told to retry,
    within the key wait, and the worker answers other requests meanwhile."""
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    monkeypatch.setattr(AgentsAuthentication, "key_set_urls", {
        AuthenticationConstants.PUBLIC_ABS_JWKS_URL: f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/keys"})
    app = app_module.create_app(signed_settings(tmp_path), credentials_factory=LoopbackTokens())
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as http:
            http.fake_connector = connector
            token = channel_token(TRUSTED, KID, connector.url)
            started = asyncio.get_running_loop().time()
            turn = asyncio.ensure_future(say(http, PRAC, "hello", headers={"Authorization": f"Bearer {token}"}))
            health = await http.get("/healthz")
            assert health.status == 200 and not turn.done()
            status, sent = await turn
            assert status == 503 and sent == []
            assert asyncio.get_running_loop().time() - started < 5
    finally:
        server.close()


async def test_a_reference_stored_in_the_old_bot_framework_shape_reaches_the_chat(client) -> None:
    connector = client.fake_connector
    old_shape = {"activityId": "in-1", "user": {"id": PRAC[0], "name": "Sam Teacher", "aadObjectId": "aad-1"},
                 "bot": {"id": "28:sharesafe-bot", "name": "ShareSafe"},
                 "conversation": {"id": PRAC[1], "conversationType": "personal", "tenantId": TENANT_ID},
                 "channelId": "msteams", "locale": "en-GB", "serviceUrl": connector.url}
    messenger = client.app[app_module.BOT_KEY].delivery.messenger
    sent_id = await messenger.send(ConversationRef.from_dict(old_shape),
                                   {"type": "message", "text": "Your DSL has acknowledged your request."})
    (delivered,) = connector.sent_to(PRAC[1])
    assert delivered["text"] == "Your DSL has acknowledged your request."
    assert delivered["recipient"]["id"] == PRAC[0] and delivered["from"]["id"] == "28:sharesafe-bot"
    await messenger.update(ConversationRef.from_dict(old_shape), sent_id, {"type": "message", "text": "Resolved."})
    (update,) = [c for c in connector.calls if c.method == "PUT"]
    assert update.path.endswith(f"/conversations/{PRAC[1]}/activities/{sent_id}") and update.body["text"] == "Resolved."


async def test_a_connector_that_refuses_a_proactive_send_is_a_delivery_failure(client) -> None:
    connector = client.fake_connector
    connector.fail_with = 403
    messenger = client.app[app_module.BOT_KEY].delivery.messenger
    where = ConversationRef(channel="msteams", conversation_id=PRAC[1], service_url=connector.url, user_id=PRAC[0],
                            bot_id="28:sharesafe-bot")
    with pytest.raises(DeliveryFailed) as failed:
        await messenger.send(where, {"type": "message", "text": "ping"})
    assert failed.value.status == 403 and failed.value.reason == "http 403"
    # Nothing was said to anyone about the failure (the SDK's own turn-error handler would have).
    assert [c.body.get("text") for c in connector.calls] == ["ping"]


async def test_a_turn_error_on_the_agents_sdk_never_shows_the_exception(client, monkeypatch) -> None:
    bot = client.app[app_module.BOT_KEY]

    async def broken(conversation_id, inp, render=None):
        raise RuntimeError("Traceback: secret detail")

    monkeypatch.setattr(bot.runner, "run_turn", broken)
    status, sent = await post_activity(client, message_activity(client.fake_connector.url, text="hi"),
                                       client.fake_connector)
    assert status == 201
    assert [a.get("text", "")[:30] for a in sent] == ["Sorry, something went wrong. Y"]
    assert "secret detail" not in str(sent) and "Exception caught" not in str(sent)


def test_the_sdk_is_chosen_by_configuration() -> None:
    assert Settings.from_env({}).SDK == "botframework"
    assert Settings.from_env({"SHARESAFE_SDK": "Agents"}).SDK == "agents"
    with pytest.raises(SettingsError, match="SHARESAFE_SDK must be one of botframework, agents"):
        Settings.from_env({"SHARESAFE_SDK": "copilot"})


PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


@pytest.mark.parametrize("env,expected", [
    ({PREFIX + "CLIENTID": APP_ID, PREFIX + "CLIENTSECRET": APP_PASSWORD, PREFIX + "TENANTID": TENANT_ID,
      PREFIX + "AUTHTYPE": "ClientSecret"}, (APP_ID, APP_PASSWORD, "SingleTenant", TENANT_ID)),
    ({PREFIX + "CLIENTID": APP_ID, PREFIX + "CLIENTSECRET": APP_PASSWORD}, (APP_ID, APP_PASSWORD, "MultiTenant", "")),
    ({PREFIX + "CLIENTID": APP_ID, PREFIX + "TENANTID": TENANT_ID, PREFIX + "AUTHTYPE": "UserManagedIdentity"},
     (APP_ID, "", "UserAssignedMSI", TENANT_ID)),
    ({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, PREFIX + "CLIENTID": APP_ID},
     (APP_ID, APP_PASSWORD, "MultiTenant", "")),
], ids=["single-tenant-secret", "multi-tenant-secret", "managed-identity", "both-names-agree"])
def test_the_agents_sdk_names_configure_the_bot(env: dict[str, str], expected: tuple[str, ...]) -> None:
    settings = Settings.from_env({**env, "SHARESAFE_ENV": "development"})
    assert (settings.APP_ID, settings.APP_PASSWORD, settings.APP_TYPE, settings.APP_TENANTID) == expected


@pytest.mark.parametrize("env,message", [
    ({"APP_ID": APP_ID, PREFIX + "CLIENTID": "someone-else"}, "APP_ID and its Agents SDK name"),
    ({PREFIX + "CLIENTID": APP_ID, PREFIX + "AUTHTYPE": "Certificate"}, "AUTHTYPE must be ClientSecret or"),
    ({PREFIX + "CLIENTID": APP_ID}, "APP_PASSWORD is required"),
])
def test_agents_sdk_names_that_conflict_or_are_incomplete_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
