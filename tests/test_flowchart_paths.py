"""Answer paths through the national 2018 flowchart -> outcome, decision, golden rules, consent.

Each row cites the source document (../shared/seeds) and section it comes from.
"""

import re
from pathlib import Path

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")
ROOT = Path(__file__).resolve().parents[1]

# The flowchart up to the consent question, for a confidential, identifying piece of information.
TO_CONSENT = ["yes", "yes", "yes"]
NO_CONSENT_NOT_ASKED = TO_CONSENT + ["no", "no", "no"]  # no consent, not yet asked, no legal duty

PATHS = [
    # id, entry, answers, outcome, decision, golden rules, consent status
    # Sandwell Appendix 2 Q1: no clear and legitimate purpose -> do not share.
    ("no-purpose", "share", ["no"], "outcome_do_not_share", "do_not_share", [6, 7], "not_decided"),
    # Bradford flowchart: seek advice if unsure at any stage (golden rule 3).
    ("unsure-purpose", "share", ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q2: anonymised information can be shared for a legitimate purpose.
    ("anonymised", "share", ["yes", "no"], "outcome_share_anonymised", "share", [1, 6, 7], "not_needed"),
    ("unsure-identifies", "share", ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q3: not confidential -> share appropriately (Appendix 4 flowchart).
    ("not-confidential", "share", ["yes", "yes", "no"], "outcome_share", "share", [1, 6, 7], "not_needed"),
    ("unsure-confidential", "share", ["yes", "yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q4 and schools guidance: valid consent from the right person.
    ("valid-consent", "share", TO_CONSENT + ["yes", "yes", "no", "yes"], "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    # Sandwell Q4: doubt about capacity, or conflict between parent and child -> safeguarding lead.
    ("unsure-whose", "share", TO_CONSENT + ["yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("conflict", "share", TO_CONSENT + ["yes", "yes", "yes"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("unsure-conflict", "share", TO_CONSENT + ["yes", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Schools guidance: not freely given or informed -> not valid; Early Help then needs proper consent.
    ("consent-not-free", "share", TO_CONSENT + ["yes", "yes", "no", "no", "no", "no", "no"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_valid"),
    ("unsure-free", "share", TO_CONSENT + ["yes", "yes", "no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Wrong person consented, but a court order applies -> must share (Sandwell 6.7).
    ("wrong-person-court-order", "share", TO_CONSENT + ["yes", "no", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-has-consent", "share", TO_CONSENT + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell Appendix 2 Q5 / Cambridgeshire: refused, but public interest (significant harm) -> share.
    ("refused-public-interest", "share", TO_CONSENT + ["no", "yes", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "refused"),
    # Golden rule 4: respect a refusal where there is no other lawful basis.
    ("refused-no-basis", "share", TO_CONSENT + ["no", "yes", "no"], "outcome_do_not_share_no_basis", "do_not_share", [4, 7], "refused"),
    ("refused-unsure", "share", TO_CONSENT + ["no", "yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "refused"),
    ("unsure-asked", "share", TO_CONSENT + ["no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell 6.7: statutory duty or court order -> consent should not be sought.
    ("statutory-duty", "share", TO_CONSENT + ["no", "no", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-duty", "share", TO_CONSENT + ["no", "no", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 6.3 / Surrey 4: do not seek consent if it would increase risk, prejudice crime, delay.
    ("not-sought-risk", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-crime", "share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-delay", "share", NO_CONSENT_NOT_ASKED + ["yes", "unjustified_delay", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    # Surrey 4: do not seek consent where it would place an adult at risk of serious harm.
    ("not-sought-adult", "share", NO_CONSENT_NOT_ASKED + ["yes", "adult_serious_harm", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    # Sandwell 6.3: imbalance of power (e.g. policing), but no other lawful reason. Consent was never
    # asked for, so this is not "respect their wishes": ask for consent if safe, or get advice.
    ("not-sought-power-no-basis", "share", NO_CONSENT_NOT_ASKED + ["yes", "imbalance_of_power", "no"], "outcome_not_sought_no_basis", "seek_advice", [2, 3, 4, 7], "not_sought"),
    # Sandwell 6.6 / Appendix 2 Q5: a risk of significant harm almost certainly meets the public
    # interest, so a "no" after that reason never ends in "do not share": get advice today.
    ("not-sought-risk-no-basis", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "no"], "outcome_not_sought_no_basis", "seek_advice", [2, 3, 4, 7], "not_sought"),
    ("not-sought-crime-unsure", "share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_sought"),
    ("unsure-reason", "share", NO_CONSENT_NOT_ASKED + ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    ("unsure-would-harm", "share", NO_CONSENT_NOT_ASKED + ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 "Safeguarding": significant harm -> refer without consent, still talk to family.
    ("significant-harm", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    # Sandwell Appendix 2 "Early Help": levels 1-3 need freely given, informed, explicit consent.
    ("early-help", "share", NO_CONSENT_NOT_ASKED + ["no", "no"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_decided"),
    # Surrey 4: unsure whether it is significant harm -> must not be ignored; child protection adviser.
    ("unsure-threshold", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5, 7], "not_decided"),
    # The "Do I need consent?" entry starts at the consent question.
    ("consent-entry-significant-harm", "consent", ["no", "no", "no", "no", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    ("consent-entry-valid", "consent", ["yes", "yes", "no", "yes"], "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    ("consent-entry-refused-no-basis", "consent", ["no", "yes", "no"], "outcome_do_not_share_no_basis", "do_not_share", [4, 7], "refused"),
    ("consent-entry-not-sought-risk", "consent", ["no", "no", "no", "yes", "risk_of_harm", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
]


@pytest.mark.parametrize("entry,answers,outcome,decision,rules,consent", [p[1:] for p in PATHS], ids=[p[0] for p in PATHS])
def test_answer_path_reaches_outcome(entry, answers, outcome, decision, rules, consent):
    chat = EngineChat(PACK)
    reply = chat.walk(entry, answers)
    assert reply.kind == "outcome"
    assert reply.outcome == outcome
    assert reply.decision == decision
    assert [r.number for r in reply.rules] == rules
    # Every outcome states its golden rules in full and ends by asking for a record.
    assert all(r.text == PACK.golden_rules[r.number].text for r in reply.rules)
    assert "Record your decision" in reply.text
    record = reply.data["record"]
    assert record["consent"]["status"] == consent
    assert record["decision"] == decision
    assert [a["answer"] for a in record["answers"]] == answers
    assert record["pack"] == {"id": "national-2018", "version": PACK.version, "title": PACK.title}
    assert record["outcome"]["source"]["doc"] in PACK.sources


def test_share_outcomes_carry_how_to_share_checklist():
    reply = EngineChat(PACK).walk("share", ["yes", "yes", "no"])
    assert len(reply.checklist) == 5
    assert any("fact" in item.lower() and "opinion" in item.lower() for item in reply.checklist)
    assert any("securely" in item for item in reply.checklist)
    assert any("unless" in item for item in reply.checklist)


def test_do_not_share_has_no_checklist():
    assert EngineChat(PACK).walk("share", ["no"]).checklist == ()


def test_reason_consent_not_sought_is_kept_for_the_record():
    reply = EngineChat(PACK).walk("share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime", "yes"])
    assert "serious crime" in reply.data["record"]["consent"]["reason"]
    assert ("Why not sought", reply.data["record"]["consent"]["reason"]) in reply.facts


def test_there_are_at_least_25_paths():
    assert len(PATHS) >= 25
    # and together they reach every outcome in the pack
    outcomes = {n for n, node in PACK.nodes.items() if node.type == "outcome"}
    assert outcomes == {p[3] for p in PATHS}


def test_every_outcome_cites_golden_rule_7():
    for row in PATHS:
        assert 7 in row[5], row[0]
    assert all(7 in n.rules for n in PACK.nodes.values() if n.type == "outcome")


def test_refused_and_never_asked_get_different_answers_when_there_is_no_other_reason():
    refused = EngineChat(PACK).walk("share", TO_CONSENT + ["no", "yes", "no"])
    assert refused.title == "Do not share without consent"
    assert "They refused consent" in refused.text and "Respect their wishes" in refused.text
    never_asked = EngineChat(PACK).walk("share", NO_CONSENT_NOT_ASKED + ["yes", "unjustified_delay", "no"])
    assert never_asked.title == "Don't share yet: ask for consent, or get advice"
    assert "If it is safe, ask for consent" in never_asked.text and "talk to your DSL today" in never_asked.text
    assert "Respect" not in never_asked.text and "refused" not in never_asked.text


@pytest.mark.parametrize("answer,outcome,decision", [
    ("yes", "outcome_share_without_consent", "share"),
    ("no", "outcome_not_sought_no_basis", "seek_advice"),  # and it says the answer is almost certainly yes
    ("not_sure", "outcome_seek_advice", "seek_advice"),
])
def test_a_child_at_more_risk_of_significant_harm_never_ends_in_do_not_share(answer, outcome, decision):
    chat = EngineChat(PACK)
    question = chat.walk("share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm"])
    assert question.node == "public_interest" and "almost certainly" in question.text
    (reply,) = chat.tap(answer)
    assert (reply.kind, reply.outcome, reply.decision) == ("outcome", outcome, decision)
    if answer == "no":
        assert "almost certainly" in reply.text


def test_reasons_not_to_ask_each_cite_their_document():
    reasons = EngineChat(PACK).walk("share", NO_CONSENT_NOT_ASKED + ["yes"])
    labels = [c.label for c in reasons.choices]
    assert labels[:5] == ["It would put a child at more risk of significant harm", "It would put an adult at risk of serious harm",
                          "It would harm a crime investigation", "It would cause unjustified delay", "Imbalance of power"]
    # The question card names both documents the reasons come from.
    assert "Surrey" in reasons.source and "Sandwell" in reasons.source
    node = PACK.nodes["consent_not_sought_reason"]
    assert [s.doc for s in node.answer("adult_serious_harm").source.each()] == ["surrey"]
    assert [s.doc for s in node.answer("imbalance_of_power").source.each()] == ["sandwell"]
    assert [s.doc for s in node.answer("risk_of_harm").source.each()] == ["surrey", "sandwell"]
    # Vital interests and public duty are Sandwell 6.5 and 1.7, not the Cambridgeshire note.
    public = EngineChat(PACK).walk("share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime"])
    assert "vital interests" in public.text and public.source.startswith("Sandwell") and "6.5" in public.source


def test_consent_must_be_explicit_for_early_help():
    reply = EngineChat(PACK).walk("share", TO_CONSENT + ["yes", "yes", "no"])
    assert reply.node == "consent_freely_given"
    assert "For Early Help it must also be explicit" in reply.text and "Appendix 2, question 4" in reply.source


def test_refer_outcome_tells_the_family_only_if_safe():
    reply = EngineChat(PACK).walk("share", NO_CONSENT_NOT_ASKED + ["no", "yes"])
    assert "If it is safe, talk to the family first" in reply.text
    assert "As it is safe to" not in reply.text


def test_readme_flow_is_the_committed_national_diagram():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", readme, re.S)
    assert block, "the README has no mermaid block"
    assert block.group(1) == (ROOT / "dialogs" / "packs" / "national-2018.mmd").read_text(encoding="utf-8"), \
        "copy dialogs/packs/national-2018.mmd into the README's mermaid block"
