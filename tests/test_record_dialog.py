"""Recording a decision in the dialog: only what the flowchart does not know, one question at a time."""

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import path_to

PACK = load_builtin("national-2018")
# Walks found by what they establish, so a reordered flowchart still tests the same situation.
NOT_SOUGHT_RISK = path_to(PACK, decision="share", consent="not_sought", consent_not_sought_reason=True,
                          lawful_basis="public_task")
VALID_CONSENT = path_to(PACK, decision="share", consent="obtained")
REFUSED_SHARED = path_to(PACK, decision="share", consent="refused")
REFUSED_NOT_SHARED = path_to(PACK, decision="do_not_share", consent="refused")
NO_PURPOSE = path_to(PACK, decision="do_not_share", consent="")
SEEK_ADVICE = path_to(PACK, decision="seek_advice", consent="")
SIGNIFICANT_HARM = path_to(PACK, decision="share", threshold="significant harm")


# An ordinary answer to every field of the record form; a test overrides what it is about.
ANSWERS = {
    "info_type": "Attendance concerns", "fact_or_opinion": "both", "recipient_role": "MASH social worker",
    "recipient_org": "Children's social care", "purpose": "Child protection referral", "method": "mash_form",
    "method_other": "Secure Teams message", "individual_informed": "no_risk", "receipt_confirmed": "yes",
    "request_asked": "no", "requester_name": "DC Sam Patel", "requester_role": "Police officer",
    "requester_org": "West Midlands Police", "request_when": "today", "data_requested": "Attendance records",
    "risk_level": "significant_harm", "lawful_basis": "public_task", "special_category": "yes",
    "consent_reason": "Parent refused", "reasons": "No legitimate purpose", "advice": "Asked DSL, advised to refer",
    "correction_reason": "Wrong information type",
}


def answer(chat, reply, value):
    """Tap the value when the question offers it as a button, else type it."""
    if value in {c.value for c in reply.choices}:
        return chat.tap(value)
    return chat.say(value={"choice": "__text__", "text": value})


def fill(chat, first, until="", **overrides):
    """Answer the record form from `first` until the summary (or the field `until`); return every reply."""
    answers = {**ANSWERS, **overrides}
    asked, reply = [], first
    while reply.kind == "record_question" and reply.data.get("field") != until:
        (reply,) = answer(chat, reply, answers[reply.data["field"]])
        asked.append(reply)
    return asked


def fill_share_form(chat, **overrides):
    (first,) = chat.tap("record")
    return [first] + fill(chat, first, **overrides)


def asked_fields(replies):
    return [r.data.get("field") for r in replies if r.kind == "record_question"]


def test_share_record_asks_each_field_once_and_skips_what_is_known(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    replies = fill_share_form(chat)
    first, summary = replies[0], replies[-1]
    assert first.kind == "record_question" and first.input_hint
    assert "names, dates of birth, addresses" in first.text
    assert len(asked_fields(replies)) == len(set(asked_fields(replies)))  # nothing asked twice
    assert summary.kind == "record_summary"
    facts = dict(summary.facts)
    # the reason consent was not sought came from the dialog, so it was not asked again
    assert facts["Consent"].startswith("Not sought because") and "increased risk" in facts["Consent"]
    assert all(r.data.get("field") != "consent_reason" for r in replies)
    assert facts["How shared"] == "MASH referral form"
    assert facts["Person told"] == "No: it would increase the risk"
    assert facts["Special category data"] == "Yes: Art. 9 + DPA 2018 Sch. 1 para 18"
    assert [c.value for c in summary.choices] == ["confirm", "edit", "cancel"]
    assert chat.effects == []  # nothing filed before Confirm


def test_confirm_files_once_with_everything_a_record_needs(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    fill_share_form(chat)
    assert chat.tap("confirm") == []
    (effect,) = chat.effects
    assert effect.kind == "file_record" and effect.key == f"record:{chat.state['draft']['id']}"
    record = effect.data["record"]
    assert record["practitioner"]["user_id"] == "user-1"
    assert record["pack"]["id"] == "national-2018"
    assert [a["answer"] for a in record["answers"]] == NOT_SOUGHT_RISK
    assert record["answers"][0]["node"] == PACK.entries["share"] and record["answers"][0]["question"]
    assert all(a["at"].endswith("Z") for a in record["answers"])
    assert record["decision"] == "share"
    outcome = PACK.nodes[chat.state["node"]]
    assert record["outcome"]["id"] == outcome.id and record["outcome"]["guidance"] == outcome.text
    assert [r["number"] for r in record["golden_rules"]] == [r.number for r in PACK.rules(outcome.rules)]
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
    chat.walk("share", REFUSED_NOT_SHARED)  # refused, no other basis
    replies = fill_share_form(chat, reasons="No risk of harm; respect refusal")
    # a refusal respected: nothing was "not sought" or "overridden", so only the reasons are asked;
    # no question about how it was shared or on what basis
    assert asked_fields(replies) == ["info_type", "request_asked", "risk_level", "reasons"]
    assert dict(replies[-1].facts)["Consent"].startswith("Refused by ")
    facts = dict(replies[-1].facts)
    assert facts["Decision"] == "Do not share" and facts["Reasons"] == "No risk of harm; respect refusal"
    assert facts["Risk at the time"] == "Risk of significant harm"
    assert "How shared" not in facts and "Shared with (role)" not in facts and "Lawful basis" not in facts


def test_seek_advice_is_recorded_with_the_advice(chat):
    chat.walk("share", SEEK_ADVICE)
    replies = fill_share_form(chat, risk_level="not_sure")
    assert asked_fields(replies) == ["info_type", "request_asked", "risk_level", "advice"]
    facts = dict(replies[-1].facts)
    assert facts["Advice"] == "Asked DSL, advised to refer" and facts["Risk at the time"] == "Not sure"


def test_valid_consent_is_offered_first_as_the_basis_but_not_filled_in(chat):
    chat.walk("share", VALID_CONSENT)
    (first,) = chat.tap("record")
    question = fill(chat, first, until="lawful_basis")[-1]
    assert question.data["field"] == "lawful_basis" and "lawful_basis" not in chat.state["draft"]["fields"]
    assert question.choices[0].value == "consent" and question.choices[0].label.endswith("(suggested)")
    assert "point to" in question.text
    # a public body may record public task instead: the practitioner's choice stands
    (reply,) = chat.tap("public_task")
    summary = fill(chat, reply, special_category="no")[-1]
    assert dict(summary.facts)["Lawful basis"].startswith("Public task")


def test_edit_changes_a_field_before_filing(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
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
    chat.walk("share", NO_PURPOSE)
    chat.tap("record")
    (reply,) = chat.tap("cancel")
    assert "Nothing was saved" in reply.text and chat.state["draft"] is None and chat.effects == []


def test_correction_is_a_new_record_pointing_at_the_old_one(chat):
    chat.walk("share", NO_PURPOSE)
    fill_share_form(chat)
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
    chat.walk("share", NO_PURPOSE)
    chat.tap("record")
    (reply,) = chat.say("Police called 999 last week about the family")
    assert reply.data["field"] == "request_asked"
    assert chat.state["draft"]["fields"]["info_type"] == "Police called 999 last week about the family"
    (reply,) = chat.say("999")
    assert reply.kind == "danger"


# ---- Draft ids, unsaved drafts, "correct", and the form's choices ---------------------------------------


def file_do_not_share(chat, reason="No legitimate purpose"):
    chat.walk("share", NO_PURPOSE)
    fill_share_form(chat, info_type="Address of a parent", reasons=reason)
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
    outcome = chat.state["node"]
    fill_share_form(chat)
    chat.tap("confirm")
    (effect,) = chat.effects
    chat.settle(effect, ok=False, error="store_unavailable")
    replies = chat.say(**move)
    assert replies[-1].kind == "not_saved", replies
    assert "retry" in replies[-1].text.lower()
    assert chat.state["draft"]["status"] == "failed" and chat.state["node"] == outcome
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
    first = PACK.nodes[PACK.entries["share"]]
    assert reply.node == first.answer("yes").next and chat.state["answers"][0]["answer"] == "yes"
    (reply,) = chat.say("restart")
    (reply,) = chat.say("correct")
    assert "no saved record here to correct" in reply.text
    chat.state = None
    chat.settle(file_do_not_share(chat), ok=True, reference="ISR-2026-000003")
    (reply,) = chat.say("correct")  # the Saved card offers Correct: now it means that
    assert reply.data["field"] == "correction_reason"


def test_a_quoted_correct_while_a_form_waits_for_text_is_the_answer(chat):
    chat.walk("share", NO_PURPOSE)
    chat.tap("record")
    (reply,) = chat.say('"correct"')  # a command word in quotes is text (bare, it is the command)
    assert reply.data["field"] == "request_asked" and chat.state["draft"]["fields"]["info_type"] == "correct"


def to_field(chat, name, **overrides):
    """Fill the share form with ordinary answers until it asks `name`; return that question."""
    (first,) = chat.tap("record")
    reply = ([first] + fill(chat, first, until=name, **overrides))[-1]
    assert reply.data.get("field") == name, reply
    return reply


def test_a_refusal_overridden_asks_why_and_the_record_says_overridden(chat):
    chat.walk("share", REFUSED_SHARED)
    replies = fill_share_form(chat)
    assert "consent_reason" in asked_fields(replies)
    facts = dict(replies[-1].facts)
    assert "overridden" in facts["Consent"] and facts["Why no consent"] == ANSWERS["consent_reason"]


@pytest.mark.parametrize("walk", [NOT_SOUGHT_RISK, REFUSED_SHARED, path_to(PACK, decision="share", consent="withdrawn")],
                         ids=["consent not sought", "consent refused", "consent withdrawn"])
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
    chat.walk("share", VALID_CONSENT)  # valid consent
    to_field(chat, "special_category", lawful_basis="consent")
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
    summary = fill(chat, reply, special_category="no")[-1]
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


# ---- What the sources list: the request, data requested vs shared, risk, basis, not shared yet -------------


def test_a_request_is_recorded_with_who_asked_when_and_for_what(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    replies = fill_share_form(chat, request_asked="yes", requester_role="same", request_when="yesterday",
                              data_requested="same")
    asked = asked_fields(replies)
    assert asked[asked.index("request_asked"):asked.index("risk_level")] == [
        "request_asked", "requester_name", "requester_role", "request_when", "data_requested"]
    # "Same as who I shared it with" stands for their role and organisation: not asked again
    assert "requester_org" not in asked
    role_question = next(r for r in replies if r.data.get("field") == "requester_role")
    assert "names, dates of birth" not in role_question.text  # about a professional, not the child
    facts = dict(replies[-1].facts)
    assert facts["Asked by"] == "DC Sam Patel" and facts["Their role"] == "Same as who I shared it with"
    assert facts["Asked on"] == "Sun 22 Nov 2026"  # "yesterday", as a date a review can read
    assert facts["Data requested"] == "The same information"
    chat.tap("confirm")
    fields = chat.effects[0].data["record"]["fields"]
    assert fields["request_asked"] == "yes" and fields["requester_name"] == "DC Sam Patel"
    assert fields["request_when"] == "Sun 22 Nov 2026" and fields["data_requested"] == "same"
    assert fields["risk_level"] == "significant_harm"


def test_a_request_from_someone_else_asks_their_organisation_and_what_they_asked_for(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    replies = fill_share_form(chat, request_asked="yes", request_when="3 Dec, 14:00")
    assert "requester_org" in asked_fields(replies)
    facts = dict(replies[-1].facts)
    assert facts["Their role"] == "Police officer" and facts["Their organisation"] == "West Midlands Police"
    assert facts["Asked on"] == "3 Dec, 14:00" and facts["Data requested"] == "Attendance records"


def test_the_request_questions_are_skipped_when_the_practitioner_starts_the_share(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    replies = fill_share_form(chat, request_asked="no")
    asked = asked_fields(replies)
    assert asked[asked.index("request_asked") + 1] == "risk_level"
    assert not {"requester_name", "requester_role", "requester_org", "request_when", "data_requested"} & set(asked)
    assert dict(replies[-1].facts)["Asked for it"] == "No"


def test_the_risk_level_the_answers_point_to_is_offered_first(chat):
    # A concern that reaches the significant-harm threshold: the flowchart knows, the practitioner confirms.
    chat.walk("share", SIGNIFICANT_HARM)
    question = to_field(chat, "risk_level")
    assert question.choices[0].value == "significant_harm" and "(suggested)" in question.choices[0].label
    assert "risk_level" not in chat.state["draft"]["fields"]
    labels = [c.label for c in question.choices]
    assert "Immediate danger" in labels and "Early Help needs, below significant harm" in labels


def test_not_sure_of_the_lawful_basis_is_recorded_as_such_and_offers_the_dsl(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    question = to_field(chat, "lawful_basis")
    assert question.choices[-3].label == "Not sure / ask my DSL"  # then Back, Cancel
    summary = fill(chat, question, lawful_basis="not_sure")[-1]
    facts = dict(summary.facts)
    assert facts["Lawful basis"] == "Not sure / ask my DSL"
    assert "ask your DSL" in facts["Special category data"]  # no Art. 9 condition claimed either
    chat.tap("confirm")
    (effect,) = chat.effects
    assert effect.data["record"]["lawful_basis"] == {"article_6": "Not sure: to be confirmed with the DSL",
                                                      "article_9": "Not sure: to be confirmed with the DSL"}
    (saved,) = chat.settle(effect, ok=True, reference="ISR-2026-000011")
    assert "ask your DSL" in saved.text and saved.choices[0].label == "Ask my DSL"
    (note,) = chat.tap(saved.choices[0].value)
    assert note.kind == "request_question" and note.data["field"] == "note"


def test_a_sure_basis_is_saved_without_the_dsl_prompt(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    fill_share_form(chat)
    chat.tap("confirm")
    (saved,) = chat.settle(chat.effects[0], ok=True, reference="ISR-2026-000012")
    assert "lawful basis" not in saved.text and saved.choices[0].value != "dsl"


def test_legitimate_interests_is_a_basis_with_its_article_for_bodies_without_public_functions(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    question = to_field(chat, "lawful_basis")
    (li,) = [c for c in question.choices if c.value == "legitimate_interests"]
    assert "Art. 6(1)(f)" in li.label and "without public functions" in li.label
    fill(chat, question, lawful_basis="legitimate_interests")
    chat.tap("confirm")
    record = chat.effects[0].data["record"]
    assert record["lawful_basis"]["article_6"] == "Legitimate interests (UK GDPR Art. 6(1)(f))"
    assert "Sch. 1 para 18" in record["lawful_basis"]["article_9"]


def test_not_shared_yet_is_accepted_and_skips_what_only_follows_sharing(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    replies = fill_share_form(chat, method="not_shared_yet")
    asked = asked_fields(replies)
    assert asked[asked.index("method") + 1] == "request_asked"
    assert "individual_informed" not in asked and "receipt_confirmed" not in asked
    assert dict(replies[-1].facts)["How shared"] == "Not shared yet"
    chat.tap("confirm")
    assert chat.effects[0].data["record"]["fields"]["method"] == "not_shared_yet"
    (saved,) = chat.settle(chat.effects[0], ok=True, reference="ISR-2026-000013")
    assert "When you have shared it, correct this record" in saved.text


def test_a_correction_carries_the_request_and_risk_over(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    fill_share_form(chat, request_asked="yes", request_when="today", risk_level="early_help")
    chat.tap("confirm")
    chat.settle(chat.effects[0], ok=True, reference="ISR-2026-000014")
    chat.tap("correct")
    (summary,) = chat.say(value={"choice": "__text__", "text": "Wrong organisation"})
    facts = dict(summary.facts)
    assert facts["Asked by"] == "DC Sam Patel" and facts["Their organisation"] == "West Midlands Police"
    assert facts["Asked on"] == "Mon 23 Nov 2026" and facts["Risk at the time"].startswith("Early Help")
    chat.tap("confirm")
    fields = chat.effects[0].data["record"]["fields"]
    assert fields["requester_org"] == "West Midlands Police" and fields["risk_level"] == "early_help"


def test_an_older_record_read_back_for_correction_keeps_its_new_fields(chat):
    chat.say("hello")
    stored = {"reference": "ISR-2026-000020", "decision": "do_not_share", "created_at": "2026-11-20T10:00:00Z",
              "decided_at": "2026-11-20T09:58:00Z", "consent": {"status": "not_needed"},
              "outcome": {"title": "Do not share"},
              "fields": {"info_type": "Home address", "request_asked": "yes", "requester_name": "Jo Lee",
                         "requester_role": "Housing officer", "requester_org": "Council", "request_when": "Fri 20 Nov 2026",
                         "data_requested": "Home address", "risk_level": "no_concern", "reasons": "No purpose"}}
    chat.tap("correct:ISR-2026-000020")
    (effect,) = chat.effects
    (question,) = chat.settle(effect, ok=True, records=[stored])
    (summary,) = answer(chat, question, "Wrong reasons")
    facts = dict(summary.facts)
    assert facts["Asked by"] == "Jo Lee" and facts["Data requested"] == "Home address"
    assert facts["Risk at the time"] == "No concern about harm"


# ---- Times a person reads are UK local time (GMT in winter, BST in summer) -----------------------------


@pytest.mark.parametrize("utc, shown, day", [
    ((2026, 7, 1, 23, 30), "Thu 2 Jul 2026, 00:30 BST", "Thu 2 Jul 2026"),   # already the next day in London
    ((2026, 12, 7, 0, 30), "Mon 7 Dec 2026, 00:30 GMT", "Mon 7 Dec 2026"),
])
def test_the_summary_shows_when_it_was_decided_in_uk_time(chat, utc, shown, day):
    from datetime import datetime, timezone
    chat.clock = datetime(*utc, tzinfo=timezone.utc)
    chat.walk("share", NOT_SOUGHT_RISK)
    summary = fill_share_form(chat, request_asked="yes", request_when="today")[-1]
    facts = dict(summary.facts)
    assert facts["Decided"] == shown and facts["Asked on"] == day
    chat.tap("confirm")
    record = chat.effects[0].data["record"]
    assert record["decided_at"].endswith("Z") and record["fields"]["request_when"] == day  # stored: UTC


@pytest.mark.parametrize("created, filed, line", [
    ("2026-06-30T23:05:00Z", "Wed 1 Jul 2026, 00:05 BST", "1 Jul 2026 00:05"),
    ("2026-12-07T00:30:49Z", "Mon 7 Dec 2026, 00:30 GMT", "7 Dec 2026 00:30"),
])
def test_record_details_and_lists_show_uk_time(chat, created, filed, line):
    record = {"reference": "ISR-2026-000030", "decision": "share", "created_at": created, "decided_at": created,
              "consent": {"status": "not_sought"}, "outcome": {"title": "You can share without consent"},
              "fields": {"info_type": "Attendance", "risk_level": "significant_harm", "lawful_basis": "not_sure"},
              "lawful_basis": {"article_6": "Not sure: to be confirmed with the DSL"}}
    chat.say("hello")
    chat.say("open ISR-2026-000030")
    (detail,) = chat.settle(chat.effects[0], ok=True, records=[record], own=True)
    facts = dict(detail.facts)
    assert facts["Filed"] == filed and facts["Decided"] == filed
    assert facts["Risk at the time"] == "Risk of significant harm" and facts["Lawful basis"] == "Not sure / ask my DSL"
    chat.say("my records")
    (listing,) = chat.settle(chat.effects[0], ok=True, records=[record])
    assert dict(listing.facts)["ISR-2026-000030"].startswith(line + " · Share")


def test_below_the_threshold_the_early_help_level_is_offered_first(chat):
    # Early Help: below the significant-harm threshold, shared with the family's consent.
    chat.walk("share", path_to(PACK, threshold=True, decision="share", consent="obtained"))
    question = to_field(chat, "risk_level")
    assert "below" in chat.state["draft"]["threshold"]  # the situation this test is about
    assert question.choices[0].value == "early_help" and "(suggested)" in question.choices[0].label


def test_recording_immediate_danger_puts_999_first(chat):
    chat.walk("share", NOT_SOUGHT_RISK)
    summary = fill_share_form(chat, risk_level="immediate_danger")[-1]
    assert summary.text.startswith("If a child is in immediate danger now, call 999")
    assert dict(summary.facts)["Risk at the time"] == "Immediate danger"
    chat.walk("share", NOT_SOUGHT_RISK)
    assert "999" not in fill_share_form(chat, risk_level="significant_harm")[-1].text


def test_a_record_says_why_consent_was_not_sought_once(chat):
    # The consent line already gives the reason: a second "Why no consent" line only repeats it on a phone.
    record = {"reference": "ISR-2026-000031", "decision": "share", "created_at": "2026-12-07T10:00:00Z",
              "consent": {"status": "not_sought", "reason": "it would put the child at risk",
                          "label": "Not sought because it would put the child at risk"},
              "outcome": {"title": "You can share without consent"}, "fields": {"info_type": "Attendance"}}
    chat.say("hello")
    chat.say("open ISR-2026-000031")
    (detail,) = chat.settle(chat.effects[0], ok=True, records=[record], own=True)
    facts = dict(detail.facts)
    assert facts["Consent"] == "Not sought because it would put the child at risk"
    assert "Why no consent" not in facts
