"""bot/channels/teams/activities.py gives exactly what msrest gives, for every kind of activity the bot sends
and receives; anything unusual goes to msrest itself."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference, Mention
from msrest.serialization import Model, Serializer

from bot.channels.teams.activities import NotPlain, _MODELS, activity_from_json, to_json
from bot.channels.activity import reply_activity
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat
from tests.fake_connector import message_activity

SERVICE = "https://smba.trafficmanager.net/uk/"
MSREST = Serializer(_MODELS)


def same(a: Any, b: Any, where: str = "activity") -> None:
    """Deep equality of two model trees, instance attributes included (additional_properties too)."""
    assert type(a) is type(b), where
    if isinstance(a, Model):
        assert vars(a).keys() == vars(b).keys(), where
        for key in vars(a):
            same(getattr(a, key), getattr(b, key), f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def incoming() -> list[dict[str, Any]]:
    """Activities as Teams sends them: typed text, card submits, mentions, installs, odd extras."""
    text = message_activity(SERVICE, text="not sure")
    mention = message_activity(SERVICE, text="hello", mention_bot=True, conversation_type="channel")
    mention["channelData"].update({"team": {"id": "19:team"}, "channel": {"id": "19:chan@thread.tacv2"}})
    submit = message_activity(SERVICE, value={"choice": "__text__", "text": "Zoë's note \u2014 ✓"})
    teams = message_activity(SERVICE, text="yes")
    teams.update({"timestamp": "2026-12-04T03:00:00.1234567Z", "localTimestamp": "2026-12-04T03:00:00.123+00:00",
                  "localTimezone": "Europe/London", "textFormat": "plain", "attachments": [],
                  "entities": [{"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web",
                                "timezone": "Europe/London"}]})
    teams["from"]["role"] = "user"
    added = message_activity(SERVICE)
    added.update({"type": "conversationUpdate", "membersAdded": [{"id": "28:bot"}, {"id": "29:u", "name": "U"}]})
    install = message_activity(SERVICE)
    install.update({"type": "installationUpdate", "action": "add"})
    invoke = message_activity(SERVICE, value={"action": {"type": "Action.Execute"}})
    invoke.update({"type": "invoke", "name": "adaptiveCard/action", "unknownTopLevel": {"x": 1}})
    return [text, mention, submit, teams, added, install, invoke]


@pytest.mark.parametrize("body", incoming(), ids=lambda b: b["type"] + ":" + str(b.get("text", ""))[:10])
def test_incoming_activities_parse_exactly_as_msrest_parses_them(body):
    same(activity_from_json(copy.deepcopy(body)), Activity().deserialize(copy.deepcopy(body)))


@pytest.mark.parametrize("odd", [{"text": 42}, {"historyDisclosed": "true"}, {"from": "29:u"},
                                 {"timestamp": 1733281200}, {"membersAdded": [None]}])
def test_anything_unusual_is_parsed_by_msrest_itself(odd):
    body = {**message_activity(SERVICE, text="yes"), **odd}
    try:
        expected = Activity().deserialize(copy.deepcopy(body))
    except Exception as exc:  # noqa: BLE001 - whatever msrest does, we do the same
        with pytest.raises(type(exc)):
            activity_from_json(copy.deepcopy(body))
        return
    same(activity_from_json(copy.deepcopy(body)), expected)


def replies_of_a_whole_walk() -> list:
    chat = EngineChat(load_builtin("national-2018"))
    replies = list(chat.say("hello"))
    for step in (("tap", "share"), ("tap", "why"), ("tap", "yes"), ("say", "rules"), ("say", "999"),
                 ("tap", "resume"), ("tap", "yes"), ("tap", "yes"), ("tap", "no"), ("tap", "yes"),
                 ("tap", "yes"), ("tap", "record"), ("say", "nonsense"), ("say", "help")):
        replies += chat.tap(step[1]) if step[0] == "tap" else chat.say(step[1])
    return replies


def outgoing() -> list[Activity]:
    incoming_activity = Activity().deserialize(message_activity(SERVICE, text="yes"))
    reference = TurnContext.get_conversation_reference(incoming_activity)
    out = []
    for i, reply in enumerate(replies_of_a_whole_walk()):
        for channel in ("msteams", "sms"):
            # As the Teams channel sends a reply: its JSON made into botbuilder's Activity, then addressed.
            activity = TurnContext.apply_conversation_reference(activity_from_json(reply_activity(reply, channel)),
                                                                reference)
            if i % 3 == 0:
                activity.timestamp = datetime(2026, 12, 4, 3, 0, 0, 120000, tzinfo=timezone(timedelta(hours=1)))
                activity.entities = [Mention(mentioned=ChannelAccount(id="29:u", name="U"), text="<at>U</at>",
                                             type="mention")]
            out.append(activity)
    proactive = Activity(type="message", text="A DSL has acknowledged your request.",
                         conversation=ConversationAccount(id="a:x", tenant_id="t"),
                         relates_to=ConversationReference(activity_id="1", channel_id="msteams"))
    return out + [proactive]


def test_outgoing_replies_serialise_exactly_as_msrest_serialises_them():
    activities = outgoing()
    assert len(activities) > 30 and any(a.attachments for a in activities) and any(a.text for a in activities)
    for activity in activities:
        assert to_json(copy.deepcopy(activity)) == MSREST.body(copy.deepcopy(activity), "Activity")


def test_a_value_msrest_would_have_to_convert_is_left_to_msrest():
    odd = Activity(type="message", text="x", timestamp=datetime(2026, 12, 4, 3, 0))  # no time zone
    with pytest.raises(NotPlain):
        to_json(odd)
    dict_in_model_slot = Activity(type="message", from_property={"id": "28:bot"})
    with pytest.raises(NotPlain):
        to_json(dict_in_model_slot)
