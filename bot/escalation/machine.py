"""The escalation lifecycle as one declared `transitions` table (diagram: docs/escalation-lifecycle.mmd).

A DSL request is sent, waits for a DSL, re-pings the DSLs and deputies, then tells the practitioner
who to phone instead; a MASH hand-off waits for MASH while any destination that failed is retried.
Either is answered (acknowledged, calling back, resolved) or could not be delivered. Statuses, the
moves each button may make and the words cards and the DSL tab show are all read from this table.

`step(escalation, event, now)` is pure: it returns the escalation as it should now be and the
actions to carry out (bot/escalation/actions.py does the I/O). One shared machine, built at import,
moves a small per-step model; nothing here sends, stores or sleeps.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Sequence

from transitions import Machine, State
from transitions.core import MachineError

from state.records_chain import format_utc, parse_created_at

logging.getLogger("transitions").setLevel(logging.WARNING)

# What a stored escalation's `status` may be is the `status` column below; a delivery (one send to
# one person or MASH destination) has its own small status, read by the guards.
SENT, RETRYING, FAILED, SUPERSEDED = "sent", "retrying", "failed", "superseded"


class Phase(State):
    """A state of the lifecycle and how it is stored and shown."""

    def __init__(self, name: str, *, status: str, label: str, about: str, mash_label: str = "",
                 stage: int | None = None, kinds: Sequence[str] = ("dsl", "mash"), final: bool = False,
                 by_system: bool = False, advice_given: bool = False, follow_up: str = "",
                 responder_follow_up: str = "", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.about = about  # a few words for the diagram
        self.status = status  # the stored `status` (documents already stored keep working)
        # The stored `stage` while nobody has answered (0 asked, 1 re-pinged, 2 told); None after.
        self.stage = stage
        self.label = label
        self.mash_label = mash_label or label
        self.kinds = tuple(kinds)
        self.final = final
        self.by_system = by_system  # ShareSafe made this move, not a person
        self.advice_given = advice_given  # closed with advice the practitioner must record (rule 7)
        # A line under the status, to the practitioner and to the DSL or MASH ("{who}" is who acted).
        self.follow_up = follow_up
        self.responder_follow_up = responder_follow_up

    @property
    def waiting(self) -> bool:
        """Nobody has answered yet: the request or hand-off is still out."""
        return self.stage is not None


class _LifecycleMachine(Machine):
    state_cls = Phase


STATES: tuple[dict[str, Any], ...] = (
    {"name": "sending", "status": "requested", "stage": 0, "kinds": ("dsl",), "label": "Waiting for a DSL",
     "about": "a DSL request, first send"},
    {"name": "asked", "status": "requested", "stage": 0, "kinds": ("dsl",), "label": "Waiting for a DSL",
     "about": "sent, waiting for a DSL"},
    {"name": "reminded", "status": "requested", "stage": 1, "kinds": ("dsl",), "label": "Waiting for a DSL",
     "about": "re-pinged to DSLs and deputies"},
    {"name": "overdue", "status": "requested", "stage": 2, "kinds": ("dsl",), "label": "Waiting for a DSL",
     "about": "practitioner told who to phone"},
    {"name": "with_mash", "status": "requested", "stage": 0, "kinds": ("mash",), "label": "Sent to MASH",
     "about": "a MASH hand-off, call-back due"},
    {"name": "acknowledged", "status": "acknowledged", "label": "Acknowledged", "mash_label": "Picked up by MASH",
     "about": "a DSL or MASH has it", "follow_up": "{who} will be in touch.",
     "responder_follow_up": "{who} has it. You can still call them or mark it resolved."},
    {"name": "calling", "status": "calling", "label": "Calling back", "about": "they will phone the practitioner"},
    {"name": "resolved", "status": "resolved", "label": "Resolved", "final": True, "advice_given": True,
     "about": "advice given, decision to record"},
    {"name": "undeliverable", "status": "undeliverable", "label": "Could not be delivered", "final": True,
     "by_system": True, "about": "nobody reached, practitioner told who to phone"},
)
# A DSL request waiting for an answer, in any of its four states (one box in the diagram).
WAITING_FOR_A_DSL = ["sending", "asked", "reminded", "overdue"]
GROUPS = {"waiting_for_a_dsl": WAITING_FOR_A_DSL}
_WAITING = [*WAITING_FOR_A_DSL, "with_mash"]
_MASH = ["with_mash", "acknowledged", "calling", "resolved"]

# Read top to bottom: for one trigger from one state, the first row whose guards pass is taken.
# A row with dest None changes no state (the request keeps waiting; only its schedule moves).
TRANSITIONS: tuple[dict[str, Any], ...] = (
    # The first send, in the practitioner's turn or (after a worker stopped mid-send) from the job.
    {"trigger": "first_send", "source": "sending", "dest": "asked", "conditions": "someone_has_it",
     "after": "save_schedule"},
    {"trigger": "first_send", "source": "sending", "dest": "undeliverable", "conditions": "in_turn",
     "after": "give_up"},  # the practitioner is told in the reply to their own turn
    {"trigger": "first_send", "source": "sending", "dest": "undeliverable", "after": ["tell_unreachable", "give_up"]},
    # Nobody acknowledged in time: ask every DSL and deputy again; then tell the practitioner to phone.
    {"trigger": "ping_due", "source": "asked", "dest": "reminded", "after": "ask_again"},
    {"trigger": "ping_due", "source": "reminded", "dest": "overdue", "conditions": "someone_has_seen_it",
     "after": ["stop_pinging", "tell_no_answer"]},
    {"trigger": "ping_due", "source": "reminded", "dest": "overdue", "after": ["stop_pinging", "tell_unreachable"]},
    # After the background tries and any re-ping: keep waiting while a send got through or is retrying.
    {"trigger": "tried", "source": ["asked", "reminded", "overdue"], "dest": None, "conditions": "someone_has_it",
     "after": "save_schedule"},
    {"trigger": "tried", "source": ["asked", "reminded", "overdue"], "dest": "undeliverable",
     "after": ["tell_unreachable", "give_up"]},
    # MASH: the hand-off reached MASH one way; the other is retried from the job with backoff.
    {"trigger": "handed_off", "source": "with_mash", "dest": None, "conditions": "someone_has_it",
     "after": "retry_failed_later"},
    {"trigger": "handed_off", "source": "with_mash", "dest": "undeliverable", "after": "give_up"},
    {"trigger": "mash_tried", "source": _MASH, "dest": None, "conditions": "delivered", "after": "note_delivered"},
    {"trigger": "mash_tried", "source": _MASH, "dest": None, "conditions": "tries_left", "after": "retry_later"},
    {"trigger": "mash_tried", "source": _MASH, "dest": None, "after": "stop_trying"},
    # A DSL's (or MASH's) buttons: the first to acknowledge wins, and a resolved request stays resolved.
    {"trigger": "acknowledge", "source": _WAITING, "dest": "acknowledged", "after": "tell_answer"},
    {"trigger": "calling", "source": [*_WAITING, "acknowledged"], "dest": "calling", "after": "tell_answer"},
    {"trigger": "resolve", "source": [*_WAITING, "acknowledged", "calling"], "dest": "resolved",
     "after": "tell_answer"},
)
# The triggers a person fires from a card's buttons (the card's "action" is the trigger's name).
ANSWERS = ("acknowledge", "calling", "resolve")

MACHINE = _LifecycleMachine(model=None, states=[dict(s) for s in STATES], transitions=[dict(t) for t in TRANSITIONS],
                            initial=None, auto_transitions=False)
PHASES: dict[str, Phase] = {name: MACHINE.get_state(name) for name in MACHINE.states}


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


STATUSES = _unique([p.status for p in PHASES.values()])
OPEN_STATUSES = _unique([p.status for p in PHASES.values() if not p.final])
WAITING_STATUS = PHASES["asked"].status


@functools.cache
def allowed_from(trigger: str) -> tuple[str, ...]:
    """The stored statuses a trigger may move an escalation from (the store checks it atomically)."""
    return _unique([PHASES[t.source].status for t in MACHINE.get_transitions(trigger=trigger) if t.dest])


@functools.cache
def answer_status(trigger: str) -> str | None:
    """The status a button's trigger moves to, or None for a trigger that is not a button."""
    if trigger not in ANSWERS:
        return None
    return PHASES[MACHINE.get_transitions(trigger=trigger)[0].dest].status


def status_label(status: str, kind: str = "dsl") -> str:
    """The words for a stored status, as cards, history and the DSL tab show them."""
    for phase in PHASES.values():
        if phase.status == status and kind in phase.kinds:
            return phase.mash_label if kind == "mash" else phase.label
    return status


def phase_of(escalation: Mapping[str, Any]) -> str:
    """The lifecycle state of a stored escalation (status, stage and first-send flag as stored)."""
    status = str(escalation.get("status") or WAITING_STATUS)
    if status != WAITING_STATUS:
        return status
    if escalation.get("kind") == "mash":
        return "with_mash"
    if not escalation.get("initial_done"):
        return "sending"
    stage = int(escalation.get("stage") or 0)
    return "asked" if stage <= 0 else "reminded" if stage == 1 else "overdue"


def phase(escalation: Mapping[str, Any]) -> Phase:
    """The lifecycle state of a stored escalation, with its words and flags (an unknown stored
    status reads as still waiting: no card claims that someone acted on it)."""
    return PHASES.get(phase_of(escalation)) or PHASES["asked"]


def may(escalation: Mapping[str, Any], trigger: str, **data: Any) -> bool:
    """Whether `trigger` is allowed now (transitions' `may_<trigger>` for a model it does not hold)."""
    if trigger not in MACHINE.events:
        return False
    run = _Run(dict(escalation), phase_of(escalation), Event(trigger, data), _EPOCH, Timing())
    return MACHINE._can_trigger(run, trigger)  # what `may_<trigger>` calls on a model the machine holds


# ---- Events and actions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """Something that happened: a trigger and what the guards and callbacks need to know."""

    trigger: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Timing:
    """The waits the lifecycle schedules with (from EscalationSettings)."""

    period: timedelta = timedelta(minutes=15)
    urgent_period: timedelta = timedelta(minutes=5)
    retry_delays: tuple[float, ...] = (30.0, 60.0, 120.0, 300.0)


@dataclass(frozen=True)
class Save:
    """Write the re-ping stage, the next due time (None: nothing more is due) and these fields."""

    stage: int
    due_at: datetime | None
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Move:
    """Change the stored status, if it is still one of `allowed_from` (else someone got there first)."""

    status: str
    by: str
    name: str
    note: str
    allowed_from: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """Queue a durable notice to the practitioner: "unreachable", "no_answer" or "update" (of `status`)."""

    notice: str
    status: str = ""


@dataclass(frozen=True)
class AskAgain:
    """Send the reminder card to every DSL and deputy of the organisation (re-ping `stage`)."""

    stage: int


@dataclass(frozen=True)
class TellPractitioner:
    """Tell the practitioner who answered and how (queue it as a notice if it does not go)."""

    status: str


@dataclass(frozen=True)
class UpdateCards:
    """Show the new status on every copy of the request's card, and on the practitioner's."""


@dataclass(frozen=True)
class TellOtherDsls:
    """Tell the other DSLs and deputies who took it, so a second one does not phone the practitioner."""

    status: str


@dataclass(frozen=True)
class RetryJob:
    """Try a MASH destination again from the job at `at` (`attempt` counts the background tries)."""

    to: str
    at: datetime
    attempt: int


@dataclass(frozen=True)
class StopJob:
    """The job is done: delivered, or given up after the last try."""

    to: str


class Refused(Exception):
    """The move is not allowed from where the escalation is (the message says why, in plain words)."""

    def __init__(self, escalation: Mapping[str, Any], trigger: str) -> None:
        phase = PHASES.get(phase_of(escalation))
        where = phase.label if phase else str(escalation.get("status"))
        super().__init__(f"{escalation.get('id', 'This request')}: '{trigger}' is not possible now ({where})")
        self.escalation = escalation
        self.trigger = trigger
        self.phase = phase.name if phase else ""


def step(escalation: Mapping[str, Any], event: Event, now: datetime,
         timing: Timing = Timing()) -> tuple[dict[str, Any], list[Any]]:
    """The escalation after `event` and the actions to carry out; raises Refused for a move the table
    does not allow from where it is. Pure: the escalation given is not changed."""
    doc = _copy(escalation)
    run = _Run(doc, phase_of(escalation), event, now, timing)
    if event.trigger not in MACHINE.events:
        raise Refused(escalation, event.trigger)
    try:
        moved = MACHINE.events[event.trigger].trigger(run)
    except MachineError:
        moved = False
    if not moved:
        raise Refused(escalation, event.trigger)
    # The stored fields the state is read from (status, stage, first-send flag) follow the state.
    phase = PHASES[run.state]
    run.doc["status"] = phase.status
    if phase.stage is not None and phase.status == WAITING_STATUS:
        run.doc["stage"] = phase.stage
        if run.doc.get("kind") != "mash" and run.state != "sending":
            run.doc["initial_done"] = True
    return run.doc, run.actions


def _copy(escalation: Mapping[str, Any]) -> dict[str, Any]:
    doc = dict(escalation)
    doc["deliveries"] = [dict(d) for d in escalation.get("deliveries") or []]
    doc["history"] = [dict(h) for h in escalation.get("history") or []]
    return doc


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def iso(moment: datetime | None) -> str | None:
    """UTC ISO-8601 with microseconds and Z, as escalation fields store times."""
    return format_utc(moment) if moment is not None else None


def parse(value: str | None) -> datetime | None:
    """A stored time back as a datetime (None stays None)."""
    return parse_created_at(value) if value else None


def someone_has_it(deliveries: Sequence[Mapping[str, Any]]) -> bool:
    """True while a send got through or is still being retried."""
    return any(d.get("status") in (SENT, RETRYING) for d in deliveries)


def reached(deliveries: Sequence[Mapping[str, Any]], role: str | None = None) -> bool:
    """True when any send (of that role: dsl, deputy, mash) got through."""
    return any(d.get("status") == SENT and (role is None or d.get("role") == role) for d in deliveries)


def next_due(ping_due: datetime | None, deliveries: Sequence[Mapping[str, Any]]) -> datetime | None:
    """When the job must look at a waiting request again: the re-ping or the soonest retry."""
    times = [t for t in [ping_due] + [parse(d.get("next_try")) for d in deliveries if d.get("status") == RETRYING]
             if t is not None]
    return min(times) if times else None


def after_background_try(delivery: dict[str, Any], error: str | None, now: datetime,
                         retry_delays: Sequence[float]) -> None:
    """A DSL send retried from the job: sent, due again after the next wait, or failed for good."""
    if error is None:
        delivery.update(status=SENT, next_try=None, error="", sent_at=iso(now))
        return
    delivery["error"] = error
    tries = int(delivery.get("background_tries", 0))
    if tries < len(retry_delays):
        delivery["next_try"] = iso(now + timedelta(seconds=retry_delays[tries]))
    else:
        delivery.update(status=FAILED, next_try=None)


class _Run:
    """The model the shared machine moves for one step: guards and callbacks named in TRANSITIONS."""

    def __init__(self, doc: dict[str, Any], state: str, event: Event, now: datetime, timing: Timing) -> None:
        self.doc, self.state, self.event, self.now, self.timing = doc, state, event, now, timing
        self.actions: list[Any] = []
        if "deliveries" in event.data:
            self.doc["deliveries"] = [dict(d) for d in event.data["deliveries"]]

    # ---- guards

    def someone_has_it(self) -> bool:
        """A send got through or is still being retried."""
        return someone_has_it(self.doc.get("deliveries") or [])

    def someone_has_seen_it(self) -> bool:
        """A send got through (so "nobody has answered" is true, not "we could not reach them")."""
        return reached(self.doc.get("deliveries") or [])

    def in_turn(self) -> bool:
        """The practitioner is still in the turn that asked (they are told in its reply)."""
        return bool(self.event.data.get("in_turn"))

    def delivered(self) -> bool:
        """The background try got through."""
        return not self.event.data.get("error")

    def tries_left(self) -> bool:
        """Another background try is due after this one failed."""
        return int(self.event.data.get("attempt", 1)) < len(self.timing.retry_delays)

    # ---- callbacks

    def _period(self) -> timedelta:
        seconds = self.doc.get("period_seconds")
        if seconds:
            return timedelta(seconds=float(seconds))
        return self.timing.urgent_period if self.doc.get("urgent") else self.timing.period

    def _phase(self) -> Phase:
        return PHASES[self.state]

    def _save(self, due_at: datetime | None, **fields: Any) -> None:
        phase = self._phase()
        stage = phase.stage if phase.stage is not None else int(self.doc.get("stage") or 0)
        self.doc["stage"] = stage
        fields["deliveries"] = self.doc["deliveries"]
        if self.doc.get("kind") != "mash":
            fields["ping_due_at"] = self.doc.get("ping_due_at")
        self.doc.update(fields)
        self.doc["due_at"] = iso(due_at) if phase.status == WAITING_STATUS else None
        self.actions.append(Save(stage, due_at, fields))

    def _move(self, by: str = "sharesafe", name: str = "ShareSafe", note: str = "") -> None:
        phase = self._phase()
        self.doc["status"] = phase.status
        self.doc["history"].append({"status": phase.status, "by": by, "name": name, "at": iso(self.now), "note": note})
        self.doc["updated_at"] = iso(self.now)
        self.doc["due_at"] = None
        self.actions.append(Move(phase.status, by, name, note, allowed_from(self.event.trigger)))

    def save_schedule(self) -> None:
        """Record the sends and when the job looks again (the re-ping, or the soonest retry)."""
        self._save(next_due(parse(self.doc.get("ping_due_at")), self.doc["deliveries"]), initial_done=True)

    def give_up(self) -> None:
        """Nobody could be reached: record the sends and mark it undeliverable."""
        self._save(None, **({"initial_done": True} if self.doc.get("kind") != "mash" else {}))
        note = "MASH could not be reached" if self.doc.get("kind") == "mash" else "no DSL could be reached"
        self._move(note=note)

    def tell_unreachable(self) -> None:
        """Queue "I couldn't reach your DSL: phone ..." (first, so a worker that stops still tells them)."""
        self.actions.append(Notice("unreachable"))

    def stop_pinging(self) -> None:
        """No more re-pings: from now on the practitioner phones someone instead."""
        self.doc["ping_due_at"] = None

    def tell_no_answer(self) -> None:
        """Queue "nobody has answered yet: phone ..."."""
        self.actions.append(Notice("no_answer"))

    def ask_again(self) -> None:
        """Stop the retries of the first card and send the reminder to every DSL and deputy."""
        for delivery in self.doc["deliveries"]:
            if delivery.get("status") == RETRYING:
                delivery.update(status=SUPERSEDED, next_try=None)
        self.doc["ping_due_at"] = iso(self.now + self._period())
        self.actions.append(AskAgain(stage=int(self._phase().stage or 1)))

    def retry_failed_later(self) -> None:
        """MASH has it one way: the destinations that failed are retried from the job, durably."""
        delays = self.timing.retry_delays
        for delivery in self.doc["deliveries"]:
            if delivery.get("status") == FAILED and delays:
                delivery["status"] = RETRYING
                self.actions.append(RetryJob(str(delivery["to"]), self.now + timedelta(seconds=delays[0]), 1))
        self._save(None)

    def _delivery(self) -> dict[str, Any]:
        to = self.event.data.get("to")
        return next((d for d in self.doc["deliveries"] if d.get("to") == to), {})

    def _count_tries(self) -> dict[str, Any]:
        delivery = self._delivery()
        if delivery:
            delivery["attempts"] = int(delivery.get("attempts", 0)) + int(self.event.data.get("attempts", 1))
        return delivery

    def note_delivered(self) -> None:
        """A MASH destination got it at last."""
        self._count_tries().update(status=SENT, error="", sent_at=iso(self.now))
        self._save(None)
        self.actions.append(StopJob(str(self.event.data.get("to"))))

    def retry_later(self) -> None:
        """A MASH destination failed again: try it later, with a longer wait each time."""
        attempt = int(self.event.data.get("attempt", 1))
        self._count_tries()["error"] = str(self.event.data.get("error"))
        self._save(None)
        wait = timedelta(seconds=self.timing.retry_delays[attempt])
        self.actions.append(RetryJob(str(self.event.data.get("to")), self.now + wait, attempt + 1))

    def stop_trying(self) -> None:
        """The last try of a MASH destination failed: it is marked failed."""
        self._count_tries().update(status=FAILED, error=str(self.event.data.get("error")))
        self._save(None)
        self.actions.append(StopJob(str(self.event.data.get("to"))))

    def tell_answer(self) -> None:
        """A DSL or MASH answered: record it, tell the practitioner, update every card."""
        data = self.event.data
        self._move(by=str(data.get("by", "")), name=str(data.get("name", "")), note=str(data.get("note", "")))
        status = self._phase().status
        self.actions += [TellPractitioner(status), UpdateCards()]
        if self.doc.get("kind") != "mash":
            self.actions.append(TellOtherDsls(status))
