"""One command registry (dialogs/commands.py): a typed command does what its button does wherever it is
typed, the help lists only what this person may type here and everything it lists works, and a
DSL's commands work in the terminal as they do in Teams."""

from __future__ import annotations

import copy
from dataclasses import replace
import io
import json

import pytest

from bot.channels.terminal import chat as terminal_chat
from bot.config import Settings
from bot.http import app as app_module
from dialogs.commands import EDGE, REGISTRY
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat, path_to
from tests.fixtures import DSL, JOIN_CODE, PRAC, ask_dsl, open_chats, texts_of, to
from tests.fixtures import say_accepted as say

PACK = load_builtin("national-2018")
NOT_UNDERSTOOD = ("Sorry, I didn't understand", "I don't have an answer to that")


def _at(place: str) -> EngineChat:
    """A conversation at the menu, a question, an outcome, or the DSL request's note (a text box)."""
    chat = EngineChat(PACK)
    chat.say("hello")
    if place == "question":
        chat.tap("share")
    elif place == "outcome":
        for answer in ["share"] + path_to(PACK, decision="share"):
            chat.tap(answer)
    elif place == "text":
        chat.tap("dsl")
        assert chat.state["request"]["form"] == "dsl"
    return chat


def _from(chat: EngineChat, **said) -> tuple:
    """The replies and state after one input, leaving the conversation where it was."""
    other = EngineChat(chat.pack)
    other.state = copy.deepcopy(chat.state)
    replies = other.say(**said)
    return replies, other.state, other.effects


PLACES = ["menu", "question", "outcome", "text"]
TYPED = [(c.name, word) for c in REGISTRY if c.runs != EDGE for word in c.words]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name,word", TYPED)
def test_every_command_word_does_what_its_button_does(place, name, word):
    chat = _at(place)
    if place == "question" and name == "correct":
        pytest.skip('"correct" is also a yes, so at a question it answers it (tests/test_record_dialog.py)')
    typed_replies, typed_state, typed_effects = _from(chat, text=word)
    tapped_replies, tapped_state, tapped_effects = _from(chat, value={"choice": name})
    if place == "text":
        assert (typed_state.get("request") or {}).get("fields", {}).get("note") != word
        # A word taken as a command changes one thing by design: the note's hint then says how to
        # type such a word as the note.
        typed_replies = [replace(r, input_hint=None) for r in typed_replies]
        tapped_replies = [replace(r, input_hint=None) for r in tapped_replies]
    assert typed_replies == tapped_replies, f"{word!r} at the {place}"
    assert (_comparable(typed_state), typed_effects) == (_comparable(tapped_state), tapped_effects)


def _comparable(state: dict) -> dict:
    """The state without what differs by design: a new form's random id, and the hint's note that a
    typed word was taken as a command (so it says how to type one as text)."""
    for form in ("draft", "request"):
        if state.get(form):
            state[form] = {k: v for k, v in state[form].items() if k not in ("id", "text_tip")}
    return state


@pytest.mark.parametrize("place", PLACES)
def test_everything_the_help_lists_works_here(place):
    chat = _at(place)
    (help_reply,) = _from(chat, text="help")[0]
    assert "If a child is in immediate danger, type 999." in help_reply.text
    for typed, line in help_reply.facts:
        command = REGISTRY.typed(typed)
        assert command is not None and command.command.help == line, typed
        if command.command.runs == EDGE:
            continue  # run by the channel before the engine: see the terminal test below
        replies, state, effects = _from(chat, text=typed)
        assert effects or replies, typed
        assert not any(r.title.startswith(NOT_UNDERSTOOD) for r in replies if r.title), f"{typed!r} at the {place}"


def test_every_command_in_the_teams_menu_does_what_its_button_does():
    from bot.channels.teams.app_package import command_lists

    personal = next(m["commands"] for m in command_lists() if m["scopes"] == ["personal"])
    assert {"help", "rules", "my records", "ask my DSL", "999"} <= {c["title"] for c in personal}
    for command, item in zip(REGISTRY.menu(), personal):
        assert item == {"title": command.shown_as, "description": command.help}
        assert EngineChat(PACK).say(item["title"]) == EngineChat(PACK).tap(command.name), item["title"]


def _helped(place: str) -> set[str]:
    (reply,) = _from(_at(place), text="help")[0]
    return {typed for typed, _ in reply.facts}


def test_the_help_lists_only_what_works_where_you_are():
    assert {"back", "why", "start again"} <= _helped("question")
    assert not {"confirm", "cancel", "more", "record"} & _helped("question")
    assert "record" in _helped("outcome") and "why" not in _helped("outcome")
    at_text = _helped("text")
    assert {"cancel", "confirm", "back"} <= at_text and not {"why", "mash", "record"} & at_text
    # The join code and the requests overview are offered at the menu, not in the middle of a question.
    assert {"escalations", "register dsl <join code>"} <= _helped("menu")
    assert not {"escalations", "register dsl <join code>"} & _helped("question")


def test_the_help_says_how_to_type_a_command_word_as_the_answer_only_at_a_text_box():
    (at_text,) = _from(_at("text"), text="help")[0]
    assert 'put it in quotes: "cancel"' in at_text.text
    (at_question,) = _from(_at("question"), text="help")[0]
    assert "quotes" not in at_question.text


def test_only_a_dsl_is_offered_the_dsl_commands():
    (reply,) = _from(_at("menu"), text="help")[0]
    offered = {typed for typed, _ in reply.facts}
    assert "org records" not in offered and not any(t.startswith("ack ") for t in offered)


@pytest.mark.parametrize("typed", ["register dsl oak-tree-4729", "escalations", "ack ESC-000001"])
def test_a_dsl_command_that_reaches_the_engine_is_never_kept_as_an_answer(typed):
    chat = _at("text")
    (reply,) = chat.say(typed)
    assert reply.title == "Not available here"
    assert "note" not in chat.state["request"].get("fields", {})
    assert typed not in json.dumps(chat.state["request"])


# ---- The DSL's commands: the same in the terminal as in Teams ------------------------------------------


pytestmark = pytest.mark.with_directory  # the app with the test directory (Oakfield's DSLs, MASH channel and webhook)


async def _type(settings: Settings, user: str, *lines: str) -> list[dict]:
    """`python -m bot chat --json` for one person: a reply a line."""
    stdout = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    await terminal_chat(settings, user=user, conversation=None, as_json=True, stdin=stdin, stdout=stdout)
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


async def test_a_dsl_answers_a_request_typing_in_the_terminal_or_in_teams(client, settings):
    await open_chats(client, DSL)
    await ask_dsl(client)
    in_teams = texts_of(await say(client, DSL, "escalations"))
    assert "requested, not yet acknowledged (sent to 1)" in in_teams

    dsl_help, overview, acknowledged = await _type(settings, DSL[0], "help", "escalations", "ack ESC-000001")
    offered = {fact[0] for fact in dsl_help["facts"]}
    assert {"org records", "ack ESC-000001", "escalations"} <= offered
    assert overview["title"] == "Requests: Oakfield Primary School"
    ((reference, line),) = overview["facts"]
    assert reference == "ESC-000001" and line in in_teams
    assert acknowledged["title"] == "ESC-000001: acknowledged"
    # The practitioner's Teams chat is not reachable from a terminal: the DSL is told so.
    assert "please contact them directly" in acknowledged["text"]
    stores = client.app[app_module.STORES_KEY]
    assert (await stores.escalations.get("ESC-000001"))["status"] == "acknowledged"

    # Typed in Teams, the same words give the same answers as the card's buttons.
    assert "already acknowledged" in texts_of(await say(client, DSL, "ack ESC-000001"))
    sent = await say(client, DSL, "resolve ESC-000001 Refer to MASH today.")
    assert to(sent, PRAC[1])[0]["text"].startswith("Resolved: Refer to MASH today.")
    (refused,) = await _type(settings, "29:prac-2", "calling ESC-000001")
    assert refused["title"] == "Only for the safeguarding lead"


async def test_a_practitioner_sees_only_their_own_requests_and_no_dsl_commands_in_help(client, settings):
    await open_chats(client, DSL)
    await ask_dsl(client)
    practitioner_help, mine = await _type(settings, PRAC[0], "help", "my requests")
    offered = {fact[0] for fact in practitioner_help["facts"]}
    assert "escalations" in offered and not {"org records", "ack ESC-000001"} & offered
    assert mine["title"] == "Requests: your requests" and [f[0] for f in mine["facts"]] == ["ESC-000001"]


async def test_a_dsl_registers_with_a_join_code_in_the_terminal_and_the_code_is_kept_nowhere(settings, tmp_path):
    wrong, ok, overview = await _type(settings, "29:newcomer", "register dsl not-the-code", f"register dsl {JOIN_CODE}",
                                      "escalations")
    assert wrong["title"] == "Not registered"
    assert ok["title"] == "Registered as DSL"
    assert overview["text"] == "There are no requests (Oakfield Primary School)."
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert JOIN_CODE.encode() not in path.read_bytes(), path
