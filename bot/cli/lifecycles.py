"""`python -m bot escalation diagram [--out FILE]` and `python -m bot drafts diagram [--out FILE]`:
a declared lifecycle as a Mermaid state diagram, printed (or written where asked). The committed
copies are docs/escalation-lifecycle.mmd and docs/drafts-lifecycle.mmd; tests check they are current."""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.cli import tool_parser


@dataclass(frozen=True)
class Lifecycle:
    """One declared lifecycle the command line draws."""

    help: str
    description: str
    module: str  # holds mermaid(), imported only when the diagram is drawn
    committed: str


LIFECYCLES = {
    "escalation": Lifecycle(
        help="the DSL / MASH escalation lifecycle (docs/escalation.md)",
        description="The DSL / MASH escalation lifecycle, declared in bot/escalation/machine.py.",
        module="bot.escalation.diagram", committed="docs/escalation-lifecycle.mmd"),
    "drafts": Lifecycle(
        help="the record and request drafts' lifecycle (dialogs/drafts.py)",
        description="The lifecycle of record, correction, DSL request and MASH request drafts, declared in "
                    "dialogs/drafts.py.",
        module="dialogs.drafts", committed="docs/drafts-lifecycle.mmd"),
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """A subcommand per lifecycle, each with its `diagram` command and working --help at each level."""
    for name, lifecycle in LIFECYCLES.items():
        commands = tool_parser(sub, name, help=lifecycle.help, description=lifecycle.description,
                               dest="lifecycle_command")
        diagram = commands.add_parser(
            "diagram", help="print the lifecycle as a Mermaid state diagram",
            description=f"Print the {name} lifecycle as a Mermaid state diagram (to regenerate the committed "
                        f"copy: python -m bot {name} diagram --out {lifecycle.committed}).")
        diagram.add_argument("--out", help="write it to this file instead of standard output")


def main(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run `<lifecycle> diagram`: the diagram on standard output, or in the file --out names."""
    text = importlib.import_module(LIFECYCLES[args.command].module).mermaid()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    (out or sys.stdout).write(f"wrote {args.out}\n" if args.out else text)
    return 0
