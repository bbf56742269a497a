"""The forms the bot fills in one short question at a time: the decision record, the request to
the DSL, and the MASH professional consultation hand-off. Their fields are data (dialogs/forms.yaml),
validated on load; a pack's `forms: record:` adds fields (docs/pack-authoring.md).

Golden rule 7, Sandwell protocol Appendix 2 questions 5 and 7 and the schools guidance say what a
record holds: the request (who asked, when, for what), the data requested and the data shared, the
perceived level of risk of harm at the time, the legal basis, consent, the method and receipt. The
form asks only what the dialog does not already know: the answers, the outcome, the golden rules,
the pack and its version, and (where the flowchart found it) the consent status and why consent was
not sought are filled in from the conversation. What the flowchart suggests (the lawful basis, the
threshold) is offered first, never filled in silently: the practitioner owns the judgement.
"""

from __future__ import annotations

import difflib
from collections import abc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from dialogs.model import Choice

FORMS_FILE = Path(__file__).with_name("forms.yaml")

LAWFUL_BASES = {
    "consent": "Consent (UK GDPR Art. 6(1)(a))",
    "legal_obligation": "Legal obligation (UK GDPR Art. 6(1)(c))",
    "vital_interests": "Vital interests (UK GDPR Art. 6(1)(d))",
    "public_task": "Public task (UK GDPR Art. 6(1)(e))",
    # For bodies without public functions (e.g. a charity or independent provider), not public authorities.
    "legitimate_interests": "Legitimate interests (UK GDPR Art. 6(1)(f))",
    "not_personal_data": "None needed: anonymised, not personal data",
}
# Not a basis: the practitioner could not tell, so the record says so and the DSL is offered.
NOT_SURE_BASIS = "not_sure"
NOT_SURE_BASIS_TEXT = "Not sure: to be confirmed with the DSL"
SPECIAL_CATEGORY_BASIS = (
    "UK GDPR Art. 9(2)(g) with DPA 2018 Sch. 1 para 18: safeguarding of children and individuals at risk"
)
# Where consent is the Art. 6 basis, the Art. 9 condition is explicit consent, not Sch. 1 para 18.
SPECIAL_CATEGORY_CONSENT = "UK GDPR Art. 9(2)(a): explicit consent"
# Consent the dialog found was not given cannot be the lawful basis for sharing.
_NO_CONSENT = frozenset({"refused", "withdrawn", "not_sought", "not_valid", "not_yet_sought"})


# Golden rule 3: seek advice without disclosing the identity of the individual where possible.
NO_IDENTIFIERS = "Don't include names, dates of birth, addresses or anything that identifies the child or family."
# The forms a pack may add fields to: a request's fields are what the edge sends, so only the record grows.
EXTENSIBLE = frozenset({"record"})
FIELD_KEYS = frozenset({"name", "label", "prompt", "choices", "hint", "when", "exclude", "suggest", "about_child"})
PACK_FIELD_KEYS = FIELD_KEYS | {"after"}


class FormError(ValueError):
    """A form's data is not valid; the message names the file and the field."""


# The draft is a typed draft (dialogs/drafts.py): record drafts have decision, consent, fields,
# lawful_basis_known, lawful_basis_suggested, threshold and corrects; requests consent and fields.
Draft = Any


def _value(draft: Draft, name: str) -> str:
    return str(draft.fields.get(name) or "")


def _shares(draft: Draft) -> bool:
    return draft.decision == "share"


def _sent(draft: Draft) -> bool:
    """Shared already (not "not shared yet"): only then can the person be told or receipt confirmed."""
    return _shares(draft) and _value(draft, "method") != "not_shared_yet"


def _consent_reason_unknown(draft: Draft) -> bool:
    """True when the record must say why consent was not sought or was overridden, and does not yet."""
    consent = draft.consent
    if consent.get("reason"):
        return False
    # A refusal that is respected, or consent found not valid (the record says why), was neither
    # "not sought" nor "overridden": asking so would put words in the practitioner's mouth.
    overridden = consent.get("status") in ("refused", "withdrawn") and draft.decision == "share"
    return consent.get("status") == "not_sought" or overridden


def _consent_of(draft: Draft) -> str:
    return draft.fields.get("consent_status") or draft.consent.get("status", "")


CONDITIONS: Mapping[str, Callable[[Draft], bool]] = {
    "shares": _shares,
    "sent": _sent,
    "was_asked": lambda d: _value(d, "request_asked") == "yes",
    "correcting": lambda d: bool(d.corrects),
    "decided_not_to_share": lambda d: d.decision == "do_not_share",
    "seeking_advice": lambda d: d.decision == "seek_advice",
    "lawful_basis_unknown": lambda d: not d.lawful_basis_known,
    "consent_not_given": lambda d: (d.consent or {}).get("status") in _NO_CONSENT,
    "consent_reason_unknown": _consent_reason_unknown,
    # A MASH request made before the flowchart reached consent asks the practitioner.
    "consent_unknown": lambda d: d.consent.get("status", "") in ("", "not_decided", "not_needed"),
    "consent_refused_without_reason": lambda d: (_consent_of(d) in ("refused", "withdrawn", "not_sought")
                                                 and not d.consent.get("reason")),
}


def _suggested_risk(draft: Draft) -> str:
    """The risk level the flowchart's `threshold` fact points to (packs word it their own way)."""
    threshold = str(draft.threshold or "").lower()
    if "below" in threshold or "early help" in threshold:
        return "early_help"
    return "significant_harm" if "significant harm" in threshold else ""


SUGGESTIONS: Mapping[str, Callable[[Draft], str]] = {
    "risk_from_threshold": _suggested_risk,
    "lawful_basis_from_outcome": lambda d: str(d.lawful_basis_suggested or ""),
}


def _typed(draft: Any) -> Draft:
    """A draft as stored (a mapping) read as the typed draft the conditions expect."""
    if isinstance(draft, abc.Mapping):
        from dialogs import drafts  # drafts builds on this module; only a stored mapping needs it

        return drafts.load(draft)
    return draft


@dataclass(frozen=True)
class Field:
    """One question of a form."""

    name: str
    label: str
    prompt: str
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    # Names of the conditions (CONDITIONS, or field tests) that must all hold for it to be asked.
    conditions: tuple[tuple[str, Callable[[Draft], bool]], ...] = ()
    # (choice, condition): the choice is not offered while the condition holds.
    excluded: tuple[tuple[str, Callable[[Draft], bool]], ...] = ()
    suggestion: str = ""
    # False for the practitioner's or another professional's own details, never about the child.
    about_child: bool = True

    def when(self, draft: Any) -> bool:
        """Whether to ask this field, given the draft so far (typed, or as stored)."""
        return self.applies(_typed(draft))

    def applies(self, draft: Draft) -> bool:
        """Whether to ask this field, given the typed draft so far."""
        for _, test in self.conditions:  # a loop, not all(<generator>): asked several times a turn
            if not test(draft):
                return False
        return True

    def suggest(self, draft: Any) -> str:
        """The choice the dialog suggests: offered first, marked, never filled in."""
        return SUGGESTIONS[self.suggestion](_typed(draft)) if self.suggestion else ""

    def options(self, draft: Any) -> tuple[Choice, ...]:
        """The choices offered for this draft (the suggested one first)."""
        draft = _typed(draft)
        excluded = {value for value, test in self.excluded if test(draft)}
        offered = tuple(c for c in self.choices if c.value not in excluded) if excluded else self.choices
        suggested = self.suggest(draft)
        first = next((c for c in offered if c.value == suggested), None)
        if first is None:
            return offered
        return (Choice(first.value, f"{first.label} (suggested)"),) + tuple(c for c in offered if c is not first)

    def question(self, draft: Any) -> str:
        """The prompt, saying where a suggestion comes from."""
        suggested = self.suggest(draft)
        if suggested and any(c.value == suggested for c in self.options(draft)):
            return f"{self.prompt} The first choice is what your answers point to."
        return self.prompt

    @property
    def takes_text(self) -> bool:
        """True when the question has a text box (no buttons, or buttons and a hint)."""
        return not self.choices or bool(self.hint)


@dataclass(frozen=True)
class Form:
    """A sequence of fields; which are asked depends on the draft so far."""

    name: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        """A field of this form by its name."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def next_field(self, draft: Draft) -> Field | None:
        """The first field still to ask, or None when the form is complete."""
        values = draft.fields
        for f in self.fields:
            if f.name not in values and f.applies(draft):
                return f
        return None

    def asked_fields(self, draft: Draft) -> list[Field]:
        """The fields this draft has answers for, in form order (what Edit may change)."""
        values = draft.fields
        return [f for f in self.fields if f.name in values and f.applies(draft)]

    def prune(self, draft: Draft) -> None:
        """Drop answers to fields that no longer apply (e.g. after an edit changes the basis)."""
        values = draft.fields
        for name in list(values):
            f = self.field(name)
            if f is not None and not f.applies(draft):
                del values[name]


# ---- Reading the data ----------------------------------------------------------------------------


def _near(name: Any, known: Any) -> str:
    found = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.6)
    return f"did you mean {found[0]}?" if found else f"known: {', '.join(sorted(known))}"


def _word(raw: Any) -> Any:
    """YAML reads a bare yes/no as a boolean; an author means the word."""
    return {True: "yes", False: "no"}.get(raw, raw) if isinstance(raw, bool) else raw


def _condition(raw: Any, where: str, problems: list[str]) -> tuple[str, Callable[[Draft], bool]] | None:
    if isinstance(raw, str) and raw in CONDITIONS:
        return raw, CONDITIONS[raw]
    if isinstance(raw, dict) and set(raw) in ({"field", "is"}, {"field", "is_not"}) and isinstance(raw["field"], str):
        name, want = raw["field"], str(_word(raw.get("is", raw.get("is_not"))))
        if "is" in raw:
            return f"{name} is {want}", lambda d: d.fields.get(name) == want
        return f"{name} is not {want}", lambda d: d.fields.get(name) != want
    if isinstance(raw, str):
        problems.append(f"{where}: unknown condition {raw}: {_near(raw, CONDITIONS)}")
    else:
        problems.append(f"{where}: a condition is a name ({', '.join(sorted(CONDITIONS))}) "
                        "or {field: <name>, is: <value>} or {field: <name>, is_not: <value>}")
    return None


def _field(raw: Any, where: str, allowed: frozenset[str], problems: list[str]) -> Field | None:
    """One field from its data, or None (with the problems noted) when it is not valid."""
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"{where}: each field is a mapping with at least name, label and prompt")
        return None
    where = f"{where} field '{raw['name']}'"
    count = len(problems)
    for key in raw:
        if key not in allowed:
            problems.append(f"{where}: unknown key {key}: {_near(key, allowed)}")
    for key in ("label", "prompt"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"{where}: needs '{key}' (text)")
    choices = []
    for c in raw.get("choices") or []:
        if not isinstance(c, dict) or set(c) != {"value", "label"}:
            problems.append(f"{where}: each choice is {{value: <stored value>, label: <button text>}}")
            continue
        label = str(_word(c["label"])).capitalize() if isinstance(c["label"], bool) else str(c["label"])
        choices.append(Choice(str(_word(c["value"])), label))
    if len({c.value for c in choices}) != len(choices):
        problems.append(f"{where}: two choices have the same value")
    if not choices and not raw.get("hint"):
        problems.append(f"{where}: needs 'choices' (buttons) or 'hint' (the text box's placeholder), or both")
    values = {c.value for c in choices}
    when = raw.get("when") or []
    conditions = [_condition(c, where, problems) for c in (when if isinstance(when, list) else [when])]
    excluded = []
    for item in raw.get("exclude") or []:
        keys = set(item) if isinstance(item, dict) else set()
        if keys not in ({"choice", "when"}, {"choice", "unless"}) or str(item["choice"]) not in values:
            problems.append(f"{where}: exclude items are {{choice: <one of its values>, when|unless: <condition>}}")
            continue
        found = _condition(item.get("when", item.get("unless")), where, problems)
        if found is not None:
            test = found[1] if "when" in item else (lambda t: lambda d: not t(d))(found[1])
            excluded.append((str(item["choice"]), test))
    suggestion = str(raw.get("suggest") or "")
    if suggestion and suggestion not in SUGGESTIONS:
        problems.append(f"{where}: unknown suggest {suggestion}: {_near(suggestion, SUGGESTIONS)}")
    if not isinstance(raw.get("about_child", True), bool):
        problems.append(f"{where}: about_child is true or false")
    if len(problems) > count:
        return None
    return Field(
        name=str(raw["name"]), label=" ".join(raw["label"].split()),
        prompt=" ".join(raw["prompt"].replace("{no_identifiers}", NO_IDENTIFIERS).split()),
        choices=tuple(choices), hint=str(raw.get("hint") or ""), conditions=tuple(c for c in conditions if c),
        excluded=tuple(excluded), suggestion=suggestion, about_child=bool(raw.get("about_child", True)),
    )


def _where(prefix: str, raw: Any, index: int) -> str:
    """Where a field is, for a message: its name follows; an unnamed one is counted."""
    return prefix if isinstance(raw, dict) and raw.get("name") else f"{prefix} #{index + 1}"


def _unique(fields: list[Field], where: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for f in fields:
        if f.name in seen:
            problems.append(f"{where} field '{f.name}': appears twice; give each field its own name")
        seen.add(f.name)


def load(path: Path = FORMS_FILE) -> dict[str, Form]:
    """The forms in a data file; raise FormError naming the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FormError(f"{path.name}: cannot be read: {' '.join(str(exc).split())}") from None
    problems: list[str] = []
    if not isinstance(data, dict) or set(data) != {"record", "dsl", "mash"}:
        raise FormError(f"{path.name}: must hold the forms record, dsl and mash, each a list of fields")
    out = {}
    for name, raw in data.items():
        where = f"{path.name}: {name}"
        read = (_field(one, _where(where, one, i), FIELD_KEYS, problems) for i, one in enumerate(raw or []))
        fields = [f for f in read if f is not None]
        _unique(fields, where, problems)
        out[name] = Form(name, tuple(fields))
    basis = out["record"].field("lawful_basis")
    if basis is not None and {c.value for c in basis.choices} - set(LAWFUL_BASES) - {NOT_SURE_BASIS}:
        problems.append(f"{path.name}: record field 'lawful_basis': every value is a key of LAWFUL_BASES or not_sure")
    if problems:
        raise FormError("\n".join(problems))
    return out


def extend(base: Mapping[str, Form], raw: Any) -> dict[str, Form]:
    """A pack's forms: the base forms with the fields its `forms:` section adds (FormError names the field)."""
    out = dict(base)
    if not raw:
        return out
    if not isinstance(raw, dict) or set(raw) - EXTENSIBLE:
        raise FormError("forms: a pack may add fields to: " + ", ".join(sorted(EXTENSIBLE))
                        + " (write forms: {record: [{name, label, prompt, ...}]})")
    problems: list[str] = []
    for form_name, items in raw.items():
        where = f"forms.{form_name}"
        if not isinstance(items, list):
            problems.append(f"{where}: must be a list of fields")
            continue
        fields = list(base[form_name].fields)
        for i, item in enumerate(items):
            f = _field(item, _where(where, item, i), PACK_FIELD_KEYS, problems)
            if f is None:
                continue
            if any(x.name == f.name for x in fields):
                problems.append(f"{where} field '{f.name}': is already a field of the {form_name} form; "
                                "pick another name")
                continue
            after = item.get("after")
            names = [x.name for x in fields]
            if after is not None and after not in names:
                problems.append(f"{where} field '{f.name}': after: {after} is not a field of the form: "
                                f"{_near(after, names)}")
                continue
            fields.insert(names.index(after) + 1 if after is not None else len(fields), f)
        out[form_name] = Form(form_name, tuple(fields))
    if problems:
        raise FormError("\n".join(problems))
    return out


FORMS: Mapping[str, Form] = load()
RECORD, DSL, MASH = FORMS["record"], FORMS["dsl"], FORMS["mash"]
# The record's own questions, without the correction's reason (what a record shows, in order).
FIELDS: tuple[Field, ...] = tuple(f for f in RECORD.fields if f.name != "correction_reason")
CORRECTION_FIELD = RECORD.field("correction_reason")


def display_value(f: Field, value: str) -> str:
    """A stored value as the practitioner sees it."""
    for c in f.choices:
        if c.value == value:
            return c.label
    return value


def lawful_basis_text(draft: Draft) -> dict[str, str]:
    """The lawful basis for the record: Art. 6, and Art. 9 with DPA Sch. 1 para 18 when special."""
    values = draft.fields
    basis = values.get("lawful_basis") or draft.lawful_basis_known or ""
    if basis == NOT_SURE_BASIS:
        # Recorded as unresolved, not guessed: the DSL confirms both conditions.
        out = {"article_6": NOT_SURE_BASIS_TEXT}
        if values.get("special_category") == "yes":
            out["article_9"] = NOT_SURE_BASIS_TEXT
        return out
    out = {"article_6": LAWFUL_BASES.get(basis, basis)} if basis else {}
    if values.get("special_category") == "yes":
        out["article_9"] = SPECIAL_CATEGORY_CONSENT if basis == "consent" else SPECIAL_CATEGORY_BASIS
    return out


def article_9_short(draft: Draft) -> str:
    """The Art. 9 condition in a few words (for the summary on a phone)."""
    basis = draft.fields.get("lawful_basis") or draft.lawful_basis_known or ""
    if basis == NOT_SURE_BASIS:
        return "condition not sure yet (ask your DSL)"
    return "Art. 9(2)(a) explicit consent" if basis == "consent" else "Art. 9 + DPA 2018 Sch. 1 para 18"


def basis_not_sure(draft: Draft) -> bool:
    """True when the practitioner recorded that they were not sure of the lawful basis."""
    return draft.fields.get("lawful_basis") == NOT_SURE_BASIS
