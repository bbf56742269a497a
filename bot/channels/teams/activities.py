"""Bot Framework activities to and from JSON, without msrest's general machinery on the hot path.

msrest (which botbuilder uses for every model) serialises an outgoing activity by first
"deserialising" the model into itself, then validating it, then walking it key by key through a
chain of generic converters, and parses an incoming one by rebuilding its table of every schema
model first. Profiling a busy worker put about a third of its CPU there (docs/performance.md).

The functions here do the same conversion directly from each model's own `_attribute_map`, for
exactly the shapes the activity schema has: plain JSON values, ISO-8601 times, nested models and
lists of them, unknown keys kept in `additional_properties` as msrest keeps them. Anything else
(a value of an unexpected type, a flattened key, a model with validation rules) raises
`NotPlain`, and the caller uses msrest as before, so the result is always msrest's.
tests/test_activity_json.py checks both ways against msrest on every kind of activity the bot
sends and receives.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any, Callable

import botbuilder.schema as _schema
import orjson
from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model, Serializer

_JSON_SCALARS = (str, int, float, bool)


class NotPlain(Exception):
    """The value is outside what this module converts; use msrest."""


def _models() -> dict[str, type[Model]]:
    found = {}
    for name, value in vars(_schema).items():
        if isinstance(value, type) and issubclass(value, Model):
            found[name] = value
    return found


_MODELS = _models()


_PLAIN: dict[type, bool] = {}


def _plain_model(cls: type) -> bool:
    """True for a model with no validation rules, subtypes or flattened keys (worked out once a class)."""
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = _PLAIN[cls] = not getattr(cls, "_validation", None) and not getattr(cls, "_subtype_map", None) \
            and all("." not in d["key"] and d["key"] for d in cls._attribute_map.values()) \
            and len({d["key"] for d in cls._attribute_map.values()}) == len(cls._attribute_map)  # one attribute a key
    return plain


class _NoType:
    """Matches no value's type (the `exact` of a kind that is not a plain scalar)."""


_EXACT: dict[str, type] = {"str": str, "bool": bool, "int": int, "float": float}


class _Plan:
    """How one plain model class converts, worked out once a class: every activity in and out is
    converted, and an Activity names some 45 attributes of which a message sets about ten, so the
    conversions walk the ones present and look each up here."""

    __slots__ = ("by_attr", "by_key")

    def __init__(self, cls: type) -> None:
        items = [(attr, d["key"], d["type"], _EXACT.get(d["type"], _NoType)) for attr, d in cls._attribute_map.items()]
        # attribute -> (JSON key, msrest type, the exact scalar type that converts as itself)
        self.by_attr = {attr: (key, kind, exact) for attr, key, kind, exact in items}
        # JSON key -> (attribute, msrest type, exact scalar type)
        self.by_key = {key: (attr, kind, exact) for attr, key, kind, exact in items}


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """The conversion plan of a plain model class; NotPlain for any other."""
    plan = _PLANS.get(cls)
    if plan is None:
        if not _plain_model(cls):
            raise NotPlain(cls.__name__)
        plan = _PLANS[cls] = _Plan(cls)
    return plan


# ---- model -> JSON ------------------------------------------------------------------------------


def to_json(model: Model) -> dict[str, Any]:
    """The JSON msrest's Serializer.body(model, type) would give; NotPlain when unsure."""
    by_attr = _plan(type(model)).by_attr
    out: dict[str, Any] = {}
    for attr, value in vars(model).items():
        if value is None:
            continue
        found = by_attr.get(attr)
        if found is not None:
            key, kind, exact = found
            # A value of exactly its scalar type is itself; anything else takes the full path.
            out[key] = value if type(value) is exact else _out(value, kind)
    # (An instance's additional_properties are not sent: msrest sends them only for a model
    # whose map names them, and none of the activity models does.)
    return out


_SCALAR_KINDS = frozenset({"str", "bool", "int", "float"})


def _scalar(value: Any, kind: str) -> Any:
    """A str, bool, int or float value of exactly that type (a bool is not an int here)."""
    if type(value).__name__ == kind:
        return value
    raise NotPlain(kind)


def _each(value: Any, kind: str, convert: Callable[[Any, str], Any]) -> list[Any]:
    """A list kind ("[Entity]"), each item converted as its inner kind; NotPlain for a None item."""
    if type(value) is not list or any(v is None for v in value):
        raise NotPlain(kind)
    inner = kind[1:-1]
    return [convert(v, inner) for v in value]


def _out(value: Any, kind: str) -> Any:
    if kind == "str" and isinstance(value, Enum) and isinstance(value.value, str):
        return value.value
    if kind in _SCALAR_KINDS:
        return _scalar(value, kind)
    if kind == "object":
        return plain_object(value)
    if kind == "iso-8601":
        if isinstance(value, _dt.datetime) and value.tzinfo is not None:
            return Serializer.serialize_iso(value)
        raise NotPlain(kind)
    if kind.startswith("[") and kind.endswith("]"):
        return _each(value, kind, _out)
    if isinstance(value, Model) and kind in _MODELS:
        return to_json(value)  # msrest serialises a model by its own class's map
    raise NotPlain(kind)


_PLAIN_ONLY = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def plain_object(value: Any) -> Any:
    """A value of msrest type 'object' as JSON (it already is, for plain JSON); NotPlain otherwise."""
    if type(value) in _JSON_SCALARS:
        return value
    if type(value) in (dict, list):
        try:
            # The encoder the send itself uses (connector._direct_body); the pass-through options
            # make it refuse what the json module refuses too (datetimes, dataclasses, subclasses).
            orjson.dumps(value, option=_PLAIN_ONLY)
        except (TypeError, ValueError) as exc:  # orjson.JSONEncodeError is a TypeError
            raise NotPlain("object") from exc
        return value
    if isinstance(value, Model):
        return to_json(value)
    raise NotPlain("object")


# ---- JSON -> model ------------------------------------------------------------------------------


def activity_from_json(body: dict[str, Any]) -> Activity:
    """Activity().deserialize(body), faster; msrest itself for anything unusual."""
    try:
        return _build(Activity, body)
    except NotPlain:
        return Activity().deserialize(body)


def model_from_json(cls: type[Model], body: Any) -> Model:
    """cls().deserialize(body) for a plain model, faster; NotPlain for anything else."""
    return _build(cls, body)


class SentOnce(Activity):
    """An outgoing activity made for one send and held by nothing else.

    botbuilder's TurnContext deep-copies every activity it is asked to send, so that filling in the
    conversation and ids does not change the caller's object. This one has no other holder, so the
    copy protects nothing; it cost 50-70 us a reply (a card is a few hundred nested values), about
    4% of a turn's CPU (docs/performance.md)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> "SentOnce":
        return self


def outgoing_activity(body: dict[str, Any]) -> Activity:
    """A fresh activity to send (a SentOnce); msrest's own Activity for anything unusual."""
    try:
        return _build(SentOnce, body)
    except NotPlain:
        return Activity().deserialize(body)


def _build(cls: type, data: Any) -> Any:
    if type(data) is not dict:
        raise NotPlain(cls.__name__)
    by_key = _plan(cls).by_key
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        found = by_key.get(key)
        if found is None:
            extra[key] = value
        elif value is not None:
            attr, kind, exact = found
            kwargs[attr] = value if type(value) is exact else _in(value, kind)
    obj = cls(**kwargs)
    if extra:  # as msrest: keys the schema does not name are kept, not dropped
        obj.additional_properties = extra
    return obj


def _iso(value: str) -> _dt.datetime:
    """msrest's Deserializer.deserialize_iso, with the standard library's parser for the usual form
    (2026-12-04T03:00:00.1234567Z: fractions past microseconds are cut, as msrest cuts them)."""
    head, dot, rest = value.partition(".")
    if dot and len(head) == 19 and head[10] == "T" and rest.endswith("Z") and rest[:-1].isdigit():
        try:
            parsed = _dt.datetime.fromisoformat(head + "." + rest[:-1][:6].ljust(6, "0"))
        except ValueError:
            pass
        else:
            return parsed.replace(tzinfo=_dt.timezone.utc)
    return Deserializer.deserialize_iso(value)  # any other form (an offset, no fraction): msrest decides


def _in(value: Any, kind: str) -> Any:
    if kind in _SCALAR_KINDS:
        return _scalar(value, kind)
    if kind == "object":
        if type(value) in _JSON_SCALARS or type(value) in (dict, list):
            return value
        raise NotPlain(kind)
    if kind == "iso-8601":
        if type(value) is str:
            return _iso(value)
        raise NotPlain(kind)
    if kind.startswith("[") and kind.endswith("]"):
        return _each(value, kind, _in)
    model = _MODELS.get(kind)
    if model is not None:
        return _build(model, value)
    raise NotPlain(kind)


def activity_json(activity: Activity) -> dict[str, Any]:
    """An incoming activity as the JSON the bot reads (bot/channels/activity.py): to_json, or
    msrest for what it refuses, with each entity's own keys kept (a mention's `mentioned` and
    `text` are not in the schema's Entity, so a serialiser drops them)."""
    try:
        out = to_json(activity)
    except NotPlain:
        out = activity.serialize()
    entities = out.get("entities")
    if isinstance(entities, list) and activity.entities:
        out["entities"] = [{**(getattr(e, "additional_properties", None) or {}), **j}
                           for e, j in zip(activity.entities, entities)]
    return out
