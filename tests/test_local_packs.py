"""Local policy packs (Bradford, Surrey, Sandwell, Cambridgeshire), the 2024 national summary, the
schools overlay, myth-busting answers, pack selection per tenant/team/organisation, and the
`packs check` / `packs diagram` commands.

Each path row cites the source document (../shared/seeds, see README.md there) and section.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from bot.cli import packs as packs_cli
from bot.escalation.directory import DirectoryError, FileDirectory
from bot.turn.runner import Directory, TurnRunner, build_runner
from dialogs import engine
from dialogs.diagram import mermaid
from dialogs.model import Effect, Practitioner, UserInput
from dialogs.pack import (
    OVERLAYS_DIR, PACKS_DIR, PackError, builtin_ids, load_builtin, load_pack, overlay_ids,
)
from tests.engine_chat import EngineChat
from tests.fixtures import NO_SEEDS, SEEDS

LOCAL = ("bradford", "surrey", "sandwell", "cambridgeshire")

BEFORE = ["yes", "no"]  # a clear purpose, no legal duty
HARM = BEFORE + ["yes"]  # a worry about harm: the threshold question next
SIG_HARM = HARM + ["yes"]  # significant harm: is it safe to talk to the family first?
EARLY_HELP = HARM + ["no"]  # below significant harm: where are you with consent?
NO_HARM = BEFORE + ["no"]
TO_CONSENT = NO_HARM + ["yes", "yes"]  # identifies someone, confidential
NOT_ASKED = TO_CONSENT + ["not_asked", "yes"]  # not asked, and asking would do harm: which reason?
REFUSED = TO_CONSENT + ["refused", "parent"]  # a parent refused
VALID_CONSENT = TO_CONSENT + ["given", "yes", "no", "yes", "no"]
MASH_LINE = "Cambridgeshire MASH: 0345 045 1362."

# id, pack, entry, answers, outcome, golden rules, text that must appear (local points, contacts)
PATHS = [
    # ---- Bradford (000_…) ----------------------------------------------------------------------
    # Introduction: an emergency is a reason not to seek consent; record it electronically, make it
    # visible in partner referrals; MASH decides case by case.
    ("bradford-emergency", "bradford", "share", SIG_HARM + ["emergency"],
     "outcome_refer_without_consent", [2, 4, 5, 7],
     ["electronically", "audit trail", "visible in your referral"]),
    ("bradford-emergency-not-sought", "bradford", "share", NOT_ASKED + ["emergency", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7],
     ["electronically", "audit trail", "visible in your referral", "case by case"]),
    ("bradford-risk", "bradford", "share", NOT_ASKED + ["risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["electronically", "visible in your referral"]),
    ("bradford-refused-overridden", "bradford", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["or for overriding it"]),
    # Introduction + Working Together 2018 additions, point 1: share early.
    ("bradford-significant-harm", "bradford", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Share early", "case by case"]),
    ("bradford-not-confidential", "bradford", "share", NO_HARM + ["yes", "no"],
     "outcome_share", [1, 6, 7], ["Share early", "already known to children's social care"]),
    # Working Together 2018 additions, point 3: record who was given the information and why.
    ("bradford-valid-consent", "bradford", "share", VALID_CONSENT,
     "outcome_share_with_consent", [2, 4, 6, 7], ["Record who you gave the information to"]),
    # Working Together 2018 additions, point 2: fears must not stand in the way.
    ("bradford-no-purpose", "bradford", "share", ["no"], "outcome_do_not_share", [6, 7], ["Fears about sharing"]),
    ("bradford-refused-no-basis", "bradford", "share", REFUSED + ["no"],
     "outcome_do_not_share_no_basis", [3, 4, 7], ["withheld the information", "Fears about sharing"]),
    # Flowchart: seek advice if unsure; follow procedures without delay.
    ("bradford-unsure", "bradford", "share", ["not_sure"], "outcome_seek_advice", [3, 7], ["without delay"]),
    ("bradford-threshold", "bradford", "share", HARM + ["not_sure"],
     "outcome_seek_advice_threshold", [3, 5, 7], ["Fears about sharing"]),
    # Not sought (an emergency), and no other lawful reason: ask for consent when safe, or get advice.
    ("bradford-consent-entry-emergency-no-other-reason", "bradford", "consent", ["no", "no", "yes", "yes", "not_asked", "yes", "emergency", "no"],
     "outcome_not_sought_no_basis", [2, 3, 4, 7], ["decide not to seek consent", "electronically"]),

    # ---- Surrey (001_…) ------------------------------------------------------------------------
    # 4: do not seek consent where it would place an adult at risk of serious harm.
    ("surrey-adult-serious-harm", "surrey", "share", NOT_ASKED + ["adult_serious_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["an adult of serious harm"]),
    ("surrey-child-risk", "surrey", "share", NOT_ASKED + ["risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["normally be shared"]),
    ("surrey-serious-crime", "surrey", "share", NOT_ASKED + ["serious_crime", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["normally be shared"]),
    ("surrey-delay", "surrey", "share", NOT_ASKED + ["unjustified_delay", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["normally be shared"]),
    # 4: the child's best interests decide whether to seek consent (not sought, no other reason).
    ("surrey-not-sought-no-basis", "surrey", "share", NOT_ASKED + ["serious_crime", "no"],
     "outcome_not_sought_no_basis", [2, 3, 4, 7], ["best interests come first"]),
    # 4: always share with Surrey Children's Services on reasonable cause to suspect significant harm.
    ("surrey-significant-harm", "surrey", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Surrey Children's Services", "Do not delay"]),
    # 4: unsure about "reasonable cause to believe": child protection adviser, Caldicott Guardian.
    ("surrey-threshold", "surrey", "share", HARM + ["not_sure"],
     "outcome_seek_advice_threshold", [3, 5, 7],
     ["nominated child protection adviser", "Caldicott Guardian", "best interests"]),
    # 2: the lead information officer decides controversial issues.
    ("surrey-unsure", "surrey", "share", ["yes", "not_sure"], "outcome_seek_advice", [3, 7], ["lead information officer"]),
    ("surrey-unsure-reason", "surrey", "share", NOT_ASKED + ["not_sure"],
     "outcome_seek_advice", [3, 7], ["lead information officer"]),
    ("surrey-refused-public-interest", "surrey", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["normally be shared"]),
    # 1: serious case reviews found failures to record and share.
    ("surrey-refused-no-basis", "surrey", "share", REFUSED + ["no"], "outcome_do_not_share_no_basis", [3, 4, 7],
     ["failure to record or share information"]),
    # Myth-busting guide: consent must be explicit and freely given.
    ("surrey-valid-consent", "surrey", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7],
     ["explicit and freely given"]),
    # 2: help families see sharing as making it easier to get services; 4: discuss with the family.
    ("surrey-early-help", "surrey", "share", EARLY_HELP + ["not_asked"], "outcome_seek_consent", [2, 4, 7],
     ["easier for them to get the services"]),
    # 2: section 10 Children Act 2004, the duty to cooperate.
    ("surrey-legal-duty", "surrey", "share", ["yes", "yes"], "outcome_share_legal_duty", [1, 4, 6, 7],
     ["duty to cooperate"]),

    # ---- Sandwell (002_…) ----------------------------------------------------------------------
    # Appendix 2 Safeguarding + 1.7: refer to SCT via MASH, consent not required, families informed.
    ("sandwell-significant-harm", "sandwell", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7],
     ["Sandwell Children's Trust via MASH", "Consent is not required", "legal obligation or public task",
      "level of risk you saw at the time", "line manager or DSL"]),
    # Appendix 2 Early Help: levels 1-3 need freely given, informed, explicit consent (Q4 contents).
    ("sandwell-early-help", "sandwell", "share", EARLY_HELP + ["not_asked"],
     "outcome_seek_consent", [2, 4, 7],
     ["levels 1-3", "freely given, informed, explicit consent", "including detecting crime", "withdraw consent"]),
    ("sandwell-consent-entry-early-help", "sandwell", "consent", ["no", "yes", "no", "not_asked"],
     "outcome_seek_consent", [2, 4, 7], ["levels 1-3"]),
    # Appendix 2 Safeguarding: unclear threshold -> DSL and, if necessary, lead officer.
    ("sandwell-threshold", "sandwell", "share", HARM + ["not_sure"],
     "outcome_seek_advice_threshold", [3, 5, 7], ["lead officer", "must not be ignored"]),
    # 6.3: imbalance of power (policing); Q5: explain unless risky; record contents.
    ("sandwell-imbalance-of-power", "sandwell", "share", NOT_ASKED + ["imbalance_of_power"],
     "outcome_share_public_task", [1, 4, 6, 7], ["rarely sought in policing"]),
    ("sandwell-imbalance-consent-given", "sandwell", "share", TO_CONSENT + ["given", "yes", "no", "yes", "yes"],
     "outcome_share_public_task", [1, 4, 6, 7], ["imbalance of power", "rarely sought in policing"]),
    ("sandwell-refused-public-interest", "sandwell", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7],
     ["Explain to the child or parent", "signed, dated case note", "perceived level of risk of harm at the time"]),
    # Appendix 2 Early Help: a refusal stands; the public-interest question is not offered.
    ("sandwell-early-help-refused", "sandwell", "share", EARLY_HELP + ["refused"],
     "outcome_early_help_refused", [2, 3, 4, 7], ["explicit consent", "Respect their wishes", "16 or 17"]),
    # Q4 + Q7: even with consent, record the legal basis; who gave consent, dated and timed.
    ("sandwell-valid-consent", "sandwell", "share", VALID_CONSENT,
     "outcome_share_with_consent", [2, 4, 6, 7], ["dated and timed", "record the legal basis"]),
    # 6.7: statutory duty or court order -> do not seek consent.
    ("sandwell-statutory-duty", "sandwell", "share", ["yes", "yes"],
     "outcome_share_legal_duty", [1, 4, 6, 7], ["duty or court order"]),
    # Q7 / 5.2: record the reasons not to share.
    ("sandwell-no-purpose", "sandwell", "share", ["no"], "outcome_do_not_share", [6, 7], ["Record why"]),
    ("sandwell-refused-no-basis", "sandwell", "share", REFUSED + ["no"],
     "outcome_do_not_share_no_basis", [3, 4, 7], ["Record why"]),
    # Appendix 2 "When not to seek consent": not getting consent where needed delays help.
    ("sandwell-not-sought-no-basis", "sandwell", "share", NOT_ASKED + ["risk_of_harm", "no"],
     "outcome_not_sought_no_basis", [2, 3, 4, 7], ["delay a family getting the help", "talk to your DSL today"]),
    # Q5 advice; 14.1 disagreement -> SCSP Resolution and Escalation Policy.
    ("sandwell-unsure", "sandwell", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     ["line manager or DSL", "Resolution and Escalation Policy"]),

    # ---- Cambridgeshire (004_…) ----------------------------------------------------------------
    # "When to refer without consent": MASH Professional Consultation where advice is needed.
    ("cambs-unsure", "cambridgeshire", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     [MASH_LINE, "Professional Consultation", "end of the next working day", "can't reach your safeguarding lead"]),
    ("cambs-unsure-whose", "cambridgeshire", "share", TO_CONSENT + ["given", "not_sure"],
     "outcome_seek_advice_consent", [3, 4, 7], [MASH_LINE, "Struggling with consent"]),
    ("cambs-conflict", "cambridgeshire", "share", TO_CONSENT + ["given", "yes", "yes"],
     "outcome_seek_advice_consent", [3, 4, 7], [MASH_LINE]),
    ("cambs-threshold", "cambridgeshire", "share", HARM + ["not_sure"],
     "outcome_seek_advice_threshold", [3, 5, 7], [MASH_LINE, "public interest"]),
    # Unsure after a refusal: their wishes stand until advice says otherwise (rules 3 and 4).
    ("cambs-refused-unsure", "cambridgeshire", "share", REFUSED + ["not_sure"], "outcome_seek_advice_refusal", [3, 4, 7],
     [MASH_LINE, "respect their wishes"]),
    # Public interest circumstances: share, proportionately.
    ("cambs-refused-public-interest", "cambridgeshire", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["proportionate"]),
    ("cambs-not-sought-risk", "cambridgeshire", "share", NOT_ASKED + ["risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["proportionate"]),
    # Introduction: learning from a serious case review about telling families.
    ("cambs-significant-harm", "cambridgeshire", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["serious case review"]),
    # "When consent should be sought": every other referral is help and support.
    ("cambs-early-help", "cambridgeshire", "share", EARLY_HELP + ["not_asked"],
     "outcome_seek_consent", [2, 4, 7], ["help and support", "ask for their consent"]),
    # "When consent should be sought": help works best in partnership with families.
    ("cambs-valid-consent", "cambridgeshire", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7],
     ["partnership with them"]),
    # "When to refer without consent": still worried -> safeguarding lead, else MASH consultation.
    ("cambs-no-purpose", "cambridgeshire", "share", ["no"], "outcome_do_not_share", [6, 7],
     ["Talk to your safeguarding lead", "Professional Consultation"]),
    ("cambs-not-sought-no-basis", "cambridgeshire", "share", NOT_ASKED + ["serious_crime", "no"],
     "outcome_not_sought_no_basis", [2, 3, 4, 7], [MASH_LINE, "preventing significant harm to a child"]),

    # ---- National 2024 (our summary of the May 2024 advice; its seven rules, in its order) --------
    # Rule 3: no consent needed when a child may be at risk; rule 2: engage the family where safe;
    # rule 5: protect identities; rule 6: only what is needed.
    ("2024-safeguarding-tell", "national-2024", "share", HARM + ["yes"],
     "outcome_share_safeguarding", [2, 3, 5, 6, 7],
     ["do not need consent", "public task or legal obligation", "Tell the family", "Protect the identity"]),
    ("2024-safeguarding-quietly", "national-2024", "share", HARM + ["risk_of_harm"],
     "outcome_share_safeguarding_quietly", [2, 3, 5, 6, 7], ["do not need consent", "Don't tell the family", "Protect the identity"]),
    # Rules 3 and 4: unsure whether telling the family is safe; the sharing does not wait for advice.
    ("2024-safeguarding-unsure-tell", "national-2024", "share", HARM + ["not_sure"],
     "outcome_share_safeguarding_ask_dsl", [2, 3, 4, 7], ["do not need consent", "without delay", "Ask your DSL today"]),
    ("2024-unsure-concern", "national-2024", "share", BEFORE + ["not_sure"],
     "outcome_seek_advice_threshold", [1, 4, 7], ["Do not ignore it", "Protecting the child comes first"]),
    ("2024-consent-entry-safeguarding", "national-2024", "consent", ["no", "yes", "yes"],
     "outcome_share_safeguarding", [2, 3, 5, 6, 7], ["do not need consent"]),
    # No safeguarding concern: the consent route of the flowchart.
    ("2024-valid-consent", "national-2024", "share", VALID_CONSENT,
     "outcome_share_with_consent", [2, 3, 6, 7], ["rarely a whole record"]),
    ("2024-talk-to-family", "national-2024", "share", TO_CONSENT + ["not_asked"],
     "outcome_seek_consent", [2, 3, 4, 7], ["ask if they agree", "start again"]),
    # Rule 3: be transparent; tell parents where it is safe.
    ("2024-legal-duty", "national-2024", "share", ["yes", "yes"],
     "outcome_share_legal_duty", [3, 6, 7], ["Tell the parents", "where it is safe"]),
    # Rule 5: protect the identity of anyone who could be harmed.
    ("2024-refused-public-interest", "national-2024", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [1, 3, 6, 7], ["if an abuser learnt their details"]),
    # Rule 7: be ready to explain a decision not to share; reconsider if things change.
    ("2024-refused-no-basis", "national-2024", "share", REFUSED + ["no"],
     "outcome_do_not_share_no_basis", [3, 4, 7], ["Be ready to explain why you did not share"]),
    ("2024-no-purpose", "national-2024", "share", ["no"], "outcome_do_not_share", [6, 7], ["think again if things change"]),
    # Rule 6: rarely an entire record.
    ("2024-anonymised", "national-2024", "share", NO_HARM + ["no"], "outcome_share_anonymised", [1, 6, 7], ["rarely a whole record"]),
    ("2024-not-confidential", "national-2024", "share", NO_HARM + ["yes", "no"], "outcome_share", [1, 6, 7], ["rarely a whole record"]),

    # ---- Schools overlay (003_…) on the national base --------------------------------------------
    # "When can information be shared?": stop and seek advice if they don't understand.
    ("schools-did-not-understand", "national-2018+schools", "share", TO_CONSENT + ["given", "yes", "no", "did_not_understand"],
     "outcome_seek_advice_consent", [3, 4, 7], ["stop and ask your DSL or senior leadership team", "first port of call"]),
    ("schools-unsure", "national-2018+schools", "share", ["not_sure"], "outcome_seek_advice", [3, 7], ["first port of call"]),
    # "Recording decisions": method of sharing and whether receipt was confirmed.
    ("schools-valid-consent", "national-2018+schools", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7],
     ["how you shared it", "whether receipt was confirmed", "type of information"]),
    ("schools-refer", "national-2018+schools", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["whether receipt was confirmed"]),
    ("schools-no-purpose", "national-2018+schools", "share", ["no"], "outcome_do_not_share", [6, 7],
     ["the request was made", "your decision"]),
    ("schools-early-help", "national-2018+schools", "share", EARLY_HELP + ["not_asked"],
     "outcome_seek_consent", [2, 4, 7], ["never say a referral will follow", "request was made"]),
    ("schools-threshold", "national-2018+schools", "share", HARM + ["not_sure"],
     "outcome_seek_advice_threshold", [3, 5, 7], ["first port of call"]),
    ("schools-on-sandwell", "sandwell+schools", "share", SIG_HARM + ["yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Sandwell Children's Trust via MASH", "whether receipt was confirmed"]),
    ("schools-on-cambs", "cambridgeshire+schools", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     [MASH_LINE, "first port of call"]),
    ("schools-on-2024", "national-2024+schools", "share", HARM + ["yes"],
     "outcome_share_safeguarding", [2, 3, 5, 6, 7], ["whether receipt was confirmed", "Protect the identity"]),
]

_PACKS: dict[str, object] = {}


def pack(pack_id: str):
    """Load a pack once per test session."""
    if pack_id not in _PACKS:
        _PACKS[pack_id] = load_builtin(pack_id)
    return _PACKS[pack_id]


@pytest.mark.parametrize("pack_id,entry,answers,outcome,rules,must_show", [p[1:] for p in PATHS], ids=[p[0] for p in PATHS])
def test_local_path_reaches_outcome_with_local_points(pack_id, entry, answers, outcome, rules, must_show):
    p = pack(pack_id)
    reply = EngineChat(p).walk(entry, answers)
    assert reply.kind == "outcome"
    assert reply.outcome == outcome
    assert [r.number for r in reply.rules] == rules
    assert all(r.text == p.golden_rules[r.number].text for r in reply.rules)
    for text in must_show:
        assert text in reply.text, f"{text!r} missing from: {reply.text}"
    record = reply.data["record"]
    assert record["pack"] == {"id": pack_id, "version": p.version, "title": p.title}
    assert [a["answer"] for a in record["answers"]] == answers
    assert record["outcome"]["local_points"] == list(p.nodes[outcome].local_points)
    # The MASH line is shown where the Cambridgeshire note points to it (advice), nowhere else.
    if pack_id.startswith("cambridgeshire"):
        assert (MASH_LINE in reply.text) == (reply.decision == "seek_advice")


@pytest.mark.parametrize("pack_id", [*LOCAL, "national-2024"])
def test_each_pack_has_at_least_ten_paths_that_check_local_points(pack_id):
    # A row with nothing in must_show proves only the national route, not what the pack adds.
    assert len([p for p in PATHS if p[1] == pack_id and p[6]]) >= 10


def test_every_path_row_checks_text_from_its_pack():
    assert [p[0] for p in PATHS if not p[6]] == []


@pytest.mark.parametrize("pack_id", [*LOCAL, *(f"{p}+schools" for p in LOCAL)])
def test_partnership_packs_keep_every_national_route(pack_id):
    """Partnerships change words and add points; every national-2018 path still ends where it did."""
    from tests.fixtures import NATIONAL_PATHS as NATIONAL

    p = pack(pack_id)
    # Where a partnership's own document says otherwise, on purpose: Sandwell's Early Help needs
    # explicit consent, so a refusal there is not put to the public-interest question.
    local = {("sandwell", "early-help-refused"): ("outcome_early_help_refused", "do_not_share")}
    for name, entry, answers, outcome, decision, _rules, consent in NATIONAL:
        reply = EngineChat(p).walk(entry, answers)
        outcome, decision = local.get((pack_id.split("+")[0], name), (outcome, decision))
        assert (reply.outcome, reply.decision) == (outcome, decision), f"{pack_id}: {name}"
        assert reply.data["record"]["consent"]["status"] == consent, f"{pack_id}: {name}"


def test_reasons_consent_was_not_sought_are_local():
    reply = EngineChat(pack("bradford")).walk("share", NOT_ASKED + ["emergency", "yes"])
    consent = reply.data["record"]["consent"]
    assert (consent["status"], consent["reason"], consent["problem"]) == (
        "not_sought", "an emergency: asking for consent would be unsafe or inappropriate", "")
    assert dict(reply.facts)["Consent"] == "Not sought because an emergency: asking for consent would be unsafe or inappropriate"
    reply = EngineChat(pack("surrey")).walk("share", NOT_ASKED + ["adult_serious_harm", "yes"])
    assert reply.data["record"]["consent"]["reason"] == "it would place an adult at risk of serious harm"


def test_not_sure_stays_the_last_answer_when_a_pack_adds_one():
    chat = EngineChat(pack("bradford"))
    reply = chat.walk("share", NOT_ASKED)
    labels = [c.value for c in reply.choices]
    assert labels[-4:] == ["emergency", "not_sure", "why", "back"]
    reply = EngineChat(pack("bradford")).walk("share", SIG_HARM)
    labels = [c.value for c in reply.choices]
    assert labels[-4:] == ["emergency", "not_sure", "why", "back"]


def test_sandwell_how_to_share_is_appendix_2_question_6():
    reply = EngineChat(pack("sandwell")).walk("share", VALID_CONSENT)
    assert len(reply.checklist) == 7
    assert any("pass it on" in i for i in reply.checklist)
    assert any("limits of any consent" in i for i in reply.checklist)


def test_cambridgeshire_contact_is_data_on_the_reply():
    reply = EngineChat(pack("cambridgeshire")).walk("share", ["not_sure"])
    assert reply.data["contacts"][0]["phone"] == "0345 045 1362"
    question = EngineChat(pack("cambridgeshire")).walk("share", REFUSED)
    assert "public interest" in question.text and "serious harm to an adult" in question.text


def test_cambridgeshire_danger_shows_the_mash_number_after_999():
    chat = EngineChat(pack("cambridgeshire"))
    (reply,) = chat.say("999")
    assert reply.kind == "danger" and reply.text.index("999") < reply.text.index("0345 045 1362")


# ---- Provenance ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", LOCAL)
def test_local_points_cite_the_partnerships_own_document(pack_id):
    p = pack(pack_id)
    cited = [(node.id, src.doc) for node in p.nodes.values() for src in node.local_sources]
    assert cited, "a partnership pack adds local points"
    assert all(doc == pack_id for _, doc in cited), cited
    # Myths the pack writes cite its own document; the rest are the national ones (Surrey's guide).
    own = {m["id"] for m in yaml.safe_load((PACKS_DIR / f"{pack_id}.yaml").read_text(encoding="utf-8")).get("myths") or []}
    national = {m.id: m for m in pack("national-2018").myths}
    for myth in p.myths:
        assert myth.source.doc == (pack_id if myth.id in own else national[myth.id].source.doc), myth.id


# Each partnership's rules card cites the rules section of its own document (checked in the seeds).
RULES_SECTIONS = {
    "national-2018": ("HM Government information sharing advice (2018)", "Seven golden rules (in the Bradford policy, Introduction)"),
    "bradford": ("Bradford Partnership", "Introduction: the seven golden rules to sharing information"),
    "surrey": ("Surrey Safeguarding Children Partnership procedure 4.4", "3. Seven Golden Rules for Information Sharing"),
    "sandwell": ("Sandwell Children's Safeguarding Partnership", "Appendix 3: Seven Golden Rules for Information Sharing"),
    "cambridgeshire": ("Cambridgeshire LSCB", "The Seven Golden Rules of Information Sharing"),
}


@pytest.mark.parametrize("pack_id", RULES_SECTIONS)
def test_rules_card_cites_the_packs_own_rules_and_the_licence(pack_id):
    document, section = RULES_SECTIONS[pack_id]
    chat = EngineChat(pack(pack_id))
    chat.say("hello")
    (reply,) = chat.say("rules")
    assert reply.kind == "rules"
    licence = pack(pack_id).attribution
    assert reply.source.endswith(f". {licence}")
    cite = reply.source[: -len(licence) - 2]
    assert cite.startswith(document) and cite.endswith(section) and ";" not in cite
    assert "Cambridgeshire" not in cite or pack_id == "cambridgeshire"
    assert "HM Government" in licence and "Crown copyright" in licence and "Open Government Licence v3.0" in licence
    assert [line[:2] for line in reply.text.splitlines()[:7]] == [f"{n}." for n in range(1, 8)]


def _seed_text(pack_id: str, doc: str) -> str:
    text = (SEEDS / pack(pack_id).sources[doc]["file"]).read_text(encoding="utf-8")
    return " ".join(text.replace("’", "'").split())


@pytest.mark.parametrize("pack_id", ["surrey", "sandwell"])
def test_quoted_local_rules_are_word_for_word_in_the_source(pack_id):
    if not SEEDS.is_dir():
        pytest.skip(NO_SEEDS)
    p = pack(pack_id)
    seed = _seed_text(pack_id, pack_id)
    for n, rule in p.golden_rules.items():
        assert p.rule_sources[n].doc == pack_id
        # List punctuation aside (Surrey ends each rule with ';').
        assert rule.text.rstrip(".") in seed, f"{pack_id} rule {n} is not in its source"


@pytest.mark.parametrize("pack_id", ["national-2018", "bradford", "cambridgeshire"])
def test_official_rule_wording_matches_the_copy_it_cites(pack_id):
    """The national wording, cited to a seed's copy: the same words bar that copy's typing slips."""
    import difflib

    if not SEEDS.is_dir():
        pytest.skip(NO_SEEDS)
    def words(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text).split())

    p = pack(pack_id)
    for n, rule in p.golden_rules.items():
        seed, wording = words(_seed_text(pack_id, p.rule_sources[n].doc)), words(rule.text)
        start = seed.find(" ".join(wording.split()[:4]))
        assert start >= 0, f"{pack_id} rule {n}: its opening words are not in the cited document"
        copy = seed[start:].split()[: len(wording.split())]
        same = difflib.SequenceMatcher(None, wording.split(), copy, autojunk=False).ratio()
        assert same > 0.9, (pack_id, n, " ".join(copy))


def test_reasons_not_to_seek_consent_cite_where_they_come_from():
    surrey = pack("surrey").nodes["consent_would_harm"]
    # Surrey 4 lists four reasons; imbalance of power is Sandwell's (6.3).
    assert "imbalance" not in surrey.text.lower() and [s.doc for s in surrey.source.each()] == ["surrey"]
    bradford = pack("bradford").nodes["consent_would_harm"]
    assert [s.doc for s in bradford.source.each()] == ["bradford", "surrey", "sandwell"]
    assert "an emergency; a risk of harm" in bradford.source.section
    question = EngineChat(pack("bradford")).walk("share", TO_CONSENT + ["not_asked"])
    assert question.node == "consent_would_harm" and "an emergency" in question.text
    assert "Bradford" in question.source and "Surrey" in question.source and "Sandwell" in question.source
    # Each reason then offered cites its own document.
    reasons = pack("bradford").nodes["consent_not_sought_reason"]
    assert reasons.answer("emergency").source.doc == "bradford"
    assert reasons.answer("imbalance_of_power").source.doc == "sandwell"


def test_every_contact_number_is_in_its_source_document():
    if not SEEDS.is_dir():
        pytest.skip(NO_SEEDS)
    numbers = 0
    for pack_id in builtin_ids():
        p = pack(pack_id)
        for name, contact in p.contacts.items():
            if isinstance(contact, dict) and contact.get("phone"):
                doc = p.sources[contact["source"]["doc"]]
                text = (SEEDS / doc["file"]).read_text(encoding="utf-8")
                assert contact["phone"] in text, f"{pack_id} contact {name}: {contact['phone']} not in {doc['file']}"
                numbers += 1
    assert numbers >= 1


def test_no_invented_numbers_anywhere_in_pack_text():
    """Only a contact's `phone` may hold a number; none hides in guidance text."""
    phone = re.compile(r"\b0\d{3}[ -]?\d{3}[ -]?\d{4}\b")
    for path in [*PACKS_DIR.glob("*.yaml"), *OVERLAYS_DIR.glob("*.yaml")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if phone.search(line):
                assert line.strip().startswith("phone:"), f"{path.name}: {line.strip()}"


def test_2024_pack_is_a_marked_summary_that_restates_every_rule():
    raw = yaml.safe_load((PACKS_DIR / "national-2024.yaml").read_text(encoding="utf-8"))
    p = pack("national-2024")
    assert p.version == "2024.4" and "May 2024" in p.title
    assert p.sources["national2024"]["wording"] == "summary" and "file" not in p.sources["national2024"]
    assert "summary" in p.sources["national2024"]["short"] and "not the official" in p.sources["national2024"]["short"]
    assert all(p.rule_sources[n].doc == "national2024" for n in range(1, 8))
    # The 2024 rules are renumbered, so no node may inherit a 2018 rule number.
    for node_id in p.nodes:
        assert "rules" in raw["nodes"].get(node_id, {}), f"national-2024 must restate rules for {node_id}"
    assert {m["id"] for m in raw["myths"] if "rules" in m} == {m.id for m in p.myths}
    # Our own words: no quotation marks in anything the 2024 pack says.
    texts = [r.text for r in p.golden_rules.values()] + [n.text for n in p.nodes.values()] + [m.answer for m in p.myths]
    assert not any(q in t for t in texts for q in ('"', "“", "”"))
    # The May 2024 rules, in their order.
    shorts = [p.golden_rules[n].short for n in range(1, 8)]
    assert shorts == [
        "Every child has a right to be protected; that comes before privacy.",
        "Where it is safe, involve the child and family.",
        "You do not need consent to share if a child is at risk.",
        "Seek advice promptly if you are unsure.",
        "Protect the identity of anyone who could be harmed.",
        "Share only what is needed, with those who need it.",
        "Record your decision and your reasons, whether you share or not.",
    ]
    assert "UK GDPR" in p.golden_rules[1].text and "lawful basis" in p.golden_rules[3].text
    assert "fear of criticism" in p.golden_rules[4].text and "Caldicott Guardian" in p.golden_rules[4].text
    assert "rarely a whole record" in p.golden_rules[6].text and "when and why" in p.golden_rules[7].text


def test_2024_rules_card_and_advice_rule_follow_the_new_numbering():
    chat = EngineChat(pack("national-2024"))
    (reply,) = chat.say("rules")
    assert "not the official wording" in reply.source
    assert reply.source.count("2024 national advice") == 1 and "Seven golden rules (summary)" in reply.source
    assert reply.text.splitlines()[3] == "4. Seek advice promptly if you are unsure."
    assert "May 2024" in reply.source and "Crown copyright" in reply.source and "Open Government Licence v3.0" in reply.source
    (danger,) = chat.say("999")
    assert [r.number for r in danger.rules] == [1, 3]
    assert danger.source.startswith("2024 national advice")
    # When a DSL cannot be messaged, the reply cites the "seek advice" rule: 4 in 2024, 3 in 2018.
    for pack_id, rule in (("national-2024", 4), ("national-2018", 3)):
        chat = EngineChat(pack(pack_id))
        chat.say("hello")
        (reply,) = chat.settle(Effect("escalate", "escalate:1", {}), ok=False, error="not_configured")
        assert [r.number for r in reply.rules] == [rule]


def test_2024_welcome_names_the_version():
    (reply,) = EngineChat(pack("national-2024")).say("hi")
    assert "National advice (HM Government May 2024, ShareSafe summary) (v2024.4)" in reply.text


# ---- Myths -------------------------------------------------------------------------------------------

MYTHS = [
    # Surrey myth-busting guide, one row per myth.
    ("surrey", "is consent always needed?", "consent_always_needed", [2, 4]),
    ("surrey", "Can GDPR stop me sharing?", "data_protection_barrier", [1]),
    ("surrey", "is data protection a barrier", "data_protection_barrier", [1]),
    ("surrey", "Can I pass information to another agency?", "other_agency", [1, 6]),
    ("surrey", "does the Human Rights Act stop me sharing", "confidence_human_rights", [1, 5]),
    ("surrey", "does the common law duty of confidence prevent sharing?", "confidence_human_rights", [1, 5]),
    ("surrey", "are IT systems a barrier?", "it_systems", [6]),
    ("surrey", "can I share without consent", "consent_always_needed", [2, 4]),
    # Sandwell 1.7 / Appendix 2 and 5.1.
    ("sandwell", "is consent always needed?", "consent_always_needed", [2, 4]),
    ("sandwell", "can GDPR stop me sharing?", "data_protection_barrier", [1]),
    ("sandwell", "does human rights law prevent sharing", "confidence_human_rights", [1, 4]),
    # Bradford Introduction and Working Together 2018 additions.
    ("bradford", "is consent always needed?", "consent_always_needed", [4, 7]),
    ("bradford", "does MASH need consent?", "mash_consent", [4, 7]),
    # Cambridgeshire: telling families about a MASH referral.
    ("cambridgeshire", "should I tell the family about the MASH referral?", "tell_family_mash", [2, 4]),
    # National 2024 summary.
    ("national-2024", "is consent always needed?", "consent_always_needed", [2, 3]),
    ("national-2024", "can GDPR stop me sharing?", "data_protection_barrier", [1]),
    # Schools overlay: police asking for information.
    ("sandwell+schools", "the police asked me for information about a pupil", "police_request", [3, 4]),
    ("sandwell+schools", "is consent always needed?", "consent_always_needed", [2, 4]),
]


@pytest.mark.parametrize("pack_id,typed,myth_id,rules", MYTHS, ids=[f"{m[0]}:{m[1]}" for m in MYTHS])
def test_typed_question_gets_the_myth_answer(pack_id, typed, myth_id, rules):
    p = pack(pack_id)
    chat = EngineChat(p)
    chat.say("hello")
    (reply,) = chat.say(typed)
    myth = next(m for m in p.myths if m.id == myth_id)
    assert reply.kind == "myth"
    assert reply.title == myth.question and reply.text == myth.answer
    assert [r.number for r in reply.rules] == rules
    assert reply.source == myth.source.cite()


def test_surrey_myths_are_the_myth_busting_guide():
    p = pack("surrey")
    assert {m.id for m in p.myths} == {"data_protection_barrier", "consent_always_needed", "other_agency",
                                      "confidence_human_rights", "it_systems"}
    assert all("Myth-busting guide" in m.source.section for m in p.myths)
    assert all(m.answer.startswith(("No.", "Yes,")) for m in p.myths)


# The questions from the issue, in every pack: each gets an answer, the pack's own where it has one.
EXAMPLES = [
    ("is consent always needed?", "consent_always_needed"),
    ("can GDPR stop me sharing?", "data_protection_barrier"),
    ("Do I need consent to share?", "consent_always_needed"),
    ("is consent needed", "consent_always_needed"),
    # Typos and word forms.
    ("is concent always needed?", "consent_always_needed"),
    ("do I need consnet", "consent_always_needed"),
    ("can GDRP stop me from sharing information?", "data_protection_barrier"),
    ("does data protection law prevent me from sharing?", "data_protection_barrier"),
    ("can personal information be passed to other agencies?", "other_agency"),
]
ALL_PACKS = [*builtin_ids(), "sandwell+schools", "national-2024+schools"]
NO_ANSWER = "I don't have an answer to that. Here's what I can help with."


@pytest.mark.parametrize("pack_id", ALL_PACKS)
@pytest.mark.parametrize("typed,myth_id", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_questions_get_an_answer_in_every_pack(pack_id, typed, myth_id):
    p = pack(pack_id)
    chat = EngineChat(p)
    chat.say("hello")
    (reply,) = chat.say(typed)
    myth = next(m for m in p.myths if m.id == myth_id)
    assert reply.kind == "myth", f"{pack_id}: {typed!r} got {reply.kind}: {reply.title}"
    assert (reply.title, reply.text, reply.source) == (myth.question, myth.answer, myth.source.cite())
    assert reply.text.startswith(("No.", "Yes,"))


@pytest.mark.parametrize("pack_id", ["bradford", "bradford+schools"])
@pytest.mark.parametrize("typed", ["Do I need consent to share?", "is consent needed", "is consent always needed?"])
def test_a_consent_question_without_mash_gets_the_consent_answer_not_the_mash_one(pack_id, typed):
    chat = EngineChat(pack(pack_id))
    chat.say("hello")
    (reply,) = chat.say(typed)
    assert reply.title == "Is consent always needed to share?"
    assert "MASH" not in reply.text and reply.source.endswith("Working Together 2018 additional guidance, point 3")


def test_answers_follow_the_pack():
    """The same question gets each pack's own answer, with its rules and source."""
    answers = {}
    for pack_id in ("national-2018", "bradford", "sandwell", "national-2024"):
        chat = EngineChat(pack(pack_id))
        chat.say("hello")
        (reply,) = chat.say("is consent always needed?")
        answers[pack_id] = reply
    assert "explicit and freely given" in answers["national-2018"].text and "Myth-busting guide" in answers["national-2018"].source
    assert "Record who you told" in answers["bradford"].text
    assert "Early Help (levels 1-3)" in answers["sandwell"].text
    assert "You do not need consent if a child is at risk" in answers["national-2024"].text
    assert [r.number for r in answers["national-2024"].rules] == [2, 3]
    assert answers["national-2024"].rules[1].short == "You do not need consent to share if a child is at risk."


@pytest.mark.parametrize("pack_id", ALL_PACKS)
@pytest.mark.parametrize("typed", ["what time is lunch", "the weather is nice today", "GDPR", "is consent a barrier",
                                   "xqzv blorp"])
def test_unmatched_text_at_the_menu_says_so_and_shows_the_menu(pack_id, typed):
    chat = EngineChat(pack(pack_id))
    chat.say("hello")
    *above, reply = chat.say(typed)
    assert [r.kind for r in above] in ([], ["danger_reminder"])  # a sentence it can't use: the 999 line (issue 12)
    assert reply.kind == "welcome" and reply.title == NO_ANSWER
    assert [c.value for c in reply.choices] == ["share", "consent", "danger", "dsl", "rules"]


def test_unmatched_first_message_says_so_but_a_greeting_is_welcomed():
    *above, reply = EngineChat(pack("surrey")).say("what time is lunch?")
    assert [r.kind for r in above] in ([], ["danger_reminder"])
    assert reply.kind == "welcome" and reply.title == NO_ANSWER
    (reply,) = EngineChat(pack("surrey")).say("hello")
    assert reply.kind == "welcome" and reply.title == "ShareSafe"


def test_unrelated_text_mid_question_asks_again():
    chat = EngineChat(pack("surrey"))
    question = chat.walk("share", ["yes"])
    *above, reply = chat.say("what time is lunch")
    assert [r.kind for r in above] in ([], ["danger_reminder"])
    assert reply.kind == "question" and reply.node == question.node and reply.data["unclear"]


def test_myth_mid_flow_keeps_the_place():
    chat = EngineChat(pack("surrey"))
    question = chat.walk("share", ["yes"])
    (reply,) = chat.say("can GDPR stop me sharing?")
    assert reply.kind == "myth" and reply.choices[0].value == "resume"
    (back,) = chat.tap("resume")
    assert back.kind == "question" and back.node == question.node


def test_myth_button_value_opens_it():
    chat = EngineChat(pack("surrey"))
    chat.say("hello")
    (reply,) = chat.tap("myth:it_systems")
    assert reply.kind == "myth" and "CP-IS" in reply.text


def test_the_myth_covering_more_of_the_question_wins_even_if_listed_later():
    from dialogs.myths import best_match
    from dialogs.pack import Myth, Source

    def myth(myth_id, keywords):
        return Myth(id=myth_id, question="?", answer="", keywords=tuple(keywords), rules=(1,), source=Source("x", "1"))

    mash, general = myth("mash", ["mash", "consent", "need", "hub"]), myth("general", ["consent", "need", "share"])
    assert best_match([mash, general], "Do I need consent to share?") is general
    assert best_match([mash, general], "does the MASH hub need consent?") is mash
    # A tie goes to the one listed first.
    assert best_match([general, myth("again", ["consent", "need", "share"])], "need consent to share?") is general


def test_the_999_card_names_the_document_it_comes_from():
    for pack_id, document in (("national-2018", "HM Government information sharing advice (2018), Flowchart"),
                              ("cambridgeshire", "HM Government information sharing advice (2018), Flowchart"),
                              ("national-2024", "2024 national advice (ShareSafe summary, not the official wording), Seven")):
        (reply,) = EngineChat(pack(pack_id)).say("999")
        assert reply.kind == "danger" and reply.source.startswith(document), reply.source


def test_myth_needing_a_word_the_question_lacks_is_marked_down():
    from dialogs.myths import best_match

    p = pack("bradford")
    assert best_match(p.myths, "does MASH need consent?").id == "mash_consent"
    assert best_match(p.myths, "does it need consent?").id == "consent_always_needed"
    # Only the MASH myth, and no MASH in the question: no answer rather than the wrong one.
    mash_only = [m for m in p.myths if m.id == "mash_consent"]
    assert best_match(mash_only, "does it need consent?") is None


# ---- Overlays ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", builtin_ids())
def test_schools_overlay_applies_to_every_shipped_pack(pack_id):
    base = pack(pack_id)
    p = pack(f"{pack_id}+schools")
    assert p.id == f"{pack_id}+schools" and p.overlays == ("schools.1",)
    assert p.version == f"{base.version}+schools.1"
    assert p.title == f"{base.title} + schools guidance"
    assert p.golden_rules == base.golden_rules and p.entries == base.entries
    for node in p.nodes.values():
        if node.type != "outcome":
            continue
        text = " ".join(node.local_points)
        # The pack's own points come first; the overlay only adds.
        assert node.local_points[: len(base.nodes[node.id].local_points)] == base.nodes[node.id].local_points
        if node.decision == "seek_advice":
            assert "first port of call" in text
        elif node.decision == "share":
            assert "whether receipt was confirmed" in text and "how you shared it" in text
        else:
            assert "request was made" in text
    answers = [a.id for a in p.nodes["consent_freely_given"].answers]
    assert answers == ["yes", "no", "did_not_understand", "not_sure"]
    assert {m.id for m in base.myths} | {"police_request"} == {m.id for m in p.myths}


def test_overlay_welcome_names_pack_and_overlay():
    (reply,) = EngineChat(pack("sandwell+schools")).say("hi")
    assert "Sandwell Children's Safeguarding Partnership protocol (V1, May 2022) + schools guidance (v1.3+schools.1)" in reply.text


def test_did_not_understand_is_recorded_as_the_consent_problem():
    reply = EngineChat(pack("sandwell+schools")).walk("share", TO_CONSENT + ["given", "yes", "no", "did_not_understand"])
    assert reply.data["record"]["consent"]["problem"] == "the person did not seem to understand what they were asked"


def _pack_file(tmp_path: Path, data: dict, name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_overlays_listed_in_a_pack_file(tmp_path):
    path = _pack_file(tmp_path, {"id": "leeds-schools", "version": "1", "title": "Leeds schools",
                                 "extends": "national-2018", "overlays": ["schools"]}, "leeds-schools.yaml")
    p = load_pack(path)
    assert p.id == "leeds-schools" and p.version == "1+schools.1" and p.overlays == ("schools.1",)
    assert "first port of call" in " ".join(p.nodes["outcome_seek_advice"].local_points)
    # Asking for it again by combined id applies it once.
    twice = load_pack(path, overlays=("schools",))
    assert twice.overlays == ("schools.1",) and twice.id == "leeds-schools+schools"
    assert twice.nodes["outcome_seek_advice"].local_points == p.nodes["outcome_seek_advice"].local_points


def _overlay(tmp_path: Path, name: str, **fields) -> Path:
    folder = tmp_path / "overlays"
    folder.mkdir(exist_ok=True)
    data = {"overlay": name, "version": "1", "title": name, **fields}
    return _pack_file(folder, data, f"{name}.yaml")


def _with_overlay(tmp_path: Path, name: str):
    return load_pack(PACKS_DIR / "national-2018.yaml", overlays=(name,), overlay_dirs=(tmp_path / "overlays",))


def test_unknown_overlay_is_named():
    with pytest.raises(PackError, match=r"overlay 'scools' does not exist \(known overlays: schools\)"):
        load_builtin("sandwell+scools")


def test_overlay_changing_a_node_the_pack_lacks_is_named(tmp_path):
    _overlay(tmp_path, "youth", nodes={"no_such_node": {"local_points": ["x"]}})
    with pytest.raises(PackError, match=r"overlays/youth.yaml: node 'no_such_node': changes a node this pack does not have"):
        _with_overlay(tmp_path, "youth")


def test_overlay_cannot_remove_or_change_rules(tmp_path):
    _overlay(tmp_path, "youth", nodes={"outcome_share": {"remove": True}},
             golden_rules={1: {"text": "x"}}, outcomes={"maybe": {"local_points": ["x"]}})
    with pytest.raises(PackError) as err:
        _with_overlay(tmp_path, "youth")
    message = str(err.value)
    assert "cannot remove anything" in message
    assert "field 'golden_rules': cannot be set by an overlay" in message
    assert "outcomes.maybe: is not a decision" in message


def test_overlay_outcomes_by_decision_reach_every_such_outcome(tmp_path):
    _overlay(tmp_path, "youth", outcomes={"do_not_share": {"local_points": ["Tell your youth work lead."]}})
    p = _with_overlay(tmp_path, "youth")
    for node in p.nodes.values():
        if node.type == "outcome":
            assert ("Tell your youth work lead." in node.local_points) == (node.decision == "do_not_share")


def test_pack_can_remove_an_inherited_answer(tmp_path):
    path = _pack_file(tmp_path, {
        "id": "local", "version": "1", "title": "Local", "extends": "national-2018",
        "nodes": {"consent_not_sought_reason": {"answers": {"imbalance_of_power": {"remove": True}}}},
    }, "local.yaml")
    p = load_pack(path)
    assert "imbalance_of_power" not in [a.id for a in p.nodes["consent_not_sought_reason"].answers]


def test_node_contact_must_exist(tmp_path):
    path = _pack_file(tmp_path, {
        "id": "local", "version": "1", "title": "Local", "extends": "national-2018",
        "nodes": {"outcome_seek_advice": {"contacts": ["mash"]}},
    }, "local.yaml")
    with pytest.raises(PackError, match=r"node 'outcome_seek_advice': shows contact 'mash', which is not under 'contacts'"):
        load_pack(path)


# ---- Pack selection: organisation > team > tenant > deployment -------------------------------------

DIRECTORY = {
    "tenants": {"tenant-cambs": {"pack": "cambridgeshire"}, "tenant-sandwell": {"pack": "sandwell"}},
    "teams": {"team-schools": {"pack": "cambridgeshire+schools"}},
    "organisations": {
        "st-marys": {"name": "St Mary's", "pack": "sandwell+schools", "members": ["u-mary"]},
        "no-pack": {"name": "Health visitors", "members": ["u-hv"]},
    },
}


@pytest.fixture
def directory(tmp_path) -> FileDirectory:
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(DIRECTORY), encoding="utf-8")
    return FileDirectory.load(path)


def _runner(directory: Directory, default: str = "national-2018") -> TurnRunner:
    stores = SimpleNamespace(records=None, conversations=None)
    return build_runner(stores=stores, pack_id=default, directory=directory)


@pytest.mark.parametrize("organisation,team,tenant,expected", [
    ("st-marys", "team-schools", "tenant-cambs", "sandwell+schools"),  # organisation wins
    ("no-pack", "team-schools", "tenant-cambs", "cambridgeshire+schools"),  # org without a pack: team
    ("", "team-schools", "tenant-sandwell", "cambridgeshire+schools"),  # team beats tenant
    ("", "team-other", "tenant-cambs", "cambridgeshire"),  # unknown team: tenant
    ("", "", "tenant-sandwell", "sandwell"),
    ("", "", "tenant-unknown", "national-2018"),  # nothing chosen: SHARESAFE_PACK
    ("", "", "", "national-2018"),
])
def test_pack_precedence(directory, organisation, team, tenant, expected):
    runner = _runner(directory)
    user = Practitioner(user_id="u", organisation=organisation, team_id=team, tenant_id=tenant)
    assert runner.pack_for(user).id == expected


def test_deployment_default_can_be_a_combined_pack(directory):
    runner = _runner(directory, default="national-2024+schools")
    assert runner.pack_for(Practitioner(user_id="u")).id == "national-2024+schools"


def test_selected_pack_is_named_on_the_welcome(directory):
    runner = _runner(directory)
    p = runner.pack_for(Practitioner(user_id="u", team_id="team-schools"))
    (reply,) = engine.step(p, None, UserInput(text="hi")).replies
    version = load_builtin("cambridgeshire").version
    assert f"Cambridgeshire LSCB (MASH referrals and consent) + schools guidance (v{version}+schools.1)" in reply.text
    assert reply.data["pack"]["id"] == "cambridgeshire+schools"


def test_unknown_pack_in_directory_stops_start_up(tmp_path):
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump({"teams": {"team-x": {"pack": "leeds"}}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"team 'team-x' names pack 'leeds', which is not a known pack"):
        _runner(FileDirectory.load(path))


def test_unknown_default_pack_stops_start_up():
    with pytest.raises(ValueError, match=r"SHARESAFE_PACK='sandwell\+scools'"):
        _runner(Directory(), default="sandwell+scools")


@pytest.mark.parametrize("data,message", [
    ({"teams": {"team-x": "sandwell"}}, r"team 'team-x' needs 'pack: <pack id>'"),
    ({"tenants": ["t"]}, r"'tenants' must map each tenant id"),
    ({"organisations": {"o": {"pack": 3}}}, r"organisation 'o' field 'pack' must be a pack id"),
])
def test_bad_pack_choice_in_directory_is_named(tmp_path, data, message):
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DirectoryError, match=message):
        FileDirectory.load(path)


# ---- SHARESAFE_PACKS_DIR: a partnership's own pack, without rebuilding the image ----------------------

LEEDS = {
    "id": "leeds", "version": "1", "title": "Leeds Safeguarding Children Partnership", "extends": "national-2018",
    "sources": {"leeds": {"title": "Leeds protocol", "file": "leeds.pdf"}},
    "nodes": {"outcome_seek_advice": {"local_points": [
        {"text": "Leeds: ring the Front Door for advice.", "source": {"doc": "leeds", "section": "2"}}]}},
}


def _packs_dir(tmp_path: Path, **packs: dict) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    for name, data in packs.items():
        _pack_file(folder, data, f"{name}.yaml")
    return folder


async def test_packs_dir_setting_loads_a_local_pack_beside_the_shipped_ones(tmp_path):
    from bot.turn.runtime import open_runtime
    from bot.config import Settings

    folder = _packs_dir(tmp_path, leeds=LEEDS)
    settings = Settings.from_env({"SHARESAFE_PACKS_DIR": str(folder), "SHARESAFE_PACK": "leeds+schools",
                                  "SHARESAFE_DATA_DIR": str(tmp_path)})
    assert settings.PACKS_DIR == str(folder)
    _, runner = await open_runtime(settings, stores=SimpleNamespace(records=None, conversations=None))
    assert {"leeds", "leeds+schools", *builtin_ids()} <= set(runner.packs)
    p = runner.pack_for(Practitioner(user_id="u"))
    assert p.id == "leeds+schools"
    reply = EngineChat(p).walk("share", ["not_sure"])
    assert "Leeds: ring the Front Door for advice." in reply.text and "first port of call" in reply.text
    (welcome,) = EngineChat(p).say("hi")
    assert "Leeds Safeguarding Children Partnership + schools guidance (v1+schools.1)" in welcome.text


def test_packs_dir_pack_can_be_chosen_in_the_directory(tmp_path):
    folder = _packs_dir(tmp_path, leeds=LEEDS)
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump({"teams": {"team-leeds": {"pack": "leeds"}}}), encoding="utf-8")
    runner = build_runner(stores=SimpleNamespace(records=None, conversations=None), pack_id="national-2018",
                          directory=FileDirectory.load(path), packs_dir=str(folder))
    assert runner.pack_for(Practitioner(user_id="u", team_id="team-leeds")).id == "leeds"
    assert runner.pack_for(Practitioner(user_id="u")).id == "national-2018"


def test_packs_dir_cannot_replace_a_shipped_pack(tmp_path):
    folder = _packs_dir(tmp_path, surrey={**LEEDS, "id": "surrey"})
    with pytest.raises(PackError, match=r"pack 'surrey' has the same id as a shipped pack; give yours its own id"):
        build_runner(stores=SimpleNamespace(records=None, conversations=None), pack_id="national-2018",
                     packs_dir=str(folder))


def test_packs_dir_that_does_not_exist_stops_start_up(tmp_path):
    with pytest.raises(PackError, match=r"the packs folder does not exist; check SHARESAFE_PACKS_DIR"):
        build_runner(stores=SimpleNamespace(records=None, conversations=None), pack_id="national-2018",
                     packs_dir=str(tmp_path / "nowhere"))


def test_packs_dir_pack_named_differently_from_its_file_is_refused(tmp_path):
    folder = _packs_dir(tmp_path, leeds={**LEEDS, "id": "leeds-city"})
    with pytest.raises(PackError, match=r"leeds.yaml: field 'id': is 'leeds-city' but the file is called leeds.yaml"):
        build_runner(stores=SimpleNamespace(records=None, conversations=None), pack_id="national-2018",
                     packs_dir=str(folder))


def test_organisation_found_from_directory_then_its_pack(directory):
    assert directory.organisation_of("u-mary") == "st-marys"
    assert directory.pack_for("st-marys") == "sandwell+schools"
    assert directory.pack_for_team("team-schools") == "cambridgeshire+schools"
    assert directory.pack_for_tenant("tenant-cambs") == "cambridgeshire"
    assert Practitioner(user_id="u", team_id="t").to_json()["team_id"] == "t"


# ---- packs check / packs diagram ------------------------------------------------------------------


def run_check(*paths) -> tuple[int, str]:
    out = io.StringIO()
    code = packs_cli.check([str(p) for p in paths], out=out)
    return code, out.getvalue()


def test_check_passes_every_shipped_pack_and_overlay():
    code, out = run_check(*sorted(PACKS_DIR.glob("*.yaml")), *sorted(OVERLAYS_DIR.glob("*.yaml")))
    assert code == 0, out
    assert "ERROR" not in out and "WARNING" not in out
    assert out.count("OK ") == len(builtin_ids()) + len(overlay_ids())
    assert "sandwell v1.3: 19 questions, 21 outcomes, 5 myths, extends national-2018" in out


def _local(tmp_path: Path, **fields) -> Path:
    data = {"id": "leeds", "version": "1", "title": "Leeds", "extends": "national-2018", **fields}
    return _pack_file(tmp_path, data, f"{fields.pop('file', 'leeds')}.yaml" if "file" in fields else "leeds.yaml")


@pytest.mark.parametrize("fields,expected", [
    ({"nodes": {"clear_purpose": {"answers": {"yes": "identify_person"}}}},
     "ERROR leeds.yaml: node 'clear_purpose' answer 'yes': goes to 'identify_person', which does not exist; "
     "fix the spelling or add a node called 'identify_person'"),
    ({"nodes": {"outcome_extra": {"type": "outcome", "decision": "share", "title": "x", "text": "x", "rules": [7],
                                  "source": {"doc": "sandwell", "section": "1"}}}},
     "ERROR leeds.yaml: node 'outcome_extra': cannot be reached from any entry (no answer leads to it); "
     "point an answer's 'next' at it, or remove it"),
    ({"nodes": {"outcome_extra": {"type": "outcome", "decision": "share", "title": "x", "text": "x", "rules": [7]}}},
     "ERROR leeds.yaml: node 'outcome_extra': needs 'source: {doc: <source id>, section: <section>}'"),
    ({"nodes": {"has_consent": {"rules": [8]}}},
     "ERROR leeds.yaml: node 'has_consent': golden rule 8 does not exist (use 1, 2, 3, 4, 5, 6, 7)"),
    ({"contacts": {"mash": {"name": "Leeds MASH", "phone": "0113 496 0000"}}},
     "ERROR leeds.yaml: contact 'mash': the number 0113 496 0000 needs 'source: {doc: ..., section: ...}'"),
    ({"nodes": {"outcome_share": {"local_points": ["Use the Leeds form."]}}},
     "ERROR leeds.yaml: node 'outcome_share' local point 1: 'Use the Leeds form.' needs a source"),
    ({"id": "leeds-city"},
     "ERROR leeds.yaml: field 'id': is 'leeds-city' but the file is called leeds.yaml; packs are found by file name"),
    ({"sources": {"leeds": {"title": "Leeds procedures"}}},
     "ERROR leeds.yaml: source 'leeds': say which document it is"),
    ({"overlays": ["scools"]},
     "ERROR leeds.yaml: overlay 'scools' does not exist (known overlays: schools); check the spelling"),
    ({"extends": "national-2081"},
     "there is no national-2081.yaml beside it or among the shipped packs"),
])
def test_check_names_file_node_and_what_to_do(tmp_path, fields, expected):
    path = _local(tmp_path, **fields)
    code, out = run_check(path)
    assert code == 1
    assert expected in out, out
    assert f"FAILED {path}" in out


def test_check_good_local_pack_extends_a_shipped_pack_from_elsewhere(tmp_path):
    path = _local(tmp_path, nodes={"outcome_share": {"local_points": [
        {"text": "Use the Leeds form.", "source": {"doc": "sandwell", "section": "Appendix 2, question 7"}}]}})
    code, out = run_check(path)
    assert code == 0, out
    assert f"WARNING leeds.yaml: no diagram beside it; run: python -m bot packs diagram {path}" in out
    packs_cli.diagram(path, stdout=io.StringIO())
    assert (tmp_path / "leeds.mmd").read_text() == mermaid(load_pack(path))
    code, out = run_check(path)
    assert code == 0 and "WARNING" not in out
    path.write_text(path.read_text().replace("version: '1'", "version: '2'"))
    code, out = run_check(path)
    assert code == 0 and "WARNING leeds.mmd: out of date" in out


def test_check_reports_every_file_and_fails_if_any_fails(tmp_path):
    good = PACKS_DIR / "surrey.yaml"
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed")
    code, out = run_check(good, bad, tmp_path / "missing.yaml")
    assert code == 1
    assert f"OK {good}" in out
    assert "ERROR broken.yaml: not valid YAML" in out.replace(str(tmp_path) + "/", "")
    assert f"ERROR {tmp_path / 'missing.yaml'}: file not found; check the path" in out


def test_check_overlay_against_every_shipped_pack(tmp_path):
    path = _overlay(tmp_path, "youth", nodes={"significant_harm": {"local_points": [
        {"text": "Tell your lead.", "source": {"doc": "schools", "section": "x"}}]}})
    code, out = run_check(path)
    # national-2024 has no significant_harm question: the overlay cannot apply to it.
    assert code == 1
    assert "ERROR with pack national-2024: national-2024.yaml + overlays/youth.yaml: node 'significant_harm': " \
           "changes a node this pack does not have" in out


def test_check_with_no_files_prints_usage():
    code, out = run_check()
    assert code == 1 and "usage" in out


def test_diagram_for_builtin_and_combined_ids(tmp_path):
    out = tmp_path / "x.mmd"
    assert packs_cli.diagram("sandwell+schools", out, stdout=io.StringIO()) == out
    assert out.read_text().startswith("%% sandwell+schools v1.3+schools.1")
    buffer = io.StringIO()
    assert packs_cli.diagram("surrey", "-", stdout=buffer) is None
    assert buffer.getvalue() == (PACKS_DIR / "surrey.mmd").read_text()
    with pytest.raises(PackError, match="no pack called 'leeds'"):
        packs_cli.diagram("leeds", out)


def test_main_dispatches_and_reports_errors():
    out = io.StringIO()
    assert packs_cli.main(["check", str(PACKS_DIR / "bradford.yaml")], out=out) == 0
    out = io.StringIO()
    assert packs_cli.main(["diagram", "leeds"], out=out) == 1 and "ERROR no pack called 'leeds'" in out.getvalue()
    assert packs_cli.main(["frobnicate"], out=io.StringIO()) == 2


def test_check_runs_from_python_c(tmp_path):
    bad = _local(tmp_path, nodes={"has_consent": {"rules": [8]}})
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; from bot.cli.packs import check; sys.exit(check([{str(bad)!r}]))"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=60,
    )
    assert result.returncode == 1
    assert "node 'has_consent': golden rule 8 does not exist" in result.stdout
