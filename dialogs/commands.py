"""Every command a user can type or tap, declared once: its words, what runs it, its help line, who
may use it and where it is offered. The engine, the channels (Teams, terminal), the help text and the
Teams app's command menu all read this registry; there is no other list of command words.

A command's handler is named, not imported (callbacks named in the data, as in the packs): an
engine command names a function of dialogs/engine.py, called as `handler(turn, *args)`; an edge
command (`runs=EDGE`) needs I/O the pure engine cannot do (the escalation store) and names a method
of the escalation service, called by the channel before the engine as `handler(actor, *args)`.
"""

from __future__ import annotations

import re
from collections import abc
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Pattern, Sequence

_PUNCT = re.compile(r"[^\w\s']+")
_SPACE = re.compile(r"\s+")

# Who may use a command (the edge tells the engine who is talking: UserInput.roles).
PRACTITIONER, DSL, ADMIN = "practitioner", "dsl", "admin"
EVERYONE = frozenset({PRACTITIONER, DSL, ADMIN})
DSLS = frozenset({DSL})

# Where in a conversation a command is offered (the help lists only these); see engine._places.
MENU, QUESTION, OUTCOME, FORM, TEXT, RECORDS, SAVED = "menu", "question", "outcome", "form", "text", "records", "saved"
ANYWHERE = frozenset({MENU, QUESTION, OUTCOME, FORM, TEXT, RECORDS, SAVED})
IN_DIALOG = ANYWHERE - {MENU}
IN_FORM = frozenset({FORM, TEXT})

ENGINE, EDGE = "engine", "edge"


def normalise(text: str) -> str:
    """Lower case, punctuation removed, spaces folded."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower().replace("_", " "))).strip()


@dataclass(frozen=True)
class Command:
    """One command: the token its button sends (`name`), what typing it looks like, and who runs it."""

    name: str
    # engine: a function of dialogs/engine.py; edge: a method of the escalation service; None: the
    # token goes on to the question or pack entry of the same name (`share`, `consent`).
    handler: str | None
    help: str = ""  # one line; "" = not listed (a button's own value, or an entry the menu shows)
    words: tuple[str, ...] = ()  # as the help shows them (the first); matched folded (see normalise)
    # Typed with an argument; the groups are the handler's arguments (see _ARGUMENTS).
    pattern: Pattern[str] | None = None
    usage: str = ""  # how the help shows a command typed with an argument
    # Who the help offers it to, and where. Typed anywhere else it still does what its button does
    # (its handler says when there is nothing to do, and the edge refuses whoever may not use it),
    # so a command word is never taken as an answer and nothing typed is silently lost.
    who: frozenset[str] = EVERYONE
    where: frozenset[str] = ANYWHERE
    runs: str = ENGINE
    in_menu: bool = False  # listed in a channel's command menu (the Teams app's), in declared order

    @property
    def shown_as(self) -> str:
        """What the help tells a person to type."""
        return self.usage or (self.words[0] if self.words else self.name)

    def offered(self, roles: frozenset[str], places: frozenset[str]) -> bool:
        """True when the help should list it for this person here."""
        return bool(self.help) and bool(self.who & roles) and bool(self.where & places)


@dataclass(frozen=True)
class Call:
    """A command recognised in what was typed or tapped, with its arguments."""

    command: Command
    args: tuple[Any, ...] = ()

    @property
    def name(self) -> str:
        """The command's name."""
        return self.command.name


_OPEN = re.compile(r"^(?:open|show|view)?\s*(isr-\d{4}-\d{6})$", re.IGNORECASE)
_SINCE = re.compile(r"^(?:show\s+)?(my|org|organisation|team|our)\s+records\s+(?:since|from)\s+(\S.*)$",
                    re.IGNORECASE)
# The escalation service reads the role and the join code with this same pattern.
REGISTER_PATTERN = _REGISTER = re.compile(r"^\s*register\s+(dsl|deputy)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_ANSWER = re.compile(r"^\s*(acknowledge|ack|calling|call back|call|resolved?|close)\s+((?:esc|ho)-\d+)\b\s*(.*)$",
                     re.IGNORECASE | re.DOTALL)
# A typed answer to a request does what the same button on the DSL's card does (bot/escalation/cards.py).
_ANSWER_ACTIONS = {"acknowledge": "acknowledge", "ack": "acknowledge", "calling": "calling", "call back": "calling",
                   "call": "calling", "resolve": "resolve", "resolved": "resolve", "close": "resolve"}


def _open_args(m: re.Match[str], text: str) -> tuple[Any, ...]:
    return (m.group(1).upper(),)


def _since_args(m: re.Match[str], text: str) -> tuple[Any, ...]:
    return ("mine" if m.group(1).lower() == "my" else "organisation", m.group(2).strip())


def _answer_args(m: re.Match[str], text: str) -> tuple[Any, ...]:
    action = _ANSWER_ACTIONS[" ".join(m.group(1).lower().split())]
    return ({"escalation": m.group(2).upper(), "action": action, "advice": m.group(3).strip()},)


def _whole_text(m: re.Match[str], text: str) -> tuple[Any, ...]:
    # The service reads the join code itself, so the code is in one place only: what was typed.
    return (text,)


_ARGUMENTS = {"open": _open_args, "records_since": _since_args, "answer_request": _answer_args,
              "register": _whole_text}


COMMANDS: tuple[Command, ...] = (
    # The recogniser (dialogs/danger.py) reads typed danger in any words; this is the button and the menu entry.
    Command("danger", "_danger", "A child is in immediate danger: what to do now", usage="999", in_menu=True),
    Command("help", "_help", "What you can type here",
            ("help", "commands", "what can i say", "what can i do", "help me", "how does this work"), in_menu=True),
    Command("back", "_back", "Undo your last answer", ("back", "undo", "go back", "previous"), where=IN_DIALOG),
    Command("restart", "_restart", "Start a new question",
            ("start again", "restart", "start over", "reset", "new question", "begin again"), where=IN_DIALOG,
            in_menu=True),
    Command("menu", "_restart", "", ("menu", "home", "main menu")),
    Command("resume", "_present", "", ("resume", "carry on", "continue", "carry on where i was")),
    Command("why", "_why", "Why this question matters",
            ("why", "why does this matter", "explain", "why is this asked"), where=frozenset({QUESTION})),
    Command("rules", "_rules", "The seven golden rules for sharing",
            ("rules", "golden rules", "the seven golden rules", "seven golden rules", "7 golden rules",
                   "show rules"), in_menu=True),
    Command("dsl", "_escalate", "Ask your Designated Safeguarding Lead for advice",
            ("ask my DSL", "DSL", "ask DSL", "advice", "ask advice", "seek advice", "contact DSL",
                   "ask my safeguarding lead", "ping DSL"), in_menu=True),
    Command("mash", "_mash", "Request a MASH professional consultation",
            ("MASH", "professional consultation", "request MASH professional consultation",
                   "MASH consultation", "request professional consultation"), where=IN_DIALOG - IN_FORM,
            in_menu=True),
    Command("record", "_start_record", "Record this decision",
            ("record", "record this decision", "record decision", "record it"), where=frozenset({OUTCOME})),
    Command("confirm", "_confirm", "Save or send what you have filled in",
            ("confirm", "confirm and save", "save"), where=IN_FORM),
    Command("edit", "_edit_menu", "Change an answer in the form", ("edit", "change"), where=IN_FORM),
    Command("cancel", "_cancel_record", "Stop this form; nothing is saved or sent",
            ("cancel", "cancel record", "discard"), where=IN_FORM),
    Command("retry", "_retry", "Try saving again", ("retry", "try again", "save again"), where=IN_FORM),
    Command("send_anyway", "_send_anyway"),  # only the button on the identifier warning
    Command("correct", "_correct", "Correct a saved record", ("correct", "correct this record", "correction"),
            where=frozenset({SAVED})),
    Command("my_records", "_my_records", "The decisions you have recorded",
            ("my records", "show my records", "list my records"), in_menu=True),
    Command("org_records", "_org_records", "Your organisation's records",
            ("org records", "organisation records", "team records", "our records"), who=DSLS),
    Command("records_since", "_records_since", "Records from a date on", pattern=_SINCE,
            usage="my records since 1/11/2026", where=frozenset({MENU, RECORDS})),
    Command("more", "_more", "The next page of records",
            ("more", "next", "next page", "more records", "show more"), where=frozenset({RECORDS})),
    Command("open", "_open_record", "Open one record", pattern=_OPEN, usage="open ISR-2026-000042",
            where=frozenset({MENU, RECORDS, SAVED})),
    # Entries of the pack: the menu's buttons; typed, they start the same questions.
    Command("share", None, "", ("can i share", "can i share this information", "can i share this", "share",
                                      "sharing")),
    Command("consent", None, "", ("do i need consent", "consent", "need consent")),
    # Edge commands: handled by the channel before the engine, so a join code never reaches the
    # conversation state and a MASH channel (a shared conversation) can see its hand-offs.
    Command("escalations", "overview", "Requests for advice and where they are",
            ("escalations", "open requests", "my requests", "show escalations", "open escalations"),
            where=frozenset({MENU}), runs=EDGE),
    Command("answer_request", "act", "Answer a request: ack, calling or resolve, then its number", pattern=_ANSWER,
            usage="ack ESC-000001", who=DSLS, where=frozenset({MENU}), runs=EDGE),
    Command("register", "register", "Register as your school's DSL with a join code", pattern=_REGISTER,
            usage="register dsl <join code>", where=frozenset({MENU}), runs=EDGE),
)


class Registry:
    """The commands, looked up by name, by typed words, by button token and by card submit."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self._by_name: dict[str, Command] = {}
        self._by_word: dict[str, Command] = {}
        for command in commands:
            if command.name in self._by_name:
                raise ValueError(f"command {command.name!r} is declared twice")
            self._by_name[command.name] = command
            for word in map(normalise, command.words):
                if word in self._by_word:
                    raise ValueError(f"{word!r} names both {self._by_word[word].name!r} and {command.name!r}")
                self._by_word[word] = command
            if (command.pattern is not None) != (command.name in _ARGUMENTS):
                raise ValueError(f"command {command.name!r}: a pattern needs its arguments (and only then)")
        self._patterns = [c for c in commands if c.pattern is not None]

    def __iter__(self) -> Iterator[Command]:
        return iter(self._by_name.values())

    def __getitem__(self, name: str) -> Command:
        return self._by_name[name]

    def typed(self, text: str) -> Call | None:
        """The command a typed message is (engine or edge), with its arguments; None for other words."""
        command = self._by_word.get(normalise(text))
        if command is not None:
            return Call(command)
        folded = " ".join(text.split())
        for command in self._patterns:
            match = command.pattern.match(folded) if command.pattern is not None else None
            if match:
                return Call(command, _ARGUMENTS[command.name](match, text))
        return None

    def token(self, token: str) -> Call | None:
        """The command a button's value names: "back", or "open:ISR-2026-000042" with its argument."""
        name, _, arg = token.partition(":")
        command = self._by_name.get(name)
        if command is None or bool(arg) != (command.pattern is not None):
            return None
        return Call(command, (arg,) if arg else ())

    def edge(self, text: str, value: Mapping[str, Any] | None) -> Call | None:
        """The edge command in a message: a button on a request's card, or typed words; else None."""
        if isinstance(value, abc.Mapping):
            if isinstance(value.get("escalation"), str) and "action" in value:
                return Call(self["answer_request"], (value,))
            return None
        call = self.typed(text) if text else None
        return call if call is not None and call.command.runs == EDGE else None

    def offered(self, roles: frozenset[str], places: frozenset[str]) -> list[Command]:
        """The commands the help lists for this person here, in declared order."""
        return [c for c in self if c.offered(roles, places)]

    def menu(self) -> list[Command]:
        """The commands a channel's command menu lists, in declared order."""
        return [c for c in self if c.in_menu]


REGISTRY = Registry(COMMANDS)
