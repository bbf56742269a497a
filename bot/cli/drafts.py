"""`python -m bot drafts diagram [--out FILE]`: the record and request drafts' lifecycle as a Mermaid
state diagram, printed (or written where asked). The committed copy is docs/drafts-lifecycle.mmd."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `drafts` subcommand and its `diagram` command, with working --help at each level."""
    drafts = sub.add_parser("drafts", help="the record and request drafts' lifecycle (dialogs/drafts.py)",
                            description="The lifecycle of record, correction, DSL request and MASH request "
                                        "drafts, declared in dialogs/drafts.py.")
    commands = drafts.add_subparsers(dest="drafts_command", required=True)
    diagram = commands.add_parser(
        "diagram", help="print the lifecycle as a Mermaid state diagram",
        description="Print the drafts' lifecycle as a Mermaid state diagram (to regenerate the committed copy: "
                    "python -m bot drafts diagram --out docs/drafts-lifecycle.mmd).")
    diagram.add_argument("--out", help="write it to this file instead of standard output")


def main(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run `drafts diagram`: the diagram on standard output, or in the file --out names."""
    from dialogs.drafts import mermaid

    if args.out:
        Path(args.out).write_text(mermaid(), encoding="utf-8")
    (out or sys.stdout).write(f"wrote {args.out}\n" if args.out else mermaid())
    return 0
