"""The channel seam: where a conversation is, stored in words no channel owns (bot/channels/reference.py),
and the Teams channel's conversions to and from botbuilder. References stored before the seam, in
Bot Framework's own shape, must keep reaching the DSL and the practitioner after an upgrade."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Mapping

import pytest
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.channels.reference import ConversationRef, DeliveryFailed, Messenger
from bot.channels.teams.proactive import AdapterMessenger
from bot.channels.activity import reference_of
from bot.channels.teams.references import conversation_reference
from bot.config import Settings
from bot.turn.delivery import REPLIES_JOB, DeliveryNotes, ReplyDelivery
from bot.turn.outbox import stored_reply
from dialogs.model import Reply
from state.factory import open_stores
from tests.fake_connector import BOT_ID, TENANT_ID, FakeConnector, message_activity
from tests.fixtures import RecordingMessenger
from tests.redis_server import RedisServer

DSL_ID, DSL_CONVERSATION, DSL_NAME = "29:dsl-old", "a:dsl-old", "Alex Lead"


def old_shape(service_url: str) -> dict[str, Any]:
    """A reference as earlier versions stored it: botbuilder's ConversationReference, serialised
    (msrest writes the tenant under the schema's key, tenantID)."""
    return {
        "activityId": "f:1234",
        "user": {"id": DSL_ID, "name": DSL_NAME, "aadObjectId": "aad-dsl-old", "role": "user"},
        "bot": {"id": BOT_ID, "name": "ShareSafe"},
        "conversation": {"id": DSL_CONVERSATION, "conversationType": "personal", "tenantID": TENANT_ID},
        "channelId": "msteams",
        "locale": "en-GB",
        "serviceUrl": service_url,
    }


async def open_backend(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    if backend == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        return await open_stores(redis_url=server.url, data_dir=str(tmp_path))
    return await open_stores(redis_url=None, data_dir=str(tmp_path))


def channel_messenger(environ: dict[str, str]) -> Messenger:
    """The messenger the app would send with on the SDK `environ` names."""
    settings = Settings.from_env(environ)
    if settings.SDK == "agents":
        from bot.channels.agents import build_edge

        return build_edge(settings).messenger
    return AdapterMessenger(CloudAdapter(ConfigurationBotFrameworkAuthentication(settings)), settings.APP_ID)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_a_reference_stored_in_the_old_shape_still_reaches_the_dsl(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest, connector: FakeConnector,
        environ: dict[str, str]) -> None:
    stores = await open_backend(backend, tmp_path, request)
    try:
        await stores.references.put(DSL_ID, old_shape(connector.url))
        loaded = ConversationRef.from_dict(await stores.references.get(DSL_ID))
        await channel_messenger(environ).send(loaded, {"type": "message", "text": "Safeguarding advice requested"})
    finally:
        await stores.close()
    assert [a.get("text") for a in connector.sent_to(DSL_CONVERSATION)] == ["Safeguarding advice requested"]
    assert (loaded.channel, loaded.tenant_id, loaded.user_id, loaded.bot_id) == ("msteams", TENANT_ID, DSL_ID, BOT_ID)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_a_reference_is_stored_channel_neutral_without_names(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest, connector: FakeConnector) -> None:
    activity = message_activity(connector.url, conversation_id=DSL_CONVERSATION, user_id=DSL_ID)
    reference = reference_of(activity)
    stores = await open_backend(backend, tmp_path, request)
    try:
        await stores.references.put(DSL_ID, reference.to_dict())
        stored = await stores.references.get(DSL_ID)
    finally:
        await stores.close()
    assert ConversationRef.from_dict(stored) == reference
    assert stored["conversation_id"] == DSL_CONVERSATION and stored["service_url"] == connector.url
    assert activity["from"]["name"] and activity["from"]["name"] not in str(stored)


def test_teams_conversion_keeps_everything_a_send_needs() -> None:
    ref = ConversationRef.from_dict(old_shape("https://smba.trafficmanager.net/uk/"))
    bf = conversation_reference(ref)
    assert (bf.conversation.id, bf.conversation.tenant_id, bf.service_url, bf.channel_id) == (
        DSL_CONVERSATION, TENANT_ID, "https://smba.trafficmanager.net/uk/", "msteams")
    assert (bf.user.id, bf.bot.id, bf.locale, bf.activity_id) == (DSL_ID, BOT_ID, "en-GB", "f:1234")
    assert bf.user.name is None  # the old record's display name is not carried forward
    # A Teams channel post: a new conversation of type channel, its group flag set for botbuilder.
    post = conversation_reference(ref.posted_to("19:mash@thread.tacv2", "channel"))
    assert (post.conversation.id, post.conversation.is_group, post.activity_id) == ("19:mash@thread.tacv2", True, None)


def test_neutral_references_round_trip_and_unreadable_ones_are_never_sent() -> None:
    ref = ConversationRef(channel="msteams", conversation_id="a:1", service_url="https://x.invalid/",
                          conversation_type="personal", user_id="29:u", extra={"locale": "en-GB"})
    assert ConversationRef.from_dict(ref.to_dict()) == ref
    assert ConversationRef.from_dict(ref.with_activity("m:9").to_dict()).activity_id == "m:9"
    assert not ConversationRef.from_dict({"replaced": True}).reachable


async def test_the_messenger_refuses_a_reference_with_nowhere_to_send(environ: dict[str, str]) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        await channel_messenger(environ).send(ConversationRef.from_dict({"conversation": {"id": "a:1"}}),
                                            {"type": "message", "text": "hello"})
    assert failed.value.reason == "bad_reference"


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_a_reply_retry_queued_before_the_seam_still_delivers_the_reply(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # A worker of the earlier version could not deliver a 999 reply and queued a retry holding a
    # Bot Framework reference; after the upgrade the job must still get the reply to the practitioner.
    reply = Reply(kind="danger", title="Call 999 now", text="If a child is in immediate danger, call 999.")
    now = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
    messenger = RecordingMessenger()
    stores = await open_backend(backend, tmp_path, request)
    try:
        await stores.conversations.save(DSL_CONVERSATION, {"outbox": [
            {"key": "k1", "at": 0, "activities": [stored_reply(reply)]}]}, 0)
        job = {"type": REPLIES_JOB, "conversation": DSL_CONVERSATION, "activity": "k1", "step": 0,
               "reference": old_shape("https://smba.trafficmanager.net/uk/")}
        await stores.escalations.add_job(f"replies:{DSL_CONVERSATION}:k1", job, now)
        [claimed] = await stores.escalations.claim_jobs(now + timedelta(seconds=1), worker="w1")

        def rebuild(entry: Mapping[str, Any], channel: str) -> list[dict[str, Any]]:
            return [{"type": "message", "text": r["title"], "channel": channel} for r in entry["activities"]]

        delivery = ReplyDelivery(DeliveryNotes(stores.deliveries), stores.conversations, jobs=stores.escalations,
                                 messenger=messenger, rebuild=rebuild)
        await delivery.run_job(claimed, now + timedelta(seconds=1))
        again = await stores.escalations.claim_jobs(now + timedelta(days=1), worker="w2")
    finally:
        await stores.close()
    assert messenger.to(DSL_CONVERSATION) == [{"type": "message", "text": "Call 999 now", "channel": "msteams"}]
    assert again == []  # delivered: the job is finished, never sent twice
