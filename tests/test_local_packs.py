"""Local policy packs (Bradford, Surrey, Sandwell, Cambridgeshire), the 2024 national summary, the
schools overlay, myth-busting answers, pack selection per tenant/team/organisation, and the
`packs check` / `packs diagram` commands.

Each path row cites the source document (../shared/seeds, see README.md there) and section.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from bot import packs_cli
from bot.directory import DirectoryError, FileDirectory
from bot.turn import Directory, TurnRunner, build_runner
from dialogs import engine
from dialogs.diagram import mermaid
from dialogs.model import Effect, EffectResult, Practitioner, UserInput
from dialogs.pack import (
    OVERLAYS_DIR, PACKS_DIR, PackError, builtin_ids, load_builtin, load_pack, overlay_ids,
)
from tests.engine_chat import EngineChat

LOCAL = ("bradford", "surrey", "sandwell", "cambridgeshire")
SEEDS = Path(os.environ.get("SHARESAFE_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))

TO_CONSENT = ["yes", "yes", "yes"]  # clear purpose, identifies someone, confidential
NO_CONSENT_NOT_ASKED = TO_CONSENT + ["no", "no", "no"]  # no consent, not yet asked, no legal duty
REFUSED = TO_CONSENT + ["no", "yes"]  # no consent: asked and refused
VALID_CONSENT = TO_CONSENT + ["yes", "yes", "no", "yes"]
MASH_LINE = "Cambridgeshire MASH: 0345 045 1362."

# id, pack, entry, answers, outcome, golden rules, text that must appear (local points, contacts)
PATHS = [
    # ---- Bradford (000_…) ----------------------------------------------------------------------
    # Introduction: an emergency is a reason not to seek consent; record it electronically, make it
    # visible in partner referrals; MASH decides case by case.
    ("bradford-emergency", "bradford", "share", NO_CONSENT_NOT_ASKED + ["yes", "emergency", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7],
     ["electronically", "audit trail", "visible in your referral", "case by case"]),
    ("bradford-risk", "bradford", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["electronically", "visible in your referral"]),
    ("bradford-refused-overridden", "bradford", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["reason consent was overridden"]),
    # Introduction + Working Together 2018 additions, point 1: share early.
    ("bradford-significant-harm", "bradford", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Share early", "case by case"]),
    ("bradford-not-confidential", "bradford", "share", ["yes", "yes", "no"],
     "outcome_share", [1, 6, 7], ["Share early", "already known to children's social care"]),
    # Working Together 2018 additions, point 3: record who was given the information and why.
    ("bradford-valid-consent", "bradford", "share", VALID_CONSENT,
     "outcome_share_with_consent", [2, 4, 6, 7], ["Record who you gave the information to"]),
    # Working Together 2018 additions, point 2: fears must not stand in the way.
    ("bradford-no-purpose", "bradford", "share", ["no"], "outcome_do_not_share", [6, 7], ["Fears about sharing"]),
    ("bradford-refused-no-basis", "bradford", "share", REFUSED + ["no"],
     "outcome_do_not_share_no_basis", [4, 7], ["withheld the information", "Fears about sharing"]),
    # Flowchart: seek advice if unsure; follow procedures without delay.
    ("bradford-unsure", "bradford", "share", ["not_sure"], "outcome_seek_advice", [3, 7], ["without delay"]),
    ("bradford-threshold", "bradford", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"],
     "outcome_seek_advice_threshold", [3, 5], ["Fears about sharing"]),
    ("bradford-consent-entry-emergency-no-basis", "bradford", "consent", ["no", "no", "no", "yes", "emergency", "no"],
     "outcome_do_not_share_no_basis", [4, 7], ["withheld the information"]),

    # ---- Surrey (001_…) ------------------------------------------------------------------------
    # 4: do not seek consent where it would place an adult at risk of serious harm.
    ("surrey-adult-serious-harm", "surrey", "share", NO_CONSENT_NOT_ASKED + ["yes", "adult_serious_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["an adult of serious harm"]),
    ("surrey-child-risk", "surrey", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["normally be shared"]),
    ("surrey-serious-crime", "surrey", "share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], []),
    ("surrey-delay", "surrey", "share", NO_CONSENT_NOT_ASKED + ["yes", "unjustified_delay", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], []),
    # 4: always share with Surrey Children's Services on reasonable cause to suspect significant harm.
    ("surrey-significant-harm", "surrey", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Surrey Children's Services", "Do not delay"]),
    # 4: unsure about "reasonable cause to believe": child protection adviser, Caldicott Guardian.
    ("surrey-threshold", "surrey", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"],
     "outcome_seek_advice_threshold", [3, 5],
     ["nominated child protection adviser", "Caldicott Guardian", "best interests"]),
    # 2: the lead information officer decides controversial issues.
    ("surrey-unsure", "surrey", "share", ["yes", "not_sure"], "outcome_seek_advice", [3, 7], ["lead information officer"]),
    ("surrey-unsure-reason", "surrey", "share", NO_CONSENT_NOT_ASKED + ["yes", "not_sure"],
     "outcome_seek_advice", [3, 7], ["lead information officer"]),
    ("surrey-refused-public-interest", "surrey", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], []),
    ("surrey-refused-no-basis", "surrey", "share", REFUSED + ["no"], "outcome_do_not_share_no_basis", [4, 7], []),
    ("surrey-valid-consent", "surrey", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7], []),
    ("surrey-early-help", "surrey", "share", NO_CONSENT_NOT_ASKED + ["no", "no"], "outcome_seek_consent", [2, 4, 7], []),
    ("surrey-legal-duty", "surrey", "share", TO_CONSENT + ["no", "no", "yes"], "outcome_share_legal_duty", [1, 4, 6, 7], []),

    # ---- Sandwell (002_…) ----------------------------------------------------------------------
    # Appendix 2 Safeguarding + 1.7: refer to SCT via MASH, consent not required, families informed.
    ("sandwell-significant-harm", "sandwell", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7],
     ["Sandwell Children's Trust via MASH", "Consent is not required", "legal obligation or public task",
      "level of risk you saw at the time", "line manager or DSL"]),
    # Appendix 2 Early Help: levels 1-3 need freely given, informed, explicit consent (Q4 contents).
    ("sandwell-early-help", "sandwell", "share", NO_CONSENT_NOT_ASKED + ["no", "no"],
     "outcome_seek_consent", [2, 4, 7],
     ["levels 1-3", "freely given, informed, explicit consent", "including detecting crime", "withdraw consent"]),
    ("sandwell-consent-entry-early-help", "sandwell", "consent", ["no", "no", "no", "no", "no"],
     "outcome_seek_consent", [2, 4, 7], ["levels 1-3"]),
    # Appendix 2 Safeguarding: unclear threshold -> DSL and, if necessary, lead officer.
    ("sandwell-threshold", "sandwell", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"],
     "outcome_seek_advice_threshold", [3, 5], ["lead officer", "must not be ignored"]),
    # 6.3: imbalance of power (policing); Q5: explain unless risky; record contents.
    ("sandwell-imbalance-of-power", "sandwell", "share", NO_CONSENT_NOT_ASKED + ["yes", "imbalance_of_power", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7],
     ["Explain to the child or parent", "signed, dated case note", "the legal basis"]),
    ("sandwell-refused-public-interest", "sandwell", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["level of risk you saw at the time"]),
    # Q4 + Q7: even with consent, record the legal basis; who gave consent, dated and timed.
    ("sandwell-valid-consent", "sandwell", "share", VALID_CONSENT,
     "outcome_share_with_consent", [2, 4, 6, 7], ["dated and timed", "record the legal basis"]),
    # 6.7: statutory duty or court order -> do not seek consent.
    ("sandwell-statutory-duty", "sandwell", "share", TO_CONSENT + ["no", "no", "yes"],
     "outcome_share_legal_duty", [1, 4, 6, 7], ["duty or court order"]),
    # Q7 / 5.2: record the reasons not to share.
    ("sandwell-no-purpose", "sandwell", "share", ["no"], "outcome_do_not_share", [6, 7], ["Record why"]),
    ("sandwell-refused-no-basis", "sandwell", "share", REFUSED + ["no"],
     "outcome_do_not_share_no_basis", [4, 7], ["Record why"]),
    # Q5 advice; 14.1 disagreement -> SCSP Resolution and Escalation Policy.
    ("sandwell-unsure", "sandwell", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     ["line manager or DSL", "Resolution and Escalation Policy"]),

    # ---- Cambridgeshire (004_…) ----------------------------------------------------------------
    # "When to refer without consent": MASH Professional Consultation where advice is needed.
    ("cambs-unsure", "cambridgeshire", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     [MASH_LINE, "Professional Consultation", "end of the next working day", "can't reach your safeguarding lead"]),
    ("cambs-unsure-whose", "cambridgeshire", "share", TO_CONSENT + ["yes", "not_sure"],
     "outcome_seek_advice_consent", [3, 4], [MASH_LINE, "Struggling with consent"]),
    ("cambs-conflict", "cambridgeshire", "share", TO_CONSENT + ["yes", "yes", "yes"],
     "outcome_seek_advice_consent", [3, 4], [MASH_LINE]),
    ("cambs-threshold", "cambridgeshire", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"],
     "outcome_seek_advice_threshold", [3, 5], [MASH_LINE, "public interest"]),
    ("cambs-refused-unsure", "cambridgeshire", "share", REFUSED + ["not_sure"], "outcome_seek_advice", [3, 7], [MASH_LINE]),
    # Public interest circumstances: share, proportionately.
    ("cambs-refused-public-interest", "cambridgeshire", "share", REFUSED + ["yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["proportionate"]),
    ("cambs-not-sought-risk", "cambridgeshire", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "yes"],
     "outcome_share_without_consent", [4, 5, 6, 7], ["proportionate"]),
    # Introduction: learning from a serious case review about telling families.
    ("cambs-significant-harm", "cambridgeshire", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["serious case review"]),
    # "When consent should be sought": every other referral is help and support.
    ("cambs-early-help", "cambridgeshire", "share", NO_CONSENT_NOT_ASKED + ["no", "no"],
     "outcome_seek_consent", [2, 4, 7], ["help and support", "ask for their consent"]),
    ("cambs-valid-consent", "cambridgeshire", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7], []),
    ("cambs-no-purpose", "cambridgeshire", "share", ["no"], "outcome_do_not_share", [6, 7], []),

    # ---- National 2024 (our summary of the 2024 advice; rules renumbered) -----------------------
    # Consent is not the basis when a child may be at risk; engage the family where safe.
    ("2024-safeguarding-tell", "national-2024", "share", TO_CONSENT + ["yes", "yes"],
     "outcome_share_safeguarding", [2, 3, 5, 7],
     ["do not need consent", "public task or legal obligation", "Tell the family", "Protect the identity"]),
    ("2024-safeguarding-quietly", "national-2024", "share", TO_CONSENT + ["yes", "no"],
     "outcome_share_safeguarding_quietly", [2, 3, 6, 7], ["do not need consent", "Don't tell the family", "Protect the identity"]),
    ("2024-safeguarding-unsure-tell", "national-2024", "share", TO_CONSENT + ["yes", "not_sure"],
     "outcome_seek_advice", [4, 7], []),
    ("2024-unsure-concern", "national-2024", "share", TO_CONSENT + ["not_sure"],
     "outcome_seek_advice_threshold", [4, 6], ["Do not ignore it"]),
    ("2024-consent-entry-safeguarding", "national-2024", "consent", ["yes", "yes"],
     "outcome_share_safeguarding", [2, 3, 5, 7], ["do not need consent"]),
    # No safeguarding concern: the consent route of the flowchart.
    ("2024-valid-consent", "national-2024", "share", TO_CONSENT + ["no", "yes", "yes", "no", "yes"],
     "outcome_share_with_consent", [2, 3, 5, 7], []),
    ("2024-talk-to-family", "national-2024", "share", TO_CONSENT + ["no", "no", "no", "no"],
     "outcome_seek_consent", [2, 3, 4, 7], ["ask if they agree", "start again"]),
    ("2024-legal-duty", "national-2024", "share", TO_CONSENT + ["no", "no", "no", "yes"],
     "outcome_share_legal_duty", [1, 2, 5, 7], []),
    ("2024-refused-public-interest", "national-2024", "share", TO_CONSENT + ["no", "no", "yes", "yes"],
     "outcome_share_without_consent", [2, 5, 6, 7], []),
    ("2024-refused-no-basis", "national-2024", "share", TO_CONSENT + ["no", "no", "yes", "no"],
     "outcome_do_not_share_no_basis", [2, 7], []),
    ("2024-no-purpose", "national-2024", "share", ["no"], "outcome_do_not_share", [5, 7], []),
    ("2024-anonymised", "national-2024", "share", ["yes", "no"], "outcome_share_anonymised", [1, 5, 7], []),
    ("2024-not-confidential", "national-2024", "share", ["yes", "yes", "no"], "outcome_share", [1, 5, 7], []),

    # ---- Schools overlay (003_…) on the national base --------------------------------------------
    # "When can information be shared?": stop and seek advice if they don't understand.
    ("schools-did-not-understand", "national-2018+schools", "share", TO_CONSENT + ["yes", "yes", "no", "did_not_understand"],
     "outcome_seek_advice_consent", [3, 4], ["stop and ask your DSL or senior leadership team", "first port of call"]),
    ("schools-unsure", "national-2018+schools", "share", ["not_sure"], "outcome_seek_advice", [3, 7], ["first port of call"]),
    # "Recording decisions": method of sharing and whether receipt was confirmed.
    ("schools-valid-consent", "national-2018+schools", "share", VALID_CONSENT, "outcome_share_with_consent", [2, 4, 6, 7],
     ["how you shared it", "whether receipt was confirmed", "type of information"]),
    ("schools-refer", "national-2018+schools", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["whether receipt was confirmed"]),
    ("schools-no-purpose", "national-2018+schools", "share", ["no"], "outcome_do_not_share", [6, 7],
     ["the request was made", "your decision"]),
    ("schools-early-help", "national-2018+schools", "share", NO_CONSENT_NOT_ASKED + ["no", "no"],
     "outcome_seek_consent", [2, 4, 7], ["never say a referral will follow", "request was made"]),
    ("schools-threshold", "national-2018+schools", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"],
     "outcome_seek_advice_threshold", [3, 5], ["first port of call"]),
    ("schools-on-sandwell", "sandwell+schools", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"],
     "outcome_refer_tell_family", [2, 4, 5, 7], ["Sandwell Children's Trust via MASH", "whether receipt was confirmed"]),
    ("schools-on-cambs", "cambridgeshire+schools", "share", ["not_sure"], "outcome_seek_advice", [3, 7],
     [MASH_LINE, "first port of call"]),
    ("schools-on-2024", "national-2024+schools", "share", TO_CONSENT + ["yes", "yes"],
     "outcome_share_safeguarding", [2, 3, 5, 7], ["whether receipt was confirmed", "Protect the identity"]),
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
def test_each_pack_has_at_least_ten_paths(pack_id):
    assert len([p for p in PATHS if p[1] == pack_id]) >= 10


@pytest.mark.parametrize("pack_id", [*LOCAL, *(f"{p}+schools" for p in LOCAL)])
def test_partnership_packs_keep_every_national_route(pack_id):
    """Partnerships change words and add points; every national-2018 path still ends where it did."""
    from tests.test_flowchart_paths import PATHS as NATIONAL

    p = pack(pack_id)
    for name, entry, answers, outcome, decision, _rules, consent in NATIONAL:
        reply = EngineChat(p).walk(entry, answers)
        assert (reply.outcome, reply.decision) == (outcome, decision), f"{pack_id}: {name}"
        assert reply.data["record"]["consent"]["status"] == consent, f"{pack_id}: {name}"


def test_reasons_consent_was_not_sought_are_local():
    reply = EngineChat(pack("bradford")).walk("share", NO_CONSENT_NOT_ASKED + ["yes", "emergency", "yes"])
    assert reply.data["record"]["consent"] == {"status": "not_sought", "reason": "an emergency: asking for consent would be unsafe or inappropriate", "problem": ""}
    reply = EngineChat(pack("surrey")).walk("share", NO_CONSENT_NOT_ASKED + ["yes", "adult_serious_harm", "yes"])
    assert reply.data["record"]["consent"]["reason"] == "it would place an adult at risk of serious harm"


def test_not_sure_stays_the_last_answer_when_a_pack_adds_one():
    chat = EngineChat(pack("bradford"))
    reply = chat.walk("share", NO_CONSENT_NOT_ASKED + ["yes"])
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
    assert all(m.source.doc == pack_id for m in p.myths)


def test_every_contact_number_is_in_its_source_document():
    if not SEEDS.is_dir():
        pytest.skip(f"source documents not found at {SEEDS}")
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
    assert p.version == "2024.1"
    assert p.sources["national2024"]["wording"] == "summary" and "file" not in p.sources["national2024"]
    assert "summary" in p.sources["national2024"]["short"] and "not the official" in p.sources["national2024"]["short"]
    assert all(p.rule_sources[n].doc == "national2024" for n in range(1, 8))
    # The 2024 rules are renumbered, so no node may inherit a 2018 rule number.
    for node_id in p.nodes:
        assert "rules" in raw["nodes"].get(node_id, {}), f"national-2024 must restate rules for {node_id}"
    # Our own words: no quotation marks in anything the 2024 pack says.
    texts = [r.text for r in p.golden_rules.values()] + [n.text for n in p.nodes.values()] + [m.answer for m in p.myths]
    assert not any(q in t for t in texts for q in ('"', "“", "”"))
    assert "consent" in p.golden_rules[2].text and "public task" in p.golden_rules[2].text
    assert "seek advice" in p.golden_rules[4].text


def test_2024_rules_card_and_advice_rule_follow_the_new_numbering():
    chat = EngineChat(pack("national-2024"))
    (reply,) = chat.say("rules")
    assert "not the official wording" in reply.source
    assert reply.text.splitlines()[3].startswith("4. If in doubt, seek advice")
    (danger,) = chat.say("999")
    assert [r.number for r in danger.rules] == [6]
    # When a DSL cannot be messaged, the reply cites the "seek advice" rule: 4 in 2024, 3 in 2018.
    for pack_id, rule in (("national-2024", 4), ("national-2018", 3)):
        chat = EngineChat(pack(pack_id))
        chat.say("hello")
        (reply,) = chat.settle(Effect("escalate", "escalate:1", {}), ok=False, error="not_configured")
        assert [r.number for r in reply.rules] == [rule]


def test_2024_welcome_names_the_version():
    (reply,) = EngineChat(pack("national-2024")).say("hi")
    assert "National advice (HM Government 2024, ShareSafe summary) (v2024.1)" in reply.text


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


@pytest.mark.parametrize("typed", ["what time is lunch", "the weather is nice today", "GDPR", "is consent a barrier"])
def test_unrelated_text_at_the_menu_gets_the_menu(typed):
    chat = EngineChat(pack("surrey"))
    chat.say("hello")
    (reply,) = chat.say(typed)
    assert reply.kind == "welcome"


def test_unrelated_text_mid_question_asks_again():
    chat = EngineChat(pack("surrey"))
    question = chat.walk("share", ["yes"])
    (reply,) = chat.say("what time is lunch")
    assert reply.kind == "question" and reply.node == question.node and reply.data["unclear"]


def test_myth_mid_flow_keeps_the_place():
    chat = EngineChat(pack("surrey"))
    question = chat.walk("share", ["yes", "yes"])
    (reply,) = chat.say("can GDPR stop me sharing?")
    assert reply.kind == "myth" and reply.choices[0].value == "resume"
    (back,) = chat.tap("resume")
    assert back.kind == "question" and back.node == question.node


def test_myth_button_value_opens_it():
    chat = EngineChat(pack("surrey"))
    chat.say("hello")
    (reply,) = chat.tap("myth:it_systems")
    assert reply.kind == "myth" and "CP-IS" in reply.text


def test_national_2018_has_no_myths_so_questions_fall_back_to_the_menu():
    chat = EngineChat(pack("national-2018"))
    chat.say("hello")
    (reply,) = chat.say("is consent always needed?")
    assert reply.kind == "welcome"


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
    assert "Sandwell Children's Safeguarding Partnership protocol (V1, May 2022) + schools guidance (v1.0+schools.1)" in reply.text


def test_did_not_understand_is_recorded_as_the_consent_problem():
    reply = EngineChat(pack("sandwell+schools")).walk("share", TO_CONSENT + ["yes", "yes", "no", "did_not_understand"])
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
    assert "Cambridgeshire LSCB (MASH referrals and consent) + schools guidance (v1.0+schools.1)" in reply.text
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
    assert "sandwell v1.0: 13 questions, 12 outcomes, 3 myths, extends national-2018" in out


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
    assert out.read_text().startswith("%% sandwell+schools v1.0+schools.1")
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
        [sys.executable, "-c", f"import sys; from bot.packs_cli import check; sys.exit(check([{str(bad)!r}]))"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=60,
    )
    assert result.returncode == 1
    assert "node 'has_consent': golden rule 8 does not exist" in result.stdout
