"""Answer paths through the national 2018 flowchart -> outcome, decision, golden rules, consent.

Each row cites the source document (../shared/seeds) and section it comes from.
"""

import re
from pathlib import Path

import pytest

from dialogs.forms import LAWFUL_BASES
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat

PACK = load_builtin("national-2018")
ROOT = Path(__file__).resolve().parents[1]

# Before consent: a clear purpose, no legal duty (Sandwell 6.7 and Appendix 2 Q1 come first).
BEFORE = ["yes", "no"]
HARM = BEFORE + ["yes"]  # a worry about harm: the threshold question comes next
EARLY_HELP = HARM + ["no"]  # below significant harm: consent is needed
NO_HARM = BEFORE + ["no"]  # not a worry about harm: the rest of the flowchart
TO_CONSENT = NO_HARM + ["yes", "yes"]  # identifies someone, confidential
VALID = ["given", "yes", "no", "yes", "no"]  # right person, no conflict, freely given, no imbalance

PATHS = [
    # id, entry, answers, outcome, decision, golden rules, consent status
    # Sandwell Appendix 2 Q1: no clear and legitimate purpose -> do not share.
    ("no-purpose", "share", ["no"], "outcome_do_not_share", "do_not_share", [6, 7], "not_decided"),
    # Bradford flowchart: seek advice if unsure at any stage (golden rule 3).
    ("unsure-purpose", "share", ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 6.7: a statutory duty or court order comes before consent, which should not be sought.
    ("court-order", "share", ["yes", "yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("unsure-duty", "share", ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell 5.4 and Surrey 4: a worry about harm must not be ignored.
    ("unsure-harm", "share", BEFORE + ["not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5, 7], "not_decided"),
    ("unsure-threshold", "share", HARM + ["not_sure"], "outcome_seek_advice_threshold", "seek_advice", [3, 5, 7], "not_decided"),
    # Sandwell Appendix 2 "Safeguarding": significant harm -> refer without consent, talk to the family if safe.
    ("significant-harm", "share", HARM + ["yes", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    # Sandwell 6.3 / Surrey 4: do not seek consent if it would increase risk, prejudice serious crime, delay.
    ("sh-risk", "share", HARM + ["yes", "risk_of_harm"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-adult", "share", HARM + ["yes", "adult_serious_harm"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-crime", "share", HARM + ["yes", "serious_crime"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-delay", "share", HARM + ["yes", "unjustified_delay"], "outcome_refer_without_consent", "share", [2, 4, 5, 7], "not_sought"),
    ("sh-unsure-telling", "share", HARM + ["yes", "not_sure"], "outcome_refer_ask_dsl", "share", [3, 5, 7], "not_decided"),
    # Cambridgeshire "When consent should be sought"; Sandwell Appendix 2 "Early Help".
    ("early-help-not-asked", "share", EARLY_HELP + ["not_asked"], "outcome_seek_consent", "do_not_share", [2, 4, 7], "not_yet_sought"),
    ("early-help-given", "share", EARLY_HELP + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    ("early-help-refused", "share", EARLY_HELP + ["refused", "parent", "no"], "outcome_do_not_share_no_basis", "do_not_share", [3, 4, 7], "refused"),
    ("early-help-unsure", "share", EARLY_HELP + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell Appendix 2 Q2: anonymised information can be shared for a legitimate purpose.
    ("anonymised", "share", NO_HARM + ["no"], "outcome_share_anonymised", "share", [1, 6, 7], "not_needed"),
    ("unsure-identifies", "share", NO_HARM + ["not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q3: not confidential -> share appropriately (Appendix 4 flowchart).
    ("not-confidential", "share", NO_HARM + ["yes", "no"], "outcome_share", "share", [1, 6, 7], "not_needed"),
    ("unsure-confidential", "share", NO_HARM + ["yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # Sandwell Appendix 2 Q4 and schools guidance: valid consent from the right person.
    ("valid-consent", "share", TO_CONSENT + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
    ("unsure-has-consent", "share", TO_CONSENT + ["not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell Q4: doubt about capacity, or conflict between parent and child -> safeguarding lead.
    ("unsure-whose", "share", TO_CONSENT + ["given", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("wrong-person", "share", TO_CONSENT + ["given", "no"], "outcome_consent_not_valid", "seek_advice", [2, 3, 4, 7], "not_valid"),
    ("conflict", "share", TO_CONSENT + ["given", "yes", "yes"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    ("unsure-conflict", "share", TO_CONSENT + ["given", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Schools guidance: consent under pressure is not freely given, so not valid.
    ("consent-not-free", "share", TO_CONSENT + ["given", "yes", "no", "no"], "outcome_consent_not_valid", "seek_advice", [2, 3, 4, 7], "not_valid"),
    ("unsure-free", "share", TO_CONSENT + ["given", "yes", "no", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "not_decided"),
    # Sandwell 6.3: with an imbalance of power consent is not valid even when given; public task applies.
    ("imbalance", "share", TO_CONSENT + ["given", "yes", "no", "yes", "yes"], "outcome_share_public_task", "share", [1, 4, 6, 7], "not_valid"),
    ("unsure-imbalance", "share", TO_CONSENT + ["given", "yes", "no", "yes", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "obtained"),
    # Sandwell Appendix 2 Q5 / Cambridgeshire: refused, but public interest -> share.
    ("refused-public-interest", "share", TO_CONSENT + ["refused", "parent", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "refused"),
    # Golden rules 3 and 4: respect a refusal (a young person's own included) where there is no other basis.
    ("withdrawn-no-basis", "share", TO_CONSENT + ["withdrawn", "young_person", "no"], "outcome_do_not_share_no_basis", "do_not_share", [3, 4, 7], "withdrawn"),
    # Unsure after a refusal: respect their wishes until advice says otherwise (rules 3 and 4).
    ("refused-unsure", "share", TO_CONSENT + ["refused", "parent", "not_sure"], "outcome_seek_advice_refusal", "seek_advice", [3, 4, 7], "refused"),
    # Sandwell Appendix 2 Q4: the capacity of the person refusing; in doubt, seek guidance.
    ("refusal-capacity", "share", TO_CONSENT + ["refused", "may_lack_capacity"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    ("refusal-conflict", "share", TO_CONSENT + ["refused", "disagree"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    ("refusal-whose-unsure", "share", TO_CONSENT + ["refused", "not_sure"], "outcome_seek_advice_consent", "seek_advice", [3, 4, 7], "refused"),
    # Sandwell 6.3 and Appendix 2 Q5: serious crime as a reason, with the public interest.
    ("not-sought-crime", "share", TO_CONSENT + ["not_asked", "yes", "serious_crime", "yes"], "outcome_share_without_consent", "share", [4, 5, 6, 7], "not_sought"),
    ("not-sought-risk-no-basis", "share", TO_CONSENT + ["not_asked", "yes", "risk_of_harm", "no"], "outcome_not_sought_no_basis", "seek_advice", [2, 3, 4, 7], "not_sought"),
    ("not-sought-power", "share", TO_CONSENT + ["not_asked", "yes", "imbalance_of_power"], "outcome_share_public_task", "share", [1, 4, 6, 7], "not_sought"),
    ("not-sought-crime-unsure", "share", TO_CONSENT + ["not_asked", "yes", "serious_crime", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_sought"),
    ("unsure-reason", "share", TO_CONSENT + ["not_asked", "yes", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    ("ask-consent", "share", TO_CONSENT + ["not_asked", "no"], "outcome_ask_consent", "do_not_share", [2, 4, 7], "not_decided"),
    ("unsure-would-harm", "share", TO_CONSENT + ["not_asked", "not_sure"], "outcome_seek_advice", "seek_advice", [3, 7], "not_decided"),
    # The "Do I need consent?" entry asks about a legal duty and a worry about harm first.
    ("consent-entry-court-order", "consent", ["yes"], "outcome_share_legal_duty", "share", [1, 4, 6, 7], "not_sought"),
    ("consent-entry-significant-harm", "consent", ["no", "yes", "yes", "yes"], "outcome_refer_tell_family", "share", [2, 4, 5, 7], "not_yet_sought"),
    ("consent-entry-valid", "consent", ["no", "no", "yes", "yes"] + VALID, "outcome_share_with_consent", "share", [2, 4, 6, 7], "obtained"),
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
    # The lawful basis to record is named by the outcome: a key of the record form's list, or none.
    assert record["lawful_basis"] == PACK.nodes[outcome].lawful_basis
    assert record["lawful_basis"] in (*LAWFUL_BASES, "")


def test_share_outcomes_carry_how_to_share_checklist():
    reply = EngineChat(PACK).walk("share", NO_HARM + ["yes", "no"])
    assert len(reply.checklist) == 5
    assert any("fact" in item.lower() and "opinion" in item.lower() for item in reply.checklist)
    assert any("securely" in item for item in reply.checklist)
    assert any("unless" in item for item in reply.checklist)


def test_do_not_share_has_no_checklist():
    assert EngineChat(PACK).walk("share", ["no"]).checklist == ()


def test_reason_consent_not_sought_is_kept_for_the_record_with_the_word_serious():
    reply = EngineChat(PACK).walk("share", TO_CONSENT + ["not_asked", "yes", "serious_crime", "yes"])
    consent = reply.data["record"]["consent"]
    assert "serious crime" in consent["reason"] and "serious harm to an adult" in consent["reason"]
    assert ("Consent", f"Not sought because {consent['reason']}") in reply.facts
    assert reply.data["record"]["lawful_basis"] == "public_task"


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
    refused = EngineChat(PACK).walk("share", TO_CONSENT + ["refused", "parent", "no"])
    assert refused.title == "Do not share without consent"
    assert "Respect their wishes" in refused.text and "seek advice" in refused.text
    assert ("Consent", "Refused by a parent or carer") in refused.facts
    never_asked = EngineChat(PACK).walk("share", TO_CONSENT + ["not_asked", "yes", "unjustified_delay", "no"])
    assert never_asked.title == "Don't share yet: ask for consent, or get advice"
    assert "If it is safe, ask for consent" in never_asked.text and "talk to your DSL today" in never_asked.text
    assert "Respect" not in never_asked.text and "refused" not in never_asked.text


def _outcomes_from(node_id: str, seen: set[str] | None = None) -> set[str]:
    """Every outcome reachable from a node."""
    node = PACK.nodes[node_id]
    if node.type == "outcome":
        return {node_id}
    return set().union(*(_outcomes_from(a.next) for a in node.answers))


def test_a_worry_about_harm_always_reaches_the_threshold_question_or_the_dsl():
    harm = PACK.nodes["harm_concern"]
    assert harm.answer("yes").next == "significant_harm"
    assert harm.answer("not_sure").next == "outcome_seek_advice_threshold"
    # Both entries ask about a worry about harm before anything about identity, confidentiality or consent.
    for entry in ("share", "consent"):
        chat = EngineChat(PACK)
        reply = chat.walk(entry, ["yes", "no"] if entry == "share" else ["no"])
        assert reply.node == "harm_concern"


def test_significant_harm_never_ends_in_do_not_share():
    after = _outcomes_from(PACK.nodes["significant_harm"].answer("yes").next)
    assert after and all(PACK.nodes[o].decision != "do_not_share" for o in after)


def test_reasons_not_to_ask_each_cite_their_document_and_keep_the_word_serious():
    reasons = EngineChat(PACK).walk("share", TO_CONSENT + ["not_asked", "yes"])
    labels = [c.label for c in reasons.choices]
    assert "It would prejudice the prevention or detection of a serious crime" in labels
    assert "Surrey" in reasons.source and "Sandwell" in reasons.source
    node = PACK.nodes["consent_not_sought_reason"]
    assert [s.doc for s in node.answer("adult_serious_harm").source.each()] == ["surrey"]
    assert [s.doc for s in node.answer("imbalance_of_power").source.each()] == ["sandwell"]
    assert [s.doc for s in node.answer("risk_of_harm").source.each()] == ["surrey", "sandwell"]
    # The lawful-reason question gives the source's definition of serious crime, and no "public task".
    public = EngineChat(PACK).walk("share", TO_CONSENT + ["not_asked", "yes", "serious_crime"])
    assert "significant harm to a child or serious harm to an adult" in public.text
    assert "public task" not in public.text.lower()


def test_consent_given_is_tested_for_an_imbalance_of_power():
    question = EngineChat(PACK).walk("share", TO_CONSENT + ["given", "yes", "no", "yes"])
    assert question.node == "consent_power" and "imbalance of power" in question.text
    reply = EngineChat(PACK).walk("share", TO_CONSENT + ["given", "yes", "no", "yes", "yes"])
    assert reply.data["record"]["lawful_basis"] == "public_task"
    assert ("Consent", "Not valid because there is an imbalance of power") in reply.facts


def test_overridden_is_said_only_where_a_refusal_was_overridden():
    overridden = EngineChat(PACK).walk("share", TO_CONSENT + ["refused", "young_person", "yes"])
    assert dict(overridden.facts)["Consent"].startswith("Refused by the young person, overridden")
    for row in PATHS:
        reply = EngineChat(PACK).walk(row[1], row[2])
        label = dict(reply.facts)["Consent"]
        assert ("overridden" in label) == (row[6] in ("refused", "withdrawn") and row[4] == "share"), row[0]


def test_refer_outcome_tells_the_family_and_says_a_refusal_does_not_stop_it():
    reply = EngineChat(PACK).walk("share", HARM + ["yes", "yes"])
    assert "Talk to the family first" in reply.text and "If they refuse, you can still refer" in reply.text


def test_readme_flow_is_the_committed_national_diagram():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", readme, re.S)
    assert block, "the README has no mermaid block"
    assert block.group(1) == (ROOT / "dialogs" / "packs" / "national-2018.mmd").read_text(encoding="utf-8"), \
        "copy dialogs/packs/national-2018.mmd into the README's mermaid block"


def test_an_outcome_card_puts_the_decision_first_and_rules_and_sources_last():
    from bot.channels.teams.cards import render_card

    reply = EngineChat(PACK).walk("share", TO_CONSENT + ["refused", "young_person", "no"])
    body = render_card(reply)["body"]
    blocks = [b.get("text", "") for b in body if b["type"] == "TextBlock"]
    assert blocks[0] == "Do not share without consent"
    assert blocks[1].startswith("Consent was refused or withdrawn") and "Respect their wishes" in blocks[1]
    kinds = [b["type"] for b in body]
    facts = kinds.index("FactSet")
    rules = next(i for i, b in enumerate(body) if b["type"] == "Container" and "Golden rule" in str(b))
    source = next(i for i, b in enumerate(body) if str(b.get("text", "")).startswith("Source:"))
    assert 1 < facts < rules < source
    # On a phone the golden rules are one short line each; the full wording folds out.
    assert all(len(item["text"]) < 90 for item in body[rules]["items"])
