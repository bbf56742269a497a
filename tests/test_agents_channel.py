"""The same bot on the Microsoft 365 Agents SDK (SHARESAFE_SDK=agents), over HTTP.

The specifications written for the Bot Framework channel are imported and run here again, unchanged,
against the app built with SHARESAFE_SDK=agents: the walk to an outcome and a record, the 999 card,
a resent activity answered once, malformed requests, failed turns, DSL escalations delivered
proactively and their cards updated in place, and forged tokens refused. The `settings` fixture
below gives each imported specification the app its own module describes (signed requests for
tests/test_security_auth.py, the test directory otherwise), on the Agents SDK; the `client`, the
fake Bot Connector and the signing-key server are the shared ones (tests/conftest.py, tests/fixtures.py).
The tests written here cover what only this channel has.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Iterator

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
from tests.fixtures import APP_ID, APP_PASSWORD, OpenIdServer, channel_token, file_record, record_answers, say, texts
from tests.redis_server import RedisServer
# The specifications, run here on the Agents SDK (collected again in this module, with its fixtures).
from tests.test_cards_keep_up import (  # noqa: F401
    test_a_reminder_card_sent_to_the_deputy_is_updated_too,
    test_when_one_dsl_acknowledges_every_dsls_card_shows_it_and_drops_acknowledge,
)
from tests.test_http import (  # noqa: F401
    test_999_interrupts_with_the_danger_card_and_resume_goes_back,
    test_a_failed_turn_nobody_could_be_told_about_is_retried_by_bot_service,
    test_a_resent_activity_is_answered_once,
    test_a_turn_that_fails_says_sorry_logs_no_text_and_keeps_the_answers,
    test_card_submits_walk_to_an_outcome_with_its_golden_rules,
    test_danger_typed_in_plain_words_mid_question_brings_the_999_card_that_resumes,
    test_group_chats_are_told_to_use_a_private_chat_and_keep_nothing,
    test_hello_gets_the_welcome_card_naming_the_pack,
    test_invokes_the_bot_does_not_handle_get_a_status_not_a_crash,
    test_malformed_bodies_get_a_short_4xx_and_the_server_keeps_serving,
    test_malformed_fields_inside_an_activity_are_rejected,
    test_possible_danger_puts_the_999_line_above_the_same_question,
    test_record_a_decision_end_to_end_files_it_in_the_store,
)
from tests.test_http_escalation import (  # noqa: F401
    test_a_teams_retry_of_the_same_activity_sends_one_escalation,
    test_connector_500_is_retried_then_the_practitioner_is_told,
    test_dsl_gets_the_card_acknowledges_and_the_practitioner_is_told,
    test_mash_handoff_reaches_channel_and_webhook_and_mash_answers,
    test_the_practitioners_notice_is_retried_until_teams_delivers_it,
    test_unanswered_request_repings_deputies_then_gives_the_mash_numbers,
)
from tests.test_security_auth import (  # noqa: F401
    KID,
    TRUSTED,
    test_a_card_submit_with_a_forged_token_changes_nothing,
    test_forged_expired_and_misaddressed_tokens_get_401_and_no_turn,
)

SIGNED_SPECS = "tests.test_security_auth"
PRAC = ("29:prac-agents", "a:prac-agents", "Sam Teacher")


class LoopbackTokens:
    """The Agents SDK's token provider for outgoing messages, without asking Azure AD."""

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        """A fixed token (the fake Bot Connector accepts any)."""
        return "outbound-test-token"


def signed_settings(tmp_path: Path, **extra: str) -> Settings:
    """Production settings with an app id, as a real deployment on the Agents SDK runs."""
    return Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_ALLOWED_TENANTS": TENANT_ID,
                              "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
                              "SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_SDK": "agents", **extra})


def serve_keys_from(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Bot Service's signing keys fetched from `url` (a loopback server) by every app built after."""
    monkeypatch.setattr(AgentsAuthentication, "key_set_urls", {AuthenticationConstants.PUBLIC_ABS_JWKS_URL: url})
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def agents_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenIdServer]:
    """The loopback key server holding the trusted key, as the Agents SDK channel's key set."""
    server = OpenIdServer({KID: TRUSTED}).start()
    serve_keys_from(monkeypatch, "/".join(server.url.split("/")[:3]) + "/keys")
    yield server
    server.stop()


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Each imported specification's app, on the Agents SDK."""
    if request.function.__module__ == SIGNED_SPECS:
        request.getfixturevalue("agents_keys")
        return signed_settings(tmp_path)
    return Settings.from_env({**request.getfixturevalue("directory_environ"), "SHARESAFE_SDK": "agents"})


@pytest.fixture
def credentials_factory() -> LoopbackTokens:
    """Replies signed with a token that never came from Azure AD."""
    return LoopbackTokens()


# ---- What only this channel has -----------------------------------------------------------------------


async def test_the_agents_sdk_runs_the_turns_and_sends_the_proactive_messages(client) -> None:
    assert isinstance(client.app[app_module.ADAPTER_KEY], AgentsAdapter)
    assert isinstance(client.app[app_module.BOT_KEY].delivery.messenger, AgentsMessenger)


async def test_a_signed_walk_files_a_record_on_the_agents_sdk(tmp_path, connector, agents_keys) -> None:
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
    assert agents_keys.requests == 1


async def test_a_token_signed_with_a_key_not_endorsed_for_the_channel_is_refused(tmp_path, connector,
                                                                                  agents_keys) -> None:
    """As botbuilder checks: the trusted key is endorsed for Teams, Web Chat and the Emulator only."""
    app = app_module.create_app(signed_settings(tmp_path), credentials_factory=LoopbackTokens())
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        http.fake_connector = connector
        headers = {"Authorization": f"Bearer {channel_token(TRUSTED, KID, connector.url)}"}
        status, sent = await say(http, PRAC, "hello", headers=headers, channel_id="slack")
        assert status == 401 and sent == []
        status, sent = await say(http, PRAC, "hello", headers=headers)
        assert status == 201 and len(sent) == 1


async def test_signing_keys_that_never_come_give_503_and_the_worker_keeps_serving(tmp_path, connector,
                                                                                   monkeypatch) -> None:
    """A key server that accepts the connection and never answers: Bot Service is told to retry,
    within the key wait, and the worker answers other requests meanwhile."""
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    serve_keys_from(monkeypatch, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/keys")
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


async def test_a_store_outage_says_the_record_was_not_saved(redis_server: RedisServer, tmp_path, connector) -> None:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path), "REDIS_URL": redis_server.url,
                                  "SHARESAFE_SDK": "agents"})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as http:
        http.fake_connector = connector
        walk = ["share", "yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "yes", "record"]
        await say(http, PRAC, "hello")
        for answer in walk:
            await say(http, PRAC, value={"choice": answer})
        from tests.fixtures import record_answers

        answers = record_answers("outage")
        for value in answers:
            await say(http, PRAC, value=value)
        redis_server.stop()
        try:
            status, sent = await say(http, PRAC, value={"choice": "confirm"})
        finally:
            redis_server.start()
        assert status == 201 and "Your record was NOT saved" in texts(sent) and "Retry" in texts(sent)
        # The store is back: Retry files the draft that was kept, once.
        status, sent = await say(http, PRAC, value={"choice": "retry"})
        (record,) = await http.app[app_module.STORES_KEY].records.list(practitioner_id=PRAC[0])
        assert record["reference"] in texts(sent)


async def test_replies_the_connector_refused_are_sent_again_on_redelivery_with_the_same_ids(client) -> None:
    connector = client.fake_connector
    await say(client, PRAC, "hello")
    connector.fail_with = 502
    answer = message_activity(connector.url, text="yes", conversation_id=PRAC[1], user_id=PRAC[0])
    status, _ = await post_activity(client, answer, connector)
    assert status == 503  # the channel is asked to deliver the activity again
    refused = [c.body["channelData"]["sharesafeReplyId"] for c in connector.calls if not c.delivered]
    connector.fail_with = None
    status, resent = await post_activity(client, answer, connector)
    assert status == 201 and resent and [a["channelData"]["sharesafeReplyId"] for a in resent] == refused[:len(resent)]
    status, again = await post_activity(client, answer, connector)
    assert status == 201 and again == []  # delivered now: answered once


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
