"""The decision-record form: what the bot asks after an outcome, one short question at a time.

Golden rule 7, Sandwell protocol Appendix 2 question 7 and the schools guidance say what a record
holds. The form asks only what the dialog does not already know: the answers, the outcome, the
golden rules, the pack and its version, and (where the flowchart found it) the consent status and
why consent was not sought are filled in from the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from dialogs.model import Choice

LAWFUL_BASES = {
    "consent": "Consent (UK GDPR Art. 6(1)(a))",
    "legal_obligation": "Legal obligation (UK GDPR Art. 6(1)(c))",
    "vital_interests": "Vital interests (UK GDPR Art. 6(1)(d))",
    "public_task": "Public task (UK GDPR Art. 6(1)(e))",
    "not_personal_data": "None needed: anonymised, not personal data",
}
SPECIAL_CATEGORY_BASIS = (
    "UK GDPR Art. 9(2)(g) with DPA 2018 Sch. 1 para 18: safeguarding of children and individuals at risk"
)


@dataclass(frozen=True)
class Field:
    """One question of the record form."""

    name: str
    label: str
    prompt: str
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    # Whether to ask this field, given the draft so far.
    when: Callable[[Mapping[str, Any]], bool] = lambda draft: True


def _shares(draft: Mapping[str, Any]) -> bool:
    return draft["decision"] == "share"


def _consent_reason_unknown(draft: Mapping[str, Any]) -> bool:
    consent = draft["consent"]
    return consent.get("status") in ("refused", "not_sought", "not_valid") and not consent.get("reason")


_YES_NO_NOT_YET = (Choice("yes", "Yes"), Choice("no", "No"), Choice("not_yet", "Not yet"))

FIELDS: tuple[Field, ...] = (
    Field("info_type", "Information", "What information? Give the type, not the details (e.g. attendance concerns).",
          hint="Type of information. No names or dates of birth."),
    Field("fact_or_opinion", "Fact or opinion", "Is it fact, opinion, or both?",
          (Choice("fact", "Fact"), Choice("opinion", "Opinion"), Choice("both", "Both, marked clearly")), when=_shares),
    Field("recipient_role", "Shared with (role)", "Who did you share it with? Give their role.",
          hint="e.g. MASH social worker", when=_shares),
    Field("recipient_org", "Their organisation", "Which organisation are they in?",
          hint="e.g. Children's social care", when=_shares),
    Field("purpose", "Purpose", "What is the purpose of sharing?", hint="e.g. referral for a child protection enquiry",
          when=_shares),
    Field("method", "How shared", "How did you share it?",
          (Choice("secure_email", "Secure email"), Choice("phone", "Phone"), Choice("in_person", "In person"),
           Choice("mash_form", "MASH referral form"), Choice("other", "Other")), when=_shares),
    Field("individual_informed", "Person told", "Was the person told it was shared?",
          (Choice("yes", "Yes"), Choice("no_risk", "No: it would increase the risk"), Choice("not_yet", "Not yet")),
          when=_shares),
    Field("receipt_confirmed", "Receipt confirmed", "Did the recipient confirm they got it?", _YES_NO_NOT_YET,
          when=_shares),
    Field("lawful_basis", "Lawful basis", "What is the lawful basis for sharing?",
          tuple(Choice(k, v) for k, v in LAWFUL_BASES.items()),
          when=lambda d: _shares(d) and not d.get("lawful_basis_known")),
    Field("special_category", "Special category data", "Does it include special category data, such as health?",
          (Choice("yes", "Yes"), Choice("no", "No")),
          when=lambda d: _shares(d) and d.get("fields", {}).get("lawful_basis") != "not_personal_data"),
    Field("consent_reason", "Why no consent", "Why was consent not sought, or overridden?",
          hint="The reason, in a sentence", when=_consent_reason_unknown),
    Field("reasons", "Reasons", "Why did you decide not to share? A sentence is enough.",
          hint="Your reasons", when=lambda d: d["decision"] == "do_not_share"),
    Field("advice", "Advice", "Who will you ask for advice, or what advice did you get?",
          hint="e.g. Spoke to DSL, advised to refer", when=lambda d: d["decision"] == "seek_advice"),
)
BY_NAME = {f.name: f for f in FIELDS}
CORRECTION_FIELD = Field("correction_reason", "Correction reason", "What are you correcting, and why?",
                         hint="The reason for the correction")


def next_field(draft: Mapping[str, Any]) -> Field | None:
    """The first field still to ask, or None when the form is complete."""
    values = draft.get("fields", {})
    if draft.get("corrects") and "correction_reason" not in values:
        return CORRECTION_FIELD
    for f in FIELDS:
        if f.name not in values and f.when(draft):
            return f
    return None


def field_by_name(name: str) -> Field | None:
    """A field of the form by its name."""
    return CORRECTION_FIELD if name == CORRECTION_FIELD.name else BY_NAME.get(name)


def asked_fields(draft: Mapping[str, Any]) -> list[Field]:
    """The fields this draft has answers for, in form order (what Edit may change)."""
    values = draft.get("fields", {})
    fields = [CORRECTION_FIELD] if "correction_reason" in values else []
    return fields + [f for f in FIELDS if f.name in values and f.when(draft)]


def display_value(f: Field, value: str) -> str:
    """A stored value as the practitioner sees it."""
    for c in f.choices:
        if c.value == value:
            return c.label
    return value


def prune(draft: dict[str, Any]) -> None:
    """Drop answers to fields that no longer apply (e.g. after an edit changes the basis)."""
    values = draft.get("fields", {})
    for name in list(values):
        f = field_by_name(name)
        if f is not None and f is not CORRECTION_FIELD and not f.when(draft):
            del values[name]


def lawful_basis_text(draft: Mapping[str, Any]) -> dict[str, str]:
    """The lawful basis for the record: Art. 6, and Art. 9 with DPA Sch. 1 para 18 when special."""
    values = draft.get("fields", {})
    basis = values.get("lawful_basis") or draft.get("lawful_basis_known") or ""
    out = {"article_6": LAWFUL_BASES.get(basis, basis)} if basis else {}
    if values.get("special_category") == "yes":
        out["article_9"] = SPECIAL_CATEGORY_BASIS
    return out
