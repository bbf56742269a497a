"""Before a DSL or MASH request is sent, typed text about the child is checked for identifiers
(golden rule 3: seek advice without disclosing identity where possible). The practitioner sees what
looks identifying and edits, sends anyway (which the request and the record note) or cancels."""

from __future__ import annotations

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat
from tests.fixtures import PRAC_CONV, practitioner_input

PACK = load_builtin("national-2018")


def text(chat: EngineChat, words: str):
    return chat.say(value={"choice": "__text__", "text": words})


def to_outcome(chat: EngineChat) -> None:
    chat.say("hello")
    replies = chat.tap("share")
    while replies[-1].kind != "outcome":
        replies = chat.tap("yes")


def dsl_request(chat: EngineChat, note: str):
    """Ask the DSL with this note; the replies to Send."""
    chat.say("ask my DSL")
    text(chat, note)
    chat.tap("routine")
    return chat.tap("confirm")


@pytest.fixture
def chat() -> EngineChat:
    c = EngineChat(PACK)
    to_outcome(c)
    return c


def test_an_identifying_note_is_shown_back_before_anything_is_sent(chat):
    (warning,) = dsl_request(chat, "child Jane Smith DOB 01/02/2015 says dad hits her")
    assert chat.effects == []
    assert warning.kind == "identifier_warning"
    assert '"Jane Smith" (a name)' in warning.text and '"01/02/2015" (a date of birth)' in warning.text
    assert [c.label for c in warning.choices] == ["Edit", "Send anyway", "Cancel"]


def test_edit_goes_to_the_note_and_a_clean_note_then_sends_without_a_warning(chat):
    dsl_request(chat, "Mrs Patel says her son is not eating")
    (reply,) = chat.say("1")  # typed: the first choice shown, Edit
    assert reply.data["field"] == "note"
    (summary,) = text(chat, "Mum says her son is not eating")
    assert summary.kind == "request_summary"
    assert chat.tap("confirm") == []
    (effect,) = chat.effects
    assert effect.data["note"] == "Mum says her son is not eating"
    # The request still says a warning was shown (and of what), though nothing identifying was sent.
    assert effect.data["identifier_warning"] == {"shown": True, "overridden": False, "kinds": ["name"]}
    chat.settle(effect, ok=True, sent_to=1, id="ESC-000009")
    assert not chat.state.get("identifier_overrides")  # the record says "sent despite" only when it was


def test_a_clean_note_sends_as_before(chat):
    assert dsl_request(chat, "Girl aged 7, bruising on her arm, says she fell") == []
    (effect,) = chat.effects
    assert effect.kind == "escalate" and "identifier_warning" not in effect.data


def test_send_anyway_sends_it_and_the_request_and_record_say_the_warning_was_overridden(chat):
    dsl_request(chat, "lives at 14 Oak Street, mum on 07700 900123")
    assert chat.say("send anyway") == []
    (effect,) = chat.effects
    assert effect.data["note"] == "lives at 14 Oak Street, mum on 07700 900123"
    assert effect.data["identifier_warning"] == {"shown": True, "overridden": True, "kinds": ["address", "phone"]}
    assert "Oak" not in str(effect.data["identifier_warning"])  # the kinds, never the words
    chat.settle(effect, ok=True, sent_to=1, id="ESC-000007")
    replies = chat.tap("record")
    while replies[-1].kind != "record_summary":
        reply = replies[-1]
        replies = chat.tap(reply.choices[0].value) if reply.choices[0].value not in ("back", "cancel") \
            else text(chat, "Attendance concerns")
    assert dict(replies[-1].facts)["Sent despite identifier warning"] == "ESC-000007"
    assert chat.tap("confirm") == []
    (filed,) = chat.effects
    assert filed.data["record"]["escalations"] == ["ESC-000007"]
    assert filed.data["record"]["identifier_warning_overridden"] == ["ESC-000007"]


def test_a_request_sent_without_a_warning_is_not_marked_on_the_record(chat):
    dsl_request(chat, "Girl aged 7, bruising on her arm")
    (effect,) = chat.effects
    chat.settle(effect, ok=True, sent_to=1, id="ESC-000008")
    assert not chat.state.get("identifier_overrides")


def test_cancel_at_the_warning_sends_nothing(chat):
    dsl_request(chat, "NHS 943 476 5919 missed checks")
    (reply,) = chat.tap("cancel")
    assert reply.title == "Not sent" and chat.effects == [] and chat.state["request"] is None


def test_a_new_identifier_after_sending_anyway_is_warned_about_again(chat):
    dsl_request(chat, "UPN A123456789012 absent")
    chat.tap("edit:note")  # changes its mind before pressing Send anyway
    text(chat, "absent a lot; postcode BD7 1DP")
    (warning,) = chat.tap("confirm")
    assert warning.kind == "identifier_warning" and '"BD7 1DP" (a postcode)' in warning.text
    assert "A123456789012" not in warning.text


def test_a_stale_send_anyway_does_not_skip_the_check(chat):
    chat.say("ask my DSL")
    text(chat, "child Jane Smith")
    chat.tap("routine")
    assert chat.tap("send_anyway")[0].title.startswith("Sorry")  # no warning was shown yet
    assert chat.effects == []


def test_mash_checks_the_concern_not_the_practitioners_own_name_and_number(chat):
    chat.say("mash")
    for words in ["Sam Teacher", "Oakfield Primary", "Class teacher", "07700 900555"]:
        text(chat, words)
    replies = text(chat, "Boy, 9, bruised; family at 3 Ferncliffe Road BD9 4QP")
    while replies[-1].kind != "request_summary":
        replies = chat.tap(replies[-1].choices[0].value)
    (warning,) = chat.tap("confirm")
    assert warning.kind == "identifier_warning"
    assert "Ferncliffe Road" in warning.text and "BD9 4QP" in warning.text
    assert "Sam Teacher" not in warning.text and "07700" not in warning.text


async def test_the_stored_request_notes_the_override_without_the_words(env, chat) -> None:  # noqa: F811
    service, _, _ = env
    dsl_request(chat, "child Jane Smith DOB 01/02/2015")
    chat.say("send anyway")
    (effect,) = chat.effects
    result = await service.handle_effect(PRAC_CONV, effect, practitioner_input())
    stored = await service.escalations.get(result["id"])
    assert stored["identifier_warning"] == {"shown": True, "overridden": True, "kinds": ["dob", "name"]}


@pytest.mark.parametrize("typed", ["edit", "Edit", "1"])
def test_edit_typed_at_the_warning_opens_the_note_as_the_button_does(chat, typed):
    dsl_request(chat, "child Jane Smith DOB 01/02/2015 says dad hits her")
    (reply,) = chat.say(typed)
    assert reply.data["field"] == "note" and chat.effects == []
