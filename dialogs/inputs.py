"""Turning what a practitioner typed or tapped into a token the engine understands."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping, Sequence

from dialogs import danger
from dialogs.model import TEXT_SUBMIT, Choice

_PUNCT = re.compile(r"[^\w\s']+")
_SPACE = re.compile(r"\s+")


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
    "more": frozenset({"more", "next", "next page", "more records", "show more"}),
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
_RECORDS_SINCE = re.compile(
    r"^(?:show\s+)?(my|org|organisation|team|our)\s+records\s+(?:since|from)\s+(\S.*)$", re.IGNORECASE)
_DAY_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def normalise(text: str) -> str:
    """Lower case, punctuation removed, spaces folded."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower().replace("_", " "))).strip()


def danger_of(text: str) -> danger.Assessment:
    """What a typed message says about danger now: clear, possible or none (see dialogs/danger.py)."""
    return danger.assess(text)


def is_danger(text: str) -> bool:
    """True when the message says a child is in danger now (the 999 card at once)."""
    return danger.assess(text).clear


def is_bare_alarm(text: str) -> bool:
    """True when the whole message is an alarm ("999", "emergency"): nothing to keep as an answer."""
    return danger.is_bare_alarm(text)


def command(text: str) -> str | None:
    """The command a typed message names, if it is one."""
    norm = normalise(text)
    for name, words in COMMANDS.items():
        if norm in words:
            return name
    return None


_QUOTED = re.compile(r'^\s*(?:"(.*)"|\'(.*)\'|\u201c(.*)\u201d|\u2018(.*)\u2019)\s*$', re.DOTALL)
_TEXT_PREFIX = re.compile(r"^\s*text\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)


def literal_text(text: str) -> str | None:
    """The words marked as text, not a command: `text: confirm` and `"confirm"` both give "confirm";
    None when nothing is marked."""
    prefixed = _TEXT_PREFIX.match(text)
    if prefixed:
        return prefixed.group(1).strip()
    quoted = _QUOTED.match(text)
    return next(g for g in quoted.groups() if g is not None).strip() if quoted else None


def open_reference(text: str) -> str | None:
    """'open ISR-2026-000042' -> 'ISR-2026-000042'."""
    match = _OPEN_RECORD.match(text.strip())
    return match.group(1).upper() if match else None


def records_since(text: str) -> tuple[str, str] | None:
    """'org records since 2026-11-01' -> ('organisation', '2026-11-01'); the date as typed."""
    match = _RECORDS_SINCE.match(" ".join(text.split()))
    if not match:
        return None
    return ("mine" if match.group(1).lower() == "my" else "organisation"), match.group(2).strip()


def parse_day(text: str) -> date | None:
    """A typed date: 2026-11-01, or the English 1/11/2026 (day first); None if it is not one."""
    text = text.strip()
    try:
        match = _DAY_UK.match(text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        return None


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
