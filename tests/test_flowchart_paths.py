"""Answer paths through the national 2018 flowchart -> outcome, decision, golden rules, consent.

Each row cites the source document (../shared/seeds) and section it comes from.
"""

import pytest

from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")

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
    ("unsure-whose", "share", TO_CONSENT + ["yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    ("conflict", "share", TO_CONSENT + ["yes", "yes", "yes"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    ("unsure-conflict", "share", TO_CONSENT + ["yes", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    # Schools guidance: not freely given or informed -> not valid; Early Help then needs proper consent.
    ("consent-not-free", "share", TO_CONSENT + ["yes", "yes", "no", "no", "no", "no", "no"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_valid"),
    ("unsure-free", "share", TO_CONSENT + ["yes", "yes", "no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    # Wrong person consented, but a court order applies -> must share (Sandwell 6.7).
    ("wrong-person-court-order", "share", TO_CONSENT + ["yes", "no", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-has-consent", "share", TO_CONSENT + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    # Sandwell Appendix 2 Q5 / Cambridgeshire: refused, but public interest (significant harm) -> share.
    ("refused-public-interest", "share", TO_CONSENT + ["no", "yes", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "refused"),
    # Golden rule 4: respect a refusal where there is no other lawful basis.
    ("refused-no-basis", "share", TO_CONSENT + ["no", "yes", "no"], "outcome_do_not_share_no_basis", "do_not_share", [4, 7], "refused"),
    ("refused-unsure", "share", TO_CONSENT + ["no", "yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "refused"),
    ("unsure-asked", "share", TO_CONSENT + ["no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4], "not_decided"),
    # Sandwell 6.7: statutory duty or court order -> consent should not be sought.
    ("statutory-duty", "share", TO_CONSENT + ["no", "no", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-duty", "share", TO_CONSENT + ["no", "no", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 6.3 / Surrey 4: do not seek consent if it would increase risk, prejudice crime, delay.
    ("not-sought-risk", "share", NO_CONSENT_NOT_ASKED + ["yes", "risk_of_harm", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-crime", "share", NO_CONSENT_NOT_ASKED + ["yes", "serious_crime", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-delay", "share", NO_CONSENT_NOT_ASKED + ["yes", "unjustified_delay", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    # Sandwell 6.3: imbalance of power (e.g. policing), but no other basis here -> do not share.
    ("not-sought-power-no-basis", "share", NO_CONSENT_NOT_ASKED + ["yes", "imbalance_of_power", "no"], "outcome_do_not_share_no_basis", "do_not_share", [4, 7], "not_sought"),
    ("unsure-reason", "share", NO_CONSENT_NOT_ASKED + ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    ("unsure-would-harm", "share", NO_CONSENT_NOT_ASKED + ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 "Safeguarding": significant harm -> refer without consent, still talk to family.
    ("significant-harm", "share", NO_CONSENT_NOT_ASKED + ["no", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    # Sandwell Appendix 2 "Early Help": levels 1-3 need freely given, informed, explicit consent.
    ("early-help", "share", NO_CONSENT_NOT_ASKED + ["no", "no"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_decided"),
    # Surrey 4: unsure whether it is significant harm -> must not be ignored; child protection adviser.
    ("unsure-threshold", "share", NO_CONSENT_NOT_ASKED + ["no", "not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5], "not_decided"),
    # The "Do I need consent?" entry starts at the consent question.
    ("consent-entry-significant-harm", "consent", ["no", "no", "no", "no", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    ("consent-entry-valid", "consent", ["yes", "yes", "no", "yes"], "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
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
