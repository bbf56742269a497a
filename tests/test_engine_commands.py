"""What a practitioner can type or tap at any point, and how the engine answers."""

import pytest

from dialogs.pack import load_builtin

PACK = load_builtin("national-2018")


def test_anything_gets_the_welcome_naming_the_pack(chat):
    (reply,) = chat.say("hiya")
    assert reply.kind == "welcome"
    assert "National advice (HM Government 2018)" in reply.text and PACK.version in reply.text
    assert [c.label for c in reply.choices] == [
        "Can I share this information?", "Do I need consent?", "A child is in immediate danger",
        "Ask my DSL", "The seven golden rules",
    ]


@pytest.mark.parametrize("typed,expected_node", [
    ("y", "statutory_duty"), ("yes", "statutory_duty"), ("Yes!", "statutory_duty"),
    ("1", "statutory_duty"), ("no", "outcome_do_not_share"), ("2", "outcome_do_not_share"),
    ("not sure", "outcome_seek_advice"), ("unsure", "outcome_seek_advice"), ("3", "outcome_seek_advice"),
    ("Don't know", "outcome_seek_advice"),
])
def test_typed_answers_work_like_buttons(chat, typed, expected_node):
    chat.say("hello")
    chat.say("Can I share this information?")
    (reply,) = chat.say(typed)
    assert reply.node == expected_node


def test_unknown_text_reasks_the_question_with_its_choices(chat):
    chat.say("hello")
    chat.tap("share")
    (reply,) = chat.say("nice weather")
    assert reply.kind == "question" and reply.node == "clear_purpose"
    assert "Type yes, no or not sure" in reply.title
    assert [c.value for c in reply.choices][:3] == ["yes", "no", "not_sure"]
    # nothing was answered
    assert chat.state["answers"] == []


def test_a_sentence_that_answers_nothing_reasks_with_the_999_line_first(chat):
    chat.say("hello")
    chat.tap("share")
    reminder, reply = chat.say("the weather is nice today")
    assert reminder.kind == "danger_reminder" and reply.node == "clear_purpose"
    assert "Type yes, no or not sure" in reply.title and chat.state["answers"] == []


def test_card_submit_that_is_not_a_choice_reasks(chat):
    chat.say("hello")
    chat.tap("share")
    (reply,) = chat.say(value={"choice": "teleport"})
    assert reply.node == "clear_purpose" and reply.data["unclear"]
    (reply,) = chat.say(value={"nonsense": 1})
    assert reply.node == "clear_purpose"


def test_why_explains_with_golden_rule_and_lets_you_answer(chat):
    chat.say("hello")
    chat.tap("share")
    (reply,) = chat.tap("why")
    assert reply.kind == "why" and "clear reason to share" in reply.text
    assert [r.number for r in reply.rules] == [1, 6]
    assert [c.value for c in reply.choices][:3] == ["yes", "no", "not_sure"]
    (reply,) = chat.say("yes")
    assert reply.node == "statutory_duty"


def test_back_undoes_the_last_answer(chat):
    chat.say("hello")
    chat.tap("share")
    chat.tap("yes")
    chat.tap("yes")
    (reply,) = chat.say("back")
    assert reply.node == "statutory_duty"
    assert [a["node"] for a in chat.state["answers"]] == ["clear_purpose"]
    (reply,) = chat.tap("no")
    assert reply.node == "harm_concern"
    (reply,) = chat.tap("back")
    assert reply.node == "statutory_duty"


def test_back_at_the_first_question_returns_to_the_menu(chat):
    chat.say("hello")
    chat.tap("share")
    (reply,) = chat.say("back")
    assert reply.kind == "welcome"


def test_restart_clears_answers(chat):
    chat.walk("share", ["yes", "yes"])
    (reply,) = chat.say("start again")
    assert reply.kind == "welcome" and chat.state["answers"] == []


def test_help_and_rules_keep_your_place(chat):
    chat.walk("share", ["yes"])
    (reply,) = chat.say("help")
    assert reply.kind == "help" and "999" in reply.text
    (reply,) = chat.say("rules")
    assert reply.kind == "rules" and [r.number for r in reply.rules] == [1, 2, 3, 4, 5, 6, 7]
    assert "Record your decision" in reply.text
    (reply,) = chat.tap("resume")
    assert reply.node == "statutory_duty"


@pytest.mark.parametrize("words", ["999", "immediate danger", "Emergency!", "a child is in immediate danger", "call 999 now"])
def test_danger_interrupts_and_the_dialog_resumes(chat, words):
    chat.walk("share", ["yes", "no", "no", "yes"])
    (reply,) = chat.say(words)
    assert reply.kind == "danger"
    assert "999" in reply.text and "without delay" in reply.text
    assert [r.number for r in reply.rules] == [5]
    assert reply.choices[0].value == "resume"
    (reply,) = chat.tap("resume")
    assert reply.node == "is_confidential"
    assert len(chat.state["answers"]) == 4


@pytest.mark.parametrize("words", ["a child is in danger", "The child is in danger!", "someone is in danger",
                                   "call the police", "he has a knife", "she is being hurt right now"])
def test_plain_words_for_danger_now_interrupt_a_question(chat, words):
    chat.walk("share", ["yes"])
    (reply,) = chat.say(words)
    assert reply.kind == "danger" and "999" in reply.text
    (reply,) = chat.tap("resume")
    assert reply.node == "statutory_duty" and len(chat.state["answers"]) == 1


@pytest.mark.parametrize("words", ["it is not an emergency", "no emergency", "the child is not in danger"])
def test_saying_it_is_not_an_emergency_is_not_an_alarm(chat, words):
    chat.walk("share", ["yes"])
    (reply,) = chat.say(words)
    assert reply.kind != "danger" and reply.node == "statutory_duty"


def test_danger_from_the_welcome_card(chat):
    chat.say("hello")
    (reply,) = chat.tap("danger")
    assert reply.kind == "danger"


def test_first_message_999_is_answered_with_999(chat):
    (reply,) = chat.say("999")
    assert reply.kind == "danger"


def test_teams_retry_of_the_same_activity_is_answered_once(chat):
    chat.say("hello", activity_id="a1")
    first = chat.say(value={"choice": "share"}, activity_id="a2")
    assert first[0].node == "clear_purpose"
    assert chat.say(value={"choice": "share"}, activity_id="a2") == []
    assert chat.say(value={"choice": "yes"}, activity_id="a3")[0].node == "statutory_duty"


def test_session_survives_a_pack_update_that_removes_its_place(chat):
    chat.walk("share", ["yes"])
    chat.state["pack_version"] = "old"
    chat.state["node"] = "a_question_that_was_removed"
    replies = chat.say("yes")
    assert replies[0].kind == "info" and "updated" in replies[0].text
    assert replies[-1].kind == "welcome"


def test_session_is_small_json(chat):
    import json
    chat.walk("share", ["yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "yes"])
    assert len(json.dumps(chat.state)) < 2048


def test_not_sure_leads_to_seek_advice_with_the_dsl_first(chat):
    reply = chat.walk("share", ["not_sure"])
    assert reply.decision == "seek_advice" and 3 in [r.number for r in reply.rules]
    assert [c.value for c in reply.choices][:2] == ["dsl", "mash"]


def test_typed_numbers_mean_the_buttons_on_screen(chat):
    chat.walk("share", [])
    (danger,) = chat.say("999")
    assert danger.choices[0].value == "resume"
    (reply,) = chat.say("1")  # "1. Carry on where I was", not "Yes" to the hidden question
    assert reply.node == "clear_purpose" and chat.state["answers"] == []
    chat.say("rules")
    (reply,) = chat.say("yes")  # words still answer the question in progress
    assert reply.node == "statutory_duty"


def test_a_tap_on_an_earlier_questions_card_is_not_taken_as_an_answer(chat):
    chat.walk("share", ["yes", "no", "no", "yes"])  # now at is_confidential
    replies = chat.say(value={"choice": "no", "node": "clear_purpose"})
    assert replies[0].title == "That button was on an earlier card"
    assert replies[-1].node == "is_confidential"
    assert [a["answer"] for a in chat.state["answers"]] == ["yes", "no", "no", "yes"]
    # the same button on the current card works
    (reply,) = chat.say(value={"choice": "no", "node": "is_confidential"})
    assert reply.outcome == "outcome_share"


def test_a_tap_on_an_earlier_form_field_is_not_taken_as_an_answer(chat):
    chat.walk("share", ["yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "yes"])
    chat.tap("record")
    chat.say(value={"choice": "__text__", "text": "Attendance", "field": "info_type"})
    replies = chat.say(value={"choice": "__text__", "text": "Late text", "field": "info_type"})
    assert replies[0].title == "That button was on an earlier card"
    assert chat.state["draft"]["fields"] == {"info_type": "Attendance"}
    (reply,) = chat.say(value={"choice": "fact", "field": "fact_or_opinion"})
    assert reply.data["field"] == "recipient_role"
