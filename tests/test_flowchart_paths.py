"""Answer paths through the national 2018 flowchart -> outcome, decision, golden rules, consent.

The table of paths is in tests/fixtures.py (NATIONAL_PATHS; the partnership packs are checked
against it too); each row cites the source document (../shared/seeds) and section it comes from.
"""

import re
from pathlib import Path

import pytest

from dialogs.forms import LAWFUL_BASES
from dialogs.pack import load_builtin
from tests.engine_chat import EngineChat
from tests.fixtures import HARM, NO_HARM, TO_CONSENT
from tests.fixtures import NATIONAL_PATHS as PATHS

PACK = load_builtin("national-2018")
ROOT = Path(__file__).resolve().parents[1]

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


def test_the_paths_reach_every_outcome_in_the_pack():
    outcomes = {n for n, node in PACK.nodes.items() if node.type == "outcome"}
    assert outcomes == {p[3] for p in PATHS}


def test_every_outcome_cites_golden_rule_7():
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
