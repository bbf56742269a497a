"""The command line: `python -m bot ...` and its subcommands."""

from __future__ import annotations

import argparse


def tool_parser(sub: argparse._SubParsersAction, name: str, *, help: str, description: str,
                dest: str) -> argparse._SubParsersAction:
    """A subcommand made of commands (`packs check`, `drafts diagram`); the caller adds them, each with
    its own --help. One of them must be given: the tool alone prints a usage error."""
    parser = sub.add_parser(name, help=help, description=description,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser.add_subparsers(dest=dest, required=True)
