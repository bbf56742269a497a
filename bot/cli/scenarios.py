"""The scenario suite: practitioner situations written from the source documents, run through the
same turn runner as `python -m bot chat`, typed text in, the text the practitioner reads out.

A scenario file (tests/scenarios/<pack>.yaml) is a list of scenarios; each names its pack, the
situation in a sentence, the answer a careful practitioner gives to each question (keyed by question
id), the outcome, the golden rules, the lawful basis to record, the phrases the guidance must say,
and the document and section it comes from. See docs/pack-authoring.md, "How to write a scenario".
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "tests" / "scenarios"
SCENARIO_KEYS = frozenset({
    "id", "pack", "situation", "entry", "answers", "outcome", "rules", "lawful_basis", "must_say", "source",
})
REQUIRED = ("id", "pack", "situation", "answers", "outcome", "rules", "lawful_basis", "must_say", "source")
# Standard answers are typed as a practitioner types them; any other answer by its button number.
TYPED = {"yes": "yes", "no": "no", "not_sure": "not sure"}
ENTRY_TEXT = {"share": "Can I share this information?", "consent": "Do I need consent?"}
MAX_TURNS = 25


class ScenarioError(ValueError):
    """A scenario file is malformed; the message names the file and the scenario."""


@dataclass(frozen=True)
class Scenario:
    """One practitioner situation and what the guidance must answer."""

    id: str
    pack: str
    situation: str
    answers: Mapping[str, str]
    outcome: str
    rules: tuple[int, ...]
    lawful_basis: str
    must_say: tuple[str, ...]
    source: str
    entry: str = "share"
    file: str = ""


@dataclass
class Result:
    """What happened when a scenario was run."""

    scenario: Scenario
    passed: bool
    why: str = ""
    outcome: str = ""
    shown: list[str] = field(default_factory=list)


def load(directory: Path = SCENARIOS_DIR, pack: str | None = None) -> list[Scenario]:
    """Every scenario in the directory's YAML files (only one pack's, if given)."""
    out: list[Scenario] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(data, dict):
            data = data.get("scenarios") or []
        for i, raw in enumerate(data, start=1):
            where = f"{path.name}: scenario {raw.get('id', i) if isinstance(raw, dict) else i}"
            if not isinstance(raw, dict):
                raise ScenarioError(f"{where}: must be a mapping")
            unknown = set(raw) - SCENARIO_KEYS
            missing = [k for k in REQUIRED if k not in raw]
            if unknown or missing:
                raise ScenarioError(f"{where}: unknown fields {sorted(unknown)}, missing {missing}")
            if raw["id"] in seen:
                raise ScenarioError(f"{where}: the id is used twice")
            seen.add(str(raw["id"]))
            answers = {str(k): {True: "yes", False: "no"}.get(v, str(v)) for k, v in (raw["answers"] or {}).items()}
            out.append(Scenario(
                id=str(raw["id"]), pack=str(raw["pack"]), situation=" ".join(str(raw["situation"]).split()),
                answers=answers, outcome=str(raw["outcome"]), rules=tuple(int(n) for n in raw["rules"]),
                lawful_basis=str(raw["lawful_basis"] or ""), must_say=tuple(str(p) for p in raw["must_say"] or ()),
                source=str(raw["source"]), entry=str(raw.get("entry", "share")), file=path.name,
            ))
    return [s for s in out if pack is None or s.pack == pack]


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def check(scenario: Scenario, reply: Any, shown: str) -> list[str]:
    """What the outcome reply gets wrong against the scenario (empty when it is right)."""
    problems = []
    if reply.node != scenario.outcome:
        problems.append(f"outcome {reply.node}, expected {scenario.outcome}")
    rules = tuple(sorted(r.number for r in reply.rules))
    if rules != tuple(sorted(scenario.rules)):
        problems.append(f"golden rules {list(rules)}, expected {sorted(scenario.rules)}")
    basis = str((reply.data or {}).get("record", {}).get("lawful_basis", "<none>"))
    if basis != scenario.lawful_basis:
        problems.append(f"lawful basis '{basis}', expected '{scenario.lawful_basis}'")
    text = _plain(shown)
    missing = [p for p in scenario.must_say if _plain(p) not in text]
    if missing:
        problems.append("does not say " + "; ".join(f"'{p}'" for p in missing))
    return problems


async def run_one(scenario: Scenario, runner: Any) -> Result:
    """Type the scenario's answers into the chat's turn runner until an outcome is shown."""
    from bot.channels.text import render_text
    from dialogs.model import Practitioner, UserInput

    who = Practitioner(user_id=f"scenario-{scenario.id}", name="Scenario practitioner")
    conversation = f"scenario:{scenario.id}"
    turn = 0

    async def say(text: str) -> list[Any]:
        nonlocal turn
        turn += 1
        inp = UserInput(text=text, now=datetime.now(timezone.utc), user=who, activity_id=f"{conversation}:{turn}")
        outcome = await runner.run_turn(conversation, inp)
        return list(outcome.replies)

    shown: list[str] = []
    replies = await say("hello")
    replies = await say(ENTRY_TEXT.get(scenario.entry, scenario.entry))
    for _ in range(MAX_TURNS):
        shown.extend(render_text(r) for r in replies)
        last = replies[-1] if replies else None
        if last is None:
            return Result(scenario, False, "the bot said nothing", shown=shown)
        if last.kind == "outcome":
            # What the practitioner reads: the outcome card as the terminal prints it.
            problems = check(scenario, last, render_text(last))
            return Result(scenario, not problems, "; ".join(problems), outcome=last.node or "", shown=shown)
        if last.kind != "question":
            return Result(scenario, False, f"expected a question or an outcome, got a {last.kind} card "
                                           f"('{last.title}')", shown=shown)
        answer = scenario.answers.get(last.node or "")
        if answer is None:
            return Result(scenario, False, f"the flow asked '{last.node}' ({last.text[:70]}...), "
                                           "which the scenario has no answer for", shown=shown)
        values = [c.value for c in last.choices]
        if answer not in values:
            return Result(scenario, False, f"'{last.node}' offers no answer '{answer}' "
                                           f"(it offers {', '.join(v for v in values if v not in ('why', 'back'))})",
                          shown=shown)
        replies = await say(TYPED.get(answer) or str(values.index(answer) + 1))
    return Result(scenario, False, f"no outcome after {MAX_TURNS} answers", shown=shown)


async def run(scenarios: Sequence[Scenario], data_dir: str | None = None,
              packs_dir: str | None = None) -> list[Result]:
    """Run scenarios pack by pack through the same runtime as the terminal chat (embedded store)."""
    from bot.turn.runtime import open_runtime
    from bot.config import Settings

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="sharesafe-scenarios-") as tmp:
        for pack in dict.fromkeys(s.pack for s in scenarios):
            env = {"SHARESAFE_DATA_DIR": str(Path(data_dir or tmp) / pack.replace("+", "_")), "SHARESAFE_PACK": pack}
            if packs_dir:
                env["SHARESAFE_PACKS_DIR"] = packs_dir
            stores, runner = await open_runtime(Settings.from_env(env))
            try:
                for scenario in (s for s in scenarios if s.pack == pack):
                    results.append(await run_one(scenario, runner))
            finally:
                await stores.close()
    return results


def table(results: Sequence[Result]) -> str:
    """id, pack, pass/fail and why, one scenario a line."""
    rows = [("id", "pack", "result", "why")] + [
        (r.scenario.id, r.scenario.pack, "pass" if r.passed else "FAIL", r.why) for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3] for row in rows]
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} scenarios pass")
    return "\n".join(line.rstrip() for line in lines)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `scenarios` subcommand and its options."""
    parser = sub.add_parser("scenarios", help="run the practitioner scenarios from the source documents",
                            description="Run the practitioner scenarios written from the source documents.")
    parser.add_argument("--pack", help="only this pack's scenarios (e.g. sandwell)")
    parser.add_argument("--dir", default=str(SCENARIOS_DIR), help="folder of scenario YAML files")


def main(argv: Sequence[str], out: Any = None) -> int:
    """`python -m bot scenarios [--pack P] [--dir D]` (argv without the 'scenarios' word)."""
    from bot.cli.main import main as bot_main

    return bot_main(["scenarios", *argv], out)


def command(args: argparse.Namespace, out: Any = None) -> int:
    """`scenarios` as parsed: print the table of scenarios and whether each passes; exit 1 when any fail."""
    out = out or sys.stdout
    try:
        scenarios = load(Path(args.dir), args.pack)
    except (ScenarioError, OSError, yaml.YAMLError) as exc:
        out.write(f"Scenario error: {exc}\n")
        return 2
    if not scenarios:
        out.write(f"No scenarios found in {args.dir}" + (f" for pack {args.pack}" if args.pack else "") + "\n")
        return 2
    results = asyncio.run(run(scenarios))
    out.write(table(results) + "\n")
    return 0 if all(r.passed for r in results) else 1
