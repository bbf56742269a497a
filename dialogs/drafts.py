"""Record, correction, DSL request and MASH request drafts: typed data and their one declared lifecycle.

A draft is filled in one field at a time, checked on a summary, then saved (a record) or sent (a
request). The lifecycle is the table below, run by one shared `transitions` machine built at import
and fired with `MACHINE.events[event].trigger(draft)`; `step` is the pure way to move a draft.
Guards are named in the table and are methods of the draft. The diagram (docs/drafts-lifecycle.mmd)
is generated from the same table: `python -m bot drafts diagram`.

Stored conversation state keeps the shape earlier releases wrote (`status` draft / review / filing /
failed / filed, with `editing` and `picking`), so a draft saved mid-form yesterday continues today,
and during a rolling deploy a worker of the previous release still reads what this one wrote.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Mapping

from transitions import Machine
from transitions.core import MachineError

from dialogs import forms, identifiers

# The machine must never chat in the logs (transitions logs every transition at INFO).
logging.getLogger("transitions").setLevel(logging.WARNING)

FILLING = "filling"
CHANGING = "changing"
CONFIRMING = "confirming"
CHOOSING_CHANGE = "choosing_change"
WARNED = "warned"
SAVING = "saving"
KEPT_UNSAVED = "kept_unsaved"
SAVED = "saved"
SENDING = "sending"
SENT = "sent"
NOT_SENT = "not_sent"
CANCELLED = "cancelled"
# Every state, with what the practitioner sees there (the diagram shows these words).
STATE_NOTES = {
    FILLING: "asking the next field",
    CHANGING: "asking one answered field again (Edit)",
    CONFIRMING: "the summary: confirm, edit or cancel",
    CHOOSING_CHANGE: "the Edit menu: which field to change",
    # Golden rule 3: seek advice without saying who the child is, where possible.
    WARNED: "a request that looks identifying: edit, send anyway or cancel",
    SAVING: "a record handed to the store, its answer not back yet",
    # Never dropped by moving on: kept until saved or discarded.
    KEPT_UNSAVED: "the store failed: kept here, Retry or Discard",
    SAVED: "filed (Correct starts a correction)",
    SENDING: "a request handed on for delivery",
    SENT: "delivered",
    NOT_SENT: "not delivered: the practitioner is told whom to phone",
    CANCELLED: "nothing saved or sent",
}
STATES = tuple(STATE_NOTES)
# A draft in one of these is over: the conversation lets it go (a saved record stays, for Correct).
CLOSED = frozenset({SENT, NOT_SENT, CANCELLED})
_ASKING = [FILLING, CHANGING]
_CHECKING = [CONFIRMING, CHOOSING_CHANGE, WARNED]
_OPEN = _ASKING + _CHECKING

# The lifecycle: trigger, from, to, guards (conditions / unless) and what the move changes (before /
# after), all named. Where one trigger has several rows from a state, the first whose guards hold wins.
TRANSITIONS: tuple[dict[str, Any], ...] = (
    {"trigger": "answer", "source": _ASKING, "dest": CONFIRMING, "conditions": "complete"},
    {"trigger": "answer", "source": _ASKING, "dest": FILLING},
    # Nothing left to ask (e.g. a draft from before a field was dropped) shows its summary; a field
    # being changed that the form no longer has goes back to filling in.
    {"trigger": "review", "source": _ASKING, "dest": CONFIRMING, "conditions": "complete"},
    {"trigger": "review", "source": CHANGING, "dest": FILLING},
    {"trigger": "edit", "source": _OPEN, "dest": CHOOSING_CHANGE},
    {"trigger": "edit_field", "source": _OPEN, "dest": CHANGING, "conditions": "has_answer", "after": "start_change"},
    {"trigger": "back", "source": CHOOSING_CHANGE, "dest": CONFIRMING},
    {"trigger": "back", "source": CHANGING, "dest": FILLING},
    {"trigger": "back", "source": [FILLING, CONFIRMING, WARNED], "dest": FILLING, "conditions": "has_answers",
     "before": "drop_last_answer"},
    {"trigger": "back", "source": [FILLING, CONFIRMING, WARNED], "dest": CANCELLED},
    # A request: what looks identifying is shown before anything is sent (golden rule 3).
    {"trigger": "confirm", "source": _CHECKING + [SENDING], "dest": WARNED,
     "conditions": ["is_request", "identifiers_not_accepted"], "after": "note_warning"},
    {"trigger": "confirm", "source": _CHECKING + [SENDING], "dest": SENDING, "conditions": "is_request"},
    {"trigger": "send_anyway", "source": _CHECKING + [SENDING], "dest": SENDING,
     "conditions": ["is_request", "was_warned", "warned_of_these"], "before": "accept_identifiers"},
    # Edited since the warning, and something new looks identifying: warned again.
    {"trigger": "send_anyway", "source": _CHECKING + [SENDING], "dest": WARNED,
     "conditions": ["is_request", "was_warned"], "after": "note_warning"},
    {"trigger": "interrupted", "source": SENDING, "dest": CONFIRMING},
    {"trigger": "delivered", "source": SENDING, "dest": SENT},
    {"trigger": "not_delivered", "source": SENDING, "dest": NOT_SENT},
    # A record: the same key on every try, so a double tap or a retry files it once.
    {"trigger": "confirm", "source": [CONFIRMING, CHOOSING_CHANGE, KEPT_UNSAVED, SAVING], "dest": SAVING,
     "conditions": "is_record"},
    {"trigger": "retry", "source": [KEPT_UNSAVED, SAVING], "dest": SAVING},
    {"trigger": "filed", "source": SAVING, "dest": SAVED, "after": "note_reference"},
    {"trigger": "store_failed", "source": SAVING, "dest": KEPT_UNSAVED},
    {"trigger": "not_theirs", "source": SAVING, "dest": CANCELLED},  # a correction of someone else's record
    {"trigger": "cancel", "source": _OPEN + [SAVING, KEPT_UNSAVED, SENDING], "dest": CANCELLED},
)

# What entering or leaving a state changes, named (not on_enter_<state> methods).
STATE_CALLBACKS: Mapping[str, Mapping[str, str]] = {CHANGING: {"on_exit": "stop_change"}}

# One machine for every draft of every conversation; a draft is only its state and answers.
MACHINE = Machine(model=None, states=[{"name": s, **STATE_CALLBACKS.get(s, {})} for s in STATES],
                  transitions=[dict(t) for t in TRANSITIONS], initial=FILLING, auto_transitions=False)


def step(draft: "Draft", event: str, *args: Any) -> "Draft | None":
    """The draft after `event` (a new object), or None when its lifecycle does not allow that now."""
    moved = draft.copy()
    try:
        return moved if MACHINE.events[event].trigger(moved, *args) else None
    except MachineError:  # no such move from this state
        return None


def allows(draft: "Draft", event: str) -> bool:
    """Whether the table has `event` from the draft's state (before its guards are asked)."""
    return draft.state in MACHINE.events[event].transitions


# ---- The drafts -------------------------------------------------------------------------------


@dataclass
class Draft:
    """What every form in progress holds."""

    no: int = 0
    # Random (from the edge): the effect key, so a retry files or sends once and a key never repeats.
    id: str = ""
    state: str = FILLING
    fields: dict[str, str] = field(default_factory=dict)
    consent: dict[str, str] = field(default_factory=dict)
    # The field being changed (CHANGING).
    editing: str | None = None
    # The field whose question says how to type a command word as text (a word was just taken as one).
    text_tip: str = ""
    # Keys another release wrote that this one does not know: kept, and written back as they were.
    extra: dict[str, Any] = field(default_factory=dict)
    # The form's fields for this conversation's pack (a pack may add record fields); not stored.
    spec: forms.Form | None = field(default=None, repr=False, compare=False)

    form: ClassVar[str] = ""

    @property
    def form_spec(self) -> forms.Form:
        """The form this draft fills in."""
        return self.spec or forms.FORMS[self.form]

    def copy(self) -> "Draft":
        """A copy whose answers can change without changing this one."""
        # A shallow copy of every attribute, then new answer dicts: what dataclasses.replace gives,
        # without running __init__ again (a draft is copied on every lifecycle move).
        moved = object.__new__(type(self))
        moved.__dict__.update(self.__dict__)
        moved.fields, moved.consent, moved.extra = dict(self.fields), dict(self.consent), dict(self.extra)
        return moved

    def next_field(self) -> forms.Field | None:
        """The field to ask now (the one being changed, else the next unanswered), if any."""
        if self.state == CHANGING:
            return self.form_spec.field(self.editing or "")
        return self.form_spec.next_field(self) if self.state == FILLING else None

    # Where the draft is, for the engine (derived from the states, never a status string).
    @property
    def asking(self) -> bool:
        """A field is being asked."""
        return self.state in _ASKING

    @property
    def open(self) -> bool:
        """Still being filled in or checked (not yet confirmed)."""
        return self.state in _OPEN

    @property
    def picking(self) -> bool:
        """The Edit menu is shown."""
        return self.state == CHOOSING_CHANGE

    @property
    def in_flight(self) -> bool:
        """Handed to the store or the edge; its answer not back yet."""
        return self.state in (SAVING, SENDING)

    @property
    def unsaved(self) -> bool:
        """A confirmed record the store has not taken (failed, or a crash mid-filing)."""
        return self.state in (SAVING, KEPT_UNSAVED)

    @property
    def failed(self) -> bool:
        """The store failed: kept until saved or discarded."""
        return self.state == KEPT_UNSAVED

    @property
    def saved(self) -> bool:
        """Filed in the records store."""
        return self.state == SAVED

    @property
    def showing_warning(self) -> bool:
        """A request's identifier warning is what the practitioner sees now."""
        return self.state == WARNED

    @property
    def closed(self) -> bool:
        """Over: cancelled, sent or not sent (the conversation lets it go)."""
        return self.state in CLOSED

    # Guards named in TRANSITIONS.
    def is_record(self) -> bool:
        """A decision record or its correction."""
        return isinstance(self, RecordDraft)

    def is_request(self) -> bool:
        """A request to the DSL or to MASH."""
        return isinstance(self, Request)

    def complete(self) -> bool:
        """Every field that applies is answered."""
        return self.form_spec.next_field(self) is None

    def has_answers(self) -> bool:
        """At least one field is answered (Back removes the last)."""
        return bool(self.fields)

    def has_answer(self, name: str) -> bool:
        """The field exists and is answered (only those can be changed)."""
        return name in self.fields and self.form_spec.field(name) is not None

    # What a move changes, named in TRANSITIONS.
    def start_change(self, name: str) -> None:
        """Ask this answered field again."""
        self.editing = name

    def stop_change(self, *_: Any) -> None:
        """No field is being changed."""
        self.editing = None

    def drop_last_answer(self) -> None:
        """Back: forget the last answer given."""
        self.fields.pop(next(reversed(self.fields)))

    def keep(self, f: forms.Field, value: str) -> None:
        """Keep an answer; drop answers to fields that no longer apply."""
        self.fields[f.name] = value
        self.form_spec.prune(self)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (the shape earlier releases wrote and read)."""
        status, picking = _STORED[self.state]
        out: dict[str, Any] = {**self.extra, "no": self.no, "status": status, "fields": dict(self.fields),
                               "consent": dict(self.consent), "editing": self.editing, "picking": picking}
        if self.is_request():
            out["form"] = self.form
        if self.state == WARNED:
            out["warned"] = True
        if self.id:
            out["id"] = self.id
        if self.text_tip:
            out["text_tip"] = self.text_tip
        for name in _own_keys(type(self)):
            value = getattr(self, name)
            if name not in _OPTIONAL or value:
                out[name] = _copy(value)
        return out


@dataclass
class RecordDraft(Draft):
    """A decision record being filled in (golden rule 7)."""

    decision: str = ""
    decided_at: str = ""
    # The basis the outcome names when the form need not ask, and the one it offers first.
    lawful_basis_known: str = ""
    lawful_basis_suggested: str = ""
    threshold: str = ""
    corrects: str | None = None
    reference: str | None = None

    form: ClassVar[str] = "record"

    def note_reference(self, reference: str) -> None:
        """Filed: the store's reference."""
        self.reference = reference


@dataclass
class CorrectionDraft(RecordDraft):
    """A new record that corrects one already filed (its answers and outcome are kept)."""

    # The outcome of the record it corrects (not this conversation's).
    outcome_title: str = ""

    @classmethod
    def of(cls, saved: RecordDraft, no: int, id: str) -> "CorrectionDraft":
        """The correction of a record just saved here: its answers, to change and give a reason for."""
        values = {f.name: _copy(getattr(saved, f.name)) for f in fields(saved) if f.name != "spec"}
        values.update(no=no, id=id, state=FILLING, editing=None, text_tip="", corrects=saved.reference, reference=None)
        return cls(**values, spec=saved.spec)


@dataclass
class Request(Draft):
    """A request for advice, with an anonymised summary of the dialog so far."""

    summary: dict[str, Any] = field(default_factory=dict)
    # Digests of the identifiers last warned about, and of those the practitioner chose to send.
    identifier_warning: str = ""
    identifier_kinds: list[str] = field(default_factory=list)
    identifiers_overridden: str = ""

    def findings(self) -> list[tuple[forms.Field, list[identifiers.Finding]]]:
        """The typed answers about the child that look identifying, field by field."""
        out = []
        for f in self.form_spec.asked_fields(self):
            value = self.fields.get(f.name, "")
            if not f.takes_text or not f.about_child or value in {c.value for c in f.choices}:
                continue  # a button's answer, or the practitioner's own name and number: theirs to give
            found = identifiers.find(value)
            if found:
                out.append((f, found))
        return out

    def identifiers_not_accepted(self) -> bool:
        """Something looks identifying that the practitioner has not chosen to send."""
        found = self.findings()
        return bool(found) and self.identifiers_overridden != _digest(found)

    def was_warned(self) -> bool:
        """The identifier warning was shown for this request."""
        return bool(self.identifier_warning)

    def warned_of_these(self) -> bool:
        """Nothing identifying was added since the warning."""
        found = self.findings()
        return not found or _digest(found) == self.identifier_warning

    def note_warning(self) -> None:
        """Remember what the warning was about (kinds only go on the request, never the words)."""
        found = self.findings()
        self.identifier_warning = _digest(found)
        self.identifier_kinds = sorted({x.kind for _, xs in found for x in xs})

    def accept_identifiers(self) -> None:
        """Send anyway: the practitioner chose to send what they were warned about."""
        self.identifiers_overridden = self.identifier_warning

    def accepted(self) -> bool:
        """Sent although it looks identifying (the request and the record say the warning was overridden)."""
        found = self.findings()
        return bool(found) and self.identifiers_overridden == _digest(found)


@dataclass
class DslRequest(Request):
    """Ask my DSL."""

    form: ClassVar[str] = "dsl"


@dataclass
class MashRequest(Request):
    """A MASH professional consultation hand-off."""

    form: ClassVar[str] = "mash"


def _digest(found: list[tuple[forms.Field, list[identifiers.Finding]]]) -> str:
    """Which identifiers were warned about or sent: a new one after an edit is warned about again."""
    text = "\n".join(f"{f.name}:{x.kind}:{x.text}" for f, xs in found for x in xs)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


# ---- Stored form ----------------------------------------------------------------------------------

# state -> (stored status, picking). CHANGING is "draft" with `editing` set; WARNED is "review" with
# `warned` (earlier releases, which know no `warned`, show it as the summary it also is).
_STORED = {
    FILLING: ("draft", False), CHANGING: ("draft", False), CONFIRMING: ("review", False),
    CHOOSING_CHANGE: ("review", True), WARNED: ("review", False), SAVING: ("filing", False),
    SENDING: ("filing", False), KEPT_UNSAVED: ("failed", False), SAVED: ("filed", False),
    SENT: ("sent", False), NOT_SENT: ("not_sent", False), CANCELLED: ("cancelled", False),
}
_BASE_KEYS = frozenset({"no", "id", "state", "fields", "consent", "editing", "text_tip", "extra"})
# Written only when set, as earlier releases did.
_OPTIONAL = frozenset({"outcome_title", "identifier_warning", "identifier_kinds", "identifiers_overridden"})
_KINDS = {"record": RecordDraft, "dsl": DslRequest, "mash": MashRequest}


def _state(data: Mapping[str, Any], record: bool) -> str:
    status = data.get("status")
    if status == "draft":
        return CHANGING if data.get("editing") else FILLING
    if status == "review":
        return CHOOSING_CHANGE if data.get("picking") else WARNED if data.get("warned") else CONFIRMING
    if status == "filing":
        return SAVING if record else SENDING
    return {"failed": KEPT_UNSAVED, "filed": SAVED, "sent": SENT, "not_sent": NOT_SENT,
            "cancelled": CANCELLED}.get(str(status), FILLING)


def load(data: Mapping[str, Any], form_specs: Mapping[str, forms.Form] | None = None) -> Draft:
    """A draft from its stored form (any release's); `form_specs` are the pack's forms."""
    form = str(data.get("form") or "record")  # record drafts were stored without a form name
    cls = _KINDS.get(form, RecordDraft)
    if cls is RecordDraft and data.get("corrects"):
        cls = CorrectionDraft
    known = _stored_keys(cls)
    values = {k: _copy(v) for k, v in data.items() if k in known}
    extra = {k: _copy(v) for k, v in data.items() if k not in known and k not in _DERIVED}
    values["fields"] = {str(k): v for k, v in (values.get("fields") or {}).items()}
    values["consent"] = dict(values.get("consent") or {})
    draft = cls(**values, state=_state(data, issubclass(cls, RecordDraft)), extra=extra)
    draft.spec = (form_specs or forms.FORMS).get(form)
    if draft.state != CHANGING:
        draft.editing = None
    return draft


# Stored keys that are not attributes: the state is rebuilt from them; `form` from the class.
_DERIVED = frozenset({"status", "picking", "warned", "form"})


@functools.cache
def _stored_keys(cls: type[Draft]) -> frozenset[str]:
    """The stored keys a kind of draft reads into its attributes."""
    return frozenset(f.name for f in fields(cls)) - {"state", "extra", "spec"}


@functools.cache
def _own_keys(cls: type[Draft]) -> tuple[str, ...]:
    """The attributes of a kind of draft beyond what every draft has, in declaration order."""
    return tuple(f.name for f in fields(cls) if f.name not in _BASE_KEYS and f.name != "spec")


def _copy(value: Any) -> Any:
    if type(value) is str:  # most of a stored draft, read every turn: nothing to copy
        return value
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# ---- The diagram ----------------------------------------------------------------------------------


def _names(t: Mapping[str, Any], key: str) -> list[str]:
    value = t.get(key) or []
    return [value] if isinstance(value, str) else list(value)


def _label(t: Mapping[str, Any]) -> str:
    """'record: confirm [guard, not other] / callback' for one row of the table."""
    conditions = _names(t, "conditions")
    who = "record: " if "is_record" in conditions else "request: " if "is_request" in conditions else ""
    guards = [g for g in conditions if g not in ("is_record", "is_request")] + [f"not {g}" for g in _names(t, "unless")]
    moves = _names(t, "before") + _names(t, "after")
    return (who + t["trigger"] + (f" [{', '.join(guards)}]" if guards else "")
            + (f" / {', '.join(moves)}" if moves else ""))


def mermaid() -> str:
    """The drafts' lifecycle as a Mermaid state diagram (deterministic; committed, checked by a test)."""
    lines = ["%% The drafts lifecycle (dialogs/drafts.py): generated by `python -m bot drafts diagram`; do not edit",
             "stateDiagram-v2"]
    lines += [f"    {state} : {note}" + "".join(f" ({when.replace('on_', 'on ')}: {name})"
                                         for when, name in STATE_CALLBACKS.get(state, {}).items())
              for state, note in STATE_NOTES.items()]
    lines.append(f"    [*] --> {FILLING} : record, correction, ask my DSL or MASH")
    edges: dict[tuple[str, str], list[str]] = {}
    for t in TRANSITIONS:
        for source in _names(t, "source"):
            edges.setdefault((source, t["dest"]), []).append(_label(t))
    lines += [f"    {source} --> {dest} : {' | '.join(labels)}" for (source, dest), labels in edges.items()]
    lines += [f"    {state} --> [*]" for state in (SAVED, SENT, NOT_SENT, CANCELLED)]
    return "\n".join(lines) + "\n"
