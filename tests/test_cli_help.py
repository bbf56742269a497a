"""Every `python -m bot ...` command and sub-command answers --help, and the commands that generate a
file write it only where the user asks (nothing lands in the repository or the current folder)."""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path
from typing import Iterator

import pytest

from bot.cli.main import build_parser, main
from dialogs import danger_model

ROOT = Path(__file__).resolve().parents[1]


def command_paths(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The words of every command in the argparse tree, the top level first."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from command_paths(child, (*path, name))


COMMANDS = list(command_paths(build_parser()))


def repository_files() -> dict[str, int]:
    """The product code, packs and docs, with when each last changed (what a command must not touch)."""
    return {str(p): p.stat().st_mtime_ns for folder in ("bot", "dialogs", "docs", "state")
            for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_the_walk_finds_every_level_of_the_command_line() -> None:
    found = {" ".join(path) for path in COMMANDS}
    # Sub-commands of a sub-command are reached too, not only the first level.
    assert {"packs check", "packs diagram", "phrases check", "phrases train", "records purge",
            "escalation diagram", "drafts diagram", "scenarios", "teams-package", "chat", "serve"} <= found


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "python -m bot")
def test_help_exits_0_with_the_usage_line_and_writes_nothing(path, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    before = repository_files()
    assert main([*path, "--help"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"usage: {' '.join(('python -m bot', *path))} ")
    assert list(tmp_path.iterdir()) == [] and repository_files() == before


def test_a_usage_error_says_so_and_exits_2(capsys) -> None:
    assert main(["packs", "frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
    assert main(["phrases"]) == 2  # a tool needs one of its commands


@pytest.mark.parametrize("lifecycle", ["escalation", "drafts"])
def test_a_lifecycle_diagram_is_printed_or_written_only_where_asked(lifecycle, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = repository_files()
    printed = io.StringIO()
    assert main([lifecycle, "diagram"], printed) == 0
    assert printed.getvalue().startswith("%% ") and "stateDiagram-v2" in printed.getvalue()
    assert list(tmp_path.iterdir()) == []
    out = tmp_path / "chosen" / "life.mmd"
    out.parent.mkdir()
    told = io.StringIO()
    assert main([lifecycle, "diagram", "--out", str(out)], told) == 0
    assert out.read_text(encoding="utf-8") == printed.getvalue() and told.getvalue() == f"wrote {out}\n"
    assert repository_files() == before


def test_training_the_danger_model_writes_it_only_where_asked(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = ["danger\tweapon\the has a knife to her throat right now", "ordinary\tother\tshe is doing well in maths"]
    (corpus / "tune.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    committed = danger_model.MODEL_PATH.stat().st_mtime_ns
    out = tmp_path / "model.json"
    told = io.StringIO()
    assert main(["phrases", "train", str(corpus), "--out", str(out)], told) == 0
    assert out.is_file() and str(out) in told.getvalue()
    assert danger_model.MODEL_PATH.stat().st_mtime_ns == committed  # the bot's own model is untouched
    assert sorted(os.listdir(tmp_path)) == ["corpus", "model.json"]


def test_the_command_line_starts_without_loading_the_packs_or_the_danger_reader():
    # Every command (records export, teams-package...) would otherwise wait about half a second for
    # them; they are loaded by the subcommands that read a pack or a message.
    import subprocess
    import sys

    code = ("import sys, bot.cli.main as m; m.build_parser(); "
            "print(sorted(n for n in ('dialogs.danger', 'dialogs.pack', 'dialogs.engine') if n in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "[]"
