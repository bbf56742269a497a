"""Asking the DSL and requesting a MASH professional consultation, as dialog (golden rule 3)."""

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")


def text(chat, words):
    return chat.say(value={"choice": "__text__", "text": words})


def test_ask_my_dsl_warns_about_identifying_details_and_sends_an_anonymised_summary(chat):
    chat.walk("share", ["yes", "no", "no", "yes"])
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
    assert effect.kind == "escalate" and effect.key == f"dsl:{chat.state['request']['id']}"
    assert effect.data["urgent"] is True and effect.data["note"] == "Unsure if a bruise counts"
    # the summary holds only what the dialog asked: questions and the answers given
    assert effect.data["summary"]["answers"] == [
        {"question": PACK.nodes["clear_purpose"].text, "answer": "Yes"},
        {"question": PACK.nodes["statutory_duty"].text, "answer": "No"},
        {"question": PACK.nodes["harm_concern"].text, "answer": "No"},
        {"question": PACK.nodes["identifies_individual"].text, "answer": "Yes"},
    ]
    (reply,) = chat.settle(effect, ok=True, sent_to=2, id="ESC-1")
    assert reply.title == "Sent to your DSL" and "2 safeguarding leads" in reply.text
    assert chat.state["escalations"] == ["ESC-1"] and chat.state["request"] is None
    (reply,) = chat.tap("resume")
    assert reply.node == "is_confidential"


def test_a_dsl_note_that_speaks_of_danger_now_brings_the_999_advice_and_keeps_the_note(chat):
    chat.walk("share", ["yes"])
    chat.say("ask my DSL")
    danger, question = text(chat, "The child says he is in danger at home tonight")
    assert danger.kind == "danger" and "999" in danger.text
    assert question.data["field"] == "urgency"  # the note was taken; the form goes on
    (summary,) = chat.tap("urgent")
    assert dict(summary.facts)["Your note"] == "The child says he is in danger at home tonight"


def test_a_record_field_about_past_events_is_not_an_alarm(chat):
    reply = chat.walk("share", ["yes", "no", "no", "yes", "yes", "refused", "parent", "yes"])
    (first,) = chat.tap("record")
    assert first.data["field"] == "info_type"
    (reply,) = text(chat, "Police called 999 last week; emergency strategy meeting held")
    assert reply.kind == "record_question" and reply.data["field"] == "fact_or_opinion"
    assert chat.state["draft"]["fields"]["info_type"].startswith("Police called 999")


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
    assert reply.data["field"] == "request_asked"  # the next question of the record form
    chat.tap("no"), chat.tap("no_concern")
    (summary,) = text(chat, "No purpose")
    assert dict(summary.facts)["Information"] == "School report"
    chat.tap("confirm")
    assert chat.effects[0].data["record"]["escalations"] == ["ESC-9"]


def test_mash_consultation_collects_referrer_concern_consent_and_urgency(chat):
    chat.walk("share", ["yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "not_sure"])
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
    assert effect.kind == "handoff" and effect.key == f"mash:{chat.state['request']['id']}"
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


# ---- What the practitioner is told, and what the decision record links ---------------------------

CAMBS = load_builtin("cambridgeshire")


def ask_dsl(chat):
    """Ask my DSL with no note, routine; the Send effect."""
    chat.say("ask my DSL")
    chat.tap("-")
    chat.tap("routine")
    chat.tap("confirm")
    (effect,) = chat.effects
    return effect


def test_the_preview_shows_every_answer_the_dsl_will_see(chat):
    chat.walk("share", ["yes", "no", "no", "yes", "yes", "refused", "parent", "yes"])
    chat.say("ask my DSL")
    chat.tap("-")
    (summary,) = chat.tap("routine")
    shown = [fact for fact in summary.facts if fact[0] in {n.text for n in PACK.nodes.values()}]
    chat.tap("confirm")
    sent = [(a["question"], a["answer"]) for a in chat.effects[0].data["summary"]["answers"]]
    assert len(sent) == 8 and shown == sent


def test_the_identifying_details_warning_is_only_where_the_child_may_be_described(chat):
    chat.say("hello")
    (reply,) = chat.say("mash")
    warned = {}
    for words in ["Sam", "School", "Teacher", "0123", "Worried"]:
        warned[reply.data["field"]] = "names, dates of birth" in reply.text
        (reply,) = text(chat, words)
    (reply,) = chat.tap("refused")  # the consent reason is typed free text about the family
    assert warned == {"referrer_name": False, "agency": False, "role": False, "phone": False, "concern": True}
    assert reply.data["field"] == "consent_reason" and "names, dates of birth" in reply.text


def test_no_dsl_set_up_says_so_and_what_to_do(chat):
    chat.say("hello")
    (reply,) = chat.settle(ask_dsl(chat), ok=False, error="no_dsl")
    assert "No DSL is set up for your organisation in ShareSafe" in reply.text
    assert "administrator" in reply.text and "999" in reply.text
    assert "I couldn't message your DSL from here" not in reply.text


def test_still_trying_gives_the_mash_numbers_straight_away():
    chat = EngineChat(CAMBS)
    chat.say("hello")
    (reply,) = chat.settle(ask_dsl(chat), ok=True, id="ESC-1", sent_to=0, pending=True)
    assert reply.title == "Still trying to reach your DSL"
    assert "Cambridgeshire MASH: 0345 045 1362" in reply.text and "999" in reply.text


def test_told_when_the_request_went_to_the_deputies(chat):
    chat.say("hello")
    (reply,) = chat.settle(ask_dsl(chat), ok=True, id="ESC-1", sent_to=1, to_deputies=True, names=["Bo Deputy"])
    assert reply.title == "Sent to your deputy DSL"
    assert "I couldn't reach your DSL, so I've asked your deputy DSL Bo Deputy to contact you" in reply.text


def test_an_urgent_mash_request_says_phone_mash_now():
    chat = EngineChat(CAMBS)
    chat.say("hello")
    chat.say("mash")
    for words in ["Sam", "School", "Teacher", "0123", "Worried"]:
        text(chat, words)
    chat.tap("obtained")
    chat.tap("urgent")
    chat.tap("confirm")
    (effect,) = chat.effects
    (reply,) = chat.settle(effect, ok=True, id="HO-1", callback_by_text="5pm on Monday 27 December 2027")
    assert reply.title == "Sent to MASH" and "phone MASH now" in reply.text
    assert "Cambridgeshire MASH: 0345 045 1362" in reply.text and "5pm on Monday 27 December 2027" in reply.text


def test_the_record_links_only_this_decisions_requests_with_their_state(chat):
    chat.walk("share", ["no"])
    chat.settle(ask_dsl(chat), ok=True, id="ESC-1", sent_to=1)
    chat.tap("restart")  # another case: ESC-1 is not this decision's
    assert chat.state["escalations"] == [] and chat.state["escalation_states"] == {}
    chat.walk("share", ["no"])
    chat.settle(ask_dsl(chat), ok=False, error="undeliverable", id="ESC-2")
    chat.settle(ask_dsl(chat), ok=True, id="ESC-3", sent_to=0, pending=True)
    chat.tap("record")
    text(chat, "School report")
    chat.tap("no"), chat.tap("no_concern")  # not asked for it; no concern about harm
    (summary,) = text(chat, "No purpose")
    assert summary.title == "Check your record"
    linked = "ESC-2 (could not be delivered), ESC-3 (not yet delivered)"
    assert dict(summary.facts)["Linked requests"] == linked
    chat.tap("confirm")
    (effect,) = chat.effects
    record = effect.data["record"]
    assert record["escalations"] == ["ESC-2", "ESC-3"]
    assert record["escalation_states"] == {"ESC-2": "undeliverable", "ESC-3": "pending"}
    chat.settle(effect, ok=True, reference="ISR-2026-000001")
    assert chat.state["escalations"] == []  # filed: the next decision starts with none
    chat.say("open ISR-2026-000001")
    (query,) = chat.effects
    stored = {**record, "reference": "ISR-2026-000001", "created_at": "2026-11-23T09:00:00Z"}
    (detail,) = chat.settle(query, ok=True, records=[stored], own=True)
    assert detail.kind == "record_detail" and dict(detail.facts)["Linked requests"] == linked


def test_the_call_back_promise_is_the_partnerships_not_a_national_one():
    """Cambridgeshire promises a social worker's call by the end of the next working day; the
    national advice makes no such promise, so there the time is when to chase MASH."""
    def sent_text(pack_id: str) -> str:
        local = EngineChat(load_builtin(pack_id))
        local.say("hello")
        local.say("mash")
        for words in ["Sam", "School", "Teacher", "0123", "Worried"]:
            text(local, words)
        local.tap("obtained")
        local.tap("routine")
        local.tap("confirm")
        (effect,) = local.effects
        (reply,) = local.settle(effect, ok=True, id="HO-1", callback_by_text="5pm on Monday 27 December 2027")
        return reply.text

    assert "A social worker will contact you by 5pm on Monday 27 December 2027" in sent_text("cambridgeshire")
    national = sent_text("national-2018")
    assert "social worker will" not in national
    assert "If you haven't heard from them by 5pm on Monday 27 December 2027, phone them" in national
