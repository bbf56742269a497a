"""`python -m bot packs ...`: check policy packs and draw their flowcharts (policy officers, admins).

    python -m bot packs check [--seeds DIR] FILE...   validate packs or overlays; exit code 0 (all good) or 1
    python -m bot packs diagram PACK [OUT]   write the Mermaid flowchart (default: beside the pack)

`check` runs the same validation as start-up (structure, references, reachability, every question
and outcome citing a golden rule and a source) plus the stricter rules a shipped pack must meet:
the file is named after the pack id, every phone number and every local point names the document
it comes from, and every source says which document it is. Each problem is one line: the file, the
node or field, and what to do.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, TextIO

import yaml

from bot.cli import tool_parser

if TYPE_CHECKING:
    from dialogs.pack import Pack

# dialogs.pack and dialogs.diagram are imported where a pack is read, not here: this module is
# imported to build the whole command line, and loading them (the danger reader with them) cost
# every `python -m bot ...` command, --help included, about half a second.

USAGE = (
    "usage: python -m bot packs check [--seeds DIR] FILE...\n"
    "       python -m bot packs diagram PACK_OR_FILE [OUT.mmd | -]"
)


def _lint(pack: Pack, path: Path, *, check_id: bool = True) -> list[str]:
    """Rules a pack must meet to ship, beyond what start-up needs; one message per problem."""
    name = path.name
    problems = []
    if check_id and pack.id != path.stem:
        problems.append(
            f"{name}: field 'id': is '{pack.id}' but the file is called {name}; packs are found by file "
            f"name, so rename the file to {pack.id}.yaml or set id: {path.stem}"
        )
    if not pack.attribution:
        problems.append(
            f"{name}: field 'attribution': missing; say whose text the pack reuses and under what licence "
            "(for example Crown copyright, Open Government Licence v3.0); the golden rules card shows it"
        )
    for doc, source in pack.sources.items():
        if not (source.get("file") or source.get("url") or source.get("wording") == "summary"):
            problems.append(
                f"{name}: source '{doc}': say which document it is: add 'file' (the document) or 'url', "
                "or 'wording: summary' if the pack only summarises it in its own words"
            )
    for key, contact in pack.contacts.items():
        if isinstance(contact, dict) and contact.get("phone") and not contact.get("source"):
            problems.append(
                f"{name}: contact '{key}': the number {contact['phone']} needs 'source: {{doc: ..., section: ...}}' "
                "naming the document it comes from (never add a number from memory)"
            )
    for node in pack.nodes.values():
        for i, (point, source) in enumerate(zip(node.local_points, node.local_sources), start=1):
            if source is None:
                problems.append(
                    f"{name}: node '{node.id}' local point {i}: '{point[:40]}' needs a source; write it as "
                    "{text: ..., source: {doc: ..., section: ...}}"
                )
    return problems


# The source documents (README.md there names them); a pack's `sources.<doc>.file` is a file here.
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
_LOCATOR = re.compile(r"\b(appendix|questions?|points?)\s+(\d+)((?:\s*(?:,|and|to)\s*\d+)*)", re.I)
_DOTTED = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def section_problem(text: str, section: str) -> str | None:
    """Why a cited section is not found in a source document's text (None when it is).

    Each part of the citation (split on ';', words in brackets left out) is looked for: its
    numbers (Appendix 2, question 4, point 3, 6.3, a leading "4.") as headings or numbered lines,
    and its words (a heading or the phrase it names) as written, or at least every longer word.
    """
    plain, words = _plain(text), set(_plain(text).split())
    for part in re.sub(r"\([^)]*\)", " ", section).split(";"):
        part = part.strip()
        if not part:
            continue
        rest = part
        for m in _LOCATOR.finditer(part):
            kind = m.group(1).lower()
            for n in [m.group(2), *re.findall(r"\d+", m.group(3))]:
                pattern = rf"appendix\s*{n}\b" if kind == "appendix" else rf"(?m)^[^\w\n]*{n}\.\s"
                if not re.search(pattern, text, re.I):
                    return f"'{kind} {n}' is not in it"
            rest = rest.replace(m.group(0), " ")
        lead = re.match(r"\s*(\d+)\.?(?=\s|$)", rest)
        numbers = _DOTTED.findall(rest) + ([lead.group(1)] if lead else [])
        for n in numbers:
            if not re.search(rf"(?m)^[^\w\n]*{re.escape(n)}\b", text):
                return f"section {n} is not in it"
            rest = rest.replace(n, " ", 1)
        for segment in rest.split(":"):
            phrase = " ".join(w for w in _plain(segment).split() if w not in ("and",))
            if not phrase or phrase in plain:
                continue
            missing = [w for w in phrase.split() if len(w) > 3 and w.isalpha() and w not in words]
            if missing:
                return f"'{segment.strip(' ,')}' is not in it (no {', '.join(missing[:3])})"
    return None


def _citations(pack: Pack) -> list[tuple[str, Any]]:
    """Every (where, source) the pack cites: nodes, answers, local points, rules, messages, myths."""
    from dialogs.pack import Source

    out: list[tuple[str, Any]] = []
    for node in pack.nodes.values():
        out += [(f"node '{node.id}'", s) for s in node.source.each()]
        for answer in node.answers:
            if answer.source is not None:
                out += [(f"node '{node.id}' answer '{answer.id}'", s) for s in answer.source.each()]
        for i, local in enumerate(node.local_sources, start=1):
            if local is not None:
                out += [(f"node '{node.id}' local point {i}", s) for s in local.each()]
    out += [(f"golden rule {n}", s) for n, src in pack.rule_sources.items() for s in src.each()]
    out += [(f"messages.{name}", s) for name, src in pack.message_sources.items() for s in src.each()]
    if pack.checklist:
        out += [("checklists.how_to_share", s) for s in pack.checklist_source.each()]
    out += [(f"myth '{m.id}'", s) for m in pack.myths for s in m.source.each()]
    for name, contact in pack.contacts.items():
        if isinstance(contact, dict) and isinstance(contact.get("source"), dict):
            out.append((f"contact '{name}'", Source(doc=str(contact["source"].get("doc")),
                                                     section=str(contact["source"].get("section")))))
    return out


def citation_problems(pack: Pack, name: str, seeds: Path) -> list[str]:
    """One line per cited section that is not found in the named source document's text."""
    problems, texts = [], {}
    for where, source in _citations(pack):
        file = (pack.sources.get(source.doc) or {}).get("file")
        if not file:
            continue  # a summary or a web page: nothing here to look in
        if file not in texts:
            path = seeds / str(file)
            texts[file] = path.read_text(encoding="utf-8") if path.is_file() else None
        if texts[file] is None:
            problems.append(f"{name}: {where}: source '{source.doc}' names file {file}, which is not in {seeds}")
            continue
        why = section_problem(texts[file], source.section)
        if why:
            problems.append(f"{name}: {where}: cites {source.doc} section \"{source.section}\", but {why} "
                            f"({file}); cite the section that says it")
    return sorted(set(problems))


def _summary(pack: Pack) -> str:
    questions = sum(1 for n in pack.nodes.values() if n.type == "question")
    outcomes = len(pack.nodes) - questions
    extra = f", overlays {', '.join(pack.overlays)}" if pack.overlays else ""
    base = f", extends {pack.extends}" if pack.extends else ""
    return f"{pack.id} v{pack.version}: {questions} questions, {outcomes} outcomes, {len(pack.myths)} myths{base}{extra}"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None  # load_pack reports it with the file name
    return data if isinstance(data, dict) else None


def _check_pack(path: Path, seeds: Path | None = None) -> tuple[list[str], list[str], str]:
    """(errors, warnings, summary) for one pack file."""
    from dialogs.diagram import mermaid
    from dialogs.pack import PackError, load_pack

    try:
        pack = load_pack(path)
    except PackError as exc:
        return str(exc).splitlines(), [], ""
    errors = _lint(pack, path)
    if seeds is not None:
        errors += citation_problems(pack, path.name, seeds)
    warnings = []
    diagram_path = path.with_suffix(".mmd")
    if not diagram_path.exists():
        warnings.append(f"{path.name}: no diagram beside it; run: python -m bot packs diagram {path}")
    elif diagram_path.read_text(encoding="utf-8") != mermaid(pack):
        warnings.append(f"{diagram_path.name}: out of date; run: python -m bot packs diagram {path}")
    return errors, warnings, _summary(pack)


def _check_overlay(path: Path, name: str) -> tuple[list[str], list[str], str]:
    """An overlay must apply cleanly to every shipped pack ("any pack can add it")."""
    from dialogs.pack import PACKS_DIR, PackError, builtin_ids, load_pack

    errors: list[str] = []
    if name != path.stem:
        errors.append(f"{path.name}: field 'overlay': is '{name}' but the file is called {path.name}; "
                      f"rename the file to {name}.yaml or set overlay: {path.stem}")
        return errors, [], ""
    for pack_id in builtin_ids():
        try:
            pack = load_pack(PACKS_DIR / f"{pack_id}.yaml", overlays=(name,), overlay_dirs=(path.parent,))
        except PackError as exc:
            errors += [f"with pack {pack_id}: {line}" for line in str(exc).splitlines()]
            continue
        # A combined pack's id is not its file name, so only the provenance rules apply here.
        errors += [f"with pack {pack_id}: {p}" for p in _lint(pack, PACKS_DIR / f"{pack_id}.yaml", check_id=False)]
    return errors, [], f"overlay {name}: applies to {', '.join(builtin_ids())}"


def check(paths: Iterable[str | Path], out: TextIO | None = None, seeds: str | Path | None = None) -> int:
    """Validate each pack or overlay file; print one line per problem; 0 if all are good, else 1.

    Where the source documents are available (--seeds DIR, SHARESAFE_SEEDS, or ../shared/seeds
    beside the repository), every cited section must be found in the document it names."""
    out = out or sys.stdout
    paths = list(paths)
    if not paths:
        print(USAGE, file=out)
        return 1
    seeds_dir = Path(seeds or os.environ.get("SHARESAFE_SEEDS") or SEEDS_DIR)
    if not seeds_dir.is_dir():
        print(f"NOTE citations not checked against the source documents: {seeds_dir} not found "
              "(give --seeds DIR or set SHARESAFE_SEEDS)", file=out)
        seeds_dir = None
    failed = False
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            print(f"ERROR {path}: file not found; check the path", file=out)
            failed = True
            continue
        data = _read(path) or {}
        if "overlay" in data:
            errors, warnings, summary = _check_overlay(path, str(data["overlay"]))
        else:
            errors, warnings, summary = _check_pack(path, seeds_dir)
        for line in errors:
            print(f"ERROR {line}", file=out)
        for line in warnings:
            print(f"WARNING {line}", file=out)
        if errors:
            failed = True
            print(f"FAILED {path}: {len(errors)} problem(s)", file=out)
        else:
            print(f"OK {path}: {summary}", file=out)
    return 1 if failed else 0


def diagram(pack_id_or_path: str | Path, out: str | Path | None = None, stdout: TextIO | None = None) -> Path | None:
    """Write the pack's Mermaid flowchart (default: <pack>.mmd beside it; '-' prints it); return the path.

    Raises PackError if the pack is not valid.
    """
    from dialogs.diagram import mermaid
    from dialogs.pack import PACKS_DIR, load_builtin, load_pack

    stdout = stdout or sys.stdout
    target = Path(pack_id_or_path)
    if target.suffix in (".yaml", ".yml") or target.is_file():
        pack = load_pack(target)
        default = target.with_suffix(".mmd")
    else:
        pack = load_builtin(str(pack_id_or_path))
        # A built-in pack's committed diagram is regenerated in place; a combination made on the
        # command line ("sandwell+schools") is not a file of the repository: it is printed instead.
        default = PACKS_DIR / f"{pack.id}.mmd" if "+" not in str(pack_id_or_path) else None
        if default is None and out is None:
            out = "-"
    text = mermaid(pack)
    if out == "-":
        stdout.write(text)
        return None
    path = Path(out) if out else default
    path.write_text(text, encoding="utf-8")
    try:
        shown = path.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(f"Wrote {shown}", file=stdout)
    return path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `packs` subcommand with `check` and `diagram`, each answering --help."""
    commands = tool_parser(sub, "packs", help="check policy packs or draw their flowcharts",
                           description=__doc__ or "", dest="packs_command")
    check_cmd = commands.add_parser(
        "check", help="validate packs or overlays; exit code 0 (all good) or 1",
        description="Validate pack or overlay files as start-up does, plus the rules a shipped pack must meet.",
        epilog="See also: python -m bot packs diagram PACK_OR_FILE [OUT.mmd | -]")
    check_cmd.add_argument("--seeds", metavar="DIR",
                           help="folder of the source documents, to check each cited section is in them")
    check_cmd.add_argument("files", nargs="+", metavar="FILE", help="a pack or overlay YAML file")
    diagram_cmd = commands.add_parser(
        "diagram", help="write a pack's Mermaid flowchart",
        description="Write a pack's flowchart as Mermaid: beside a pack file, over a built-in pack's committed "
                    "diagram, or where OUT says ('-' prints it). A combination such as sandwell+schools is "
                    "printed unless OUT is given.",
        epilog="See also: python -m bot packs check [--seeds DIR] FILE...")
    diagram_cmd.add_argument("pack", metavar="PACK_OR_FILE", help="a built-in pack id (e.g. sandwell) or a pack file")
    diagram_cmd.add_argument("out", nargs="?", metavar="OUT.mmd | -", help="where to write it; '-' prints it")


def command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`packs check` or `packs diagram` as parsed."""
    from dialogs.pack import PackError

    out = out or sys.stdout
    if args.packs_command == "check":
        return check(args.files, out=out, seeds=args.seeds)
    try:
        diagram(args.pack, args.out, stdout=out)
    except PackError as exc:
        for line in str(exc).splitlines():
            print(f"ERROR {line}", file=out)
        return 1
    return 0


def main(argv: list[str], out: TextIO | None = None) -> int:
    """`packs check FILE...` / `packs diagram PACK [OUT]` (argv without the 'packs' word)."""
    from bot.cli.main import main as bot_main

    return bot_main(["packs", *argv], out)
