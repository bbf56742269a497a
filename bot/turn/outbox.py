"""A turn's replies kept with its state: saved in the same write as the state, so a worker that
dies between saving and sending loses nothing (the redelivered activity, or the job outbox, sends
them again with the same ids)."""

from __future__ import annotations

from collections import abc
from dataclasses import MISSING, fields
from typing import Any, Collection, Iterable, Mapping

from dialogs.model import Choice, Reply, RuleRef

# The state keeps the rendered replies of the last few activities, so a redelivery whose replies
# were never delivered (a worker killed between save and send) gets them, not silence.
OUTBOX_KEY = "outbox"
OUTBOX_KEEP = 3


def _reply_defaults() -> tuple[tuple[str, Any], ...]:
    return tuple((f.name, f.default if f.default is not MISSING else (
        f.default_factory() if f.default_factory is not MISSING else MISSING)) for f in fields(Reply))


# Worked out once: stored_reply runs for every reply of every turn.
_REPLY_DEFAULTS = _reply_defaults()


# What an outcome reply carries for programs reading the engine (`chat --json`, the scenario
# checker): the whole decision summary (about 4.7 KB) and the contacts already written into its
# text. No channel renders them, so a re-send does not need them, and the state is saved every turn.
_NOT_RENDERED = frozenset({"record", "contacts"})


def stored_reply(reply: Reply) -> dict[str, Any]:
    """A reply as kept in the outbox: every field that differs from its default, as plain JSON
    (a few hundred bytes; a rendered card is several times that, and the state is saved every turn),
    without the data no channel renders (_NOT_RENDERED)."""
    out: dict[str, Any] = {}
    for name, default in _REPLY_DEFAULTS:
        value = getattr(reply, name)
        if name == "data" and value:
            value = {k: v for k, v in value.items() if k not in _NOT_RENDERED}
        if value is default or value == default:
            continue
        if name == "choices":
            value = [[c.value, c.label] for c in value]
        elif name == "rules":
            value = [[r.number, r.text, r.short] for r in value]
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        elif isinstance(value, abc.Mapping):
            value = dict(value)
        out[name] = value
    return out


def reply_from_stored(data: Mapping[str, Any]) -> Reply:
    """The Reply that stored_reply kept (fields this version does not know are ignored)."""
    known = {f.name for f in fields(Reply)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name == "choices":
            value = tuple(Choice(str(v), str(label)) for v, label in value)
        elif name == "rules":
            value = tuple(RuleRef(int(r[0]), str(r[1]), str(r[2]) if len(r) > 2 else "") for r in value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[name] = value
    return Reply(**values)


def danger_first(replies: Iterable[Reply]) -> list[Reply]:
    """The replies with any "call 999" reply first: on a phone the first message is the one read."""
    listed = list(replies)
    return [r for r in listed if r.kind == "danger"] + [r for r in listed if r.kind != "danger"]


def stored_outbox(state: Mapping[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The stored replies of one activity (by activity_key), if the state still holds them."""
    for entry in (state or {}).get(OUTBOX_KEY) or ():
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry
    return None


def with_outbox(saved: dict[str, Any], previous: Mapping[str, Any] | None, entry: dict[str, Any],
                delivered: Collection[str] = ()) -> None:
    """Put this turn's rendered replies into the state about to be saved (the same one write),
    keeping earlier activities' replies unless they are known to have been delivered."""
    older = [e for e in (previous or {}).get(OUTBOX_KEY) or ()
             if isinstance(e, dict) and e.get("key") != entry["key"] and e.get("key") not in delivered]
    saved[OUTBOX_KEY] = [entry] + older[:OUTBOX_KEEP - 1]

