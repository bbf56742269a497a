"""Turning what a practitioner typed or tapped into a token the engine understands."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping, Sequence

from dialogs.model import TEXT_SUBMIT, Choice

_PUNCT = re.compile(r"[^\w\s']+")
_SPACE = re.compile(r"\s+")

# Words that always mean "a child is in immediate danger". They interrupt anything, even a
# question, because a practitioner in that moment must be told to call 999 first. A missed alarm
# costs far more than a needless "call 999" card (which keeps the dialog where it was), so the
# patterns are broad; only plain negations ("not an emergency", "no danger") are let through.
_DANGER_EXACT = {
    "999", "danger", "immediate danger", "in danger", "child in danger", "emergency", "sos",
    "a child is in immediate danger", "child is in immediate danger", "call 999", "urgent danger",
}
_NOT = r"(?<!\bnot )(?<!\bno )(?<!\bnot an )(?<!\bisn't an )(?<!\bisnt an )(?<!\bnot in )(?<!\bnon )"
# Present danger, in any message (typed free text included: a DSL note saying "he is in danger
# now" must bring the 999 advice).
_DANGER_NOW = re.compile(
    r"\b(?:"
    r"immediate(?:ly)?(?: in)? (?:danger|risk)|imminent (?:danger|risk|harm)"
    r"|" + _NOT + r"(?:in (?:real |serious |grave )?danger)(?! last| before| earlier| in the past)"
    r"|" + _NOT + r"emergency(?! contact| plan| services? were| was| last)"
    r"|call(?:ing)? (?:999|the police|an ambulance)|police now|need the police|ring 999|dial 999"
    r"|(?:being|getting) (?:hurt|attacked|assaulted|beaten|hit) (?:right )?now"
    r"|not safe (?:right )?now|unsafe (?:right )?now|has a (?:knife|weapon|gun)"
    r")\b"
)
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


def is_danger(text: str, *, free_text: bool = False) -> bool:
    """True when the message says a child is in immediate danger (and is not something else).

    In a free-text answer only a message that is nothing but a danger phrase counts as the alarm
    itself; a longer answer that mentions present danger is kept as the answer and followed by
    the 999 advice (see mentions_danger), and one that describes past events ("called 999 last
    week") is just an answer.
    """
    norm = normalise(text)
    if norm in _DANGER_EXACT:
        return True
    if free_text:
        return False
    return _DANGER_NOW.search(norm) is not None or _DANGER_TOKEN in norm.split()


def mentions_danger(text: str) -> bool:
    """True when a longer message speaks of danger now ("he is in danger", "emergency, she has a knife")."""
    return _DANGER_NOW.search(normalise(text)) is not None


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
