"""`python -m bot packs ...`: check policy packs and draw their flowcharts (policy officers, admins).

    python -m bot packs check FILE...        validate packs or overlays; exit code 0 (all good) or 1
    python -m bot packs diagram PACK [OUT]   write the Mermaid flowchart (default: beside the pack)

`check` runs the same validation as start-up (structure, references, reachability, every question
and outcome citing a golden rule and a source) plus the stricter rules a shipped pack must meet:
the file is named after the pack id, every phone number and every local point names the document
it comes from, and every source says which document it is. Each problem is one line: the file, the
node or field, and what to do.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable, TextIO

import yaml

from dialogs.diagram import mermaid
from dialogs.pack import PACKS_DIR, Pack, PackError, builtin_ids, load_builtin, load_pack

USAGE = (
    "usage: python -m bot packs check FILE...\n"
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


def _check_pack(path: Path) -> tuple[list[str], list[str], str]:
    """(errors, warnings, summary) for one pack file."""
    try:
        pack = load_pack(path)
    except PackError as exc:
        return str(exc).splitlines(), [], ""
    errors = _lint(pack, path)
    warnings = []
    diagram_path = path.with_suffix(".mmd")
    if not diagram_path.exists():
        warnings.append(f"{path.name}: no diagram beside it; run: python -m bot packs diagram {path}")
    elif diagram_path.read_text(encoding="utf-8") != mermaid(pack):
        warnings.append(f"{diagram_path.name}: out of date; run: python -m bot packs diagram {path}")
    return errors, warnings, _summary(pack)


def _check_overlay(path: Path, name: str) -> tuple[list[str], list[str], str]:
    """An overlay must apply cleanly to every shipped pack ("any pack can add it")."""
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


def check(paths: Iterable[str | Path], out: TextIO | None = None) -> int:
    """Validate each pack or overlay file; print one line per problem; 0 if all are good, else 1."""
    out = out or sys.stdout
    paths = list(paths)
    if not paths:
        print(USAGE, file=out)
        return 1
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
            errors, warnings, summary = _check_pack(path)
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
    stdout = stdout or sys.stdout
    target = Path(pack_id_or_path)
    if target.suffix in (".yaml", ".yml") or target.is_file():
        pack = load_pack(target)
        default = target.with_suffix(".mmd")
    else:
        pack = load_builtin(str(pack_id_or_path))
        default = PACKS_DIR / f"{pack.id}.mmd"
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


def main(argv: list[str], out: TextIO | None = None) -> int:
    """`packs check FILE...` / `packs diagram PACK [OUT]` (argv without the 'packs' word)."""
    out = out or sys.stdout
    if argv[:1] == ["check"]:
        return check(argv[1:], out=out)
    if argv[:1] == ["diagram"] and len(argv) in (2, 3):
        try:
            diagram(argv[1], argv[2] if len(argv) == 3 else None, stdout=out)
        except PackError as exc:
            for line in str(exc).splitlines():
                print(f"ERROR {line}", file=out)
            return 1
        return 0
    print(USAGE, file=out)
    return 2
