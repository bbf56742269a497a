"""The scenario suite: practitioner situations written from the source documents (tests/scenarios),
each run through the terminal chat's own turn runner with typed answers, and checked for the
outcome, the golden rules, the lawful basis and the words the practitioner must read."""

from __future__ import annotations

import asyncio
import io
from collections import Counter

import pytest

from bot.cli import scenarios
from bot.cli.main import main as bot_main

ALL = scenarios.load()
LOCAL_PACKS = ("bradford", "surrey", "sandwell", "cambridgeshire")


@pytest.fixture(scope="module")
def results() -> dict[str, scenarios.Result]:
    """Every scenario run once, through the same runtime as `python -m bot chat`."""
    return {r.scenario.id: r for r in asyncio.run(scenarios.run(ALL))}


def test_the_suite_covers_every_pack_from_the_sources() -> None:
    per_pack = Counter(s.pack for s in ALL)
    assert len(ALL) >= 60
    for pack in LOCAL_PACKS:
        assert per_pack[pack] >= 6, f"{pack} has only {per_pack[pack]} scenarios"
    assert per_pack["national-2018"] and per_pack["national-2024"]
    assert all(s.source and s.situation and s.must_say for s in ALL)


@pytest.mark.parametrize("scenario_id", [s.id for s in ALL])
def test_scenario(results: dict[str, scenarios.Result], scenario_id: str) -> None:
    result = results[scenario_id]
    assert result.passed, f"{scenario_id} ({result.scenario.situation}): {result.why}"


def test_a_question_the_scenario_does_not_answer_fails_clearly() -> None:
    one = next(s for s in ALL if s.id == "n18-court-order")
    silent = scenarios.Scenario(**{**one.__dict__, "id": "no-answers", "answers": {}})
    [result] = asyncio.run(scenarios.run([silent]))
    assert not result.passed
    assert "clear_purpose" in result.why and "no answer" in result.why


def test_a_wrong_expectation_fails_and_says_why() -> None:
    one = next(s for s in ALL if s.id == "n18-court-order")
    wrong = scenarios.Scenario(**{**one.__dict__, "id": "wrong", "outcome": "outcome_do_not_share",
                                  "lawful_basis": "consent", "must_say": ("no such phrase anywhere",)})
    [result] = asyncio.run(scenarios.run([wrong]))
    assert not result.passed
    assert "expected outcome_do_not_share" in result.why
    assert "expected 'consent'" in result.why and "no such phrase anywhere" in result.why


def test_the_command_prints_a_table_and_fails_when_a_scenario_fails(tmp_path, capsys) -> None:
    (tmp_path / "one.yaml").write_text(
        "- {id: court, pack: national-2018, situation: A court order., answers: {clear_purpose: yes, statutory_duty: yes},\n"
        "   outcome: outcome_share_legal_duty, rules: [1, 4, 6, 7], lawful_basis: legal_obligation,\n"
        "   must_say: [court order], source: Sandwell 6.7}\n"
        "- {id: wrong, pack: national-2018, situation: Expects the wrong outcome., answers: {clear_purpose: no},\n"
        "   outcome: outcome_share, rules: [6, 7], lawful_basis: '', must_say: [x], source: test}\n",
        encoding="utf-8")
    code = bot_main(["scenarios", "--dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "court" in out and "pass" in out and "wrong" in out and "FAIL" in out
    assert "1 of 2 scenarios pass" in out
    out_one = io.StringIO()
    assert scenarios.main(["--dir", str(tmp_path), "--pack", "national-2024"], out=out_one) == 2


# ---- The situations of the "Done means", as Teams sends them -----------------------------------
# An Early Help refusal, a 16-year-old's refusal, a court order, a police request about serious crime,
# consent given under an imbalance of power (and in Early Help): through /api/messages with card
# submits, checked on the Adaptive Card a practitioner reads on a phone.
TRIED_OVER_HTTP = ["sand-early-help-refused", "n18-16yo-refuses", "n18-court-order", "n18-police-serious-crime",
                   "sand-imbalance-policing", "sand-early-help-consent-under-power"]


def _taps(scenario: scenarios.Scenario) -> list[str]:
    """The buttons a practitioner taps for the scenario's answers, in the order the flow asks."""
    from dialogs.pack import load_builtin
    from tests.engine_chat import EngineChat

    chat = EngineChat(load_builtin(scenario.pack))
    chat.say("hello")
    (reply,) = chat.tap(scenario.entry)
    taps = []
    while reply.kind == "question":
        taps.append(scenario.answers[reply.node])
        (reply,) = chat.tap(taps[-1])
    return taps


@pytest.mark.parametrize("scenario_id", TRIED_OVER_HTTP)
async def test_the_outcome_card_over_http_says_what_the_scenario_needs(tmp_path, connector, scenario_id) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.http import app as app_module
    from bot.config import Settings
    from tests.fake_connector import card_texts, cards, send_message

    scenario = next(s for s in ALL if s.id == scenario_id)
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path), "SHARESAFE_PACK": scenario.pack})
    async with TestClient(TestServer(app_module.create_app(settings), host="127.0.0.1")) as client:
        client.fake_connector = connector
        await send_message(client, "hello")
        replies = await send_message(client, value={"choice": scenario.entry})
        for tap in _taps(scenario):
            replies = await send_message(client, value={"choice": tap})
    (card,) = cards(replies)
    texts = card_texts(card)
    facts = {f["title"]: f["value"] for item in card["body"] if item["type"] == "FactSet" for f in item["facts"]}
    title = load_pack_title(scenario)
    # On a phone: the decision first, then the sentences that matter.
    assert texts[0] == title
    shown = " ".join(" ".join(texts + [f"{k}: {v}" for k, v in facts.items()]).lower().split())
    for phrase in scenario.must_say:
        assert " ".join(phrase.lower().split()) in shown, f"{scenario_id}: '{phrase}' not on the card"
    if scenario.lawful_basis:
        assert facts["Lawful basis to record"]
    else:
        assert "Lawful basis to record" not in facts


def load_pack_title(scenario: scenarios.Scenario) -> str:
    """The outcome's title in the scenario's pack (what the card must open with)."""
    from dialogs.pack import load_builtin

    return load_builtin(scenario.pack).nodes[scenario.outcome].title
