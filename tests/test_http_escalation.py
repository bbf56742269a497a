"""Escalation and MASH hand-off through real Bot Framework activities over HTTP.

The app is the real one (`create_app`); the DSL's card, the reminders and the notices to the
practitioner are proactive messages the CloudAdapter POSTs to the fake Bot Connector on 127.0.0.1,
and the MASH webhook is a loopback server. The re-ping clock is moved by hand.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.http import app as app_module
from bot.config import Settings
from dialogs.model import TEXT_SUBMIT
from tests.fake_connector import TENANT_ID, FakeConnector, message_activity, post_activity
from tests.fixtures import DEPUTY, DSL, JOIN_CODE, MASH_CHANNEL, PRAC, FakeClock, add_bot_to_mash_team, ask_dsl
from tests.fixtures import card_actions, card_text, open_chats, texts_of, to, write_directory
from tests.fixtures import on_hand_clock as tune
from tests.fixtures import say_accepted as say
from tests.redis_server import RedisServer

RECORD_ANSWERS = ["Attendance and injury concerns", "both", "MASH social worker", "Children's social care",
                  "Child protection referral", "mash_form", "no_risk", "yes", "no", "significant_harm",
                  "public_task", "yes"]


pytestmark = pytest.mark.with_directory  # the app with the test directory (Oakfield's DSLs, MASH channel and webhook)


def request_cards(connector: FakeConnector, conversation_id: str) -> list[dict[str, Any]]:
    """The DSL request cards (first asks and reminders) delivered to one conversation."""
    return [att["content"] for a in connector.sent_to(conversation_id) for att in a.get("attachments") or []
            if "advice requested" in card_text(att["content"]) or "advice still needed" in card_text(att["content"])]


def only_card(activities: list[dict[str, Any]]) -> dict[str, Any]:
    (activity,) = activities
    (attachment,) = activity["attachments"]
    return attachment["content"]


# ---- The DSL request, acknowledged, linked from the record ---------------------------------------------


async def test_dsl_gets_the_card_acknowledges_and_the_practitioner_is_told(client) -> None:
    await open_chats(client, DSL, DEPUTY)
    await say(client, PRAC, "hello")
    await say(client, PRAC, value={"choice": "share"})
    await say(client, PRAC, value={"choice": "yes"})
    sent = await ask_dsl(client, urgent=True)

    reply = texts_of(to(sent, PRAC[1]))
    assert "Sent to your DSL" in reply
    (ping,) = to(sent, DSL[1])
    assert ping["recipient"]["id"] == DSL[0] and ping["from"]["id"] == "28:sharesafe-bot"
    assert ping["summary"].startswith("URGENT: Sam Teacher asks")
    card = only_card([ping])
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    text = card_text(card)
    for expected in ("Safeguarding advice requested", "Sam Teacher", "Oakfield Primary School", "ESC-000001",
                     "Urgent: today", "Unsure if a bruise counts", "I'll call you", "Acknowledge", "Resolved"):
        assert expected in text, expected
    assert {d["action"] for d in card_actions(card)} == {"calling", "acknowledge", "resolve"}
    assert to(sent, DEPUTY[1]) == []

    # The DSL taps Acknowledge on the card.
    sent = await say(client, DSL, value={"escalation": "ESC-000001", "action": "acknowledge"})
    assert "Sam Teacher has been told you acknowledged ESC-000001" in texts_of(to(sent, DSL[1]))
    (notice,) = to(sent, PRAC[1])
    assert notice["text"] == "Your DSL Alex Lead has acknowledged your request ESC-000001. They will be in touch."
    assert notice["recipient"]["id"] == PRAC[0]

    # Resolved with advice.
    sent = await say(client, DSL, value={"escalation": "ESC-000001", "action": "resolve",
                                         "advice": "Refer to MASH today."})
    assert to(sent, PRAC[1])[0]["text"].startswith("Resolved: Refer to MASH today.")


async def test_the_escalation_id_ends_up_in_the_decision_record(client) -> None:
    await open_chats(client, DSL)
    await say(client, PRAC, "hello")
    await say(client, PRAC, value={"choice": "share"})
    for answer in ["yes", "yes"]:
        await say(client, PRAC, value={"choice": answer})
    await ask_dsl(client)
    await say(client, PRAC, value={"choice": "resume"})
    for answer in ["yes", "no", "no", "no", "yes", "risk_of_harm", "yes"]:
        await say(client, PRAC, value={"choice": answer})
    await say(client, PRAC, value={"choice": "record"})
    for answer in RECORD_ANSWERS:
        typed = " " in answer or answer[0].isupper()
        await say(client, PRAC, value={"choice": TEXT_SUBMIT, "text": answer} if typed else {"choice": answer})
    sent = await say(client, PRAC, value={"choice": "confirm"})
    stores = client.app[app_module.STORES_KEY]
    (record,) = await stores.records.list(practitioner_id=PRAC[0])
    assert record["reference"] in texts_of(sent)
    assert record["escalations"] == ["ESC-000001"] and record["escalation_states"] == {"ESC-000001": "sent"}


async def test_only_the_organisations_dsls_may_press_the_buttons(client) -> None:
    await open_chats(client, DSL)
    await ask_dsl(client)
    colleague = ("29:prac-2", "a:prac-2", "Kim Nurse")
    sent = await say(client, colleague, value={"escalation": "ESC-000001", "action": "acknowledge"})
    assert "only the people this request was sent to can respond" in texts_of(sent)
    assert to(sent, PRAC[1]) == []
    stores = client.app[app_module.STORES_KEY]
    assert (await stores.escalations.get("ESC-000001"))["status"] == "requested"


async def test_a_teams_retry_of_the_same_activity_sends_one_escalation(client) -> None:
    await open_chats(client, DSL)
    await say(client, PRAC, "ask my DSL")
    await say(client, PRAC, value={"choice": "-"})
    await say(client, PRAC, value={"choice": "routine"})
    # Teams resends the Send activity (same id), the second time while the first is still running.
    first, second = await asyncio.gather(
        say(client, PRAC, value={"choice": "confirm"}, activity_id="send-1"),
        say(client, PRAC, value={"choice": "confirm"}, activity_id="send-1"),
    )
    again = await say(client, PRAC, value={"choice": "confirm"}, activity_id="send-1")
    assert len(request_cards(client.fake_connector, DSL[1])) == 1
    stores = client.app[app_module.STORES_KEY]
    assert [e["id"] for e in await stores.escalations.list()] == ["ESC-000001"]
    assert to(again, DSL[1]) == []


# ---- Re-pings on a controllable clock --------------------------------------------------------------------


async def test_unanswered_request_repings_deputies_then_gives_the_mash_numbers(client) -> None:
    await open_chats(client, DSL, DEPUTY)
    await ask_dsl(client)
    connector, clock, service = client.fake_connector, client.clock, client.service
    clock.advance(minutes=14)
    assert await service.run_due() == 0
    clock.advance(minutes=1)
    assert await service.run_due() == 1
    assert len(request_cards(connector, DSL[1])) == 2  # the request, then the reminder
    (reminder,) = [a for a in connector.sent_to(DEPUTY[1]) if a.get("attachments") and
                   "Reminder" in card_text(a["attachments"][0]["content"])]
    assert reminder["recipient"]["id"] == DEPUTY[0]
    assert "ESC-000001" in card_text(reminder["attachments"][0]["content"])
    clock.advance(minutes=15)
    assert await service.run_due() == 1
    told = [a["text"] for a in connector.sent_to(PRAC[1]) if a.get("text")]
    assert len(told) == 1
    assert "None of your safeguarding leads has answered your request ESC-000001" in told[0]
    assert "Cambridgeshire MASH: 0345 045 1362" in told[0] and "999" in told[0]
    clock.advance(hours=3)
    assert await service.run_due() == 0


async def test_the_schedule_survives_a_restart(settings, connector) -> None:
    clock = FakeClock()
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as first:
        first.fake_connector = connector
        tune(first.app, clock)
        await open_chats(first, DSL, DEPUTY)
        await ask_dsl(first)
    # A new process on the same data directory.
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as second:
        service = tune(second.app, clock)
        clock.advance(minutes=15)
        assert await service.run_due() == 1
        assert any("Reminder" in card_text(a["attachments"][0]["content"])
                   for a in connector.sent_to(DEPUTY[1]) if a.get("attachments"))


async def test_two_workers_on_redis_send_each_reping_once(redis_server: RedisServer, tmp_path, connector,
                                                          webhook, monkeypatch, sdk) -> None:
    monkeypatch.setenv("SHARESAFE_JOIN_CODE_OAKFIELD", JOIN_CODE)
    settings = Settings.from_env({
        "REDIS_URL": redis_server.url, "SHARESAFE_DATA_DIR": str(tmp_path / "unused"),
        "SHARESAFE_DIRECTORY": str(write_directory(tmp_path, webhook.url)), "SHARESAFE_REPING_POLL_SECONDS": "3600",
        "SHARESAFE_SDK": sdk,
    })
    clock = FakeClock()
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as one, \
            TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as two:
        one.fake_connector = two.fake_connector = connector
        services = [tune(one.app, clock), tune(two.app, clock)]
        await open_chats(one, DSL)
        await open_chats(two, DEPUTY)
        await ask_dsl(one)
        other = ("29:prac-2", "a:prac-2", "Kim Nurse")
        await ask_dsl(two, other)
        clock.advance(minutes=15)
        counts = await asyncio.gather(*(s.run_due() for s in services for _ in range(3)))
        assert sum(counts) == 2
        reminders = request_cards(connector, DEPUTY[1])
        # One reminder per request, not one per worker.
        assert sorted(c["actions"][0]["data"]["escalation"] for c in reminders) == ["ESC-000001", "ESC-000002"]
        clock.advance(minutes=15)
        await asyncio.gather(*(s.run_due() for s in services for _ in range(3)))
        for person in (PRAC, other):
            told = [a for a in connector.sent_to(person[1]) if "None of your safeguarding leads" in (a.get("text") or "")]
            assert len(told) == 1


# ---- Failures ---------------------------------------------------------------------------------------------


async def test_connector_500_is_retried_then_the_practitioner_is_told(client) -> None:
    await open_chats(client, DSL)
    connector, clock, service = client.fake_connector, client.clock, client.service
    connector.fail_conversations.add(DSL[1])
    sent = await ask_dsl(client)
    assert "Still trying to reach your DSL" in texts_of(to(sent, PRAC[1]))
    tries = [c for c in connector.calls if f"/conversations/{DSL[1]}/" in c.path and not c.delivered]
    assert len(tries) == 3
    clock.advance(seconds=30)
    await service.run_due()
    clock.advance(seconds=60)
    await service.run_due()
    tries = [c for c in connector.calls if f"/conversations/{DSL[1]}/" in c.path and not c.delivered]
    assert len(tries) == 5
    told = [a["text"] for a in connector.sent_to(PRAC[1]) if a.get("text")]
    assert len(told) == 1 and "I couldn't reach your DSL with your request ESC-000001" in told[0]
    assert "Cambridgeshire MASH: 0345 045 1362" in told[0]
    stores = client.app[app_module.STORES_KEY]
    assert (await stores.escalations.get("ESC-000001"))["status"] == "undeliverable"


async def test_a_dsl_who_never_opened_sharesafe_means_the_deputy_is_asked_and_the_practitioner_told(client) -> None:
    await open_chats(client, DEPUTY)  # the DSL never has
    sent = await ask_dsl(client)
    reply = texts_of(to(sent, PRAC[1]))
    assert "Sent to your deputy DSL" in reply
    assert "I couldn't reach your DSL, so I've asked your deputy DSL to contact you" in reply
    (card,) = [only_card([a]) for a in to(sent, DEPUTY[1])]
    assert "Safeguarding advice requested" in card_text(card) and "ESC-000001" in card_text(card)
    stores = client.app[app_module.STORES_KEY]
    assert (await stores.escalations.get("ESC-000001"))["status"] == "requested"


async def test_the_practitioners_notice_is_retried_until_teams_delivers_it(client) -> None:
    await open_chats(client, DSL)
    connector, clock, service = client.fake_connector, client.clock, client.service
    connector.fail_conversations.add(DSL[1])
    await ask_dsl(client)
    connector.fail_conversations.add(PRAC[1])  # now the practitioner's chat fails too
    clock.advance(seconds=30)
    await service.run_due()
    clock.advance(seconds=60)
    await service.run_due()  # the last try to the DSL: undeliverable; the notice fails
    failed = [c for c in connector.calls if f"/conversations/{PRAC[1]}/" in c.path and not c.delivered]
    assert len(failed) == 1
    connector.fail_conversations.clear()
    clock.advance(seconds=29)
    await service.run_due()
    assert not [a for a in connector.sent_to(PRAC[1]) if "couldn't reach" in (a.get("text") or "")]
    clock.advance(seconds=1)
    await service.run_due()
    told = [a["text"] for a in connector.sent_to(PRAC[1]) if "couldn't reach" in (a.get("text") or "")]
    assert len(told) == 1 and "I couldn't reach your DSL with your request ESC-000001" in told[0]
    assert "Cambridgeshire MASH: 0345 045 1362" in told[0]
    clock.advance(hours=2)
    await service.run_due()
    assert len([a for a in connector.sent_to(PRAC[1]) if "couldn't reach" in (a.get("text") or "")]) == 1


async def test_organisation_without_dsl_or_mash_says_what_to_do(client) -> None:
    # Nobody is set up to receive it: said at once, not after the form (tests/test_no_dead_ends.py).
    sent = await say(client, ("29:prac-r", "a:prac-r", "Riv Teacher"), "ask my DSL")
    text = texts_of(sent)
    assert "Contact your DSL directly" in text and "999" in text
    assert "No DSL is set up for your organisation in ShareSafe" in text
    nomash = ("29:prac-n", "a:prac-n", "Nia Teacher")
    sent = await say(client, nomash, "mash")
    assert "Phone MASH now" in texts_of(sent)


# ---- MASH hand-off --------------------------------------------------------------------------------------------


async def test_mash_handoff_reaches_channel_and_webhook_and_mash_answers(client, webhook) -> None:
    await add_bot_to_mash_team(client)
    await say(client, PRAC, "hello")
    await say(client, PRAC, "Request MASH professional consultation")
    for words in ["Sam Teacher", "Oakfield Primary", "Class teacher", "01234 567890", "Repeated unexplained injuries"]:
        await say(client, PRAC, value={"choice": TEXT_SUBMIT, "text": words})
    await say(client, PRAC, value={"choice": "not_sought"})
    await say(client, PRAC, value={"choice": TEXT_SUBMIT, "text": "It would put the child at risk"})
    await say(client, PRAC, value={"choice": "urgent"})
    sent = await say(client, PRAC, value={"choice": "confirm"})

    # Friday 24 December 2027: the call-back is by the end of Wednesday 29 December (bank holidays).
    assert "Sent to MASH" in texts_of(to(sent, PRAC[1]))
    assert "5pm on Wednesday 29 December 2027" in texts_of(to(sent, PRAC[1]))
    assert "As it is urgent, phone MASH now" in texts_of(to(sent, PRAC[1]))  # not only wait for the call
    card = only_card(to(sent, MASH_CHANNEL))
    text = card_text(card)
    for expected in ("Professional consultation requested", "HO-000001", "Sam Teacher", "01234 567890",
                     "Repeated unexplained injuries", "It would put the child at risk", "URGENT"):
        assert expected in text, expected
    ((headers, body),) = webhook.received
    packet = json.loads(body)
    assert packet["id"] == "HO-000001" and packet["concern"] == "Repeated unexplained injuries"
    assert headers["X-ShareSafe-Signature"].startswith("sha256=")

    # A social worker in the MASH channel taps "I'll call them".
    worker = ("29:sw-1", f"{MASH_CHANNEL};messageid=1700000000000", "Dana Social")
    sent = await say(client, worker, value={"escalation": "HO-000001", "action": "calling"},
                     conversation_type="channel")
    assert "will call them" in texts_of(sent)
    (notice,) = to(sent, PRAC[1])
    assert notice["text"] == "Dana Social from MASH will call you about your consultation request HO-000001."
    stores = client.app[app_module.STORES_KEY]
    (record,) = await stores.escalations.list(kind="mash")
    assert record["status"] == "calling" and record["history"][-1]["name"] == "Dana Social"


# ---- Registration, references, the DSL's view ------------------------------------------------------------------


async def test_a_dsl_registers_with_the_join_code_and_then_gets_requests(client, caplog) -> None:
    newcomer = ("29:new-dsl", "a:new-dsl", "Jo Newlead")
    with caplog.at_level(logging.DEBUG):
        sent = await say(client, newcomer, f"register dsl {JOIN_CODE}")
    assert "You're registered as DSL for Oakfield Primary School" in texts_of(sent)
    assert JOIN_CODE not in caplog.text
    stores = client.app[app_module.STORES_KEY]
    assert await stores.conversations.load("a:new-dsl") == (None, 0)  # the code never reached the engine
    await ask_dsl(client)
    assert len(request_cards(client.fake_connector, "a:new-dsl")) == 1
    sent = await say(client, newcomer, "escalations")
    card = only_card(to(sent, "a:new-dsl"))
    assert "ESC-000001" in card_text(card) and "Sam Teacher" in card_text(card)


async def test_references_are_captured_from_installation_and_conversation_updates(client) -> None:
    stores = client.app[app_module.STORES_KEY]
    install = message_activity(client.fake_connector.url, conversation_id=DSL[1], user_id=DSL[0])
    install["type"] = "installationUpdate"
    install["action"] = "add"
    status, _ = await post_activity(client, install, client.fake_connector)
    assert status in (200, 201, 202)
    stored = await stores.references.get(DSL[0])
    # Stored channel-neutral (bot/channels/reference.py), with no name in it.
    assert stored["conversation_id"] == DSL[1] and stored["service_url"] == client.fake_connector.url
    assert stored["channel"] == "msteams" and install["from"]["name"] not in json.dumps(stored)
    # The tenant a proactive message is addressed in is kept (Teams sends it as conversation.tenantId
    # and channelData.tenant.id; the Bot Framework schema's own key is tenantID).
    assert stored["tenant_id"] == TENANT_ID
    assert await stores.references.get(f"aad:aad-{DSL[0]}") == stored
    # A group chat is never a person's own key: a DSL ping must not land where others read it.
    await say(client, (DSL[0], "19:group", DSL[2]), "hello", conversation_type="groupChat")
    assert (await stores.references.get(DSL[0]))["conversation_id"] == DSL[1]
    assert (await stores.references.get("conv:19:group"))["conversation_id"] == "19:group"
    await add_bot_to_mash_team(client)
    channel = await stores.references.get(f"channel:{MASH_CHANNEL}")
    assert channel["conversation_id"] == MASH_CHANNEL and channel["conversation_type"] == "channel"


def installation(client: Any, who: tuple[str, str, str], action: str) -> dict[str, Any]:
    """The installationUpdate Teams sends when a person adds or removes ShareSafe in their 1:1 chat."""
    activity = message_activity(client.fake_connector.url, conversation_id=who[1], user_id=who[0])
    activity["type"] = "installationUpdate"
    activity["action"] = action
    return activity


async def test_uninstalling_forgets_the_reference_and_reinstalling_stores_it_again(client) -> None:
    stores = client.app[app_module.STORES_KEY]
    status, _ = await post_activity(client, installation(client, DSL, "add"), client.fake_connector)
    assert status in (200, 201, 202)
    await say(client, DSL, "hello")
    assert (await stores.references.get(DSL[0]))["conversation_id"] == DSL[1]
    status, _ = await post_activity(client, installation(client, DSL, "remove"), client.fake_connector)
    assert status in (200, 201, 202)
    for key in (DSL[0], f"aad:aad-{DSL[0]}", f"conv:{DSL[1]}"):
        assert await stores.references.get(key) is None, key
    # A request now goes to the deputy, not into a chat that is gone.
    await open_chats(client, DEPUTY)
    sent = await ask_dsl(client)
    assert "deputy DSL" in texts_of(to(sent, PRAC[1])) and len(request_cards(client.fake_connector, DEPUTY[1])) == 1
    assert request_cards(client.fake_connector, DSL[1]) == []
    # Installed again: stored again, though this worker stored the very same reference before.
    status, _ = await post_activity(client, installation(client, DSL, "add"), client.fake_connector)
    assert (await stores.references.get(DSL[0]))["conversation_id"] == DSL[1]
    assert await stores.references.get(f"aad:aad-{DSL[0]}") is not None


async def test_escalations_view_is_private(client) -> None:
    await open_chats(client, DSL)
    await ask_dsl(client)
    sent = await say(client, (DSL[0], "19:staffroom", DSL[2]), "escalations", conversation_type="groupChat")
    assert "Type \"escalations\" in a 1:1 chat" in texts_of(sent) and "ESC-000001" not in texts_of(sent)
    sent = await say(client, DSL, "escalations")
    text = texts_of(sent)
    assert "ESC-000001" in text and "requested, not yet acknowledged (sent to 1)" in text
