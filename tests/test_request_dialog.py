"""Asking the DSL and requesting a MASH professional consultation, as dialog (golden rule 3)."""

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")


@pytest.fixture
def chat():
    return EngineChat(PACK)


def text(chat, words):
    return chat.say(value={"choice": "__text__", "text": words})


def test_ask_my_dsl_warns_about_identifying_details_and_sends_an_anonymised_summary(chat):
    chat.walk("share", ["yes", "yes"])
    (reply,) = chat.say("ask my DSL")
    assert reply.kind == "request_question" and reply.data["field"] == "note"
    assert "names, dates of birth, addresses" in reply.text
    assert [c.value for c in reply.choices][0] == "-"  # No note
    (reply,) = text(chat, "Unsure if a bruise counts")
    assert reply.data["field"] == "urgency"
    (summary,) = chat.tap("urgent")
    assert summary.kind == "request_summary"
    facts = dict(summary.facts)
    assert facts["Stuck on"] == PACK.nodes["is_confidential"].text
    assert facts["Your note"] == "Unsure if a bruise counts" and facts["Urgency"] == "Urgent: today"
    assert chat.tap("confirm") == []
    (effect,) = chat.effects
    assert effect.kind == "escalate" and effect.key == "dsl:1"
    assert effect.data["urgent"] is True and effect.data["note"] == "Unsure if a bruise counts"
    # the summary holds only what the dialog asked: questions and the answers given
    assert effect.data["summary"]["answers"] == [
        {"question": PACK.nodes["clear_purpose"].text, "answer": "Yes"},
        {"question": PACK.nodes["identifies_individual"].text, "answer": "Yes"},
    ]
    (reply,) = chat.settle(effect, ok=True, sent_to=2, id="ESC-1")
    assert reply.title == "Sent to your DSL" and "2 safeguarding leads" in reply.text
    assert chat.state["escalations"] == ["ESC-1"] and chat.state["request"] is None
    (reply,) = chat.tap("resume")
    assert reply.node == "is_confidential"


def test_no_note_is_allowed(chat):
    chat.say("hello")
    chat.tap("dsl")
    chat.tap("-")
    (summary,) = chat.tap("routine")
    assert dict(summary.facts)["Your note"] == "No note"
    chat.tap("confirm")
    assert chat.effects[0].data["note"] == "" and chat.effects[0].data["urgent"] is False


def test_send_twice_is_one_escalation_key(chat):
    chat.say("hello")
    chat.tap("dsl")
    chat.tap("-")
    chat.tap("routine")
    chat.tap("confirm")
    first = chat.effects[0].key
    chat.tap("confirm")  # interrupted before the answer came back: same key again
    assert chat.effects[0].key == first


def test_dsl_unreachable_says_what_to_do_and_offers_mash(chat):
    chat.say("hello")
    chat.tap("dsl")
    chat.tap("-")
    chat.tap("routine")
    chat.tap("confirm")
    (reply,) = chat.settle(chat.effects[0], ok=False, error="no_dsl")
    assert "call or message them now" in reply.text and "999" in reply.text
    assert "mash" in [c.value for c in reply.choices]


def test_a_record_draft_survives_asking_the_dsl(chat):
    chat.walk("share", ["no"])
    chat.tap("record")
    text(chat, "School report")
    chat.say("dsl")
    chat.tap("-")
    chat.tap("routine")
    chat.tap("confirm")
    chat.settle(chat.effects[0], ok=True, sent_to=1, id="ESC-9")
    (reply,) = chat.tap("resume")
    assert reply.data["field"] == "reasons"
    (summary,) = text(chat, "No purpose")
    assert dict(summary.facts)["Information"] == "School report"
    chat.tap("confirm")
    assert chat.effects[0].data["record"]["escalations"] == ["ESC-9"]


def test_mash_consultation_collects_referrer_concern_consent_and_urgency(chat):
    chat.walk("share", ["yes", "yes", "yes", "no", "no", "no", "yes", "risk_of_harm", "not_sure"])
    (reply,) = chat.say("mash")
    assert reply.data["field"] == "referrer_name"
    for words in ["Sam Teacher", "Oakfield Primary", "Class teacher", "01234 567890"]:
        (reply,) = text(chat, words)
    assert reply.data["field"] == "concern" and "names, dates of birth" in reply.text
    (reply,) = text(chat, "Repeated unexplained injuries")
    # consent status and the reason were known from the flowchart, so not asked again
    assert reply.data["field"] == "urgency"
    (summary,) = chat.tap("urgent")
    facts = dict(summary.facts)
    assert facts["Consent"] == "Not sought" and facts["Phone"] == "01234 567890"
    chat.tap("confirm")
    (effect,) = chat.effects
    assert effect.kind == "handoff" and effect.key == "mash:1"
    assert effect.data["referrer"] == {"referrer_name": "Sam Teacher", "agency": "Oakfield Primary",
                                       "role": "Class teacher", "phone": "01234 567890"}
    assert effect.data["consent"]["status"] == "not_sought" and "increased risk" in effect.data["consent"]["reason"]
    (reply,) = chat.settle(effect, ok=True, id="HO-1", callback_by_text="Wednesday 29 December")
    assert reply.title == "Sent to MASH" and "Wednesday 29 December" in reply.text


def test_mash_asks_consent_when_the_dialog_does_not_know(chat):
    chat.say("hello")
    chat.say("mash")
    for words in ["Sam", "School", "Teacher", "0123", "Worried"]:
        (reply,) = text(chat, words)
    assert reply.data["field"] == "consent_status"
    (reply,) = chat.tap("refused")
    assert reply.data["field"] == "consent_reason"


def test_cancel_a_request_sends_nothing(chat):
    chat.say("hello")
    chat.tap("dsl")
    (reply,) = chat.tap("cancel")
    assert reply.title == "Not sent" and chat.state["request"] is None and chat.effects == []
