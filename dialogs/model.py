"""The values that cross the boundary of the dialog engine: inputs, replies and effects.

Everything here is plain data that serialises to JSON, so the same engine output can be rendered
as an Adaptive Card (bot/), as text in a terminal, or as one JSON object a line for scripts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from dialogs.danger import Assessment

# The value a card's text box submits alongside its input (see Reply.input_hint).
TEXT_SUBMIT = "__text__"


@dataclass(frozen=True)
class Choice:
    """A button: `value` is what comes back to the engine, `label` is what the user sees."""

    value: str
    label: str

    def to_json(self) -> dict[str, str]:
        """JSON form."""
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class RuleRef:
    """A golden rule cited by a question or outcome."""

    number: int
    text: str
    short: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"number": self.number, "text": self.text, "short": self.short}


@dataclass(frozen=True)
class Reply:
    """One message from the bot.

    kind is one of: welcome, question, why, outcome, rules, help, danger, danger_reminder, info, record_question,
    record_summary, recorded, not_saved, escalation, error.
    """

    kind: str
    text: str
    title: str = ""
    choices: tuple[Choice, ...] = ()
    node: str | None = None
    outcome: str | None = None
    decision: str | None = None
    rules: tuple[RuleRef, ...] = ()
    checklist: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    # When set, the reply asks for free text; a card shows a text box with this placeholder.
    input_hint: str | None = None
    source: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON form (what `python -m bot chat --json` prints)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "choices": [c.to_json() for c in self.choices],
            "node": self.node,
            "outcome": self.outcome,
            "decision": self.decision,
            "rules": [r.number for r in self.rules],
            "rule_texts": [r.to_json() for r in self.rules],
            "checklist": list(self.checklist),
            "facts": [list(f) for f in self.facts],
            "input_hint": self.input_hint,
            "source": self.source,
            "data": dict(self.data),
        }


@dataclass(frozen=True)
class Effect:
    """Something the edge must do after the turn: file_record, escalate, handoff.

    `key` is stable for the same request (an idempotency key): carrying out the same effect twice
    must not file two records or send two escalations.
    """

    kind: str
    key: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"kind": self.kind, "key": self.key, "data": dict(self.data)}


@dataclass(frozen=True)
class EffectResult:
    """What happened when the edge carried out an effect."""

    effect: Effect
    ok: bool
    # For file_record: {"reference": "ISR-2026-000042"}; for escalate: {"sent_to": 2} or similar.
    data: Mapping[str, Any] = field(default_factory=dict)
    # Short, user-safe reason when ok is False: "store_unavailable", "not_configured", ...
    error: str = ""


@dataclass(frozen=True)
class Person:
    """Someone the directory may list by their chat user id or their Entra (AAD) object id."""

    user_id: str
    name: str = ""
    # The Entra object id (from.aadObjectId): the directory may list a person under it.
    aad_object_id: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the directory may list this person under."""
        return tuple(i for i in (self.user_id, self.aad_object_id) if i)


@dataclass(frozen=True)
class Practitioner(Person):
    """Who is talking to the bot."""

    organisation: str = ""
    tenant_id: str = ""
    # The Teams team the conversation is in (channelData.team.id), if any; picks a team's pack.
    team_id: str = ""

    def to_json(self) -> dict[str, str]:
        """JSON form."""
        return {
            "user_id": self.user_id,
            "name": self.name,
            "organisation": self.organisation,
            "tenant_id": self.tenant_id,
            "team_id": self.team_id,
        }


@dataclass(frozen=True)
class UserInput:
    """One turn from the user: typed text and/or an Adaptive Card submit value."""

    text: str = ""
    value: Mapping[str, Any] | None = None
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    user: Practitioner = field(default_factory=lambda: Practitioner(user_id="anonymous"))
    # The activity id (Teams resends the same id on retry); used to build effect keys.
    activity_id: str = ""
    # Fresh randomness from the edge, one value a turn: a new record draft or request takes its
    # id from it, so its idempotency key never repeats after the conversation state expires
    # (Teams 1:1 conversation ids are stable), while retries of the same Confirm reuse the draft's.
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))
    # What the deployment has set up for this person (the edge knows; unknown means set up). A
    # request that could never be sent is not asked for in a form: they are told at once whom to phone.
    dsl_available: bool = True
    mash_available: bool = True
    # Who is talking, as the edge knows from the directory (dialogs/commands.py: practitioner, dsl,
    # admin): the help lists only the commands they may use.
    roles: frozenset[str] = frozenset({"practitioner"})
    # The edge's reading of `text` for danger now, when it made one already (the rate limit lets a
    # 999 message through): the engine uses it rather than reading the same words twice.
    danger: Assessment | None = None


@dataclass
class StepResult:
    """What `step` returns."""

    session: "Any"
    replies: list[Reply]
    effects: list[Effect]
