"""Recording a decision in the dialog: only what the flowchart does not know, one question at a time."""

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")
NOT_SOUGHT_RISK = ["yes", "yes", "yes", "no", "no", "no", "yes", "risk_of_harm", "yes"]


def fill_share_form(chat):
    asked = []
    for answer in ["Attendance and injury concerns", "both", "MASH social worker", "Children's social care",
                   "Child protection referral", "mash_form", "no_risk", "yes", "public_task", "yes"]:
        (reply,) = chat.say(value={"choice": "__text__", "text": answer}) if " " in answer or answer[0].isupper() \
            else chat.tap(answer)
        asked.append(reply)
    return asked


@pytest.fixture
def chat():
    return EngineChat(PACK)


def test_share_record_asks_each_field_once_and_skips_what_is_known(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    (first,) = chat.tap("record")
    assert first.kind == "record_question" and first.input_hint
    assert "names, dates of birth, addresses" in first.text
    replies = fill_share_form(chat)
    summary = replies[-1]
    assert summary.kind == "record_summary"
    facts = dict(summary.facts)
    assert facts["Consent"] == "Not sought"
    # the reason consent was not sought came from the dialog, so it was not asked again
    assert "increased risk" in facts["Why no consent"]
    assert all(r.data.get("field") != "consent_reason" for r in replies)
    assert facts["How shared"] == "MASH referral form"
    assert facts["Person told"] == "No: it would increase the risk"
    assert facts["Special category data"] == "Yes: Art. 9 + DPA 2018 Sch. 1 para 18"
    assert [c.value for c in summary.choices] == ["confirm", "edit", "cancel"]
    assert chat.effects == []  # nothing filed before Confirm


def test_confirm_files_once_with_everything_a_record_needs(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    fill_share_form(chat)
    assert chat.tap("confirm") == []
    (effect,) = chat.effects
    assert effect.kind == "file_record" and effect.key == f"record:{chat.state['draft']['id']}"
    record = effect.data["record"]
    assert record["practitioner"]["user_id"] == "user-1"
    assert record["pack"]["id"] == "national-2018"
    assert [a["node"] for a in record["answers"]][:3] == ["clear_purpose", "identifies_individual", "is_confidential"]
    assert all(a["at"].endswith("Z") for a in record["answers"])
    assert record["decision"] == "share"
    assert record["outcome"]["id"] == "outcome_share_without_consent" and record["outcome"]["guidance"]
    assert [r["number"] for r in record["golden_rules"]] == [4, 5, 6, 7]
    assert record["lawful_basis"]["article_6"].startswith("Public task")
    assert "Sch. 1 para 18" in record["lawful_basis"]["article_9"]
    assert record["fields"]["recipient_role"] == "MASH social worker"
    assert record["consent"]["status"] == "not_sought"
    (saved,) = chat.settle(effect, ok=True, reference="ISR-2026-000042")
    assert saved.kind == "recorded" and "ISR-2026-000042" in saved.text
    # a double click on Confirm files nothing more
    (again,) = chat.tap("confirm")
    assert chat.effects == [] and "ISR-2026-000042" in again.text


def test_store_outage_says_not_saved_keeps_the_draft_and_retry_uses_the_same_key(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    fill_share_form(chat)
    chat.tap("confirm")
    (effect,) = chat.effects
    (reply,) = chat.settle(effect, ok=False, error="store_unavailable")
    assert reply.kind == "not_saved" and "NOT saved" in reply.title
    assert chat.state["draft"]["fields"]["recipient_role"] == "MASH social worker"
    (reply,) = chat.say("hello?")  # anything else: reminded it is not saved
    assert reply.kind == "not_saved"
    chat.say("retry")
    (effect2,) = chat.effects
    assert effect2.key == effect.key and effect2.data == effect.data
    (reply,) = chat.settle(effect2, ok=True, reference="ISR-2026-000043")
    assert reply.kind == "recorded"


def test_do_not_share_is_recorded_with_reasons(chat):
    chat.walk("share", ["yes", "yes", "yes", "no", "yes", "no"])  # refused, no other basis
    chat.tap("record")
    (reply,) = chat.say(value={"choice": "__text__", "text": "Health information"})
    assert reply.data["field"] == "consent_reason"  # refused consent: ask why it was not overridden/overridden
    (reply,) = chat.say(value={"choice": "__text__", "text": "Parent refused"})
    assert reply.data["field"] == "reasons"
    (summary,) = chat.say(value={"choice": "__text__", "text": "No risk of harm; respect refusal"})
    facts = dict(summary.facts)
    assert facts["Decision"] == "Do not share" and facts["Reasons"] == "No risk of harm; respect refusal"
    assert "How shared" not in facts and "Shared with (role)" not in facts


def test_seek_advice_is_recorded_with_the_advice(chat):
    chat.walk("share", ["not_sure"])
    chat.tap("record")
    chat.say(value={"choice": "__text__", "text": "School report"})
    (summary,) = chat.say(value={"choice": "__text__", "text": "Asked DSL, advised to refer"})
    assert dict(summary.facts)["Advice"] == "Asked DSL, advised to refer"


def test_valid_consent_does_not_ask_for_the_lawful_basis(chat):
    chat.walk("share", ["yes", "yes", "yes", "yes", "yes", "no", "yes"])
    chat.tap("record")
    fields = []
    for _ in range(12):
        (reply,) = chat.say(value={"choice": "__text__", "text": "Text answer"}) if not reply_choices(chat) else chat.tap(reply_choices(chat)[0])
        if reply.kind == "record_summary":
            break
        fields.append(reply.data.get("field"))
    assert "lawful_basis" not in fields
    assert dict(reply.facts)["Lawful basis"].startswith("Consent")


def reply_choices(chat):
    from dialogs.engine import _Turn, _current_choices, Session
    from dialogs.model import UserInput
    values = [c.value for c in _current_choices(_Turn(PACK, Session.from_dict(chat.state), UserInput()))]
    return [v for v in values if v not in ("back", "cancel")]


def test_edit_changes_a_field_before_filing(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    fill_share_form(chat)
    (menu,) = chat.tap("edit")
    assert "edit:method" in [c.value for c in menu.choices]
    (reply,) = chat.tap("edit:method")
    assert reply.data["field"] == "method"
    (summary,) = chat.tap("secure_email")
    assert dict(summary.facts)["How shared"] == "Secure email"
    # typed numbers pick from the edit menu too
    chat.say("edit")
    (reply,) = chat.say("1")
    assert reply.data["field"] == "info_type"


def test_editing_the_basis_to_anonymised_drops_the_special_category_answer(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    fill_share_form(chat)
    chat.tap("edit")
    chat.tap("edit:lawful_basis")
    (summary,) = chat.tap("not_personal_data")
    assert "Special category" not in dict(summary.facts)


def test_back_inside_the_form_goes_to_the_previous_field(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    chat.say(value={"choice": "__text__", "text": "Attendance"})
    (reply,) = chat.say("back")
    assert reply.data["field"] == "info_type"


def test_cancel_saves_nothing_and_reminds_to_record(chat):
    chat.walk("share", ["no"])
    chat.tap("record")
    (reply,) = chat.tap("cancel")
    assert "Nothing was saved" in reply.text and chat.state["draft"] is None and chat.effects == []


def test_correction_is_a_new_record_pointing_at_the_old_one(chat):
    chat.walk("share", ["no"])
    chat.tap("record")
    chat.say(value={"choice": "__text__", "text": "Address of a parent"})
    chat.say(value={"choice": "__text__", "text": "No legitimate purpose"})
    chat.tap("confirm")
    first_key = chat.effects[0].key
    chat.settle(chat.effects[0], ok=True, reference="ISR-2026-000007")
    (reply,) = chat.tap("correct")
    assert reply.data["field"] == "correction_reason"
    (summary,) = chat.say(value={"choice": "__text__", "text": "Wrong information type"})
    assert dict(summary.facts)["Corrects"] == "ISR-2026-000007"
    chat.tap("confirm")
    (effect,) = chat.effects
    assert effect.key.startswith("record:") and effect.key != first_key
    assert effect.data["record"]["corrects"] == "ISR-2026-000007"
    assert effect.data["record"]["fields"]["correction_reason"] == "Wrong information type"


def test_typing_danger_words_inside_a_free_text_answer_is_stored_not_an_alarm(chat):
    chat.walk("share", ["no"])
    chat.tap("record")
    (reply,) = chat.say("Police called 999 last week about the family")
    assert reply.data["field"] == "reasons"
    (reply,) = chat.say("999")
    assert reply.kind == "danger"


# ---- Draft ids, unsaved drafts, "correct", and the form's choices ---------------------------------------


def file_do_not_share(chat, reason="No legitimate purpose"):
    chat.walk("share", ["no"])
    chat.tap("record")
    chat.say(value={"choice": "__text__", "text": "Address of a parent"})
    chat.say(value={"choice": "__text__", "text": reason})
    chat.tap("confirm")
    (effect,) = chat.effects
    return effect


def test_a_draft_started_after_the_state_expired_has_a_new_key(chat):
    first = file_do_not_share(chat)
    chat.settle(first, ok=True, reference="ISR-2026-000001")
    chat.state = None  # the store dropped the idle conversation; Teams keeps the same conversation id
    second = file_do_not_share(chat, "Different reasons")
    assert second.key != first.key  # the draft counter restarted at 1; the key did not
    assert chat.state["drafts"] == 1


@pytest.mark.parametrize("move", [
    {"text": "back"}, {"text": "share"}, {"text": "can I share this?"}, {"text": "restart"},
    {"value": {"choice": "share"}}, {"value": {"choice": "consent"}}, {"value": {"choice": "back"}},
    {"value": {"choice": "yes", "node": "clear_purpose"}}, {"text": "record"},
], ids=lambda m: str(m))
def test_a_record_that_failed_to_file_is_kept_whatever_is_typed_next(chat, move):
    chat.walk("share", NOT_SOUGHT_RISK)
    chat.tap("record")
    fill_share_form(chat)
    chat.tap("confirm")
    (effect,) = chat.effects
    chat.settle(effect, ok=False, error="store_unavailable")
    replies = chat.say(**move)
    assert replies[-1].kind == "not_saved", replies
    assert "retry" in replies[-1].text.lower()
    assert chat.state["draft"]["status"] == "failed" and chat.state["node"] == "outcome_share_without_consent"
    # then a yes or a second back still does not drop it
    assert chat.say("back")[-1].kind == "not_saved"
    assert chat.say("yes")[-1].kind == "not_saved"
    chat.say("retry")
    (again,) = chat.effects
    assert again.key == effect.key and again.data == effect.data  # the same decision, filed once
    (saved,) = chat.settle(again, ok=True, reference="ISR-2026-000009")
    assert saved.kind == "recorded"


def test_an_unsaved_record_is_dropped_only_when_the_practitioner_discards_it(chat):
    file_do_not_share(chat)
    chat.settle(chat.effects[0], ok=False, error="store_unavailable")
    (reply,) = chat.say("share")
    assert reply.title == "Your unsaved record is kept"
    assert [c.label for c in reply.choices] == ["Retry", "Discard"]
    (reply,) = chat.say("discard")
    assert "Nothing was saved" in reply.text and chat.state["draft"] is None
    (reply,) = chat.say("share")
    assert reply.node == "clear_purpose"


def test_correct_means_yes_at_a_question_when_no_record_is_on_screen(chat):
    chat.walk("share", [])
    (reply,) = chat.say("correct")
    assert reply.node == "identifies_individual" and chat.state["answers"][0]["answer"] == "yes"
    (reply,) = chat.say("restart")
    (reply,) = chat.say("correct")
    assert "no saved record here to correct" in reply.text
    chat.state = None
    chat.settle(file_do_not_share(chat), ok=True, reference="ISR-2026-000003")
    (reply,) = chat.say("correct")  # the Saved card offers Correct: now it means that
    assert reply.data["field"] == "correction_reason"


def test_a_typed_correct_while_a_form_waits_for_text_is_the_answer(chat):
    chat.walk("share", ["no"])
    chat.tap("record")
    (reply,) = chat.say("correct")
    assert reply.data["field"] == "reasons" and chat.state["draft"]["fields"]["info_type"] == "correct"


def to_field(chat, name):
    """Fill the share form with ordinary answers until it asks `name`; return that question."""
    answers = {"info_type": "Attendance", "fact_or_opinion": "fact", "recipient_role": "Social worker",
               "recipient_org": "Children's social care", "purpose": "Referral", "method": "mash_form",
               "individual_informed": "no_risk", "receipt_confirmed": "yes", "lawful_basis": "public_task",
               "special_category": "yes", "consent_reason": "Risk of harm"}
    (reply,) = chat.tap("record")
    while reply.data.get("field") != name:
        field = reply.data["field"]
        value = answers[field]
        (reply,) = chat.tap(value) if field in ("fact_or_opinion", "method", "individual_informed",
                                                "receipt_confirmed", "lawful_basis", "special_category") \
            else chat.say(value={"choice": "__text__", "text": value})
    return reply


@pytest.mark.parametrize("walk", [NOT_SOUGHT_RISK, ["yes", "yes", "yes", "no", "yes", "yes"]],
                         ids=["consent not sought", "consent refused"])
def test_consent_is_not_offered_as_the_basis_when_there_was_no_consent(chat, walk):
    chat.walk("share", walk)
    reply = to_field(chat, "lawful_basis")
    offered = [c.value for c in reply.choices]
    assert "consent" not in offered and "public_task" in offered
    (again,) = chat.tap("consent")  # an old card's button, or a guess: not taken
    assert again.data["field"] == "lawful_basis" and "lawful_basis" not in chat.state["draft"]["fields"]
    (reply,) = chat.say("1")  # numbers count the buttons shown
    assert chat.state["draft"]["fields"]["lawful_basis"] == offered[0]


def test_special_category_data_shared_on_consent_rests_on_explicit_consent(chat):
    chat.walk("share", ["yes", "yes", "yes", "yes", "yes", "no", "yes"])  # valid consent
    to_field(chat, "special_category")
    (summary,) = chat.tap("yes")
    assert dict(summary.facts)["Special category data"] == "Yes: Art. 9(2)(a) explicit consent"
    chat.tap("confirm")
    basis = chat.effects[0].data["record"]["lawful_basis"]
    assert basis["article_6"].startswith("Consent") and "Art. 9(2)(a)" in basis["article_9"]
    assert "Sch. 1" not in basis["article_9"]


def test_shared_some_other_way_asks_how(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    to_field(chat, "method")
    (reply,) = chat.tap("other")
    assert reply.data["field"] == "method_other" and reply.input_hint
    (reply,) = chat.say("Secure Teams message")
    assert reply.data["field"] == "individual_informed"
    assert chat.state["draft"]["fields"]["method_other"] == "Secure Teams message"
    chat.tap("no_risk"), chat.tap("yes"), chat.tap("public_task")
    (summary,) = chat.tap("no")
    facts = dict(summary.facts)
    assert facts["How shared"] == "Other" and facts["Other method"] == "Secure Teams message"
    chat.tap("edit"), chat.tap("edit:method")
    (summary,) = chat.tap("phone")  # no longer "other": the follow-up answer goes
    assert "Other method" not in dict(summary.facts)


def test_a_guidance_update_does_not_drop_a_record_that_failed_to_file(chat):
    effect = file_do_not_share(chat)
    chat.settle(effect, ok=False, error="store_unavailable")
    chat.state["pack_version"] = "old"
    chat.state["answers"][0]["node"] = "a_question_that_was_removed"
    (reply,) = chat.say("hello")
    assert reply.kind == "not_saved"
    chat.say("retry")
    (again,) = chat.effects
    assert again.key == effect.key and again.data["record"]["fields"]["reasons"] == "No legitimate purpose"


def test_a_draft_saved_before_drafts_had_ids_keeps_its_old_key_on_retry(chat):
    effect = file_do_not_share(chat)
    chat.settle(effect, ok=False, error="store_unavailable")
    del chat.state["draft"]["id"]  # a state written by the previous release
    chat.say("retry")
    (again,) = chat.effects
    assert again.key == "record:1"  # what that release filed it under, so a retry files it once
