"""`python -m bot escalation diagram [--out FILE]`: the escalation lifecycle's Mermaid diagram,
printed (or written where asked). The committed copy is docs/escalation-lifecycle.mmd."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `escalation` subcommand and its `diagram` command, with working --help at each level."""
    escalation = sub.add_parser(
        "escalation", help="the DSL / MASH escalation lifecycle (docs/escalation.md)",
        description="The DSL / MASH escalation lifecycle, declared in bot/escalation/machine.py.")
    commands = escalation.add_subparsers(dest="escalation_command", required=True)
    diagram = commands.add_parser(
        "diagram", help="print the lifecycle as a Mermaid state diagram",
        description="Print the escalation lifecycle as a Mermaid state diagram (to regenerate the committed "
                    "copy: python -m bot escalation diagram --out docs/escalation-lifecycle.mmd).")
    diagram.add_argument("--out", help="write it to this file instead of standard output")


def main(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run `escalation diagram`."""
    from bot.escalation.diagram import mermaid

    text = mermaid()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        (out or sys.stdout).write(f"wrote {args.out}\n")
    else:
        (out or sys.stdout).write(text)
    return 0
