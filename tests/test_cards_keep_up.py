"""Cards that keep up: when one DSL acts on a request, every copy of its card (each DSL's, each
deputy's, the MASH channel's) is updated in place through the Bot Connector's update call, showing
the status and who acted, with only the buttons that still make sense."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake_connector import FakeConnector
from tests.fixtures import DEPUTY, DSL, JOIN_CODE, MASH_CHANNEL, PRAC, add_bot_to_mash_team, ask_dsl, ask_mash
from tests.fixtures import card_actions, card_text, open_chats, texts_of, to
from tests.fixtures import say_accepted as say

SECOND_DSL = ("29:dsl-2", "a:dsl-2", "Chris Second")


pytestmark = pytest.mark.with_directory  # the app with the test directory (Oakfield's DSLs, MASH channel and webhook)


def sent_card_ids(connector: FakeConnector, conversation_id: str) -> list[str]:
    """The activity ids Teams gave the request cards sent to one conversation."""
    ids = []
    for call in connector.calls:
        if (call.method == "POST" and f"/conversations/{conversation_id}/activities" in call.path
                and isinstance(call.body, dict) and call.body.get("attachments")
                and any(w in card_text(call.body["attachments"][0]["content"])
                        for w in ("advice requested", "advice still needed"))):
            ids.append(call.response_id)
    return ids


def updates(connector: FakeConnector, conversation_id: str) -> dict[str, dict[str, Any]]:
    """Activity id -> the card it was last updated to, for one conversation (PUT calls)."""
    out = {}
    for call in connector.calls:
        marker = f"/conversations/{conversation_id}/activities/"
        if call.method == "PUT" and marker in call.path:
            out[call.path.rsplit("/", 1)[-1]] = call.body["attachments"][0]["content"]
    return out


async def test_when_one_dsl_acknowledges_every_dsls_card_shows_it_and_drops_acknowledge(client) -> None:
    connector = client.fake_connector
    await say(client, SECOND_DSL, f"register dsl {JOIN_CODE}")
    await open_chats(client, DSL, DEPUTY)
    await ask_dsl(client)
    first_ids = {who[1]: sent_card_ids(connector, who[1]) for who in (DSL, SECOND_DSL)}
    assert all(len(ids) == 1 for ids in first_ids.values())

    await say(client, SECOND_DSL, value={"escalation": "ESC-000001", "action": "acknowledge"})
    for who in (DSL, SECOND_DSL):
        changed = updates(connector, who[1])
        assert list(changed) == first_ids[who[1]], who  # that very card, in place, not a new one
        card = changed[first_ids[who[1]][0]]
        text = card_text(card)
        assert text.startswith("Acknowledged by Chris Second at ") and "ESC-000001" in text
        assert {a["action"] for a in card_actions(card)} == {"calling", "resolve"}  # no second Acknowledge
    assert updates(connector, DEPUTY[1]) == {}  # the deputy was never sent it

    await say(client, DSL, value={"escalation": "ESC-000001", "action": "resolve", "advice": "Refer to MASH today."})
    card = updates(connector, SECOND_DSL[1])[first_ids[SECOND_DSL[1]][0]]
    assert card_text(card).startswith("Resolved by Alex Lead at ") and "Advice: Refer to MASH today." in card_text(card)
    assert card_actions(card) == [] and "actions" not in card  # nothing left to press


async def test_a_reminder_card_sent_to_the_deputy_is_updated_too(client) -> None:
    connector = client.fake_connector
    await open_chats(client, DSL, DEPUTY)
    await ask_dsl(client, urgent=True)
    client.clock.advance(minutes=5)
    assert await client.service.run_due() == 1  # the reminder goes to the DSL and the deputy
    deputy_cards = sent_card_ids(connector, DEPUTY[1])
    dsl_cards = sent_card_ids(connector, DSL[1])
    assert len(deputy_cards) == 1 and len(dsl_cards) == 2
    await say(client, DEPUTY, value={"escalation": "ESC-000001", "action": "calling"})
    assert set(updates(connector, DSL[1])) == set(dsl_cards)  # the first card and the reminder
    card = updates(connector, DEPUTY[1])[deputy_cards[0]]
    assert card_text(card).startswith("Calling back by Bo Deputy at ")
    assert {a["action"] for a in card_actions(card)} == {"resolve"}


async def test_the_mash_channels_card_is_updated_when_mash_picks_it_up(client, webhook) -> None:
    connector = client.fake_connector
    await add_bot_to_mash_team(client)
    await ask_mash(client)
    (posted,) = [c for c in connector.calls if c.method == "POST" and f"/conversations/{MASH_CHANNEL}/" in c.path]
    worker = ("29:sw-1", f"{MASH_CHANNEL};messageid=1700000000000", "Dana Social")
    await say(client, worker, value={"escalation": "HO-000001", "action": "acknowledge"}, conversation_type="channel")
    card = updates(connector, MASH_CHANNEL)[posted.response_id]
    assert card_text(card).startswith("Acknowledged by Dana Social at ") and "HO-000001" in card_text(card)
    assert {a["action"] for a in card_actions(card)} == {"calling", "resolve"}


async def test_the_practitioners_sent_card_carries_the_reference_and_shows_the_answer(client) -> None:
    connector = client.fake_connector
    await open_chats(client, DSL)
    sent = await ask_dsl(client)
    assert "Your reference is ESC-000001" in texts_of(to(sent, PRAC[1]))
    (sent_card,) = [c for c in connector.calls if c.method == "POST" and f"/conversations/{PRAC[1]}/" in c.path
                    and "Sent to your DSL" in texts_of([c.body])]

    await say(client, DSL, value={"escalation": "ESC-000001", "action": "acknowledge"})
    card = updates(connector, PRAC[1])[sent_card.response_id]  # that card, in place
    text = card_text(card)
    assert "Your request ESC-000001 to your DSL" in text and "Acknowledged by Alex Lead at " in text
    assert "Alex Lead will be in touch." in text and "You can still call" not in text  # the DSL's words stay theirs
    assert card_actions(card) == []

    await say(client, DSL, value={"escalation": "ESC-000001", "action": "resolve", "advice": "Share with the nurse."})
    text = card_text(updates(connector, PRAC[1])[sent_card.response_id])
    assert "Resolved by Alex Lead" in text and "Advice: Share with the nurse." in text and "golden rule 7" in text


async def test_a_card_that_cannot_be_updated_does_not_stop_the_others_or_the_answer(client) -> None:
    connector = client.fake_connector
    await say(client, SECOND_DSL, f"register dsl {JOIN_CODE}")
    await open_chats(client, DSL, DEPUTY)
    await ask_dsl(client)
    second_card = sent_card_ids(connector, SECOND_DSL[1])
    connector.fail_conversations.add(DSL[1])  # the first DSL's chat is unreachable from now on
    await say(client, SECOND_DSL, value={"escalation": "ESC-000001", "action": "acknowledge"})
    assert any(c.method == "PUT" and f"/conversations/{DSL[1]}/" in c.path and not c.delivered
               for c in connector.calls)  # tried, and failed
    card = updates(connector, SECOND_DSL[1])[second_card[0]]
    assert card_text(card).startswith("Acknowledged by Chris Second at ")
    assert (await client.service.escalations.get("ESC-000001"))["status"] == "acknowledged"
