"""The danger recogniser measured on labelled messages, and what the practitioner sees in the chat.

tests/data/danger/tune.tsv was written by the recogniser's author before the recogniser; every
holdout*.tsv by another engineer, never read while tuning: their figures are the honest ones. All
are checked together against the thresholds of issue 12; the table and the lines under it print
each file separately. (SHARESAFE_DANGER_TUNE_ONLY=1 leaves the held-out files unread.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.phrases import Figures, Line, measure, read_corpus, table
from dialogs import danger
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

DATA = Path(__file__).parent / "data" / "danger"
ROOT = Path(__file__).resolve().parents[1]
PACK = load_builtin("national-2018")

MIN_RECALL = 0.99
MIN_CATEGORY_RECALL = 0.95
MAX_CLEAR_FALSE_ALARMS = 0.03


def corpora() -> dict[str, list[Line]]:
    """The corpus files there are: tune always, and every held-out file (holdout*.tsv) written so far."""
    found = {"tune": read_corpus(DATA / "tune.tsv")}
    if not os.environ.get("SHARESAFE_DANGER_TUNE_ONLY"):
        for name in HELD_OUT + BLIND:
            found[name] = read_corpus(DATA / f"{name}.tsv")
    return found


HELD_OUT = sorted(p.stem for p in DATA.glob("holdout*.tsv"))  # (listed once: a file written mid-run waits)
# Blind sets (blind*.tsv): written by someone who never saw the recogniser, printed here and never
# tuned on, so their figures are the honest ones; they are not held to the thresholds (a blind set
# that is tuned on stops being blind: it is then renamed holdout*.tsv and joins the checked corpus).
# They are read only when SHARESAFE_DANGER_BLIND=1 (.ci/run sets it): whoever tunes the recogniser
# runs the tests without it and so never sees a blind figure, not even a total.
BLIND = sorted(p.stem for p in DATA.glob("blind*.tsv")) if os.environ.get("SHARESAFE_DANGER_BLIND") == "1" else []
CORPORA = corpora()
COMBINED = [line for name, lines in CORPORA.items() if name not in BLIND for line in lines]


def test_the_tuning_corpus_covers_every_category_in_practitioners_numbers():
    tune = CORPORA["tune"]
    danger_lines = [line for line in tune if line.label == "danger"]
    assert len(danger_lines) >= 300 and len(tune) - len(danger_lines) >= 300
    for category in danger.CATEGORIES:
        assert sum(line.category == category for line in danger_lines) >= 30, category
    texts = [line.text.lower() for line in tune]
    assert len(set(texts)) == len(texts), "a message is in the corpus twice"


def summary(name: str, f: Figures) -> str:
    """One file's figures on one line: overall recall, the weakest category, clear false alarms."""
    weakest = min(danger.CATEGORIES, key=lambda c: (f.recall(c), c))
    return (f"{name + ':':12} recall {sum(f.found.values())}/{sum(f.total.values())} {100 * f.recall():.1f}%, "
            f"lowest category {weakest} {100 * f.recall(weakest):.1f}%, "
            f"clear false alarms {f.clear_alarms}/{f.ordinary} {100 * f.false_alarm_rate():.1f}%")


def test_every_held_out_file_is_read_and_reported_on_its_own():
    if os.environ.get("SHARESAFE_DANGER_TUNE_ONLY"):
        pytest.skip("SHARESAFE_DANGER_TUNE_ONLY is set: the held-out and blind files stay unread while tuning")
    assert HELD_OUT and [name for name in CORPORA if name != "tune"] == HELD_OUT + BLIND
    assert all(CORPORA[name] for name in HELD_OUT + BLIND), "a held-out or blind file with no lines"
    # The blind set is printed beside the others but never counted in what the thresholds check.
    assert not set(map(id, COMBINED)) & {id(line) for name in BLIND for line in CORPORA[name]}


def test_recall_and_false_alarms_meet_the_thresholds(capsys):
    columns = [(name, measure(lines)) for name, lines in CORPORA.items()]
    combined = measure(COMBINED)
    columns.append(("combined", combined))
    with capsys.disabled():
        print("\n\nDanger recogniser: clear-or-possible recall, and alarms on ordinary messages\n"
              + table(columns) + "\n\n" + "\n".join(summary(name, f) for name, f in columns) + "\n")
    missed = "\n".join(f"  missed [{line.category}] {line.text}" for line in combined.missed)
    alarms = "\n".join(f"  999 card for [{line.category}] {line.text}" for line in combined.false_alarms)
    assert combined.recall() >= MIN_RECALL, f"overall recall {combined.recall():.3f}\n{missed}"
    for category in danger.CATEGORIES:
        assert combined.recall(category) >= MIN_CATEGORY_RECALL, f"{category}: {combined.recall(category):.3f}\n{missed}"
    assert combined.false_alarm_rate() < MAX_CLEAR_FALSE_ALARMS, f"{combined.false_alarm_rate():.3f}\n{alarms}"


@pytest.mark.parametrize("text,level", [
    ("999", "clear"), ("999!!", "clear"), ("Emergency!", "clear"), ("help", "none"),
    ("theres a lad outside the gates with a knife", "clear"),
    ("we called 999 last month", "none"), ("not an emergency", "none"),
    ("knife crime assembly for year 9 next week", "none"), ("he was stabbed two years ago", "none"),
    ("shes not breathing", "clear"), ("she isnt breathing", "clear"), ("hes unconcious", "clear"),
    ("my pupil mentioned a knife", "possible"),
    # A disclosure of ongoing abuse, in the present simple: the reminder and the DSL, not the 999 card...
    ("child Jane Smith DOB 01/02/2015 says dad hits her", "possible"),
    ("says her dad beats her when he is drunk", "possible"), ("she said her uncle rapes her", "possible"),
    # ...unless the words say it is happening now or tonight.
    ("he hits her right now", "clear"), ("his dad punches him every night and he has to go home tonight", "clear"),
])
def test_plain_typing_is_read_as_a_practitioner_means_it(text, level):
    assert danger.assess(text).level == level


# ---- In the chat ------------------------------------------------------------------------------------


def at_question(chat: EngineChat):
    """Start "Can I share?" and return its first question."""
    chat.say("hello")
    (reply,) = chat.tap("share")
    assert reply.kind == "question"
    return reply


def at_record_text_field(chat: EngineChat):
    """Answer the flowchart to an outcome, start the record and return its first free-text question."""
    reply = at_question(chat)
    while reply.kind == "question":
        reply = chat.tap(reply.choices[0].value)[-1]
    reply = chat.tap("record")[-1]
    while reply.input_hint is None:
        reply = chat.tap(reply.choices[0].value)[-1]
    return reply


def test_danger_typed_mid_question_brings_the_999_card_and_the_question_resumes(chat):
    question = at_question(chat)
    (card,) = chat.say("theres a man at the school gate with a machete")
    assert card.kind == "danger" and "999" in card.text
    assert card.choices[0].value == "resume"
    (reply,) = chat.tap("resume")
    assert reply.node == question.node


def test_possible_danger_keeps_the_question_and_adds_the_999_line_above(chat):
    question = at_question(chat)
    reminder, reply = chat.say("my pupil said something about a knife")
    assert reminder.kind == "danger_reminder" and reminder.text == "If a child is in danger now, call 999."
    assert [c.value for c in reminder.choices] == ["danger"]
    assert reply.node == question.node and reply.kind == "question"
    (reply,) = chat.say("1")  # the numbers still mean the question's choices
    assert reply.node != question.node
    assert chat.state["answers"][-1]["answer"] == question.choices[0].value


def test_the_very_first_message_is_read_for_danger_too(chat):
    (card,) = chat.say("the kitchen is on fire and the kids are upstairs")
    assert card.kind == "danger" and "999" in card.text
    other = EngineChat(PACK)
    reminder, welcome = other.say("a boy in my class said something about a knife")
    assert reminder.kind == "danger_reminder" and welcome.kind == "welcome"


def test_a_past_999_call_is_nothing_alarming(chat):
    question = at_question(chat)
    replies = chat.say("we called 999 last month")
    assert "danger" not in {r.kind for r in replies}  # no interruption: at most the one line reminder
    assert replies[-1].node == question.node
    assert "danger" not in {r.kind for r in chat.say("no, we called 999 last month but she is safe now")}


def test_danger_typed_into_a_record_field_is_kept_and_the_999_advice_comes_first(chat):
    field = at_record_text_field(chat)
    name = field.data["field"]
    words = "boy just told me his stepdad is outside with a knife right now"
    card, *rest = chat.say(words)
    assert card.kind == "danger" and "999" in card.text
    assert rest and rest[-1].kind == "record_question" and rest[-1].data["field"] != name
    assert chat.state["draft"]["fields"][name] == words


def test_999_typed_at_a_record_field_brings_the_card_and_is_not_saved_as_the_answer(chat):
    field = at_record_text_field(chat)
    (card,) = chat.say("999")
    assert card.kind == "danger"
    assert field.data["field"] not in chat.state["draft"]["fields"]


def test_danger_typed_into_a_dsl_note_is_kept_and_the_999_advice_comes_first(chat):
    at_question(chat)
    (note,) = chat.say("ask my DSL")
    assert note.data["field"] == "note"
    words = "she has taken a load of tablets and is really drowsy"
    card, reply = chat.say(value={"choice": "__text__", "text": words})
    assert card.kind == "danger" and reply.data["field"] == "urgency"
    assert chat.state["request"]["fields"]["note"] == words


def test_a_sentence_the_bot_cannot_use_gets_the_999_line_not_i_did_not_understand_alone(chat):
    question = at_question(chat)
    reminder, reply = chat.say("im worried because she says her stepdad has a temper")
    assert reminder.kind == "danger_reminder" and "999" in reminder.text
    assert reply.node == question.node and reply.choices  # the question again, with its choices
    (reply,) = chat.say("blah")  # a mistyped answer is just asked again
    assert reply.kind == "question" and reply.node == question.node


@pytest.mark.parametrize("where", ["question", "menu"])
def test_no_danger_message_is_answered_with_i_did_not_understand_alone(chat, where):
    if where == "question":
        at_question(chat)
    for line in (line for line in COMBINED if line.label == "danger"):
        kinds = {r.kind for r in chat.say(line.text)}
        if line in measure([line]).missed and len(line.text.split()) < 4:
            continue  # counted against recall above (a sentence the recogniser misses still gets the line)
        assert kinds & {"danger", "danger_reminder"}, line.text
        if "danger" in kinds and where == "question":
            chat.tap("resume")


def phrases_check(path: Path) -> str:
    """What `bot phrases check <path>` prints, after checking it exited cleanly."""
    run = subprocess.run([sys.executable, "-m", "bot", "phrases", "check", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_phrases_check_labels_each_line_of_a_file(tmp_path):
    plain = tmp_path / "phrases.txt"
    plain.write_text("the baby isnt breathing\nwe had a knife crime assembly\nmy pupil mentioned a knife\n"
                     "what if a pupil tells me she's being taken abroad for FGM in the summer, who do i call\n",
                     encoding="utf-8")
    lines = phrases_check(plain).splitlines()
    for line in lines:  # the label, a gap, then the text as typed, even after the longest label
        level, rest = line.split(" ", 1)
        category = "" if level == "none" else rest.split(" ", 1)[0]
        assert level in ("none", "possible", "clear") and (level == "none" or category in danger.CATEGORIES)
    assert lines[0].startswith("clear medical") and lines[0].endswith("the baby isnt breathing")
    assert lines[1].startswith("none") and lines[2].startswith("possible weapon")
    # a "what if" question gets the reminder, and the longest label does not run into its text
    assert lines[3].startswith("possible forced_marriage_abroad what if a pupil")

    corpus = tmp_path / "ours.tsv"
    corpus.write_text("danger\tweapon\the has a gun in his bag\nordinary\tpast\tstabbed two years ago\n",
                      encoding="utf-8")
    out = phrases_check(corpus)
    assert "1/1 100.0%" in out and "clear false alarms" in out
