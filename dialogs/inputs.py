"""Turning what a practitioner typed or tapped into a token the engine understands."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from dialogs.model import TEXT_SUBMIT, Choice

_PUNCT = re.compile(r"[^\w\s']+")
_SPACE = re.compile(r"\s+")

# Words that always mean "a child is in immediate danger". They interrupt anything, even a
# question, because a practitioner in that moment must be told to call 999 first.
_DANGER_EXACT = {
    "999", "danger", "immediate danger", "in danger", "child in danger", "emergency", "sos",
    "a child is in immediate danger", "child is in immediate danger", "call 999", "urgent danger",
}
_DANGER_CONTAINS = ("immediate danger", "immediately in danger", "in danger now", "emergency")
_DANGER_TOKEN = "999"

COMMANDS: Mapping[str, frozenset[str]] = {
    "back": frozenset({"back", "undo", "go back", "previous"}),
    "restart": frozenset({"restart", "start again", "start over", "reset", "new question", "begin again"}),
    "help": frozenset({"help", "commands", "what can i say", "what can i do"}),
    "rules": frozenset({"rules", "golden rules", "the seven golden rules", "seven golden rules", "7 golden rules", "show rules"}),
    "dsl": frozenset({"dsl", "ask my dsl", "ask dsl", "advice", "ask advice", "seek advice", "contact dsl", "ask my safeguarding lead", "ping dsl"}),
    "why": frozenset({"why", "why does this matter", "explain", "why is this asked"}),
    "mash": frozenset({"mash", "professional consultation", "request mash professional consultation",
                       "mash consultation", "request professional consultation"}),
    "menu": frozenset({"menu", "home", "main menu"}),
    "resume": frozenset({"resume", "carry on", "continue", "carry on where i was"}),
    "record": frozenset({"record", "record this decision", "record decision", "record it"}),
    "my_records": frozenset({"my records", "show my records", "list my records"}),
    "org_records": frozenset({"org records", "organisation records", "team records", "our records"}),
    "retry": frozenset({"retry", "try again", "save again"}),
    "confirm": frozenset({"confirm", "confirm and save", "save"}),
    "edit": frozenset({"edit", "change"}),
    "cancel": frozenset({"cancel", "cancel record", "discard"}),
    "correct": frozenset({"correct", "correct this record", "correction"}),
    "share": frozenset({"can i share", "can i share this information", "can i share this", "share", "sharing"}),
    "consent": frozenset({"do i need consent", "consent", "need consent"}),
}

ANSWER_WORDS: Mapping[str, frozenset[str]] = {
    "yes": frozenset({"y", "yes", "yeah", "yep", "yup", "yes please", "correct", "true"}),
    "no": frozenset({"n", "no", "nope", "nah", "false", "no it isn't", "no it is not"}),
    "not_sure": frozenset({"not sure", "unsure", "dont know", "don't know", "do not know", "idk", "maybe", "ns", "no idea", "unclear"}),
}

_OPEN_RECORD = re.compile(r"^(?:open|show|view)?\s*(isr-\d{4}-\d{6})$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, punctuation removed, spaces folded."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower().replace("_", " "))).strip()


def is_danger(text: str, *, free_text: bool = False) -> bool:
    """True when the message says a child is in immediate danger.

    In a free-text answer (a record field) only a message that is nothing but a danger phrase
    counts, so that describing past events ("called 999 last week") is not taken as an alarm.
    """
    norm = normalise(text)
    if norm in _DANGER_EXACT:
        return True
    if free_text:
        return False
    return any(p in norm for p in _DANGER_CONTAINS) or _DANGER_TOKEN in norm.split()


def command(text: str) -> str | None:
    """The command a typed message names, if it is one."""
    norm = normalise(text)
    for name, words in COMMANDS.items():
        if norm in words:
            return name
    return None


def open_reference(text: str) -> str | None:
    """'open ISR-2026-000042' -> 'ISR-2026-000042'."""
    match = _OPEN_RECORD.match(text.strip())
    return match.group(1).upper() if match else None


def match_choice(text: str, choices: Sequence[Choice], *, numbers: bool = True) -> str | None:
    """The choice a typed message picks: its number, its label, or a synonym of yes/no/not sure."""
    norm = normalise(text)
    if not norm:
        return None
    if norm.isascii() and norm.isdigit():
        if not numbers:
            return None
        index = int(norm) - 1
        return choices[index].value if 0 <= index < len(choices) else None
    values = {c.value for c in choices}
    for choice in choices:
        if norm == normalise(choice.label) or norm == normalise(choice.value.replace("_", " ")):
            return choice.value
    for value, words in ANSWER_WORDS.items():
        if value in values and norm in words:
            return value
    return None


def submitted(value: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """(choice, text) from an Adaptive Card submit value; (None, None) if it is not ours."""
    if not isinstance(value, Mapping):
        return None, None
    choice = value.get("choice")
    if not isinstance(choice, str) or not choice or len(choice) > 80:
        return None, None
    text = value.get("text")
    if choice == TEXT_SUBMIT:
        return choice, text if isinstance(text, str) else ""
    return choice, None
