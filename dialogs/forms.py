"""The forms the bot fills in one short question at a time: the decision record, the request to
the DSL, and the MASH professional consultation hand-off.

Golden rule 7, Sandwell protocol Appendix 2 questions 5 and 7 and the schools guidance say what a
record holds: the request (who asked, when, for what), the data requested and the data shared, the
perceived level of risk of harm at the time, the legal basis, consent, the method and receipt. The
form asks only what the dialog does not already know: the answers, the outcome, the golden rules,
the pack and its version, and (where the flowchart found it) the consent status and why consent was
not sought are filled in from the conversation. What the flowchart suggests (the lawful basis, the
threshold) is offered first, never filled in silently: the practitioner owns the judgement.
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
    # Choices not to offer, given the draft so far.
    exclude: Callable[[Mapping[str, Any]], frozenset[str]] = lambda draft: frozenset()
    # The choice the dialog suggests, given the draft so far: offered first, marked, never filled in.
    suggest: Callable[[Mapping[str, Any]], str] = lambda draft: ""

    def options(self, draft: Mapping[str, Any]) -> tuple[Choice, ...]:
        """The choices offered for this draft (the suggested one first)."""
        excluded = self.exclude(draft)
        offered = tuple(c for c in self.choices if c.value not in excluded) if excluded else self.choices
        suggested = self.suggest(draft)
        first = next((c for c in offered if c.value == suggested), None)
        if first is None:
            return offered
        return (Choice(first.value, f"{first.label} (suggested)"),) + tuple(c for c in offered if c is not first)

    def question(self, draft: Mapping[str, Any]) -> str:
        """The prompt, saying where a suggestion comes from."""
        suggested = self.suggest(draft)
        if suggested and any(c.value == suggested for c in self.options(draft)):
            return f"{self.prompt} The first choice is what your answers point to."
        return self.prompt


def _shares(draft: Mapping[str, Any]) -> bool:
    return draft["decision"] == "share"


def _value(draft: Mapping[str, Any], name: str) -> str:
    return str(draft.get("fields", {}).get(name) or "")


def _sent(draft: Mapping[str, Any]) -> bool:
    """Shared already (not "not shared yet"): only then can the person be told or receipt confirmed."""
    return _shares(draft) and _value(draft, "method") != "not_shared_yet"


def _was_asked(draft: Mapping[str, Any]) -> bool:
    return _value(draft, "request_asked") == "yes"


def _suggested_basis(draft: Mapping[str, Any]) -> str:
    return str(draft.get("lawful_basis_suggested") or "")


def _suggested_risk(draft: Mapping[str, Any]) -> str:
    """The risk level the flowchart's `threshold` fact points to (packs word it their own way)."""
    threshold = str(draft.get("threshold") or "").lower()
    if "below" in threshold or "early help" in threshold:
        return "early_help"
    return "significant_harm" if "significant harm" in threshold else ""


def _consent_reason_unknown(draft: Mapping[str, Any]) -> bool:
    """True when the record must say why consent was not sought or was overridden, and does not yet."""
    consent = draft["consent"]
    if consent.get("reason"):
        return False
    # A refusal that is respected, or consent found not valid (the record says why), was neither
    # "not sought" nor "overridden": asking so would put words in the practitioner's mouth.
    overridden = consent.get("status") in ("refused", "withdrawn") and draft["decision"] == "share"
    return consent.get("status") == "not_sought" or overridden


_YES_NO_NOT_YET = (Choice("yes", "Yes"), Choice("no", "No"), Choice("not_yet", "Not yet"))
# The perceived level of risk of harm at the time (Sandwell Appendix 2 question 5), in the sources'
# words: Early Help needs below the threshold (Sandwell "Early Help", levels 1-3), a risk of
# significant harm (Sandwell 6.5-6.6: sharing without consent), immediate danger (call 999).
RISK_LEVELS = (
    Choice("no_concern", "No concern about harm"),
    Choice("early_help", "Early Help needs, below significant harm"),
    Choice("significant_harm", "Risk of significant harm"),
    Choice("immediate_danger", "Immediate danger"),
    Choice("not_sure", "Not sure"),
)
NOT_SURE_CHOICE = Choice(NOT_SURE_BASIS, "Not sure / ask my DSL")
# A school, council or NHS body shares under public task: legitimate interests is not for them.
_BASIS_LABELS = {"legitimate_interests": "Legitimate interests (Art. 6(1)(f)): only bodies without public functions"}

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
           Choice("mash_form", "MASH referral form"), Choice("other", "Other"),
           Choice("not_shared_yet", "Not shared yet")), when=_shares),
    Field("method_other", "Other method", "How was it shared? A few words.", hint="e.g. Secure Teams message",
          when=lambda d: _shares(d) and d.get("fields", {}).get("method") == "other"),
    Field("individual_informed", "Person told", "Was the person told it was shared?",
          (Choice("yes", "Yes"), Choice("no_risk", "No: it would increase the risk"), Choice("not_yet", "Not yet")),
          when=_sent),
    Field("receipt_confirmed", "Receipt confirmed", "Did the recipient confirm they got it?", _YES_NO_NOT_YET,
          when=_sent),
    # The request (schools guidance "Recording decisions"; Sandwell Appendix 2 question 5): skipped
    # with one tap when the practitioner is the one starting the share.
    Field("request_asked", "Asked for it", "Were you asked for this information?",
          (Choice("yes", "Yes"), Choice("no", "No"))),
    Field("requester_name", "Asked by", "Who asked for it? Their name.", hint="e.g. DC Sam Patel", when=_was_asked),
    Field("requester_role", "Their role", "What is their role?",
          (Choice("same", "Same as who I shared it with"),), hint="e.g. Police officer", when=_was_asked,
          exclude=lambda d: frozenset() if _shares(d) else frozenset({"same"})),
    Field("requester_org", "Their organisation", "Which organisation are they in?", hint="e.g. West Midlands Police",
          when=lambda d: _was_asked(d) and _value(d, "requester_role") != "same"),
    Field("request_when", "Asked on", "When did they ask? Tap, or type the date.",
          (Choice("today", "Today"), Choice("yesterday", "Yesterday")), hint="e.g. 3 Dec, 14:00", when=_was_asked),
    Field("data_requested", "Data requested", "What did they ask for? Give the type, not the details.",
          (Choice("same", "The same information"),), hint="e.g. attendance records", when=_was_asked),
    Field("risk_level", "Risk at the time", "At the time, what level of risk of harm did you see?", RISK_LEVELS,
          suggest=_suggested_risk),
    Field("lawful_basis", "Lawful basis", "What is the lawful basis for sharing?",
          tuple(Choice(k, _BASIS_LABELS.get(k, v)) for k, v in LAWFUL_BASES.items()) + (NOT_SURE_CHOICE,),
          when=lambda d: _shares(d) and not d.get("lawful_basis_known"),
          exclude=lambda d: frozenset({"consent"}) if (d.get("consent") or {}).get("status") in _NO_CONSENT else frozenset(),
          suggest=_suggested_basis),
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
CORRECTION_FIELD = Field("correction_reason", "Correction reason", "What are you correcting, and why?",
                         hint="The reason for the correction", when=lambda d: bool(d.get("corrects")))

# Golden rule 3: seek advice without disclosing the identity of the individual where possible.
NO_IDENTIFIERS = "Don't include names, dates of birth, addresses or anything that identifies the child or family."
_URGENCY = (Choice("urgent", "Urgent: today"), Choice("routine", "Not urgent"))

DSL_FIELDS: tuple[Field, ...] = (
    Field("note", "Your note", "Add a short note for your DSL, or tap No note. " + NO_IDENTIFIERS,
          (Choice("-", "No note"),), hint="Optional note, no identifying details"),
    Field("urgency", "Urgency", "How urgent is it?", _URGENCY),
)

_CONSENT_STATUSES = (
    Choice("obtained", "Given"), Choice("refused", "Refused"), Choice("not_sought", "Not sought"),
    Choice("not_yet_sought", "Not asked yet"),
)
MASH_FIELDS: tuple[Field, ...] = (
    Field("referrer_name", "Your name", "Your name, so the social worker can call you back.", hint="Your full name"),
    Field("agency", "Agency", "Which agency are you from?", hint="e.g. Oakfield Primary School"),
    Field("role", "Role", "What is your role?", hint="e.g. Class teacher"),
    Field("phone", "Phone", "Which phone number should they call?", hint="A number you will answer"),
    Field("concern", "Concern", "Describe the concern in brief. " + NO_IDENTIFIERS, hint="The concern, in brief"),
    Field("consent_status", "Consent", "Has the family consented to this consultation?", _CONSENT_STATUSES,
          when=lambda d: not d.get("consent", {}).get("status") or d["consent"]["status"] in ("not_decided", "not_needed")),
    Field("consent_reason", "Why no consent", "Why was consent not sought, or refused?", hint="The reason, in a sentence",
          when=lambda d: _consent_of(d) in ("refused", "withdrawn", "not_sought") and not d.get("consent", {}).get("reason")),
    Field("urgency", "Urgency", "How urgent is it?", _URGENCY),
)


def _consent_of(draft: Mapping[str, Any]) -> str:
    return draft.get("fields", {}).get("consent_status") or draft.get("consent", {}).get("status", "")


@dataclass(frozen=True)
class Form:
    """A sequence of fields; which are asked depends on the draft so far."""

    name: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        """A field of this form by its name."""
        return next((f for f in self.fields if f.name == name), None)

    def next_field(self, draft: Mapping[str, Any]) -> Field | None:
        """The first field still to ask, or None when the form is complete."""
        values = draft.get("fields", {})
        return next((f for f in self.fields if f.name not in values and f.when(draft)), None)

    def asked_fields(self, draft: Mapping[str, Any]) -> list[Field]:
        """The fields this draft has answers for, in form order (what Edit may change)."""
        values = draft.get("fields", {})
        return [f for f in self.fields if f.name in values and f.when(draft)]

    def prune(self, draft: dict[str, Any]) -> None:
        """Drop answers to fields that no longer apply (e.g. after an edit changes the basis)."""
        values = draft.get("fields", {})
        for name in list(values):
            f = self.field(name)
            if f is not None and not f.when(draft):
                del values[name]


RECORD = Form("record", (CORRECTION_FIELD,) + FIELDS)
DSL = Form("dsl", DSL_FIELDS)
MASH = Form("mash", MASH_FIELDS)
FORMS = {f.name: f for f in (RECORD, DSL, MASH)}


def display_value(f: Field, value: str) -> str:
    """A stored value as the practitioner sees it."""
    for c in f.choices:
        if c.value == value:
            return c.label
    return value


def lawful_basis_text(draft: Mapping[str, Any]) -> dict[str, str]:
    """The lawful basis for the record: Art. 6, and Art. 9 with DPA Sch. 1 para 18 when special."""
    values = draft.get("fields", {})
    basis = values.get("lawful_basis") or draft.get("lawful_basis_known") or ""
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


def article_9_short(draft: Mapping[str, Any]) -> str:
    """The Art. 9 condition in a few words (for the summary on a phone)."""
    basis = draft.get("fields", {}).get("lawful_basis") or draft.get("lawful_basis_known") or ""
    if basis == NOT_SURE_BASIS:
        return "condition not sure yet (ask your DSL)"
    return "Art. 9(2)(a) explicit consent" if basis == "consent" else "Art. 9 + DPA 2018 Sch. 1 para 18"


def basis_not_sure(draft: Mapping[str, Any]) -> bool:
    """True when the practitioner recorded that they were not sure of the lawful basis."""
    return draft.get("fields", {}).get("lawful_basis") == NOT_SURE_BASIS
