"""The escalation lifecycle (bot/escalation/machine.py) as a specification: every move the table
allows and what it does, every move it refuses, the re-ping timing, the fallback to phone numbers,
the MASH retries, documents stored before the machine, and the committed diagram."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.escalation import cards, machine
from bot.escalation.diagram import mermaid
from bot.escalation.machine import (
    AskAgain,
    Event,
    Move,
    Notice,
    Refused,
    RetryJob,
    Save,
    StopJob,
    TellOtherDsls,
    TellPractitioner,
    Timing,
    UpdateCards,
    iso,
    phase_of,
    step,
)
from state import escalation_docs
from tests.fixtures import T0

ROOT = Path(__file__).resolve().parent.parent
TIMING = Timing(period=timedelta(minutes=15), urgent_period=timedelta(minutes=5), retry_delays=(30.0, 60.0))

SENT = {"to": "29:dsl-1", "name": "Alex Lead", "role": "dsl", "stage": 0, "status": "sent", "attempts": 1}
FAILED = {"to": "29:dsl-1", "name": "Alex Lead", "role": "dsl", "stage": 0, "status": "failed", "attempts": 3,
          "error": "http 500"}
RETRYING = {**FAILED, "status": "retrying", "next_try": iso(T0 + timedelta(seconds=30))}
DEPUTY_SENT = {"to": "29:dep-1", "name": "Bo Deputy", "role": "deputy", "stage": 0, "status": "sent", "attempts": 1}
CHANNEL_SENT = {"to": "channel:19:mash", "role": "mash", "stage": 0, "status": "sent", "attempts": 1, "error": ""}
WEBHOOK_FAILED = {"to": "webhook", "role": "mash", "stage": 0, "status": "failed", "attempts": 3, "error": "http 503"}


def stored(state: str, **over: Any) -> dict[str, Any]:
    """An escalation as the store holds it in a lifecycle state (the stored fields only, as before the machine)."""
    status = {"sending": "requested", "asked": "requested", "reminded": "requested", "overdue": "requested",
              "with_mash": "requested"}.get(state, state)
    kind = "mash" if state == "with_mash" or over.get("kind") == "mash" else "dsl"
    doc: dict[str, Any] = {
        "id": "HO-000001" if kind == "mash" else "ESC-000001", "kind": kind, "organisation": "oakfield",
        "status": status, "created_at": iso(T0), "due_at": None, "urgent": False,
        "practitioner": {"user_id": "29:prac-1", "name": "Sam Teacher", "conversation_id": "a:prac-1"},
        "history": [{"status": "requested", "by": "29:prac-1", "name": "Sam Teacher", "at": iso(T0), "note": ""}],
        "deliveries": [dict(SENT)] if kind == "dsl" else [dict(CHANNEL_SENT)],
    }
    if kind == "dsl":
        doc.update(ping_due_at=iso(T0 + timedelta(minutes=15)), period_seconds=900.0,
                   initial_done=state != "sending",
                   stage={"reminded": 1, "overdue": 2}.get(state, 0))
        if state == "sending":
            doc["deliveries"] = []
    doc.update(over)
    return doc


def kinds(actions: list[Any]) -> list[str]:
    return [type(a).__name__ for a in actions]


# ---- Every move the lifecycle allows -------------------------------------------------------------

ANSWER_ACTIONS = ["Move", "TellPractitioner", "UpdateCards", "TellOtherDsls"]
MASH_ANSWER_ACTIONS = ["Move", "TellPractitioner", "UpdateCards"]
BY_DSL = {"by": "29:dsl-1", "name": "Alex Lead", "note": "Share with the school nurse"}

# (state, trigger, event data, state after, actions, in order)
MOVES: list[tuple[str, str, dict[str, Any], str, list[str]]] = [
    ("sending", "first_send", {"deliveries": [SENT], "in_turn": True}, "asked", ["Save"]),
    ("sending", "first_send", {"deliveries": [RETRYING], "in_turn": True}, "asked", ["Save"]),
    ("sending", "first_send", {"deliveries": [FAILED], "in_turn": True}, "undeliverable", ["Save", "Move"]),
    ("sending", "first_send", {"deliveries": [FAILED], "in_turn": False}, "undeliverable", ["Notice", "Save", "Move"]),
    ("asked", "ping_due", {}, "reminded", ["AskAgain"]),
    ("reminded", "ping_due", {}, "overdue", ["Notice"]),
    ("asked", "tried", {"deliveries": [SENT]}, "asked", ["Save"]),
    ("reminded", "tried", {"deliveries": [RETRYING]}, "reminded", ["Save"]),
    ("overdue", "tried", {"deliveries": [SENT]}, "overdue", ["Save"]),
    ("asked", "tried", {"deliveries": [FAILED]}, "undeliverable", ["Notice", "Save", "Move"]),
    ("reminded", "tried", {"deliveries": [FAILED]}, "undeliverable", ["Notice", "Save", "Move"]),
    ("overdue", "tried", {"deliveries": [FAILED]}, "undeliverable", ["Notice", "Save", "Move"]),
    ("with_mash", "handed_off", {"deliveries": [CHANNEL_SENT, WEBHOOK_FAILED]}, "with_mash", ["RetryJob", "Save"]),
    ("with_mash", "handed_off", {"deliveries": [{**CHANNEL_SENT, "status": "failed"}, WEBHOOK_FAILED]},
     "undeliverable", ["Save", "Move"]),
    *[(state, "mash_tried", data, state, acts)
      for state in ("with_mash", "acknowledged", "calling", "resolved")
      for data, acts in (({"to": "webhook", "error": None, "attempt": 1}, ["Save", "StopJob"]),
                         ({"to": "webhook", "error": "http 503", "attempt": 1}, ["Save", "RetryJob"]),
                         ({"to": "webhook", "error": "http 503", "attempt": 2}, ["Save", "StopJob"]))],
    *[(state, "acknowledge", BY_DSL, "acknowledged", ANSWER_ACTIONS)
      for state in ("sending", "asked", "reminded", "overdue")],
    ("with_mash", "acknowledge", BY_DSL, "acknowledged", MASH_ANSWER_ACTIONS),
    *[(state, "calling", BY_DSL, "calling", ANSWER_ACTIONS)
      for state in ("sending", "asked", "reminded", "overdue", "acknowledged")],
    ("with_mash", "calling", BY_DSL, "calling", MASH_ANSWER_ACTIONS),
    *[(state, "resolve", BY_DSL, "resolved", ANSWER_ACTIONS)
      for state in ("sending", "asked", "reminded", "overdue", "acknowledged", "calling")],
    ("with_mash", "resolve", BY_DSL, "resolved", MASH_ANSWER_ACTIONS),
]


def _doc_for(state: str, trigger: str) -> dict[str, Any]:
    if trigger == "mash_tried":
        return stored(state, kind="mash", deliveries=[dict(CHANNEL_SENT), {**WEBHOOK_FAILED, "status": "retrying"}])
    return stored(state)


@pytest.mark.parametrize(("state", "trigger", "data", "after", "actions"), MOVES,
                         ids=[f"{m[0]}-{m[1]}-{m[3]}-{i}" for i, m in enumerate(MOVES)])
def test_every_allowed_move(state: str, trigger: str, data: dict[str, Any], after: str, actions: list[str]) -> None:
    before = _doc_for(state, trigger)
    kept = copy.deepcopy(before)
    assert phase_of(before) == state
    result, done = step(before, Event(trigger, data), T0 + timedelta(minutes=15), TIMING)
    assert phase_of(result) == after
    assert kinds(done) == actions
    assert before == kept  # step() is pure: the stored copy is never changed
    for move in (a for a in done if isinstance(a, Move)):
        # The store checks the move atomically against the statuses it may come from.
        assert before["status"] in move.allowed_from and move.status == result["status"]


def test_every_row_of_the_table_is_specified_above() -> None:
    rows = {(src, t["trigger"]) for t in machine.TRANSITIONS for src in ([t["source"]] if isinstance(t["source"], str)
                                                                         else t["source"])}
    assert rows == {(m[0], m[1]) for m in MOVES}


# ---- Every move it refuses -----------------------------------------------------------------------

REFUSED = [(state, trigger) for state in machine.PHASES for trigger in machine.MACHINE.events
           if not machine.MACHINE.get_transitions(trigger=trigger, source=state)]


@pytest.mark.parametrize(("state", "trigger"), REFUSED, ids=[f"{s}-{t}" for s, t in REFUSED])
def test_every_refused_move_says_so_and_changes_nothing(state: str, trigger: str) -> None:
    before = stored(state)
    kept = copy.deepcopy(before)
    with pytest.raises(Refused) as refused:
        step(before, Event(trigger, BY_DSL), T0, TIMING)
    label = machine.PHASES[state].label
    assert str(refused.value) == f"{before['id']}: '{trigger}' is not possible now ({label})"
    assert refused.value.phase == state and before == kept
    assert not machine.may(before, trigger)


@pytest.mark.parametrize("trigger", ["acknowledge", "calling", "resolve"])
def test_a_resolved_request_stays_resolved_and_the_first_to_acknowledge_wins(trigger: str) -> None:
    with pytest.raises(Refused, match="not possible now \\(Resolved\\)"):
        step(stored("resolved"), Event(trigger, BY_DSL), T0)
    with pytest.raises(Refused, match="'acknowledge' is not possible now \\(Acknowledged\\)"):
        step(stored("acknowledged"), Event("acknowledge", BY_DSL), T0)


def test_an_unknown_trigger_is_refused() -> None:
    with pytest.raises(Refused, match="'escalate_to_the_moon' is not possible now"):
        step(stored("asked"), Event("escalate_to_the_moon"), T0)


# ---- Re-ping timing and the fallback to phone numbers --------------------------------------------


@pytest.mark.parametrize(("urgent", "period"), [(False, 15), (True, 5)])
def test_the_repings_follow_the_period_then_the_practitioner_is_told_to_phone(urgent: bool, period: int) -> None:
    first_due = T0 + timedelta(minutes=period)
    doc = stored("sending", urgent=urgent, ping_due_at=iso(first_due), period_seconds=period * 60.0)
    doc, done = step(doc, Event("first_send", {"deliveries": [SENT], "in_turn": True}), T0, TIMING)
    assert done == [Save(0, first_due, {"initial_done": True, "deliveries": [SENT], "ping_due_at": iso(first_due)})]
    assert doc["due_at"] == iso(first_due)

    # Nobody acknowledged in time: every DSL and deputy is asked again, and the next ping is one period on.
    doc, done = step(doc, Event("ping_due"), first_due, TIMING)
    assert done == [AskAgain(stage=1)] and doc["stage"] == 1
    second_due = first_due + timedelta(minutes=period)
    doc["deliveries"].append(dict(DEPUTY_SENT))  # what the re-ping sent
    doc, done = step(doc, Event("tried", {"deliveries": doc["deliveries"]}), first_due, TIMING)
    assert [(a.stage, a.due_at) for a in done] == [(1, second_due)]

    # Still nothing: no more pings; they are told nobody answered and who to phone.
    doc, done = step(doc, Event("ping_due"), second_due, TIMING)
    assert done == [Notice("no_answer")] and doc["ping_due_at"] is None and phase_of(doc) == "overdue"
    doc, done = step(doc, Event("tried", {"deliveries": doc["deliveries"]}), second_due, TIMING)
    assert [(a.stage, a.due_at) for a in done] == [(2, None)]
    assert not machine.may(doc, "ping_due")


def test_the_reping_stops_retrying_the_first_card_and_a_retry_brings_the_job_back_sooner() -> None:
    doc = stored("asked", deliveries=[dict(RETRYING)])
    doc, _ = step(doc, Event("ping_due"), T0 + timedelta(minutes=15), TIMING)
    assert [d["status"] for d in doc["deliveries"]] == ["superseded"]
    retry_at = T0 + timedelta(minutes=15, seconds=30)
    retrying = {**RETRYING, "stage": 1, "next_try": iso(retry_at)}
    _, done = step(doc, Event("tried", {"deliveries": [*doc["deliveries"], retrying]}), T0, TIMING)
    assert done[0].due_at == retry_at  # before the next ping at 09:30


def test_nobody_ever_reached_means_could_not_reach_not_no_answer() -> None:
    doc = stored("reminded", deliveries=[dict(RETRYING)])
    _, done = step(doc, Event("ping_due"), T0 + timedelta(minutes=30), TIMING)
    assert done == [Notice("unreachable")]


def test_when_every_send_failed_the_practitioner_is_told_before_it_is_marked_undeliverable() -> None:
    doc, done = step(stored("reminded"), Event("tried", {"deliveries": [FAILED]}), T0, TIMING)
    assert done[0] == Notice("unreachable")
    assert done[2] == Move("undeliverable", "sharesafe", "ShareSafe", "no DSL could be reached", ("requested",))
    assert doc["status"] == "undeliverable" and doc["due_at"] is None and doc["history"][-1]["name"] == "ShareSafe"


# ---- A DSL's answer ------------------------------------------------------------------------------


def test_an_answer_records_who_and_the_advice_and_tells_everyone() -> None:
    doc, done = step(stored("reminded"), Event("resolve", BY_DSL), T0 + timedelta(minutes=20), TIMING)
    assert done == [Move("resolved", "29:dsl-1", "Alex Lead", "Share with the school nurse",
                         ("requested", "acknowledged", "calling")),
                    TellPractitioner("resolved"), UpdateCards(), TellOtherDsls("resolved")]
    assert doc["history"][-1] == {"status": "resolved", "by": "29:dsl-1", "name": "Alex Lead",
                                  "at": iso(T0 + timedelta(minutes=20)), "note": "Share with the school nurse"}
    assert doc["due_at"] is None


# ---- MASH retries --------------------------------------------------------------------------------


def test_mash_retries_back_off_then_give_up() -> None:
    handed_off = Event("handed_off", {"deliveries": [CHANNEL_SENT, WEBHOOK_FAILED]})
    doc, done = step(stored("with_mash", deliveries=[]), handed_off, T0, TIMING)
    assert done[0] == RetryJob("webhook", T0 + timedelta(seconds=30), 1)
    assert [d["status"] for d in doc["deliveries"]] == ["sent", "retrying"]

    later = T0 + timedelta(seconds=30)
    doc, done = step(doc, Event("mash_tried", {"to": "webhook", "error": "http 503", "attempt": 1, "attempts": 1}),
                     later, TIMING)
    assert done[-1] == RetryJob("webhook", later + timedelta(seconds=60), 2)
    assert doc["deliveries"][1]["attempts"] == 4 and doc["deliveries"][1]["status"] == "retrying"

    last = later + timedelta(seconds=60)
    doc, done = step(doc, Event("mash_tried", {"to": "webhook", "error": "http 503", "attempt": 2, "attempts": 1}),
                     last, TIMING)
    assert done[-1] == StopJob("webhook") and doc["deliveries"][1]["status"] == "failed"
    assert phase_of(doc) == "with_mash"  # the channel has it: still with MASH


def test_a_mash_retry_that_gets_through_is_recorded_even_after_mash_answered() -> None:
    doc = stored("acknowledged", kind="mash", deliveries=[dict(CHANNEL_SENT), {**WEBHOOK_FAILED, "status": "retrying"}])
    got_through = Event("mash_tried", {"to": "webhook", "error": None, "attempt": 2, "attempts": 1})
    doc, done = step(doc, got_through, T0, TIMING)
    assert done[-1] == StopJob("webhook")
    assert doc["deliveries"][1]["status"] == "sent" and doc["status"] == "acknowledged"


def test_a_handoff_nobody_received_is_undeliverable_at_once() -> None:
    doc, done = step(stored("with_mash", deliveries=[]),
                     Event("handed_off", {"deliveries": [{**CHANNEL_SENT, "status": "failed"}, WEBHOOK_FAILED]}), T0)
    assert phase_of(doc) == "undeliverable"
    assert done[-1] == Move("undeliverable", "sharesafe", "ShareSafe", "MASH could not be reached", ("requested",))


# ---- Documents stored before the machine ---------------------------------------------------------


@pytest.mark.parametrize(("fields", "state"), [
    ({"kind": "dsl", "status": "requested", "stage": 0, "initial_done": False}, "sending"),
    ({"kind": "dsl", "status": "requested", "stage": 0, "initial_done": True}, "asked"),
    ({"kind": "dsl", "status": "requested", "stage": 1, "initial_done": True}, "reminded"),
    ({"kind": "dsl", "status": "requested", "stage": 2, "initial_done": True}, "overdue"),
    ({"kind": "mash", "status": "requested", "stage": 0}, "with_mash"),
    ({"kind": "dsl", "status": "calling", "stage": 1, "initial_done": True}, "calling"),
    ({"kind": "mash", "status": "undeliverable"}, "undeliverable"),
])
def test_stored_documents_load_into_their_state_and_continue(fields: dict[str, Any], state: str) -> None:
    doc = escalation_docs.prepare_new({**fields, "practitioner": {"user_id": "u", "name": "Sam"}}, T0)
    doc["id"] = "ESC-000009"
    assert phase_of(doc) == state
    # And it continues: a DSL can still close what is open, and nothing reopens what is closed.
    assert machine.may(doc, "resolve") == (not machine.PHASES[state].final)


def test_the_store_and_the_machine_agree_on_the_waiting_status() -> None:
    assert escalation_docs.WAITING == machine.WAITING_STATUS


# ---- Statuses, allowed moves and labels come from the table --------------------------------------


def test_the_buttons_on_a_card_are_the_moves_still_allowed() -> None:
    def actions(state: str) -> set[str]:
        card = cards.dsl_request_card(stored(state))
        return {a.get("data", {}).get("action") or "resolve" for a in card.get("actions", [])}

    for state in machine.PHASES:
        assert actions(state) == {t for t in machine.ANSWERS if machine.may(stored(state), t)}, state


def test_statuses_and_labels() -> None:
    assert machine.STATUSES == ("requested", "acknowledged", "calling", "resolved", "undeliverable")
    assert machine.OPEN_STATUSES == ("requested", "acknowledged", "calling")
    assert [machine.status_label(s) for s in machine.STATUSES] == [
        "Waiting for a DSL", "Acknowledged", "Calling back", "Resolved", "Could not be delivered"]
    assert machine.status_label("requested", "mash") == "Sent to MASH"
    assert machine.status_label("acknowledged", "mash") == "Picked up by MASH"


def test_one_shared_machine_holds_no_escalation() -> None:
    step(stored("asked"), Event("acknowledge", BY_DSL), T0)
    assert machine.MACHINE.models == [] and "to_resolved" not in machine.MACHINE.events


# ---- The diagram ---------------------------------------------------------------------------------


def test_the_committed_diagram_is_current() -> None:
    committed = (ROOT / "docs" / "escalation-lifecycle.mmd").read_text(encoding="utf-8")
    assert committed == mermaid(), "regenerate: python -m bot escalation diagram --out docs/escalation-lifecycle.mmd"
    page = (ROOT / "docs" / "escalation.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{committed}```" in page, "paste docs/escalation-lifecycle.mmd into docs/escalation.md"


def test_the_diagram_shows_every_state_and_trigger() -> None:
    text = mermaid()
    for state in machine.PHASES:
        assert f" {state} " in text or f" {state}\n" in text, state
    for trigger in machine.MACHINE.events:
        assert f": {trigger} " in text, trigger


def test_the_command_prints_the_diagram_or_writes_it_where_asked(tmp_path: Path) -> None:
    printed = subprocess.run([sys.executable, "-m", "bot", "escalation", "diagram"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=True)
    assert printed.stdout == mermaid()
    out = tmp_path / "lifecycle.mmd"
    subprocess.run([sys.executable, "-m", "bot", "escalation", "diagram", "--out", str(out)], cwd=ROOT,
                   capture_output=True, text=True, timeout=60, check=True)
    assert out.read_text(encoding="utf-8") == mermaid()
