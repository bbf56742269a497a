"""The bot through real Bot Framework activities over HTTP, with a fake Bot Connector on 127.0.0.1.

The app is the real one (`create_app`), on a loopback test server with the embedded SQLite store;
the replies are what the adapter POSTed to the fake connector.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.http import app as app_module
from bot import logs
from bot.channels.terminal import chat
from bot.channels.teams.cards import render_card
from bot.channels.text import render_text
from bot.config import Settings, SettingsError
from dialogs.model import TEXT_SUBMIT, Choice, Reply, RuleRef
from dialogs.pack import load_builtin
from tests.fake_connector import (
    BOT_ID, add_member, card_choices, card_texts, cards, message_activity, post_activity,
    send_message,
)

PACK = load_builtin("national-2018")
WELCOME = ["share", "consent", "danger", "dsl", "rules"]
QUESTION = ["yes", "no", "not_sure", "why", "back"]
# Answer paths from tests/test_flowchart_paths.py (each cites its source there).
TO_CONSENT = ["yes", "no", "no", "yes", "yes"]
NOT_SOUGHT_RISK = TO_CONSENT + ["not_asked", "yes", "risk_of_harm", "yes"]


def only_card(replies):
    (card,) = cards(replies)
    return card


async def walk(client, answers, entry="share", **kw):
    await send_message(client, "hello", **kw)
    replies = await send_message(client, value={"choice": entry}, **kw)
    for answer in answers:
        replies = await send_message(client, value={"choice": answer}, **kw)
    return replies


# ---- Welcome ------------------------------------------------------------------------------------------


async def test_hello_gets_the_welcome_card_naming_the_pack(client):
    replies = await send_message(client, "hello")
    card = only_card(replies)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert any(PACK.title in t for t in card_texts(card))
    assert card_choices(card) == WELCOME
    (reply,) = replies
    # Replies go back to the conversation they came from, as the bot, to the user.
    assert reply["conversation"]["id"] == "a:conv-1"
    assert reply["from"]["id"] == BOT_ID and reply["recipient"]["id"] == "29:user-1"
    danger_button = next(a for a in card["actions"] if a["data"]["choice"] == "danger")
    assert danger_button["style"] == "destructive"


async def test_opening_a_chat_welcomes_the_person_but_not_the_bot(client):
    card = only_card(await add_member(client, conversation_id="a:new"))
    assert card_choices(card) == WELCOME
    assert await add_member(client, conversation_id="a:other", member_id=BOT_ID) == []


# ---- Walking the flowchart ----------------------------------------------------------------------------


@pytest.mark.parametrize("answers,outcome,decision,rules", [
    (["yes", "no", "no", "yes", "no"], "outcome_share", "Share", [1, 6, 7]),
    (TO_CONSENT + ["refused", "parent", "yes"], "outcome_share_without_consent", "Share", [4, 5, 6, 7]),
    (["no"], "outcome_do_not_share", "Do not share", [6, 7]),
], ids=["not-confidential", "refused-public-interest", "no-purpose"])
async def test_card_submits_walk_to_an_outcome_with_its_golden_rules(client, answers, outcome, decision, rules):
    await send_message(client, "hello")
    question = only_card(await send_message(client, value={"choice": "share"}))
    assert card_choices(question) == QUESTION
    assert PACK.nodes["clear_purpose"].text in card_texts(question)
    replies = []
    for answer in answers:
        replies = await send_message(client, value={"choice": answer})
    card = only_card(replies)
    node = PACK.nodes[outcome]
    texts = card_texts(card)
    assert texts[0] == node.title
    facts = {f["title"]: f["value"] for item in card["body"] if item["type"] == "FactSet" for f in item["facts"]}
    assert facts["Decision"] == decision
    for number in rules:
        rule = PACK.golden_rules[number]
        assert f"Golden rule {number}: {rule.short or rule.text}" in texts
        assert f"Golden rule {number}: {rule.text}" in texts  # the full wording folds out
    assert not any(t.startswith("Golden rule") and int(t.split()[2][:-1]) not in rules for t in texts)
    assert "record" in card_choices(card)
    assert any(t.startswith("Source: ") for t in texts)


async def test_share_outcome_card_lists_how_to_share(client):
    card = only_card(await walk(client, ["yes", "no", "no", "yes", "no"]))
    bullets = [t for t in card_texts(card) if t.startswith("• ")]
    assert len(bullets) == 5 and any("securely" in b for b in bullets)


async def test_typed_yes_works_like_the_button(client):
    tapped = await walk(client, ["yes"], conversation_id="a:tap")
    await send_message(client, "hello", conversation_id="a:type")
    await send_message(client, "Can I share this information?", conversation_id="a:type")
    typed = await send_message(client, "yes", conversation_id="a:type")
    assert only_card(typed) == only_card(tapped)
    assert card_texts(only_card(typed))[1] == PACK.nodes["statutory_duty"].text


async def test_an_at_mention_of_the_bot_is_ignored_and_numbers_pick_choices(client):
    await walk(client, [])
    card = only_card(await send_message(client, "yes", mention_bot=True))
    assert PACK.nodes["statutory_duty"].text in card_texts(card)
    card = only_card(await send_message(client, "2"))
    assert PACK.nodes["harm_concern"].text in card_texts(card)


async def test_unknown_text_re_asks_the_question_with_its_choices(client):
    await walk(client, [])
    card = only_card(await send_message(client, "purple elephants"))
    texts = card_texts(card)
    assert texts[0].startswith("Sorry, I didn't understand")
    assert PACK.nodes["clear_purpose"].text in texts
    assert card_choices(card) == QUESTION


async def test_999_interrupts_with_the_danger_card_and_resume_goes_back(client):
    await walk(client, ["yes"])
    card = only_card(await send_message(client, "999"))
    (box,) = [i for i in card["body"] if i.get("style") == "attention"]
    assert box["items"][0]["text"] == "Call 999 now" and box["items"][0]["color"] == "Attention"
    assert "call 999" in " ".join(card_texts(card)).lower()
    assert card_choices(card)[0] == "resume"
    back = only_card(await send_message(client, value={"choice": "resume"}))
    assert PACK.nodes["statutory_duty"].text in card_texts(back)


async def test_danger_typed_in_plain_words_mid_question_brings_the_999_card_that_resumes(client):
    await walk(client, ["yes"])
    card = only_card(await send_message(client, "theres a man at the school gate with a machete"))
    assert "Call 999 now" in card_texts(card) and card_choices(card)[0] == "resume"
    back = only_card(await send_message(client, "1"))  # typed: the card's first choice
    assert PACK.nodes["statutory_duty"].text in card_texts(back)


async def test_possible_danger_puts_the_999_line_above_the_same_question(client):
    await walk(client, ["yes"])
    replies = await send_message(client, "my pupil said something about a knife")
    reminder, question = cards(replies)
    assert "If a child is in danger now, call 999." in card_texts(reminder)
    assert card_choices(reminder) == ["danger"]
    assert PACK.nodes["statutory_duty"].text in card_texts(question) and card_choices(question) == QUESTION


async def test_a_resent_activity_is_answered_once(client):
    await send_message(client, "hello")
    first = await send_message(client, value={"choice": "share"}, activity_id="dup-1")
    again = await send_message(client, value={"choice": "share"}, activity_id="dup-1")
    assert len(first) == 1 and again == []


async def test_record_a_decision_end_to_end_files_it_in_the_store(client):
    await walk(client, NOT_SOUGHT_RISK)
    card = only_card(await send_message(client, value={"choice": "record"}))
    (box,) = [i for i in card["body"] if i["type"] == "Input.Text"]
    assert box["id"] == "text" and box["isMultiline"] and box["placeholder"]
    assert card_choices(card)[0] == TEXT_SUBMIT
    for answer in ["Attendance and injury concerns", "both", "MASH social worker", "Children's social care",
                   "Child protection referral", "mash_form", "no_risk", "yes", "no", "significant_harm",
                   "public_task", "yes"]:
        typed = " " in answer or answer[0].isupper()
        value = {"choice": TEXT_SUBMIT, "text": answer} if typed else {"choice": answer}
        replies = await send_message(client, value=value)
    assert "confirm" in card_choices(only_card(replies))
    replies = await send_message(client, value={"choice": "confirm"})
    texts = " ".join(card_texts(only_card(replies)))
    stores = client.app[app_module.STORES_KEY]
    (record,) = await stores.records.list(practitioner_id="29:user-1")
    assert record["reference"] in texts
    assert record["practitioner"]["tenant_id"] == "tenant-0001"
    assert record["outcome"]["id"] == "outcome_share_without_consent"


# ---- Channels and conversation types -----------------------------------------------------------------


async def test_channels_without_cards_get_numbered_text(client):
    await send_message(client, "hello", channel_id="slack", conversation_id="s:1")
    (reply,) = await send_message(client, value={"choice": "share"}, channel_id="slack", conversation_id="s:1")
    assert "attachments" not in reply or not reply["attachments"]
    assert "1. Yes  2. No  3. Not sure  4. Why does this matter?  5. Back" in reply["text"]


async def test_group_chats_are_told_to_use_a_private_chat_and_keep_nothing(client):
    (reply,) = await send_message(client, "yes", conversation_type="groupChat", conversation_id="19:group")
    assert "private chat" in reply["text"] and "999" in reply["text"]
    stores = client.app[app_module.STORES_KEY]
    assert await stores.conversations.load("19:group") == (None, 0)


# ---- Errors --------------------------------------------------------------------------------------------


async def test_a_turn_that_fails_says_sorry_logs_no_text_and_keeps_the_answers(client, caplog, monkeypatch):
    await walk(client, ["yes"])
    bot = client.app[app_module.BOT_KEY]
    real_run = bot.runner.run_turn

    async def broken(conversation_id, inp, render=None):
        raise RuntimeError(f"boom {inp.text}")

    monkeypatch.setattr(bot.runner, "run_turn", broken)
    with caplog.at_level(logging.INFO):
        (reply,) = await send_message(client, "secret child name")
    assert reply["text"].startswith("Sorry, something went wrong. Your answers are kept.")
    assert "999" in reply["text"]
    assert "secret child name" not in caplog.text and "RuntimeError" in caplog.text
    # The conversation is named as every log line names it: hashed, never the raw id.
    assert f"turn failed: conversation={logs.hash_id('a:conv-1')}" in caplog.text and "a:conv-1" not in caplog.text
    monkeypatch.setattr(bot.runner, "run_turn", real_run)
    card = only_card(await send_message(client, "resume"))
    assert PACK.nodes["statutory_duty"].text in card_texts(card)



async def test_a_failed_turn_nobody_could_be_told_about_is_retried_by_bot_service(client, monkeypatch):
    await walk(client, ["yes"])
    bot = client.app[app_module.BOT_KEY]
    real_run = bot.runner.run_turn

    async def broken(conversation_id, inp, render=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.runner, "run_turn", broken)
    client.fake_connector.fail_with = 502
    answer = message_activity(client.fake_connector.url, text="999 he has a knife")
    before = len(client.fake_connector.sent_to("a:conv-1"))
    status, _ = await post_activity(client, answer, client.fake_connector)
    # Not even "something went wrong" reached the practitioner: 503, so Bot Service delivers it again.
    assert status == 503 and len(client.fake_connector.sent_to("a:conv-1")) == before
    monkeypatch.setattr(bot.runner, "run_turn", real_run)
    client.fake_connector.fail_with = None
    status, _ = await post_activity(client, answer, client.fake_connector)
    sent = client.fake_connector.sent_to("a:conv-1")[before:]
    assert status == 201 and "999" in " ".join(card_texts(only_card(sent[:1])))


async def test_an_outcome_that_could_not_be_delivered_is_sent_again_as_it_was(client):
    await walk(client, NOT_SOUGHT_RISK[:-1])
    client.fake_connector.fail_with = 503
    outcome_answer = message_activity(client.fake_connector.url, value={"choice": NOT_SOUGHT_RISK[-1]})
    status, _ = await post_activity(client, outcome_answer, client.fake_connector)
    assert status == 503
    (tried,) = [c.body for c in client.fake_connector.calls if isinstance(c.body, dict) and not c.delivered]
    state, _ = await client.app[app_module.STORES_KEY].conversations.load("a:conv-1")
    client.fake_connector.fail_with = None
    status, resent = await post_activity(client, outcome_answer, client.fake_connector)
    # The practitioner gets the very card that was lost: the decision, the golden rules, the buttons.
    assert status == 201 and only_card(resent) == tried["attachments"][0]["content"]
    assert "You can share without consent" in card_texts(only_card(resent))
    # The decision summary the engine hands to programs is not kept for that: the saved state stays small.
    assert len(json.dumps(state, separators=(",", ":"))) < 4500


async def test_a_connector_outage_loses_no_answer(client, caplog):
    await walk(client, [])
    client.fake_connector.fail_with = 503
    answer = message_activity(client.fake_connector.url, text="yes")
    with caplog.at_level(logging.INFO):
        status, _ = await post_activity(client, answer, client.fake_connector)
    # Not 201: Bot Service retries a 503, so the practitioner is not left without the answer.
    assert status == 503
    assert "replies not delivered" in caplog.text and "yes" not in caplog.text.split()
    client.fake_connector.fail_with = None
    # Bot Service delivers the same activity again: the saved reply is sent, with the id it had.
    status, resent = await post_activity(client, answer, client.fake_connector)
    assert status == 201
    assert PACK.nodes["statutory_duty"].text in card_texts(only_card(resent))
    tried = [c.body["channelData"]["sharesafeReplyId"] for c in client.fake_connector.calls
             if isinstance(c.body, dict) and not c.delivered]
    assert resent[0]["channelData"]["sharesafeReplyId"] in tried
    # Delivered now: a third delivery of the same activity sends nothing more.
    status, again = await post_activity(client, answer, client.fake_connector)
    assert status == 201 and again == []
    # The answer was saved once: the next turn shows question 2, not a question skipped.
    card = only_card(await send_message(client, "resume"))
    assert PACK.nodes["statutory_duty"].text in card_texts(card)


@pytest.mark.parametrize("body,headers,status", [
    (b"{not json", {"Content-Type": "application/json"}, 400),
    (b"[1, 2]", {"Content-Type": "application/json"}, 400),
    (b'"hello"', {"Content-Type": "application/json"}, 400),
    (b'{"text": "no type"}', {"Content-Type": "application/json"}, 400),
    (b'{"type": "message"}', {"Content-Type": "application/json"}, 400),
    (b'{"type": "message", "text": "hi"}', {"Content-Type": "text/plain"}, 400),
    (b"", {}, 400),
    (b"\xff\xfe\x00", {"Content-Type": "application/json"}, 400),
    (b"{" + b'"a": "' + b"x" * 300_000 + b'"}', {"Content-Type": "application/json"}, 413),
], ids=["invalid-json", "array", "string", "missing-type", "no-conversation", "text-plain", "empty",
        "not-utf8", "huge"])
async def test_malformed_bodies_get_a_short_4xx_and_the_server_keeps_serving(client, body, headers, status):
    response = await client.post("/api/messages", data=body, headers=headers)
    assert response.status == status
    payload = await response.json()
    assert set(payload) == {"error"} and len(payload["error"]) < 80
    assert "Traceback" not in payload["error"]
    assert only_card(await send_message(client, "hello"))


@pytest.mark.parametrize("depth", [100, 5_000, 100_000], ids=["past-the-limit", "deep", "past-recursion"])
async def test_deeply_nested_json_gets_a_400_not_a_crash(client, caplog, depth):
    """Nested brackets (a RecursionError in the JSON parser or the SDK's deserialiser) are the sender's error."""
    activity = message_activity(client.fake_connector.url, text="hello")
    body = json.dumps(activity)[:-1] + ', "channelData": ' + "[" * depth + "]" * depth + "}"
    assert len(body) < app_module.MAX_BODY_BYTES  # not refused for its size
    with caplog.at_level(logging.INFO):
        response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert await response.json() == {"error": "body is nested too deeply"}
    assert "RecursionError" not in caplog.text and "request failed" not in caplog.text
    assert client.fake_connector.activities == []
    assert only_card(await send_message(client, "hello"))  # still serving


async def test_ordinary_nesting_inside_an_activity_is_fine(client):
    activity = message_activity(client.fake_connector.url, text="hello")
    deep = {"k": "v"}
    for _ in range(20):  # far deeper than anything Teams sends
        deep = {"nested": [deep]}
    activity["channelData"] = {**activity["channelData"], "extra": deep}
    status, replies = await post_activity(client, activity, client.fake_connector)
    assert status == 201 and len(cards(replies)) == 1


@pytest.mark.parametrize("bad", [
    {"from": "someone"}, {"from": None}, {"recipient": None}, {"serviceUrl": 42}, {"serviceUrl": "ftp://x"},
    {"conversation": {"id": 7}}, {"conversation": "a:conv-1"}, {"timestamp": "not a time"}, {"entities": "nope"},
    {"type": "conversationUpdate", "membersAdded": "x"},
])
async def test_malformed_fields_inside_an_activity_are_rejected(client, bad):
    activity = {**message_activity(client.fake_connector.url, text="hi"), **bad}
    status, replies = await post_activity(client, activity, client.fake_connector)
    assert status == 400 and replies == []
    assert only_card(await send_message(client, "hello"))


@pytest.mark.parametrize("bad", [{"value": [1]}, {"value": "str"}, {"channelData": "x"}, {"text": None},
                                 {"entities": [{"type": "mention"}]}])
async def test_odd_but_valid_activities_still_get_an_answer(client, bad):
    activity = {**message_activity(client.fake_connector.url, text="hello"), **bad}
    status, replies = await post_activity(client, activity, client.fake_connector)
    assert status == 201 and len(cards(replies)) == 1


@pytest.mark.parametrize("value,status", [(None, 400), ({"action": {"type": "Action.Execute", "verb": "x"}}, 501)])
async def test_invokes_the_bot_does_not_handle_get_a_status_not_a_crash(client, value, status):
    activity = {**message_activity(client.fake_connector.url), "type": "invoke", "name": "adaptiveCard/action"}
    if value is not None:
        activity["value"] = value
    got, replies = await post_activity(client, activity, client.fake_connector)
    assert got == status and replies == []
    assert only_card(await send_message(client, "hello"))


async def test_unknown_routes_and_methods_answer_json(client):
    response = await client.get("/api/messages")
    assert response.status == 405 and "error" in await response.json()
    response = await client.get("/nope")
    assert response.status == 404


async def test_with_an_app_id_unsigned_requests_are_refused(tmp_path, connector, sdk):
    from state.encryption import new_key  # production (APP_ID set) also needs the record key

    settings = Settings.from_env({"APP_ID": "00000000-0000-0000-0000-000000000001", "APP_PASSWORD": "s3cret",
                                  "SHARESAFE_DATA_DIR": str(tmp_path), "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
                                  "SHARESAFE_ALLOWED_TENANTS": "tenant-0001",  # multi-tenant: must name them
                                  "SHARESAFE_SDK": sdk})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as http:
        status, replies = await post_activity(http, message_activity(connector.url, text="hello"), connector)
    assert status == 401 and replies == []


# ---- Health ---------------------------------------------------------------------------------------------


async def test_healthz_and_readyz(client):
    response = await client.get("/healthz")
    assert response.status == 200 and await response.json() == {"status": "ok"}
    response = await client.get("/readyz")
    assert response.status == 200 and (await response.json())["backend"] == "sqlite"


async def test_readyz_is_503_when_the_store_does_not_answer(client, monkeypatch):
    stores = client.app[app_module.STORES_KEY]

    async def down():
        return False

    monkeypatch.setattr(stores.conversations, "ping", down)
    response = await client.get("/readyz")
    assert response.status == 503


# ---- Settings -------------------------------------------------------------------------------------------


def test_settings_defaults_and_secrets_stay_hidden():
    s = Settings.from_env({})
    assert (s.HOST, s.PORT, s.APP_TYPE, s.PACK, s.ENV, s.IDLE_TTL, s.DATA_DIR) == (
        "127.0.0.1", 3978, "MultiTenant", "national-2018", "development", 86400, "./data")
    assert not s.auth_enabled
    s = Settings.from_env({"APP_ID": "id", "APP_PASSWORD": "hunter2-secret", "REDIS_URL": "redis://:pw@h/0",
                           "PORT": "8080", "APP_TYPE": "singletenant", "APP_TENANTID": "t"})
    assert s.ENV == "production" and s.PORT == 8080 and s.APP_TYPE == "SingleTenant"
    assert "hunter2-secret" not in repr(s) and "hunter2-secret" not in str(s) and ":pw@" not in repr(s)


@pytest.mark.parametrize("env", [
    {"PORT": "http"}, {"PORT": "70000"}, {"APP_TYPE": "Other"}, {"LOG_LEVEL": "LOUD"},
    {"APP_ID": "id"}, {"APP_ID": "id", "APP_PASSWORD": "p", "APP_TYPE": "SingleTenant"},
])
def test_bad_settings_name_the_variable(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_production_without_an_app_id_does_not_start():
    with pytest.raises(SettingsError, match="APP_ID"):
        app_module.create_app(Settings.from_env({"SHARESAFE_ENV": "production"}))


# ---- Cards and text ------------------------------------------------------------------------------------


RULE = RuleRef(7, "Keep a record of your decision and the reasons for it.", "Record your decision.")


def test_card_with_a_text_box_sends_text_submit_and_keeps_other_buttons():
    card = render_card(Reply(kind="record_question", title="Record", text="What information?",
                             input_hint="Type of information", choices=(Choice("back", "Back"),)))
    (box,) = [i for i in card["body"] if i["type"] == "Input.Text"]
    assert box == {"type": "Input.Text", "id": "text", "placeholder": "Type of information",
                   "isMultiline": True, "maxLength": 2000, "spacing": "Medium"}
    assert [a["data"] for a in card["actions"]] == [{"choice": TEXT_SUBMIT}, {"choice": "back"}]


def test_long_menus_are_split_into_action_sets():
    choices = tuple(Choice(f"edit:f{n}", f"Field {n}") for n in range(9))
    card = render_card(Reply(kind="record_question", title="What do you want to change?", text="Pick a field.",
                             choices=choices))
    sets = [i for i in card["body"] if i["type"] == "ActionSet"]
    assert "actions" not in card and [len(s["actions"]) for s in sets] == [5, 4]
    assert card_choices(card) == [c.value for c in choices]


def test_card_lines_and_rules():
    card = render_card(Reply(kind="outcome", title="You can share", text="Line one.\nLine two.\n\nLine three.",
                             rules=(RULE,), facts=(("Decision", "Share"),), checklist=("Be quick.",),
                             source="Sandwell, Appendix 4"))
    texts = card_texts(card)
    assert texts[:4] == ["You can share", "Line one.", "Line two.", "Line three."]
    assert "• Be quick." in texts and "Source: Sandwell, Appendix 4" in texts
    assert "Golden rule 7: Record your decision." in texts
    hidden = next(i for i in card["body"] if i.get("id") == "rules-full")
    assert hidden["isVisible"] is False
    toggle = next(i for i in card["body"] if i["type"] == "ActionSet")
    assert toggle["actions"][0]["targetElements"] == ["rules-full"]
    assert json.loads(json.dumps(card)) == card


def test_render_text_numbers_choices_in_order():
    text = render_text(Reply(kind="question", title="Question 1", text="Is it confidential?", rules=(RULE,),
                             choices=(Choice("yes", "Yes"), Choice("no", "No"), Choice("not_sure", "Not sure"))))
    assert text.splitlines() == ["Question 1", "Is it confidential?", "Golden rule 7: Record your decision.",
                                 "1. Yes  2. No  3. Not sure"]
    outcome = render_text(Reply(kind="outcome", title="Share", text="Go.", rules=(RULE,)))
    assert "Golden rule 7: Keep a record of your decision and the reasons for it." in outcome


# ---- Terminal chat (same runner, same stores) -----------------------------------------------------------


async def test_chat_json_mode_prints_one_reply_a_line_and_takes_card_submits(tmp_path):
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path)})
    stdin = io.StringIO('hello\n{"choice": "share"}\nno\nrecord\n')
    stdout = io.StringIO()
    assert await chat(settings, user="u1", conversation=None, as_json=True, stdin=stdin, stdout=stdout) == 0
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [line["kind"] for line in lines] == ["welcome", "question", "outcome", "record_question"]
    assert all(line["last"] for line in lines) and lines[2]["outcome"] == "outcome_do_not_share"
    # the conversation was saved under terminal:<user>, so a second run resumes it
    stdout = io.StringIO()
    await chat(settings, user="u1", conversation=None, as_json=True, stdin=io.StringIO("cancel\n"), stdout=stdout)
    assert json.loads(stdout.getvalue().splitlines()[0])["kind"] != "welcome"


async def test_chat_text_mode_shows_the_welcome_and_stops_on_quit(tmp_path):
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path)})
    stdout = io.StringIO()
    await chat(settings, user="u2", conversation="c-2", as_json=False,
               stdin=io.StringIO("share\nquit\nyes\n"), stdout=stdout)
    out = stdout.getvalue()
    assert out.startswith("ShareSafe\n") and "1. Can I share this information?" in out
    assert PACK.nodes["clear_purpose"].text in out
    assert PACK.nodes["statutory_duty"].text not in out  # stopped at quit


def test_engine_input_from_a_teams_activity():
    from bot.channels.activity import user_input

    raw = message_activity("http://127.0.0.1:1/", text="not sure", mention_bot=True, user_id="29:u7",
                           activity_id="act-7")
    raw["channelData"]["team"] = {"id": "19:team"}
    inp = user_input(raw)
    assert inp.text == "not sure" and inp.value is None and inp.activity_id == "act-7"
    assert (inp.user.user_id, inp.user.tenant_id, inp.user.team_id) == ("29:u7", "tenant-0001", "19:team")
    assert inp.now.tzinfo is not None
    submit = user_input(message_activity("http://127.0.0.1:1/", value={"choice": "yes"}))
    assert submit.text == "" and submit.value == {"choice": "yes"}
