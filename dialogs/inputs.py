"""Turning what a practitioner typed or tapped into a token the engine understands."""

from __future__ import annotations

import re
from collections import abc
from datetime import date
from typing import Any, Mapping, Sequence

from dialogs import danger
from dialogs.commands import REGISTRY, normalise
from dialogs.model import TEXT_SUBMIT, Choice

__all__ = ["normalise"]  # the registry's, so a typed word is folded the same way everywhere

ANSWER_WORDS: Mapping[str, frozenset[str]] = {
    "yes": frozenset({"y", "yes", "yeah", "yep", "yup", "yes please", "correct", "true"}),
    "no": frozenset({"n", "no", "nope", "nah", "false", "no it isn't", "no it is not"}),
    "not_sure": frozenset({"not sure", "unsure", "dont know", "don't know", "do not know", "idk", "maybe", "ns", "no idea", "unclear"}),
}

_DAY_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


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
    """The name of the command a typed message is (see dialogs/commands.py), if it is one."""
    call = REGISTRY.typed(text)
    return call.name if call is not None else None


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


def marked_as_text(text: str) -> bool:
    """True when the message starts with "text:" (quotes may be a quotation rather than a marking)."""
    return _TEXT_PREFIX.match(text) is not None


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
    if not isinstance(value, abc.Mapping):
        return None, None
    choice = value.get("choice")
    if not isinstance(choice, str) or not choice or len(choice) > 80:
        return None, None
    text = value.get("text")
    if choice == TEXT_SUBMIT:
        return choice, text if isinstance(text, str) else ""
    return choice, None
