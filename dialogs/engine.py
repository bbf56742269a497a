"""The dialog engine: step(pack, session, input) -> (session, replies, effects). Pure: no I/O.

A conversation is only a small Session (JSON); the flowchart is the pack's one shared
`transitions` machine, fired with `machine.events[answer].trigger(cursor)`. Effects (file a
record, ask the DSL, look up records) are carried out by the edge, which reports back through
`apply(pack, session, result)` in the same turn, so the practitioner is told the truth about what
happened (for example "NOT saved") before the turn's one state write.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import abc
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from transitions.core import MachineError

from dialogs import commands, drafts, forms, identifiers, inputs, myths, uk_time
from dialogs.commands import REGISTRY
from dialogs.model import TEXT_SUBMIT, Choice, Effect, EffectResult, Reply, StepResult, UserInput
from dialogs.pack import MENU, Node, Pack

SEEN_ACTIVITIES = 20
MAX_TEXT = 2000  # a free-text answer longer than this is cut (records hold a summary, not a file)

WELCOME_CHOICES = (
    Choice("share", "Can I share this information?"),
    Choice("consent", "Do I need consent?"),
    Choice("danger", "A child is in immediate danger"),
    Choice("dsl", "Ask my DSL"),
    Choice("rules", "The seven golden rules"),
)
BACK = Choice("back", "Back")
RESTART = Choice("restart", "Start again")
WHY = Choice("why", "Why does this matter?")
RESUME = Choice("resume", "Carry on where I was")
ASK_DSL = Choice("dsl", "Ask my DSL")
MASH_CHOICE = Choice("mash", "Request MASH professional consultation")
RECORD = Choice("record", "Record this decision")
# What happened to consent, in words; `consent_label` adds the reason, and "overridden" only where a
# refusal was overridden (a share decision after a refusal or withdrawal).
CONSENT_LABELS = {
    "obtained": "Given",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
    "not_sought": "Not sought",
    "not_valid": "Not valid",
    "not_yet_sought": "Not yet sought",
    "not_needed": "Not needed",
    "not_decided": "Not decided",
}
DECISION_LABELS = {"share": "Share", "do_not_share": "Do not share", "seek_advice": "Seek advice"}


@dataclass
class Session:
    """One conversation's dialog state. Small, JSON, versioned by the store."""

    pack_id: str
    pack_version: str
    node: str = MENU
    answers: list[dict[str, str]] = field(default_factory=list)
    # The decision record (or correction) being filled in, or the one just saved (dialogs/drafts.py).
    draft: drafts.RecordDraft | None = None
    # An open request to the DSL or to MASH (a form of its own, so a record draft is not lost).
    request: drafts.Request | None = None
    filed: list[str] = field(default_factory=list)
    # The DSL requests and MASH hand-offs made for the decision in hand (cleared by Start again and
    # once a record is filed), and how each went: "sent", "pending" or "undeliverable".
    escalations: list[str] = field(default_factory=list)
    escalation_states: dict[str, str] = field(default_factory=dict)
    # Linked requests sent although they looked identifying (the record says the warning was overridden).
    identifier_overrides: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    drafts: int = 0
    requests: int = 0
    turns: int = 0
    # The buttons of the last reply shown, as [value, label]: a typed "2" means the second of these.
    shown: list[list[str]] = field(default_factory=list)
    # The last records list shown ({scope, since, page}), so that "more" shows its next page.
    listing: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the store (a copy: later changes to the session do not reach it)."""
        # dataclasses.asdict does the same but deep-copies every leaf; it was 5% of a turn's CPU.
        return {name: _stored(getattr(self, name)) for name in self.__dataclass_fields__
                if name not in _OMITTED_WHEN_EMPTY or getattr(self, name)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], form_specs: Mapping[str, forms.Form] | None = None) -> "Session":
        """Rebuild from the store's JSON (unknown keys from newer versions are ignored); `form_specs`
        are the pack's forms (a pack may add record fields)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("draft", "request"):
            if isinstance(known.get(key), abc.Mapping):  # (typing's Mapping is ten times slower here)
                known[key] = drafts.load(known[key], form_specs)
        return cls(**known)


# Rarely set fields are left out of the stored state while empty (every state stays under 2 KB).
_OMITTED_WHEN_EMPTY = frozenset({"identifier_overrides"})


def _stored(value: Any) -> Any:
    """A session field as the store keeps it."""
    return value.to_dict() if isinstance(value, drafts.Draft) else _json_copy(value)


def _json_copy(value: Any) -> Any:
    """A copy of JSON-shaped data: new dicts and lists, the same (immutable) strings and numbers."""
    if type(value) is dict:
        return {k: _json_copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_json_copy(v) for v in value]
    if type(value) is tuple:
        return tuple(_json_copy(v) for v in value)
    return value


class _Cursor:
    """The model the shared machine moves: just the current node."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


@dataclass
class _Turn:
    pack: Pack
    s: Session
    inp: UserInput
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    # What the typed message says about danger now (None for a button tap).
    alarm: Any = None
    # A typed sentence the dialog could not use (it gets the 999 line too: see _danger_reminder).
    not_understood: bool = False

    def say(self, reply: Reply) -> None:
        self.replies.append(reply)


def activity_key(activity_id: str) -> str:
    """What `seen` keeps of an activity id: a 64-bit digest (Teams ids can be 60+ characters, and
    the state of every conversation has to stay small); a clash among 20 ids is not a real risk."""
    return hashlib.blake2b(activity_id.encode("utf-8"), digest_size=8).hexdigest()


def new_session(pack: Pack) -> Session:
    """A fresh conversation on this pack."""
    return Session(pack_id=pack.id, pack_version=pack.version)


def step(pack: Pack, session: Session | Mapping[str, Any] | None, inp: UserInput) -> StepResult:
    """Run one turn: interpret the input, move through the flowchart, say what to say."""
    is_new = session is None
    if session is None:
        s = new_session(pack)
    elif isinstance(session, Session):
        s = Session.from_dict(session.to_dict(), pack.forms)
    else:
        s = Session.from_dict(session, pack.forms)
    if inp.activity_id:
        # Teams resends an activity it thinks was lost; the first delivery already answered it.
        seen_key = activity_key(inp.activity_id)
        if seen_key in s.seen or inp.activity_id in s.seen:  # (raw ids: states saved before digests)
            return StepResult(s, [], [])
        s.seen = (s.seen + [seen_key])[-SEEN_ACTIVITIES:]
    s.turns += 1
    t = _Turn(pack, s, inp)
    _adopt_pack(t)

    choice, text = inputs.submitted(inp.value)
    if choice is not None and _stale(t, choice, inp.value):
        t.say(Reply(kind="info", title="That button was on an earlier card",
                    text="I haven't used it. Here is where you are now:"))
        _present(t)
    elif choice == TEXT_SUBMIT:
        _free_text(t, text or "")
    elif choice is not None:
        _token(t, choice, is_new)
    else:
        _typed(t, inp.text or "", is_new)
    if not t.replies and not t.effects:  # every input gets an answer (effects answer via apply)
        _present(t)
    _danger_reminder(t)
    _remember_shown(t.s, t.replies)
    return StepResult(t.s, t.replies, t.effects)


def _remember_shown(s: Session, replies: list[Reply]) -> None:
    for reply in reversed(replies):
        if reply.choices:
            s.shown = [[c.value, c.label] for c in reply.choices]
            return


def apply(pack: Pack, session: Session, result: EffectResult) -> tuple[Session, list[Reply]]:
    """Tell the session what happened when the edge carried out an effect."""
    s = Session.from_dict(session.to_dict(), pack.forms)
    t = _Turn(pack, s, UserInput())
    kind = result.effect.kind
    if kind == "file_record":
        _record_result(t, result)
    elif kind in ("escalate", "handoff"):
        _escalation_result(t, result)
    elif kind == "query_records":
        _query_result(t, result)
    _remember_shown(t.s, t.replies)
    return t.s, t.replies


# ---- Interpreting input ------------------------------------------------------------------------------


def _adopt_pack(t: _Turn) -> None:
    """A conversation started under an older pack carries on only if its place still exists."""
    s, pack = t.s, t.pack
    if s.pack_id == pack.id and s.pack_version == pack.version:
        return
    still_valid = (s.node == MENU or s.node in pack.nodes) and all(a["node"] in pack.nodes for a in s.answers)
    if not still_valid and _unsaved(s):
        return  # a record that failed to file keeps its answers until it is filed or discarded
    s.pack_id, s.pack_version = pack.id, pack.version
    if not still_valid:
        s.node, s.answers = MENU, []
        if s.draft and not s.draft.saved:
            s.draft = None
        t.say(Reply(kind="info", text="The guidance has been updated, so we need to start again."))


def _active(s: Session) -> drafts.Draft | None:
    """The form being filled in: an open DSL/MASH request first, else the record draft."""
    return s.request or s.draft


def _move(t: _Turn, d: drafts.Draft, event: str, *args: Any) -> bool:
    """Fire a lifecycle event on a draft (dialogs/drafts.py); False, with nothing changed, when its
    lifecycle does not allow that now. A draft that is over (cancelled, sent) is let go."""
    moved = drafts.step(d, event, *args)
    if moved is None:
        return False
    kept = None if moved.closed else moved
    if d is t.s.request:
        t.s.request = kept
    else:
        t.s.draft = kept
    return True


def _stale(t: _Turn, choice: str, value: Mapping[str, Any] | None) -> bool:
    """True when a card button answers a question or form field that is no longer the one asked."""
    asked_node = value.get("node") if value else None
    asked_field = value.get("field") if value else None
    if isinstance(asked_node, str) and asked_node != t.s.node:
        node = t.pack.nodes.get(asked_node)
        return node is not None and node.answer(choice) is not None
    if isinstance(asked_field, str):
        current = _draft_field(t.s)
        if current is None or current.name != asked_field:
            form = _active(t.s)
            field = form.form_spec.field(asked_field) if form else None
            known = field is not None and (choice == TEXT_SUBMIT or choice in {c.value for c in field.choices})
            return known or form is None
    return False


def _expects_text(s: Session) -> forms.Field | None:
    """The free-text field being asked now, if any (a field with a text box)."""
    f = _draft_field(s)
    return f if f is not None and f.takes_text else None


def _draft_field(s: Session) -> forms.Field | None:
    d = _active(s)
    return d.next_field() if d else None


def _typed(t: _Turn, text: str, is_new: bool) -> None:
    text = text.strip()
    if not text:
        if is_new or t.s.node == MENU:
            _welcome(t)
        else:
            _present(t)
        return
    waiting_for_text = _expects_text(t.s)
    if _danger_first(t, text, at_field=waiting_for_text is not None):
        return
    call = REGISTRY.typed(text)
    if call is not None and call.name == "correct" and waiting_for_text is None and not _correct_offered(t.s):
        # "correct" is also a yes: with no record on screen to correct, it answers the question.
        picked = _pick(t, text)
        if picked is not None:
            _token(t, picked, is_new)
            return
    if waiting_for_text is not None:
        _text_at_field(t, waiting_for_text, text, is_new)
        return
    if call is not None and call.command.pattern is None:
        # A button on screen named with a command word ("Edit" on the identifier warning means edit
        # the note) does what tapping it does: what the practitioner sees is what the word means.
        _token(t, _pick_shown(t, text) or call.name, is_new)
        return
    if call is not None:  # typed with its argument: "open ISR-...", "my records since ..."
        _run(t, call)
        return
    picked = _pick(t, text)
    if picked is not None:
        _token(t, picked, is_new)
        return
    myth = _match_myth(t.pack, text)
    if myth is not None:
        _myth(t, myth)
        return
    t.not_understood = len(text.split()) >= _SENTENCE_WORDS and not _SAID_SAFE.search(text)
    if is_new or t.s.node == MENU:
        _welcome(t, no_answer=inputs.normalise(text) not in _SMALL_TALK)
    else:
        _present(t, unclear=True)


# A message this long that the dialog cannot use is someone describing a situation, not a mistyped
# answer: it never gets "I didn't understand" alone (the recogniser may miss how they put danger).
_SENTENCE_WORDS = 4
# ...unless it says in so many words that nobody is in danger ("it's not an emergency").
_SAID_SAFE = re.compile(r"\b(?:not|no|isn'?t|nobody is|no one is)\s+(?:in\s+)?(?:an?\s+)?(?:immediate\s+|any\s+)?"
                        r"(?:emergency|danger|risk|urgent)", re.IGNORECASE)


def _text_at_field(t: _Turn, f: forms.Field, text: str, is_new: bool = False) -> None:
    """Typed at a question with a text box: a shown choice's number or label picks it, a command acts
    (a note is never saved as "1" or "confirm"), anything else is the answer. A word in quotes, or
    after "text:", is kept as the answer whatever it is."""
    literal = inputs.literal_text(text)
    if literal is not None:
        if not literal:
            _present(t, unclear=True)
            return
        if not inputs.marked_as_text(text) and _meaning(t, literal) is None:
            literal = text  # a quotation ("mummy hit me"), not a word marked as text: kept as typed
        _set_text_answer(t, f, literal)
        return
    meaning = _meaning(t, text)
    if meaning is None:
        _set_text_answer(t, f, text)
        return
    d = _active(t.s)
    if d is not None:
        d.text_tip = f.name  # when this question is asked again, its hint says how to type such a word
    kind, value = meaning
    if kind == "call":
        _run(t, value)
    else:
        _token(t, value, is_new)


def _meaning(t: _Turn, text: str) -> tuple[str, Any] | None:
    """What a typed message means besides text: a shown button (by number or label), a command word,
    or a command typed with its argument ("open ISR-...", "my records since ..."); None when it is
    just words."""
    picked = _pick(t, text)
    if picked is not None:
        return "token", picked
    call = REGISTRY.typed(text)
    if call is None:
        return None
    return ("token", call.name) if call.command.pattern is None else ("call", call)


def _pick(t: _Turn, text: str) -> str | None:
    """The button or answer a typed message picks.

    A number means a button on the reply the practitioner is looking at; words also answer the
    question in progress (after "why" or "rules" they can still just type "yes").
    """
    shown = tuple(Choice(v, l) for v, l in t.s.shown)
    picked = inputs.match_choice(text, shown) if shown else None
    if picked is None:
        picked = inputs.match_choice(text, _current_choices(t), numbers=not shown)
    return picked


def _pick_shown(t: _Turn, text: str) -> str | None:
    """The button on the reply on screen that a typed label names (not a number, not an answer word)."""
    norm = inputs.normalise(text)
    return next((v for v, label in t.s.shown if norm in (inputs.normalise(label), inputs.normalise(v))), None)


def _correct_offered(s: Session) -> bool:
    """True when the reply on screen offers "Correct this record" (so a typed "correct" means it)."""
    return any(v == "correct" or v.startswith("correct:") for v, _ in s.shown)


def _free_text(t: _Turn, text: str) -> None:
    f = _expects_text(t.s)
    if text.strip() and _danger_first(t, text, at_field=f is not None):
        return
    if f is None:
        _present(t, unclear=True)
    elif not text.strip():
        _present(t, unclear=True)
    else:
        _text_at_field(t, f, text.strip())


def _set_text_answer(t: _Turn, f: forms.Field, text: str) -> None:
    """Keep a typed answer; one that speaks of danger now also gets the 999 advice first (in any
    form: a record's reasons, a DSL note, a MASH concern). Nothing typed is lost to the alarm."""
    alarm = t.alarm if t.alarm is not None else inputs.danger_of(text)
    if alarm.clear:
        _danger(t)
    _set_field(t, f, text)


def _danger_first(t: _Turn, text: str, at_field: bool) -> bool:
    """Read every typed message for danger; True when the 999 card has answered it.

    Clear danger interrupts anything with the card (resumable). At a question with a text box a
    message that is more than the alarm itself is kept as the answer, with the card first (see
    _set_text_answer). Possible danger changes nothing here: the turn gets the reminder line.
    """
    given = t.inp.danger if text == t.inp.text else None  # the edge read these very words already
    t.alarm = given if given is not None else inputs.danger_of(text)
    if t.alarm.clear and (not at_field or inputs.is_bare_alarm(text)):
        f = _draft_field(t.s)
        picked = _pick(t, text) if f is not None else None
        _danger(t)
        if f is not None and picked in {c.value for c in f.options(_active(t.s) or {})}:
            # The practitioner typed a form choice that itself says danger ("Immediate danger" as
            # the risk level): the 999 card comes first, and the answer is kept, not lost to it.
            _set_field(t, f, picked)
        return True
    return False


def _token(t: _Turn, tok: str, is_new: bool = False) -> None:
    s, pack = t.s, t.pack
    call = REGISTRY.token(tok)
    if call is not None and call.command.handler is not None:
        _run(t, call)
        return
    f = _draft_field(s)
    if f is not None and tok in {c.value for c in f.choices}:
        # A form's own answer first: "consent" as the lawful basis is not the "Do I need consent?" entry.
        if tok in {c.value for c in f.options(_active(s) or {})}:
            _set_field(t, f, tok)
        else:
            _present(t, unclear=True)  # a choice this draft does not offer (consent that was not given)
        return
    if tok in pack.entries:
        _start(t, tok)
        return
    if tok.startswith("edit:"):
        _edit_field(t, tok[5:])
        return
    if tok.startswith("correct:"):
        _correct_record(t, tok[8:])
        return
    if tok.startswith("myth:"):
        myth = next((m for m in pack.myths if m.id == tok[5:]), None)
        if myth is not None:
            _myth(t, myth)
            return
    if f is not None and f.choices:  # not one of this field's choices (those were taken above)
        _present(t, unclear=True)
        return
    node = pack.nodes.get(s.node)
    if node is not None and node.type == "question" and node.answer(tok) is not None:
        _answer(t, node, tok)
        return
    if is_new or s.node == MENU:
        _welcome(t)
    else:
        _present(t, unclear=True)


def _run(t: _Turn, call: commands.Call) -> None:
    """Carry out a command from the registry (dialogs/commands.py), typed or tapped."""
    if call.command.runs == commands.EDGE:
        _not_here(t)
        return
    _command_handlers()[call.name](t, *call.args)


@functools.cache
def _command_handlers() -> dict[str, Callable[..., None]]:
    """Each engine command's handler, found once by the name the registry gives it."""
    found = globals()
    return {c.name: found[c.handler] for c in REGISTRY if c.runs == commands.ENGINE and c.handler}


def _not_here(t: _Turn) -> None:
    """An edge command (requests, join codes) reached the engine: this chat is not connected to them."""
    t.say(Reply(kind="info", title="Not available here",
                text="That works only where ShareSafe is connected to your organisation's requests.",
                choices=((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)))


def _current_choices(t: _Turn) -> tuple[Choice, ...]:
    """The choices shown by the last question, in the order numbers refer to."""
    s, pack = t.s, t.pack
    f = _draft_field(s)
    if f is not None:
        return f.options(_active(s) or {})
    d = _active(s)
    if d and d.open:
        return _edit_choices(d) if d.picking else _summary_choices(d)
    if d and d.saved:
        return _filed_choices(d)
    if d and d.failed:
        return _FAILED_CHOICES
    node = pack.nodes.get(s.node)
    if node is None:
        return WELCOME_CHOICES
    if node.type == "question":
        return _question_choices(node)
    return _outcome_choices(s, pack)


# ---- The flowchart ---------------------------------------------------------------------------------


def _start(t: _Turn, entry: str) -> None:
    if _keeps_unsaved(t):
        return
    t.s.answers, t.s.draft, t.s.request = [], None, None
    cursor = _Cursor(MENU)
    t.pack.machine.events[f"start_{entry}"].trigger(cursor)
    t.s.node = cursor.state
    _present(t)


def _answer(t: _Turn, node: Node, answer_id: str) -> None:
    cursor = _Cursor(node.id)
    try:
        t.pack.machine.events[answer_id].trigger(cursor)
    except (KeyError, MachineError):
        _present(t, unclear=True)
        return
    if _keeps_unsaved(t):
        return
    t.s.answers.append({"node": node.id, "answer": answer_id, "at": _iso(t.inp.now)})
    t.s.node = cursor.state
    t.s.draft = None
    _present(t)


def _back(t: _Turn) -> None:
    s = t.s
    draft = _active(s)
    if draft and draft.open:
        _move(t, draft, "back")
        _present(t)
        return
    if _keeps_unsaved(t):
        return
    if s.answers:
        last = s.answers.pop()
        s.node, s.draft = last["node"], None
        _present(t)
        return
    s.node = MENU
    _welcome(t)


def _restart(t: _Turn) -> None:
    if _keeps_unsaved(t):
        return
    t.s.node, t.s.answers, t.s.request, t.s.listing = MENU, [], None, None
    t.s.escalations, t.s.escalation_states = [], {}  # a new decision: earlier requests are not its
    t.s.draft = None  # (an unsaved record was kept above)
    _welcome(t)


def _present(t: _Turn, unclear: bool = False) -> None:
    """Say where the conversation is now (again)."""
    s, pack = t.s, t.pack
    draft = _active(s)
    if draft is not None and draft is s.request and draft.in_flight:
        _move(t, draft, "interrupted")  # interrupted while sending: show the summary; Send uses the same key
        draft = _active(s)
    if draft and draft.unsaved:
        # The store failed, or a crash between filing and the answer: Retry files it (same key).
        t.say(_not_saved_reply(draft))
        return
    if draft and draft.open:
        f = _draft_field(s)
        if f is None and draft.asking:
            _move(t, draft, "review")
            draft = _active(s)
            f = _draft_field(s)
        if f is not None:
            t.say(_field_reply(f, draft, unclear))
        elif draft.picking:
            t.say(Reply(kind=_question_kind(draft), title="What do you want to change?", text="Pick a field.",
                        choices=_edit_choices(draft)))
        elif draft is s.request:
            t.say(_request_summary_reply(t, draft, unclear))
        else:
            t.say(_summary_reply(t, unclear))
        return
    node = pack.nodes.get(s.node)
    if node is None:
        _welcome(t, unclear)
    elif node.type == "question":
        t.say(_question_reply(pack, node, s, unclear))
    else:
        t.say(_outcome_reply(pack, node, s))


def _question_choices(node: Node) -> tuple[Choice, ...]:
    return tuple(Choice(a.id, a.label) for a in node.answers) + (WHY, BACK)


def _question_reply(pack: Pack, node: Node, s: Session, unclear: bool) -> Reply:
    if {a.id for a in node.answers} == {"yes", "no", "not_sure"}:
        hint = "Sorry, I didn't understand. Type yes, no or not sure, or pick a choice."
    else:
        hint = "Sorry, I didn't understand. Pick a choice, or type its number."
    title = hint if unclear else f"Question {len(s.answers) + 1}"
    return Reply(
        kind="question", title=title, text=node.text, choices=_question_choices(node), node=node.id,
        rules=pack.rules(node.rules), source=node.source.cite(), data={"unclear": unclear},
    )


def _why(t: _Turn) -> None:
    node = t.pack.nodes.get(t.s.node)
    if node is None or node.type != "question":
        _help(t)
        return
    t.say(Reply(
        kind="why", title="Why this matters", text=node.why, node=node.id,
        choices=tuple(Choice(a.id, a.label) for a in node.answers) + (BACK,),
        rules=t.pack.rules(node.rules), source=node.source.cite(),
    ))


def _outcome_choices(s: Session, pack: Pack | None = None) -> tuple[Choice, ...]:
    node = pack.nodes.get(s.node) if pack else None
    if node is not None and node.decision == "seek_advice":
        # Golden rule 3: the advice route comes first when the guidance is to seek advice.
        return (ASK_DSL, MASH_CHOICE, RECORD, BACK, RESTART)
    return (RECORD, ASK_DSL, BACK, RESTART)


def _outcome_reply(pack: Pack, node: Node, s: Session) -> Reply:
    reminder = pack.message("record_reminder").get("text", "Record your decision and your reasons.")
    checklist = pack.checklist if node.how_to_share else ()
    facts = _facts(s, pack)
    # On a phone the decision and the sentences that matter come first; the facts for the record,
    # the checklist, the golden rules and the sources follow (bot/channels/teams/cards.py keeps that order).
    reply_facts = [("Decision", DECISION_LABELS[node.decision]),
                   ("Consent", consent_label(facts, node.decision))]
    if node.lawful_basis:
        reply_facts.append(("Lawful basis to record", LAWFUL_BASIS_LABELS.get(node.lawful_basis, node.lawful_basis)))
    text = node.text
    # Where the local guidance points to a number (e.g. the MASH consultation line), show it next.
    contacts = _contact_lines(pack, node.contacts, with_note=True)
    if contacts:
        text += "\n\n" + "\n".join(contacts)
    if node.local_points:
        text += "\n\n" + "\n".join(node.local_points)
    return Reply(
        kind="outcome", title=node.title, text=f"{text}\n\n{reminder} (golden rule 7)", node=node.id,
        outcome=node.id, decision=node.decision, rules=pack.rules(node.rules), checklist=checklist,
        facts=tuple(reply_facts), source=node.source.cite(), choices=_outcome_choices(s, pack),
        data={"record": decision_data(pack, s), "contacts": [dict(pack.contacts[c]) for c in node.contacts]},
    )


def _facts(s: Session, pack: Pack) -> dict[str, str]:
    """What the answers so far established (consent status, threshold, ...), in path order."""
    facts: dict[str, str] = {}
    for a in s.answers:
        node = pack.nodes.get(a["node"])
        answer = node.answer(a["answer"]) if node else None
        if answer is not None:
            facts.update(answer.sets)
    # Where consent is not needed (nobody identifiable, nothing confidential) the pack's answer says so.
    facts.setdefault("consent", "not_decided")
    return facts


# The lawful basis an outcome names, as the card shows it (keys of dialogs/forms.py LAWFUL_BASES).
LAWFUL_BASIS_LABELS = {
    "consent": "Consent",
    "legal_obligation": "Legal obligation",
    "vital_interests": "Vital interests",
    "public_task": "Public task",
    "legitimate_interests": "Legitimate interests",
    "not_personal_data": "None needed (no one can be identified)",
}


def consent_label(facts: Mapping[str, str], decision: str) -> str:
    """What happened to consent, in words: refused, withdrawn, not sought because ..., invalid
    because ..., or overridden (only when a refusal was followed by a decision to share)."""
    status = facts.get("consent", "not_decided")
    label = CONSENT_LABELS.get(status, status.replace("_", " ").capitalize())
    if status in ("refused", "withdrawn"):
        if facts.get("consent_by"):
            label += f" by {facts['consent_by']}"
        if decision == "share":
            label += ", overridden: there is a lawful reason to share without it"
    elif status == "not_sought" and facts.get("consent_not_sought_reason"):
        label += f" because {facts['consent_not_sought_reason']}"
    elif status == "not_valid" and facts.get("consent_problem"):
        label += f" because {facts['consent_problem']}"
    return label


def decision_data(pack: Pack, s: Session) -> dict[str, Any]:
    """Everything the flowchart knows that a decision record needs, as plain data."""
    node = pack.nodes[s.node]
    facts = _facts(s, pack)
    answers = []
    for a in s.answers:
        q = pack.nodes.get(a["node"])
        ans = q.answer(a["answer"]) if q else None
        answers.append({
            "node": a["node"], "question": q.text if q else "", "answer": a["answer"],
            "label": ans.label if ans else a["answer"], "at": a["at"],
        })
    return {
        "pack": {"id": pack.id, "version": pack.version, "title": pack.title},
        "answers": answers,
        "outcome": {
            "id": node.id, "title": node.title, "decision": node.decision, "guidance": node.text,
            "checklist": list(pack.checklist) if node.how_to_share else [], "local_points": list(node.local_points),
            "source": {"doc": node.source.doc, "section": node.source.section},
        },
        "decision": node.decision,
        "golden_rules": [{"number": r.number, "text": r.text} for r in pack.rules(node.rules)],
        "consent": {
            "status": facts.get("consent", "not_decided"),
            "reason": facts.get("consent_not_sought_reason", ""),
            "problem": facts.get("consent_problem", ""),
            "by": facts.get("consent_by", ""),
            # What happened to consent, in words (what the card, the record and the export show).
            "label": consent_label(facts, node.decision),
        },
        "threshold": facts.get("threshold", ""),
        # The basis the outcome names (a key of forms.LAWFUL_BASES), or "" when it names none.
        "lawful_basis": node.lawful_basis,
        "lawful_basis_suggested": node.lawful_basis,
    }


# ---- Menu, help, rules, danger, myths ---------------------------------------------------------------


def _welcome(t: _Turn, unclear: bool = False, no_answer: bool = False) -> None:
    pack = t.pack
    text = pack.message("welcome").get("text", "")
    title = "Sorry, I didn't understand. Pick one:" if unclear else NO_ANSWER if no_answer else "ShareSafe"
    t.s.node = MENU if t.s.node not in pack.nodes else t.s.node
    t.say(Reply(
        kind="welcome", title=title, text=f"{text}\nGuidance: {pack.title} (v{pack.version}).",
        choices=WELCOME_CHOICES, data={"pack": {"id": pack.id, "version": pack.version, "title": pack.title}},
    ))


def _in_progress(s: Session) -> bool:
    return s.node != MENU or bool(s.draft)


def _danger(t: _Turn) -> None:
    msg = t.pack.message("danger")
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (ASK_DSL, RESTART)
    text = " ".join(str(msg.get("text", "")).split())
    contacts = _contact_lines(t.pack, ("out_of_hours", "mash"))
    if contacts:
        text += "\n" + "\n".join(contacts)
    t.say(Reply(
        kind="danger", title=str(msg.get("title", "Call 999 now")), text=text, choices=choices,
        rules=t.pack.rules(tuple(msg.get("rules", [5]))), source=_message_source(t.pack, "danger"),
    ))


DANGER_REMINDER = "If a child is in danger now, call 999."
DANGER_CHOICE = next(c for c in WELCOME_CHOICES if c.value == "danger")  # the menu's own 999 button


def _danger_reminder(t: _Turn) -> None:
    """A message that may speak of danger now keeps the dialog where it is, with one line first:
    a busy practitioner must never get only "I didn't understand" when a child may be at risk."""
    if t.alarm is None or not (t.alarm.possible or t.not_understood) or any(r.kind == "danger" for r in t.replies):
        return
    t.replies.insert(0, Reply(kind="danger_reminder", text=DANGER_REMINDER, choices=(DANGER_CHOICE,)))


def _message_source(pack: Pack, name: str) -> str:
    """The document and section a message comes from, e.g. for the 999 card."""
    source = pack.message_sources.get(name)
    return source.cite() if source is not None else ""


def _contact_lines(pack: Pack, names: tuple[str, ...], with_note: bool = False) -> list[str]:
    lines = []
    for name in names:
        c = pack.contacts.get(name)
        if isinstance(c, Mapping) and c.get("phone"):
            note = f" {' '.join(str(c['note']).split())}" if with_note and c.get("note") else ""
            lines.append(f"{c.get('name', name)}: {c['phone']}.{note}" if note else f"{c.get('name', name)}: {c['phone']}")
    return lines


def _help(t: _Turn) -> None:
    """What this person may type here, from the command registry; the 999 line always."""
    places = _places(t)
    offered = [c for c in REGISTRY.offered(t.inp.roles, places) if c.name not in ("help", "danger")]
    if commands.QUESTION in places:
        lines = ["Answer with the buttons, or type yes, no or not sure."]
    elif commands.FORM in places:
        lines = ["Answer with the buttons, or type your answer."]
    else:
        lines = ["Tap a button, or type a question."]
    words = [c.words[0] for c in offered if c.words]
    if commands.TEXT in places and words:
        example = "cancel" if "cancel" in words else words[0]
        lines.append(f'To type one of these words as your answer, put it in quotes: "{example}".')
    lines.append(f"If a child is in immediate danger, type {REGISTRY['danger'].shown_as}.")
    if offered:
        lines.append("You can also type:")
    choices = ((RESUME,) if _in_progress(t.s) else ()) + WELCOME_CHOICES
    t.say(Reply(kind="help", title="Help", text="\n".join(lines), facts=tuple((c.shown_as, c.help) for c in offered),
                choices=choices))


def _places(t: _Turn) -> frozenset[str]:
    """Where the conversation is, in the registry's terms (which commands the help offers)."""
    s = t.s
    places: set[str] = set()
    form = _active(s)
    if form and not form.saved:
        places.add(commands.FORM)
        if _expects_text(s) is not None:
            places.add(commands.TEXT)
    else:
        node = t.pack.nodes.get(s.node)
        places.add(commands.MENU if node is None else commands.QUESTION if node.type == "question" else commands.OUTCOME)
    if s.listing:
        places.add(commands.RECORDS)
    if (s.draft is not None and s.draft.saved) or _correct_offered(s):
        places.add(commands.SAVED)
    return frozenset(places)


def _rules(t: _Turn) -> None:
    pack = t.pack
    numbers = tuple(sorted(pack.golden_rules))
    text = "\n".join(f"{n}. {pack.golden_rules[n].short or pack.golden_rules[n].text}" for n in numbers)
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (Choice("share", "Can I share this information?"),)
    # Each pack's rules cite its own copy of them (a partnership's protocol, or the national advice),
    # and, with the source, whose words they are and the licence (Crown copyright, OGL v3.0).
    source = "; ".join(dict.fromkeys(pack.rule_sources[n].cite() for n in numbers))
    if pack.attribution:
        source += f". {pack.attribution}"
    t.say(Reply(
        kind="rules", title="The seven golden rules", text=text, rules=pack.rules(numbers), choices=choices,
        source=source,
    ))


NO_ANSWER = "I don't have an answer to that. Here's what I can help with."
# A greeting at the menu gets the plain welcome; anything else unmatched is told there is no answer.
_SMALL_TALK = frozenset({
    "hi", "hello", "hey", "hiya", "hi there", "hello there", "good morning", "good afternoon", "good evening",
    "morning", "start", "thanks", "thank you", "ok", "okay", "cheers",
})


def _match_myth(pack: Pack, text: str):
    """The myth that answers a typed question (keywords, word forms and typos; see dialogs/myths.py)."""
    return myths.best_match(pack.myths, text)


def _myth(t: _Turn, myth) -> None:
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (Choice("share", "Can I share this information?"), ASK_DSL)
    t.say(Reply(
        kind="myth", title=myth.question, text=myth.answer, rules=t.pack.rules(myth.rules),
        source=myth.source.cite(), choices=choices,
    ))


# ---- Escalation and record look-ups -------------------------------------------------------------------


def _effect_key(t: _Turn, kind: str) -> str:
    return f"{kind}:{t.inp.activity_id or t.s.turns}"


def _summary(t: _Turn) -> dict[str, Any]:
    """An anonymised summary of the dialog so far: only what the dialog asked, nothing typed."""
    s, pack = t.s, t.pack
    node = pack.nodes.get(s.node)
    return {
        "pack": {"id": pack.id, "version": pack.version, "title": pack.title},
        "stuck_on": node.text if node and node.type == "question" else "",
        "outcome": node.title if node and node.type == "outcome" else "",
        "answers": [
            {"question": pack.nodes[a["node"]].text, "answer": pack.nodes[a["node"]].answer(a["answer"]).label}
            for a in s.answers if a["node"] in pack.nodes and pack.nodes[a["node"]].answer(a["answer"])
        ],
    }


def _escalate(t: _Turn) -> None:
    _open_request(t, "dsl")


def _mash(t: _Turn) -> None:
    _open_request(t, "mash")


def _phone_lines(pack: Pack) -> list[str]:
    """Who to phone when ShareSafe cannot pass a request on: the pack's numbers, else where to find them."""
    lines = _contact_lines(pack, ("mash", "out_of_hours"))
    return lines or ["your council's children's social care front door (MASH): its number is on the council's "
                     "website; out of hours, its emergency duty team"]


def _not_set_up(t: _Turn, form: str) -> None:
    """Asked for a request that could never be sent: say so at once, with whom to phone, not after a form."""
    phone = "\n".join(f"- {line}" for line in _phone_lines(t.pack))
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)
    if form == "dsl":
        text = ("No DSL is set up for your organisation in ShareSafe, so I can't send them a request. Call or "
                f"message your DSL now. If you can't reach them, phone:\n{phone}")
        title = "Contact your DSL directly"
    else:
        text = (f"ShareSafe can't send MASH requests for your organisation. Phone MASH now for a professional "
                f"consultation:\n{phone}")
        title = "Phone MASH"
    t.say(Reply(kind="escalation", title=title, text=f"{text}\nIf a child is in immediate danger, call 999.",
                choices=choices, data={"error": "not_set_up"}))


def _open_request(t: _Turn, form: str) -> None:
    s = t.s
    if not (t.inp.dsl_available if form == "dsl" else t.inp.mash_available):
        _not_set_up(t, form)
        return
    if s.request is not None and s.request.form == form:
        _present(t)
        return
    s.requests += 1
    consent = _facts(s, t.pack) if s.answers else {}
    kind = drafts.DslRequest if form == "dsl" else drafts.MashRequest
    s.request = kind(
        no=s.requests, id=_draft_id(t), summary=_summary(t), spec=t.pack.forms[form],
        consent={"status": consent.get("consent", ""), "reason": consent.get("consent_not_sought_reason", "")},
    )
    _present(t)


def _request_summary_reply(t: _Turn, d: drafts.Request, unclear: bool) -> Reply:
    summary = d.summary
    # The pack by the title practitioners know it by (a request drafted before titles were kept: its id).
    facts: list[tuple[str, str]] = [("Guidance", summary["pack"].get("title")
                                     or f"{summary['pack']['id']} v{summary['pack']['version']}")]
    if summary.get("stuck_on"):
        facts.append(("Stuck on", summary["stuck_on"]))
    if summary.get("outcome"):
        facts.append(("Outcome so far", summary["outcome"]))
    # Every answer: the DSL's card carries them all, so the preview must too.
    facts += [(a["question"], a["answer"]) for a in summary["answers"]]
    if d.consent.get("status") and "consent_status" not in d.fields:
        status = d.consent["status"]
        # What the DSL's card says too: the flowchart had not reached consent yet.
        facts.append(("Consent", "Not considered yet" if status == "not_decided" else CONSENT_LABELS.get(status, status)))
    for f in d.form_spec.asked_fields(d):
        value = d.fields[f.name]
        facts.append((f.label, "No note" if f.name == "note" and value == "-" else forms.display_value(f, value)))
    who = "your DSL" if d.form == "dsl" else "MASH"
    title = "Sorry, I didn't understand. Send, edit or cancel?" if unclear else f"Check before sending to {who}"
    return Reply(kind="request_summary", title=title, text=f"This is what {who} will see, with your name.",
                 facts=tuple(facts), choices=_summary_choices(d), data={"form": d.form})


def _link_request(s: Session, reference: str, state: str, overridden: bool = False) -> None:
    """Link a request (delivered or not) to the decision in hand; the record lists it with its state,
    and whether it was sent despite the identifier warning."""
    s.escalations = ([r for r in s.escalations if r != reference] + [reference])[-20:]
    s.escalation_states = {r: st for r, st in {**s.escalation_states, reference: state}.items() if r in s.escalations}
    overrides = s.identifier_overrides + ([reference] if overridden and reference not in s.identifier_overrides else [])
    s.identifier_overrides = [r for r in overrides if r in s.escalations]


_OVERRIDDEN_LABEL = "Sent despite identifier warning"


def _overridden(result: EffectResult) -> bool:
    """True when the request was sent after the practitioner overrode the identifier warning."""
    return bool((result.effect.data.get("identifier_warning") or {}).get("overridden"))


_REQUEST_STATES = {"sent": "sent", "pending": "not yet delivered", "undeliverable": "could not be delivered"}


def _linked_requests_text(references: list[str], states: Mapping[str, str]) -> str:
    """'ESC-000001 (sent), HO-000002 (could not be delivered)'."""
    return ", ".join(f"{r} ({_REQUEST_STATES.get(states[r], states[r])})" if states.get(r) else r for r in references)


def _escalation_result(t: _Turn, result: EffectResult) -> None:
    if t.s.request is not None:
        _move(t, t.s.request, "delivered" if result.ok else "not_delivered")
    t.s.request = None  # answered either way: what happened is said below, and the record links it
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)
    reference = str(result.data.get("id", result.effect.key))
    lines = _phone_lines(t.pack)
    phone = "\n" + "\n".join(lines)
    if result.ok:
        if result.effect.kind == "handoff":
            _link_request(t.s, reference, "sent", _overridden(result))
            when = result.data.get("callback_by_text") or "the end of the next working day"
            # A call-back promise is the partnership's to make (Cambridgeshire: by the end of the next
            # working day); without one, the time is when to chase, not a promise.
            promise = str(t.pack.message("consultation_sent").get("text", ""))
            text = (" ".join(promise.split()).replace("{when}", when) if promise else
                    f"MASH has your request for a professional consultation. If you haven't heard from them by "
                    f"{when}, phone them.")
            if result.effect.data.get("urgent"):
                # Urgent cannot wait for a call back: the practitioner phones MASH now, and is not
                # left thinking the next-working-day call back is the answer to "today".
                text = (f"MASH has your request {reference}. As it is urgent, phone MASH now:{phone}\n"
                        f"Don't wait for their call back: that can take until {when}.\n"
                        "If a child is in immediate danger, call 999.")
            else:
                text += f" Your reference is {reference}."
            t.say(Reply(kind="escalation", title="Sent to MASH", text=text, choices=choices, data=dict(result.data)))
            return
        sent = int(result.data.get("sent_to", 0) or 0)
        if result.data.get("pending"):
            _link_request(t.s, reference, "pending", _overridden(result))
            # Not delivered to anyone yet; the edge keeps trying and says so if it never does.
            t.say(Reply(kind="escalation", title="Still trying to reach your DSL",
                        text="Your request hasn't been delivered yet. I'll keep trying and tell you if I can't "
                             f"get through. If it can't wait, call your DSL now, or phone:{phone}\n"
                             "If a child is in immediate danger, call 999.",
                        choices=choices, data=dict(result.data)))
            return
        _link_request(t.s, reference, "sent", _overridden(result))
        if result.data.get("to_deputies"):
            names = [str(n) for n in result.data.get("names") or [] if n]
            label = "deputy DSLs" if sent > 1 else "deputy DSL"
            who = f"your {label} {', '.join(names)}" if names else (f"{sent} {label}" if sent > 1 else f"your {label}")
            t.say(Reply(kind="escalation", title="Sent to your deputy DSL",
                        text=f"I couldn't reach your DSL, so I've asked {who} to contact you. "
                             f"Your reference is {reference}. I'll tell you when one replies.",
                        choices=choices, data=dict(result.data)))
            return
        who = f"{sent} safeguarding leads" if sent > 1 else "your DSL"
        t.say(Reply(kind="escalation", title="Sent to your DSL",
                    text=f"I've asked {who} to contact you. Your reference is {reference}. "
                         "I'll tell you when one replies.",
                    choices=choices, data=dict(result.data)))
        return
    if result.data.get("id"):
        _link_request(t.s, str(result.data["id"]), "undeliverable", _overridden(result))
    if result.effect.kind == "handoff":
        text = "I couldn't send this to MASH. Please phone MASH now."
    elif result.error == "no_dsl":
        text = ("No DSL is set up for your organisation in ShareSafe, so I couldn't send this. If you know who "
                "your DSL is, call or message them now. Ask your ShareSafe administrator to add your DSL "
                "(or your DSL can register in a 1:1 chat with ShareSafe).")
    elif result.error == "undeliverable":
        text = "I couldn't reach your DSL or deputy DSLs. Please call or message your DSL now."
    else:
        text = "I couldn't message your DSL from here. Please call or message them now."
    text += " If a child is in immediate danger, call 999."
    text += "\n" + "\n".join(lines)  # who to phone, always: the pack's numbers or where to find them
    extra = (MASH_CHOICE,) if result.effect.kind == "escalate" else ()
    # The "seek advice" golden rule is 3 in the 2018 advice and 4 in 2024: the pack says which.
    advice_rules = tuple(t.pack.message("seek_advice").get("rules", (3,)))
    t.say(Reply(kind="escalation", title="Not sent" if result.effect.kind == "handoff" else "Contact your DSL directly",
                text=text, choices=extra + choices, rules=t.pack.rules(advice_rules), data={"error": result.error}))


def _query(t: _Turn, scope: str, reference: str = "", **extra: Any) -> None:
    data = {"scope": scope, "reference": reference, **extra}
    t.effects.append(Effect(kind="query_records", key=_effect_key(t, "query"), data=data))


def _my_records(t: _Turn) -> None:
    """"my records": the decisions this practitioner recorded."""
    _query(t, "mine")


def _org_records(t: _Turn) -> None:
    """"org records": the organisation's records (the edge refuses anyone who is not its DSL)."""
    _query(t, "organisation")


def _open_record(t: _Turn, reference: str) -> None:
    """"open ISR-...": one record, if this person may see it."""
    _query(t, "open", reference)


def _list_records(t: _Turn, scope: str, since: str = "", page: int = 0) -> None:
    """"my records" / "org records": a page of 10, newest first (more: the next page)."""
    _query(t, scope, page=page, since=since)


def _records_since(t: _Turn, scope: str, day_text: str) -> None:
    day = inputs.parse_day(day_text)
    if day is None:
        t.say(Reply(kind="records", title="Records", text="I couldn't read that date. Type it like: my records since 2026-11-01",
                    choices=((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)))
        return
    _list_records(t, scope, since=day.isoformat())


def _more(t: _Turn) -> None:
    listing = t.s.listing
    if not listing:
        t.say(Reply(kind="records", title="Records", text="Type my records (or org records) first.",
                    choices=((RESUME,) if _in_progress(t.s) else ()) + (Choice("my_records", "My records"),)))
        return
    _list_records(t, listing["scope"], since=listing.get("since", ""), page=int(listing.get("page", 0)) + 1)


_MORE = Choice("more", "More")


def _query_result(t: _Turn, result: EffectResult) -> None:
    choices = ((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)
    if not result.ok:
        text = {
            "forbidden": "Only your organisation's DSLs can see that.",
            "not_found": "I can't find that record.",
        }.get(result.error, "I can't reach the records store right now. Try again in a minute.")
        t.say(Reply(kind="records", title="Records", text=text, choices=choices, data={"error": result.error}))
        return
    records = result.data.get("records", [])
    scope = result.effect.data.get("scope")
    if scope == "correct" and records:
        _correct_from(t, records[0], str(result.effect.data.get("draft_id") or ""))
        return
    if scope == "open" and records:
        ref = records[0].get("reference", "")
        # Only the author corrects a record (a DSL reading it is not offered this).
        own = (Choice(f"correct:{ref}", "Correct this record"),) if result.data.get("own") and ref else ()
        t.say(_record_detail(records[0], own + choices, t.pack.forms["record"]))
        return
    since = str(result.effect.data.get("since") or "")
    page = int(result.data.get("page", result.effect.data.get("page") or 0) or 0)
    t.s.listing = {"scope": scope, "since": since, "page": page} if scope in ("mine", "organisation") else None
    facts = tuple((r.get("reference", ""), _list_line(r)) for r in records)
    title = ("Your records" if scope == "mine" else "Your organisation's records") + (f" since {since}" if since else "")
    if records:
        first = int(result.data.get("first", 1) or 1)
        text = f"{first}-{first + len(records) - 1}, newest first. Type open and a reference to see one."
        if result.data.get("more"):
            text += " Type more for the next 10."
    else:
        text = "No more records." if page else "No records yet."
    open_choices = tuple(Choice(f"open:{r['reference']}", r["reference"]) for r in records[:5])
    more = (_MORE,) if result.data.get("more") else ()
    t.say(Reply(kind="records", title=title, text=text, facts=facts, choices=open_choices + more + choices))


def _list_line(r: Mapping[str, Any]) -> str:
    line = (f"{uk_time.short(r.get('created_at'))} · {DECISION_LABELS.get(r.get('decision', ''), '')}"
            f" · {r.get('outcome', {}).get('title', '')}")
    if r.get("corrects"):
        line += f" · Corrects {r['corrects']}"
    if r.get("corrected_by"):
        line += f" · Corrected by {', '.join(r['corrected_by'])}"
    return line


def _consent_text(consent: Mapping[str, Any]) -> str:
    """What happened to consent as the record says it (records filed before labels: the status)."""
    status = str(consent.get("status") or "")
    return str(consent.get("label") or CONSENT_LABELS.get(status, status))


def _consent_facts(consent: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Consent as the record and its summary show it, with the reason unless the label already says it."""
    text = _consent_text(consent)
    reason = consent.get("reason")
    return [("Consent", text)] + ([("Why no consent", reason)] if reason and reason not in text else [])


def _short_question(text: str, limit: int = 60) -> str:
    """The question's first sentence, cut at a word to fit a phone's line."""
    first = text.split("?")[0].strip() + ("?" if "?" in text else "")
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _record_detail(r: Mapping[str, Any], choices: tuple[Choice, ...], form: forms.Form) -> Reply:
    fields = r.get("fields", {})
    consent = r.get("consent", {})
    basis = r.get("lawful_basis") or {}
    facts = [
        ("Reference", r.get("reference", "")),
        ("Filed", uk_time.day_and_time(r.get("created_at"))),
        ("Decided", uk_time.day_and_time(r.get("decided_at"))),
        ("By", r.get("practitioner", {}).get("name") or r.get("practitioner", {}).get("user_id", "")),
        ("Decision", DECISION_LABELS.get(r.get("decision", ""), "")),
        ("Outcome", r.get("outcome", {}).get("title", "")),
    ] + _consent_facts(consent)
    # The form's fields in order, the correction's reason last, then any field this pack does not ask
    # (another pack's, or since removed): a record shows everything it holds.
    known = sorted(form.fields, key=lambda f: f.name == "correction_reason")
    known += [forms.Field(name, name.replace("_", " ").capitalize(), "", hint="-") for name in fields
              if form.field(name) is None]
    for f in known:
        if f.name not in fields or (f.name == "consent_reason" and consent.get("reason")):
            continue
        value = forms.display_value(f, fields[f.name])
        if f.name == "special_category" and basis.get("article_9"):
            value = f"Yes: {basis['article_9']}"
        facts.append((f.label, value))
    if basis.get("article_6") and "lawful_basis" not in fields:
        facts.append(("Lawful basis", basis["article_6"]))
    # The whole question: a record is read at audit, where what exactly was asked matters.
    facts += [(_short_question(a.get("question") or a.get("node", ""), limit=1000), a.get("label") or a.get("answer", ""))
              for a in r.get("answers") or []]
    if r.get("escalations"):
        facts.append(("Linked requests", _linked_requests_text(list(r["escalations"]), r.get("escalation_states") or {})))
    if r.get("identifier_warning_overridden"):
        facts.append((_OVERRIDDEN_LABEL, ", ".join(r["identifier_warning_overridden"])))
    if r.get("corrects"):
        facts.append(("Corrects", r["corrects"]))
    if r.get("corrected_by"):
        facts.append(("Corrected by", ", ".join(r["corrected_by"])))
    return Reply(kind="record_detail", title=f"Record {r.get('reference', '')}", text="",
                 facts=tuple((k, v) for k, v in facts if v), choices=choices)


# ---- Recording the decision --------------------------------------------------------------------------

_SUMMARY_CHOICES = (Choice("confirm", "Confirm and save"), Choice("edit", "Edit"), Choice("cancel", "Cancel"))
_FAILED_CHOICES = (Choice("retry", "Retry"), Choice("cancel", "Discard"))
_SEND_CHOICES = (Choice("confirm", "Send"), Choice("edit", "Edit"), Choice("cancel", "Cancel"))


def _filed_choices(draft: drafts.RecordDraft) -> tuple[Choice, ...]:
    # The Correct button names its record, so a tap on an old card corrects the record it was on.
    return (RESTART, Choice("my_records", "My records"), Choice(f"correct:{draft.reference}", "Correct this record"))


def _draft_id(t: _Turn) -> str:
    """A new draft's or request's id: random (from the edge), so a key never repeats after the
    conversation state expires; kept in the draft, so retries of one Confirm share its key."""
    return t.inp.nonce or f"{t.inp.activity_id}:{t.s.turns}"


def _unsaved(s: Session) -> bool:
    """True while a confirmed record has not been filed (the store failed, or a crash mid-filing)."""
    return s.draft is not None and s.draft.unsaved


def _keeps_unsaved(t: _Turn) -> bool:
    """A record that failed to file is never dropped by moving on: say so, and stay put."""
    if not _unsaved(t.s):
        return False
    t.say(Reply(
        kind="not_saved", title="Your unsaved record is kept",
        text="Type retry to save it, or discard to throw it away. Then you can carry on.",
        choices=_FAILED_CHOICES, data={"draft_no": t.s.draft.no},
    ))
    return True


def _start_record(t: _Turn) -> None:
    s, pack = t.s, t.pack
    node = pack.nodes.get(s.node)
    if s.draft and not s.draft.saved:
        _present(t)
        return
    if s.draft and s.draft.saved:
        t.say(Reply(kind="recorded", title="Already saved",
                    text=f"This decision is saved as {s.draft.reference}. To change it, use Correct.",
                    choices=_filed_choices(s.draft), data={"reference": s.draft.reference}))
        return
    if node is None or node.type != "outcome":
        t.say(Reply(kind="info", text="Finish the questions first; then you can record the decision.",
                    choices=(RESUME,) if _in_progress(s) else WELCOME_CHOICES))
        return
    data = decision_data(pack, s)
    s.drafts += 1
    # The basis the outcome names is offered first, never filled in: the practitioner may know
    # better (e.g. consent obtained, but a public body shares under public task).
    suggested = next((b for b in (node.lawful_basis, "consent" if data["consent"]["status"] == "obtained" else "")
                      if b in forms.LAWFUL_BASES), "")
    s.draft = drafts.RecordDraft(
        no=s.drafts, id=_draft_id(t), decision=node.decision, consent=data["consent"],
        lawful_basis_suggested=suggested, threshold=data.get("threshold", ""),
        decided_at=s.answers[-1]["at"] if s.answers else _iso(t.inp.now), spec=pack.forms["record"],
    )
    _present(t)


def _correct(t: _Turn) -> None:
    """"correct": the record on screen (its detail view or the Saved card), else the one just filed."""
    on_screen = next((v[8:] for v, _ in t.s.shown if v.startswith("correct:")), None)
    draft = t.s.draft
    reference = on_screen or (draft.reference if draft and draft.saved else None)
    if not reference:
        t.say(Reply(kind="info", text="There is no saved record here to correct. Open one from My records.",
                    choices=(Choice("my_records", "My records"), RESTART)))
        return
    _correct_record(t, reference)


def _correct_record(t: _Turn, reference: str) -> None:
    """Start a correction of one of the practitioner's records: a new record that points at it."""
    s = t.s
    if _keeps_unsaved(t):
        return
    if s.draft and s.draft.open:
        t.say(Reply(kind="info", title="Finish this record first",
                    text="Save or cancel the record you are filling in; then you can correct another."))
        _present(t)
        return
    draft = s.draft
    if draft and draft.saved and draft.reference == reference:
        s.drafts += 1
        s.draft = drafts.CorrectionDraft.of(draft, no=s.drafts, id=_draft_id(t))
        _present(t)
        return
    # An older record: read it (only its author gets it back), then start the correction.
    _query(t, "correct", reference.upper(), draft_id=_draft_id(t))


def _basis_key(article_6: str) -> str:
    return next((k for k, v in forms.LAWFUL_BASES.items() if v == article_6), "")


def _correct_from(t: _Turn, r: Mapping[str, Any], draft_id: str) -> None:
    """The correction draft of a stored record: its answers are kept; what was filled in can change."""
    s = t.s
    if r.get("decision") not in DECISION_LABELS or not r.get("reference"):
        t.say(Reply(kind="info", text="I can't correct that record here. Ask your DSL.", choices=(RESTART,)))
        return
    fields = {k: v for k, v in (r.get("fields") or {}).items() if k != "correction_reason"}
    consent = {k: str(v) for k, v in (r.get("consent") or {}).items()
               if k in ("status", "reason", "problem", "by", "label")}
    if "consent_reason" in fields:
        consent["reason"] = ""  # it came from the form, so the form may change it
    basis = (r.get("lawful_basis") or {}).get("article_6", "")
    s.drafts += 1
    s.draft = drafts.CorrectionDraft(
        no=s.drafts, id=draft_id or _draft_id(t), decision=r["decision"], consent=consent,
        lawful_basis_known="" if "lawful_basis" in fields else _basis_key(basis), fields=fields,
        corrects=r["reference"], decided_at=r.get("decided_at", ""),
        outcome_title=(r.get("outcome") or {}).get("title", ""), spec=t.pack.forms["record"],
    )
    _present(t)


def _set_field(t: _Turn, f: forms.Field, value: str) -> None:
    draft = _active(t.s)
    assert draft is not None
    draft.keep(f, value.strip()[:MAX_TEXT])
    _move(t, draft, "answer")
    _present(t)


_FORM_TITLES = {"record": "Record your decision", "dsl": "Ask your DSL", "mash": "MASH professional consultation"}


def _question_kind(d: drafts.Draft) -> str:
    return "record_question" if d.is_record() else "request_question"



def _field_reply(f: forms.Field, draft: drafts.Draft, unclear: bool) -> Reply:
    title = "Sorry, I didn't understand. Please pick one." if unclear and not f.takes_text else (
        "Please type a short answer." if unclear else _FORM_TITLES[draft.form])
    text = f.question(draft)
    # Not on the practitioner's or another professional's own details: the "don't include names"
    # line there only teaches people to skip it where it matters.
    if f.takes_text and forms.NO_IDENTIFIERS not in text and f.about_child:
        text += "\n" + forms.NO_IDENTIFIERS
    return Reply(
        kind=_question_kind(draft), title=title, text=text, choices=f.options(draft) + (BACK, Choice("cancel", "Cancel")),
        input_hint=_text_hint(f, draft) if f.takes_text else None, data={"field": f.name},
    )


def _text_hint(f: forms.Field, draft: drafts.Draft) -> str:
    """The text box's hint; where a typed word was just taken as a button or command, how to keep it as text."""
    hint = f.hint or "Type here"
    return hint + ' · to save a word like "confirm" as text, put it in quotes' if draft.text_tip == f.name else hint


def _summary_facts(t: _Turn) -> tuple[tuple[str, str], ...]:
    draft = t.s.draft
    assert draft is not None
    facts = [("Decision", DECISION_LABELS[draft.decision])]
    node = t.pack.nodes.get(t.s.node)
    if isinstance(draft, drafts.CorrectionDraft) and draft.outcome_title:  # a stored record's outcome, not this chat's
        facts.append(("Outcome", draft.outcome_title))
    elif node is not None and node.type == "outcome":
        facts.append(("Outcome", node.title))
    if draft.decided_at:
        facts.append(("Decided", uk_time.day_and_time(draft.decided_at)))
    facts += _consent_facts(draft.consent)
    basis = forms.lawful_basis_text(draft)
    values = _resolved_fields(draft.fields, t.inp.now)
    for f in draft.form_spec.asked_fields(draft):
        value = forms.display_value(f, values[f.name])
        if f.name == "special_category" and "article_9" in basis:
            value = "Yes: " + forms.article_9_short(draft)
        facts.append((f.label, value))
    if draft.lawful_basis_known:
        facts.append(("Lawful basis", basis.get("article_6", "")))
    if draft.corrects:
        facts.append(("Corrects", draft.corrects))
    elif t.s.escalations:
        facts.append(("Linked requests", _linked_requests_text(t.s.escalations, t.s.escalation_states)))
        overridden = [r for r in t.s.escalations if r in t.s.identifier_overrides]
        if overridden:
            facts.append((_OVERRIDDEN_LABEL, ", ".join(overridden)))
    return tuple(facts)


def _summary_reply(t: _Turn, unclear: bool = False) -> Reply:
    title = "Sorry, I didn't understand. Confirm, edit or cancel?" if unclear else "Check your record"
    text = "Nothing is saved until you confirm."
    if t.s.draft.fields.get("risk_level") == "immediate_danger":
        # Recording comes after protecting the child: the 999 advice stands before the record.
        text = "If a child is in immediate danger now, call 999 first. " + text
    return Reply(
        kind="record_summary", title=title, text=text,
        facts=_summary_facts(t), choices=_SUMMARY_CHOICES, data={"draft_no": t.s.draft.no},
    )


def _summary_choices(d: drafts.Draft) -> tuple[Choice, ...]:
    return _SUMMARY_CHOICES if d.is_record() else _SEND_CHOICES


def _edit_menu(t: _Turn) -> None:
    draft = _active(t.s)
    if not draft or not _move(t, draft, "edit"):
        _present(t, unclear=True)
        return
    _present(t)


def _edit_choices(draft: drafts.Draft) -> tuple[Choice, ...]:
    return tuple(Choice(f"edit:{f.name}", f.label) for f in draft.form_spec.asked_fields(draft)) + (BACK,)


def _edit_field(t: _Turn, name: str) -> None:
    draft = _active(t.s)
    if not draft or not _move(t, draft, "edit_field", name):
        _present(t, unclear=True)
        return
    _present(t)


def _cancel_record(t: _Turn) -> None:
    if t.s.request:
        _move(t, t.s.request, "cancel")
        t.say(Reply(kind="info", title="Not sent", text="Nothing was sent.",
                    choices=((RESUME,) if _in_progress(t.s) else ()) + (RESTART,)))
        return
    draft = t.s.draft
    if not draft or not _move(t, draft, "cancel"):  # a saved record stays (Correct changes it)
        _present(t)
        return
    t.say(Reply(kind="info", title="Not recorded",
                text="Nothing was saved. Remember to record your decision somewhere (golden rule 7).",
                choices=(RECORD, RESTART)))


def _confirm(t: _Turn) -> None:
    s = t.s
    if s.request:
        if _move(t, s.request, "confirm"):
            _send_or_warn(t)
        else:
            _present(t, unclear=True)
        return
    draft = s.draft
    if draft and draft.saved:
        t.say(Reply(kind="recorded", title="Already saved", text=f"This record is saved as {draft.reference}.",
                    choices=(RESTART, Choice("my_records", "My records")), data={"reference": draft.reference}))
        return
    if not draft or not _move(t, draft, "confirm"):
        _present(t, unclear=True)
        return
    _file(t)


def _send_or_warn(t: _Turn) -> None:
    """After Send (or Send anyway): the identifier warning, if the request moved to it, else send."""
    if t.s.request.showing_warning:
        _identifier_warning(t, t.s.request)
    else:
        _send_request(t)


def _send_request(t: _Turn) -> None:
    d = t.s.request
    assert d is not None
    values = d.fields
    consent = dict(d.consent)
    if values.get("consent_status"):
        consent["status"] = values["consent_status"]
    if values.get("consent_reason"):
        consent["reason"] = values["consent_reason"]
    data: dict[str, Any] = {
        "summary": d.summary, "urgent": values.get("urgency") == "urgent", "consent": consent,
        "requested_at": _iso(t.inp.now),
    }
    if d.form == "dsl":
        note = values.get("note", "-")
        data["note"] = "" if note == "-" else note
        kind = "escalate"
    else:
        data["referrer"] = {k: values.get(k, "") for k in ("referrer_name", "agency", "role", "phone")}
        data["concern"] = values.get("concern", "")
        kind = "handoff"
    if d.accepted():
        # What kinds, never the words: the request and the record say the warning was overridden.
        data["identifier_warning"] = {"shown": True, "overridden": True,
                                      "kinds": sorted({x.kind for _, found in d.findings() for x in found})}
    elif d.identifier_warning:
        # Warned, then edited: the stored request still says the warning was shown, and of what kinds.
        data["identifier_warning"] = {"shown": True, "overridden": False, "kinds": list(d.identifier_kinds)}
    # Keyed by the request (its random id; the number in states saved before ids), so Send pressed
    # twice or retried by Teams sends one message, and a new request after the state expired is new.
    t.effects.append(Effect(kind=kind, key=f"{d.form}:{d.id or d.no}", data=data))


def _identifier_warning(t: _Turn, d: drafts.Request) -> None:
    """Show what looks identifying before anything is sent; the practitioner edits, sends or cancels."""
    findings = d.findings()
    flagged = [x for _, found in findings for x in found]
    who = "your DSL" if d.form == "dsl" else "MASH"
    edit = Choice(f"edit:{findings[0][0].name}", "Edit") if len(findings) == 1 else Choice("edit", "Edit")
    t.say(Reply(kind="identifier_warning", title="Check before sending",
                text=f"Looks identifying: {identifiers.describe(flagged)}.\n"
                     f"Ask {who} for advice without saying who the child is, where you can.",
                choices=(edit, Choice("send_anyway", "Send anyway"), Choice("cancel", "Cancel")),
                data={"form": d.form, "kinds": list(d.identifier_kinds)}))


def _send_anyway(t: _Turn) -> None:
    """Send a request the practitioner has seen the identifier warning for, and chosen to send."""
    d = t.s.request
    if not d or not _move(t, d, "send_anyway"):
        _present(t, unclear=True)
        return
    _send_or_warn(t)


def _retry(t: _Turn) -> None:
    draft = t.s.draft
    if draft and _move(t, draft, "retry"):
        _file(t)
    else:
        _present(t)


def _file(t: _Turn) -> None:
    draft = t.s.draft
    assert draft is not None
    record = _build_record(t)
    # The key is the draft, not the activity: a double click or a Teams retry files one record. Its
    # random id, not its number: numbers restart when the state expires, and a new record with an
    # old key would be answered with the old record. (The number only for drafts saved before ids.)
    t.effects.append(Effect(kind="file_record", key=f"record:{draft.id or draft.no}", data={"record": record}))


def _build_record(t: _Turn) -> dict[str, Any]:
    s, pack, draft = t.s, t.pack, t.s.draft
    # A correction keeps the answers and outcome of the record it corrects (the edge copies them).
    here = not draft.corrects and s.node in pack.nodes and pack.nodes[s.node].type == "outcome"
    data = decision_data(pack, s) if here else {}
    values = draft.fields
    consent = dict(draft.consent)
    if values.get("consent_reason"):
        consent["reason"] = values["consent_reason"]
    return {
        "practitioner": t.inp.user.to_json(),
        "pack": data.get("pack", {"id": pack.id, "version": pack.version, "title": pack.title}),
        "answers": data.get("answers") or ([] if draft.corrects else [dict(a) for a in s.answers]),
        "outcome": data.get("outcome", {}),
        "decision": draft.decision,
        "golden_rules": data.get("golden_rules", []),
        "decided_at": draft.decided_at,
        "consent": consent,
        "lawful_basis": forms.lawful_basis_text(draft),
        "fields": _resolved_fields(values, t.inp.now),
        "escalations": list(s.escalations),
        # Golden rule 3: a request that looked identifying and was sent anyway is on the record.
        **({"identifier_warning_overridden": [r for r in s.escalations if r in s.identifier_overrides]}
           if any(r in s.identifier_overrides for r in s.escalations) else {}),
        "corrects": draft.corrects,
        # How each linked request went (a correction carries the corrected record's instead).
        **({} if draft.corrects else
           {"escalation_states": {r: s.escalation_states.get(r, "sent") for r in s.escalations}}),
    }


def _resolved_fields(values: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The form's answers as a record keeps them: "Today" or "Yesterday" becomes the date in England
    (a review years later cannot know which day "today" was)."""
    out = dict(values)
    when = str(out.get("request_when") or "").strip().lower()
    if when in ("today", "yesterday"):
        out["request_when"] = uk_time.day(now, 1 if when == "yesterday" else 0)
    return out


def _record_result(t: _Turn, result: EffectResult) -> None:
    draft = t.s.draft
    if draft is None:
        return
    if result.ok:
        reference = str(result.data.get("reference", ""))
        _move(t, draft, "filed", reference)
        draft = t.s.draft
        t.s.filed = (t.s.filed + [reference])[-20:]
        t.s.escalations, t.s.escalation_states = [], {}  # linked to this record; the next decision starts afresh
        text = f"Your record is saved as {reference}. Note the reference in your own case notes."
        choices = _filed_choices(draft)
        if forms.basis_not_sure(draft):
            # Golden rule 3: unsure of the lawful basis is a reason to seek advice, not to guess.
            text += " You weren't sure of the lawful basis: ask your DSL, then correct this record."
            choices = (ASK_DSL,) + choices
        elif draft.fields.get("method") == "not_shared_yet":
            text += " When you have shared it, correct this record to say how."
        t.say(Reply(kind="recorded", title="Saved", text=text, choices=choices, data={"reference": reference}))
    elif result.error == "not_yours":
        # The store answered: that record is not this practitioner's to correct. Nothing to retry.
        _move(t, draft, "not_theirs")
        t.say(Reply(kind="info", title="Not saved", text="You can only correct records you filed yourself.",
                    choices=(Choice("my_records", "My records"), RESTART)))
    else:
        _move(t, draft, "store_failed")
        t.say(_not_saved_reply(t.s.draft))


def _not_saved_reply(draft: drafts.Draft) -> Reply:
    return Reply(
        kind="not_saved", title="Your record was NOT saved",
        text=(
            "ShareSafe could not reach its records store. Your draft is kept here. "
            "Tap Retry in a minute. If it still fails, write the decision in your own records now."
        ),
        choices=_FAILED_CHOICES, data={"draft_no": draft.no},
    )


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
