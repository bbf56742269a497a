"""Typed choices honoured everywhere: at every question of the record, DSL and MASH forms, typing a
shown button's number or label does what tapping it does, a command acts, and nothing typed as a
choice or command is ever stored as the answer. A word in quotes (or after "text:") is the answer."""

from __future__ import annotations

import copy
import re

import pytest

from dialogs import forms
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")
ALL_FIELDS = [(form, f.name) for form, spec in forms.FORMS.items() for f in spec.fields]
TEXT_FIELDS = [(form, f.name) for form, spec in forms.FORMS.items() for f in spec.fields if not f.choices or f.hint]


def _to_share_outcome(chat: EngineChat) -> None:
    """Walk the flowchart answering yes until an outcome is shown (whatever the pack asks)."""
    chat.say("hello")
    replies = chat.tap("share")
    for _ in range(20):
        if replies[-1].kind == "outcome":
            return
        replies = chat.tap("yes")
    raise AssertionError("no outcome reached")


# Drafts in which different fields apply (a field that does not apply is dropped once answered).
_VARIANTS = ({}, {"decision": "do_not_share"}, {"decision": "seek_advice"}, {"corrects": "ISR-2026-000001"},
             {"consent": {"status": "refused", "reason": ""}}, {"fields": {"method": "other"}},
             {"fields": {"request_asked": "yes"}})


def _chat_at(form: str, name: str, applies: bool = False) -> EngineChat:
    """A conversation whose open form is asking the given field (with applies, in a draft where the
    field applies, so an answer to it is kept)."""
    spec = forms.FORMS[form].field(name)
    for variant in _VARIANTS:
        chat = EngineChat(PACK)
        _to_share_outcome(chat)
        chat.say({"record": "record", "dsl": "ask my DSL", "mash": "mash"}[form])
        d = chat.state["draft" if form == "record" else "request"]
        d.update(copy.deepcopy(variant))
        d["status"], d["editing"], d["picking"] = "draft", name, False
        if applies and not spec.when(d):
            continue
        (reply,) = chat.say("")
        assert reply.data.get("field") == name
        return chat
    pytest.skip(f"no draft here in which {form}.{name} applies")


def _after(chat: EngineChat, **turn) -> tuple:
    """The state, replies and effects one turn leads to, from a copy of the conversation."""
    other = EngineChat(PACK)
    other.state = copy.deepcopy(chat.state)
    replies = other.say(**turn)
    state = copy.deepcopy(other.state)
    for key in ("draft", "request"):
        if state.get(key):
            state[key].pop("text_tip", None)  # the hint that says how to type a word as text
    # (the danger recogniser's "if a child is in danger now" line above a reply reads typed words only)
    shown = [(r.kind, r.title, r.text, r.choices, r.data) for r in replies if r.kind != "danger_reminder"]
    return state, shown, other.effects


def _stored(chat: EngineChat, form: str, name: str):
    d = chat.state["draft" if form == "record" else "request"]
    return (d or {}).get("fields", {}).get(name)


@pytest.mark.parametrize("form,name", ALL_FIELDS)
def test_typing_a_shown_number_or_label_is_tapping_that_button(form, name):
    chat = _chat_at(form, name)
    (reply,) = chat.say("")
    assert reply.choices, "every form question shows at least Back and Cancel"
    for number, choice in enumerate(reply.choices, 1):
        tapped = _after(chat, value={"choice": choice.value})
        for typed in (str(number), choice.label, choice.label.lower()):
            state, shown, _ = _after(chat, text=typed)
            if shown and shown[0][0] == "danger" and shown[0][0] != tapped[1][0][0]:
                # A label that says danger now ("Immediate danger") brings the 999 card first, and
                # the choice is still made (never lost to the alarm, never kept as typed words).
                assert (state.get("draft" if form == "record" else "request") or {}).get("fields", {}).get(name) == choice.value
                continue
            assert _after(chat, text=typed) == tapped, f"{form}.{name}: typed {typed!r} is not {choice.value!r}"
            stored = (state.get("draft" if form == "record" else "request") or {}).get("fields", {}).get(name)
            assert stored != typed or typed == choice.value, f"{form}.{name}: {typed!r} was stored as the answer"


# What each command does when tapped (a typed command must do exactly the same).
COMMANDS = [("confirm", "confirm"), ("cancel", "cancel"), ("back", "back"), ("help", "help"), ("edit", "edit"),
            ("why", "why"), ("rules", "rules"), ("Open ISR-2026-000042", "open:ISR-2026-000042"),
            ("start again", "restart")]


@pytest.mark.parametrize("form,name", TEXT_FIELDS)
@pytest.mark.parametrize("typed,token", COMMANDS)
def test_a_command_typed_at_a_text_question_acts_and_is_never_the_answer(form, name, typed, token):
    chat = _chat_at(form, name)
    assert _after(chat, text=typed) == _after(chat, value={"choice": token})
    chat.say(typed)
    assert _stored(chat, form, name) != typed


@pytest.mark.parametrize("form,name", TEXT_FIELDS)
def test_999_typed_at_a_text_question_brings_the_danger_advice_not_an_answer(form, name):
    chat = _chat_at(form, name)
    replies = chat.say("999")
    assert replies[0].kind == "danger" and "999" in replies[0].text
    assert _stored(chat, form, name) != "999"


@pytest.mark.parametrize("form,name", TEXT_FIELDS)
@pytest.mark.parametrize("typed,kept", [('"confirm"', "confirm"), ("text: cancel", "cancel"), ("“1”", "1"),
                                        ("text: open ISR-2026-000042", "open ISR-2026-000042")])
def test_a_word_in_quotes_or_after_text_is_kept_as_the_answer(form, name, typed, kept):
    chat = _chat_at(form, name, applies=True)
    chat.say(typed)
    assert _stored(chat, form, name) == kept


def test_the_dsl_note_takes_1_as_no_note_and_the_hint_then_says_how_to_type_it():
    chat = _chat_at("dsl", "note")
    (reply,) = chat.say("1")
    assert reply.data["field"] == "urgency" and _stored(chat, "dsl", "note") == "-"
    (reply,) = chat.tap("back")
    assert reply.data["field"] == "note"
    assert "quotes" in reply.input_hint
    chat.say('"1"')
    assert _stored(chat, "dsl", "note") == "1"


def test_a_quoted_sentence_keeps_its_quotes():
    chat = _chat_at("dsl", "note")
    chat.say('"mummy hit me with a belt"')
    assert _stored(chat, "dsl", "note") == '"mummy hit me with a belt"'


def test_the_hint_stays_short_until_a_word_was_taken_as_a_command():
    chat = _chat_at("mash", "concern")
    (reply,) = chat.say("")
    assert "quotes" not in (reply.input_hint or "")


@pytest.mark.parametrize("form,name", TEXT_FIELDS)
def test_the_card_text_box_follows_the_same_rules(form, name):
    chat = _chat_at(form, name, applies=True)
    assert _after(chat, value={"choice": "__text__", "text": "cancel"}) == _after(chat, value={"choice": "cancel"})
    chat.say(value={"choice": "__text__", "text": "text: cancel"})
    assert _stored(chat, form, name) == "cancel"


def test_ordinary_words_are_still_the_answer():
    chat = _chat_at("mash", "concern")
    chat.say("Bruising on the arm, says she fell")
    assert _stored(chat, "mash", "concern") == "Bruising on the arm, says she fell"


def test_help_says_how_to_type_a_command_word_as_the_answer_and_that_way_works():
    chat = _chat_at("mash", "concern", applies=True)
    (help_reply,) = chat.say("help")
    example = re.search(r'put it in quotes: ("[^"]+")', help_reply.text)
    assert example, help_reply.text
    (reply,) = chat.tap("resume")
    assert reply.data["field"] == "concern"
    chat.say(example.group(1))
    assert _stored(chat, "mash", "concern") == example.group(1).strip('"')
