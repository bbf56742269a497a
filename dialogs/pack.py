"""Policy packs: YAML data -> a validated, immutable Pack with one shared flowchart machine.

A pack names its source document and section for every question, outcome and golden rule. A pack
may `extends: <id>` another pack (beside it, or shipped in dialogs/packs) and override or add nodes,
rules, contacts, messages and myths (myths matched by id); `{remove: true}` in place of an inherited
node, answer or contact removes it. Unknown fields at any level are refused, naming the nearest one. An overlay (dialogs/packs/overlays/<name>.yaml) is a partial pack that any pack
can add, by listing it in `overlays: [name]` or by a combined id such as `sandwell+schools`; an
overlay only adds (mappings are merged, lists extended, text replaced) and never removes. The merged
result is validated as a whole. Any problem raises PackError naming the file and the node or field,
in words a policy officer can act on.
"""

from __future__ import annotations

from collections import Counter

import difflib
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml
from transitions import Machine

from dialogs import forms
from dialogs.model import RuleRef

# The flowchart machine must never chat in the logs (transitions logs every transition at INFO).
logging.getLogger("transitions").setLevel(logging.WARNING)

PACKS_DIR = Path(__file__).parent / "packs"
OVERLAYS_DIR = PACKS_DIR / "overlays"
# What an overlay may set. It never changes a pack's identity, entries or golden rules.
OVERLAY_KEYS = frozenset({
    "overlay", "version", "title", "short_title", "description", "sources", "contacts", "messages",
    "checklists", "nodes", "outcomes", "myths",
})
# What an overlay's `outcomes: {<decision>: ...}` may add to every outcome with that decision.
OVERLAY_OUTCOME_KEYS = frozenset({"local_points", "contacts"})
REMOVE = {"remove": True}
# Pack and overlay names are file names: letters, digits, '-' and '_' only.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DECISIONS = ("share", "do_not_share", "seek_advice")
# The lawful bases an outcome may name for the record: the form's own list, never a second one.
LAWFUL_BASIS_KEYS = tuple(forms.LAWFUL_BASES)
STANDARD_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
MENU = "menu"
# The fields a pack file may hold, at each level. Anything else is a typo that would otherwise be
# ignored without a word (a `local_point:` that never shows), so `packs check` and start-up refuse it.
PACK_KEYS = frozenset({
    "id", "version", "title", "short_title", "attribution", "extends", "overlays", "sources",
    "golden_rules", "contacts", "messages", "checklists", "entries", "nodes", "myths", "forms",
})
SOURCE_KEYS = frozenset({"title", "short", "file", "url", "wording"})
RULE_KEYS = frozenset({"short", "text", "source"})
CONTACT_KEYS = frozenset({"name", "phone", "note", "source"})
MESSAGE_NAMES = frozenset({"welcome", "danger", "record_reminder", "seek_advice",
                           # what a practitioner is told once MASH has a consultation request; {when}
                           # is the call-back time ShareSafe works out (the partnership's promise)
                           "consultation_sent"})
MESSAGE_KEYS = frozenset({"title", "text", "rules", "source"})
CHECKLIST_NAMES = frozenset({"how_to_share"})
CHECKLIST_KEYS = frozenset({"source", "items"})
ENTRY_NAMES = frozenset({"share", "consent"})  # the two menu buttons
QUESTION_KEYS = frozenset({"type", "text", "why", "rules", "source", "answers", "local_points"})
OUTCOME_KEYS = frozenset({
    "type", "title", "text", "decision", "rules", "source", "how_to_share", "lawful_basis",
    "local_points", "contacts",
})
ANSWER_KEYS = frozenset({"next", "label", "sets", "source"})
LOCAL_POINT_KEYS = frozenset({"text", "source"})
MYTH_KEYS = frozenset({"id", "question", "answer", "keywords", "needs", "rules", "source"})
SOURCE_REF_KEYS = frozenset({"doc", "section"})
# What an answer's `sets:` may record, and the consent statuses a record knows.
SETS_KEYS = frozenset({"consent", "consent_not_sought_reason", "consent_problem", "consent_by", "threshold"})
CONSENT_STATUSES = frozenset({"obtained", "refused", "withdrawn", "not_sought", "not_valid", "not_yet_sought", "not_needed", "not_decided"})


class PackError(ValueError):
    """A policy pack is not valid; the message names the file and the node or field."""


@dataclass(frozen=True)
class Source:
    """Where a piece of guidance comes from."""

    doc: str
    section: str
    title: str = ""
    # Further sources for the same node (a pack may write `source: [{doc, section}, ...]`).
    also: tuple["Source", ...] = ()

    def cite(self) -> str:
        """Short citation for display, e.g. 'Sandwell protocol, Appendix 2, question 1'."""
        first = f"{self.title}, {self.section}" if self.title else self.section
        return "; ".join([first, *(s.cite() for s in self.also)])

    def each(self) -> tuple["Source", ...]:
        """Every source cited, one by one."""
        return (replace(self, also=()), *self.also)


@dataclass(frozen=True)
class Answer:
    """One answer to a question: where it leads and the record facts it sets."""

    id: str
    label: str
    next: str
    sets: Mapping[str, str] = field(default_factory=dict)
    # Where this answer comes from, when it is not the question's own source (e.g. one reason of several).
    source: Source | None = None


@dataclass(frozen=True)
class Node:
    """A question or an outcome of the flowchart."""

    id: str
    type: str
    text: str
    rules: tuple[int, ...]
    source: Source
    why: str = ""
    answers: tuple[Answer, ...] = ()
    title: str = ""
    decision: str = ""
    how_to_share: bool = False
    lawful_basis: str = ""
    local_points: tuple[str, ...] = ()
    # Names of entries under the pack's `contacts` shown on this outcome (e.g. the MASH line).
    contacts: tuple[str, ...] = ()
    # Where each local point comes from (None for a point written as plain text).
    local_sources: tuple[Source | None, ...] = ()

    def answer(self, answer_id: str) -> Answer | None:
        """The answer with this id, if the question offers it."""
        return next((a for a in self.answers if a.id == answer_id), None)


@dataclass(frozen=True)
class Myth:
    """A myth-busting question and its answer."""

    id: str
    question: str
    answer: str
    keywords: tuple[str, ...]
    rules: tuple[int, ...]
    source: Source
    # Words the question must contain for this myth to answer it (e.g. "mash" for a MASH myth).
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """A loaded, validated policy pack. Shared by every conversation; never mutated."""

    id: str
    version: str
    title: str
    short_title: str
    attribution: str
    file: str
    golden_rules: Mapping[int, RuleRef]
    rule_sources: Mapping[int, Source]
    sources: Mapping[str, Mapping[str, str]]
    contacts: Mapping[str, Any]
    messages: Mapping[str, Mapping[str, Any]]
    checklist: tuple[str, ...]
    checklist_source: Source
    entries: Mapping[str, str]
    nodes: Mapping[str, Node]
    myths: tuple[Myth, ...]
    extends: str | None
    machine: Machine = field(repr=False, compare=False, hash=False)
    # Overlays applied, as "name.version" (e.g. "schools.1"); also folded into `version`.
    overlays: tuple[str, ...] = ()
    # Where each message (welcome, danger, ...) comes from.
    message_sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    # The record, DSL and MASH forms: dialogs/forms.yaml plus the record fields the pack adds.
    forms: Mapping[str, forms.Form] = field(default_factory=lambda: MappingProxyType(dict(forms.FORMS)))

    def rules(self, numbers: tuple[int, ...]) -> tuple[RuleRef, ...]:
        """The golden rules with these numbers, in order."""
        return tuple(self.golden_rules[n] for n in numbers)

    def message(self, name: str) -> Mapping[str, Any]:
        """A named message (welcome, danger, ...) or an empty mapping."""
        return self.messages.get(name, {})


# ---- Loading ---------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PackError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        # One line, with where the mistake is: PyYAML's own message spans several lines.
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise PackError(f"{path}: not valid YAML{where}: {problem}; check the indentation, colons and brackets there") from None
    if not isinstance(data, dict):
        raise PackError(f"{path}: a pack must be a YAML mapping with id, version and nodes")
    return data


def _normalise_answers(data: dict[str, Any]) -> dict[str, Any]:
    """YAML reads a bare yes/no key as a boolean; make it the word before merging files."""
    for node in (data.get("nodes") or {}).values():
        if isinstance(node, dict) and isinstance(node.get("answers"), dict):
            node["answers"] = {{True: "yes", False: "no"}.get(k, k): v for k, v in node["answers"].items()}
    return data


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge mappings; `{remove: true}` deletes the key; anything else replaces the base value."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value == REMOVE:
                merged.pop(key, None)
            else:
                merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return override


def _add(base: Any, extra: Any) -> Any:
    """Overlay merge: mappings merged, lists extended (an item with the same `id` is replaced)."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _add(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        out = list(base)
        for item in extra:
            same = [i for i, old in enumerate(out) if isinstance(item, dict) and isinstance(old, dict)
                    and item.get("id") is not None and old.get("id") == item.get("id")]
            if same:
                out[same[0]] = item
            elif item not in out:
                out.append(item)
        return out
    return extra


def _merge_myths(base: Any, override: Any, file: str) -> Any:
    """Myths are matched by `id`: the same id changes the inherited myth (mappings merged), a new id
    is added, `{id: ..., remove: true}` removes one. So every pack keeps the national answers."""
    if not isinstance(base, list) or not isinstance(override, list):
        return override
    out = list(base)
    for item in override:
        at = next((i for i, old in enumerate(out) if isinstance(item, dict) and isinstance(old, dict)
                   and item.get("id") is not None and old.get("id") == item.get("id")), None)
        if isinstance(item, dict) and item.get("remove") is True:
            if at is None:
                raise PackError(f"{file}: myth '{item.get('id')}': removes a myth the pack does not inherit; fix the id")
            out.pop(at)
        elif at is not None:
            out[at] = _merge(out[at], item)
        else:
            out.append(item)
    return out


def _did_you_mean(name: Any, known: Any, otherwise: str) -> str:
    """'did you mean <the closest known name>?', or `otherwise` when none is close."""
    near = _near(name, known)
    return f"did you mean {near}?" if near else otherwise


def _near(name: Any, known: Any) -> str | None:
    """The known name closest to a misspelt one, if any is close."""
    found = difflib.get_close_matches(str(name), sorted(str(k) for k in known), n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown_fields(check: "_Checker", where: str, raw: Any, allowed: frozenset[str]) -> None:
    if not isinstance(raw, dict):
        return
    for key in raw:
        if key not in allowed:
            hint = _did_you_mean(key, allowed, f"the fields here are {', '.join(sorted(allowed))}")
            check.error(where, f"unknown field {key}: {hint}")


def _source_ref_fields(check: "_Checker", where: str, raw: Any) -> None:
    for ref in raw if isinstance(raw, list) else [raw]:
        _unknown_fields(check, where, ref, SOURCE_REF_KEYS)


def _check_fields(check: "_Checker", data: Mapping[str, Any], base: Mapping[str, Any] | None,
                  base_name: str | None, *, overlay: bool = False) -> None:
    """Refuse unknown fields at every level of one pack or overlay file, naming the nearest valid one.

    `base` is what the file builds on (the pack it extends, or the pack an overlay is added to).
    """
    if not overlay:
        _unknown_fields(check, "top level", data, PACK_KEYS)
    # section: (how one entry is named in a message, its fields, the names it may have (None: any)).
    sections = {
        "sources": ("source '{}'", SOURCE_KEYS, None), "golden_rules": ("golden rule {}", RULE_KEYS, None),
        "contacts": ("contact '{}'", CONTACT_KEYS, None), "messages": ("messages.{}", MESSAGE_KEYS, MESSAGE_NAMES),
        "checklists": ("checklists.{}", CHECKLIST_KEYS, CHECKLIST_NAMES),
    }
    for section, (label, allowed, known) in sections.items():
        raw = data.get(section)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            check.error(f"field '{section}'", "must be a mapping (name: fields)")
            continue
        for name, value in raw.items():
            where = label.format(name)
            if known is not None and name not in known:
                check.error(where, f"is not a known {section[:-1]} name: "
                            + _did_you_mean(name, known, f"use {', '.join(sorted(known))}"))
                continue
            if value == REMOVE or isinstance(value, str) and section == "contacts":
                continue
            if not isinstance(value, dict):
                check.error(where, "must be a mapping of fields")
                continue
            _unknown_fields(check, where, value, allowed)
            if "source" in value:
                _source_ref_fields(check, where, value["source"])
    entries = data.get("entries")
    if isinstance(entries, dict):
        for name in entries:
            if name not in ENTRY_NAMES:
                check.error(f"entry '{name}'", "is not a menu button: " + _did_you_mean(name, ENTRY_NAMES, "use share or consent"))
    elif entries is not None:
        check.error("field 'entries'", "must map share and consent to the node each starts at")

    base_nodes = (base or {}).get("nodes") or {}
    nodes = data.get("nodes")
    if nodes is not None and not isinstance(nodes, dict):
        check.error("field 'nodes'", "must be a mapping of node id to its fields")
        nodes = {}
    for node_id, raw in (nodes or {}).items():
        where = f"node '{node_id}'"
        inherited = base_nodes.get(node_id)
        if raw == REMOVE:
            if base is not None and inherited is None and not overlay:
                near = _near(node_id, base_nodes)
                check.error(where, f"removes a node {base_name} does not have" + (f": did you mean {near}?" if near else ""))
            continue
        if not isinstance(raw, dict):
            check.error(where, "must be a mapping of the node's fields")
            continue
        if base is not None and inherited is None and "type" not in raw and not overlay:
            check.error(where, f"{node_id} is not a node of {base_name} and has no type: "
                        + _did_you_mean(node_id, base_nodes, "fix the node id, or give it a 'type' (question or outcome) to add a new node"))
            continue
        kind = raw.get("type") or (inherited or {}).get("type")
        allowed = {"question": QUESTION_KEYS, "outcome": OUTCOME_KEYS}.get(kind, QUESTION_KEYS | OUTCOME_KEYS)
        _unknown_fields(check, where, raw, allowed)
        if "source" in raw:
            _source_ref_fields(check, where, raw["source"])
        answers = raw.get("answers")
        if answers is not None and not isinstance(answers, dict):
            check.error(where, "'answers' must be a mapping of answer id to the next node")
            answers = {}
        base_answers = (inherited or {}).get("answers") or {}
        for answer_id, target in (answers or {}).items():
            a_where = f"{where} answer '{answer_id}'"
            if target == REMOVE:
                if inherited is not None and answer_id not in base_answers and not overlay:
                    check.error(a_where, f"removes an answer '{node_id}' does not have in {base_name}")
                continue
            if isinstance(target, dict):
                _unknown_fields(check, a_where, target, ANSWER_KEYS)
                if "source" in target:
                    _source_ref_fields(check, a_where, target["source"])
                sets = target.get("sets")
                if sets is not None and not isinstance(sets, dict):
                    check.error(a_where, "'sets' must be a mapping, e.g. {consent: refused}")
                for key in sets if isinstance(sets, dict) else ():
                    if key not in SETS_KEYS:
                        check.error(a_where, f"sets {key}, which a record does not hold: "
                                    + _did_you_mean(key, SETS_KEYS, f"use {', '.join(sorted(SETS_KEYS))}"))
            if (inherited is not None and base_answers and answer_id not in base_answers and not overlay
                    and not (isinstance(target, str) or isinstance(target, dict) and target.get("next"))):
                check.error(a_where, f"{answer_id} is not an answer of '{node_id}' in {base_name} and has no next: "
                            + _did_you_mean(answer_id, base_answers, "fix the answer id, or give it 'next'"))
        points = raw.get("local_points")
        if points is not None and not isinstance(points, list):
            check.error(where, "'local_points' must be a list")
        for i, point in enumerate(points if isinstance(points, list) else [], start=1):
            _unknown_fields(check, f"{where} local point {i}", point, LOCAL_POINT_KEYS)
            if isinstance(point, dict) and "source" in point:
                _source_ref_fields(check, f"{where} local point {i}", point["source"])
    myths = data.get("myths")
    if myths is not None and not isinstance(myths, list):
        check.error("field 'myths'", "must be a list of myths, each starting '- id: ...'")
        myths = []
    for i, raw in enumerate(myths or [], start=1):
        where = f"myth {raw.get('id', i) if isinstance(raw, dict) else i}"
        if not isinstance(raw, dict):
            check.error(where, "must be a mapping with id, question, answer, keywords, rules and source")
            continue
        _unknown_fields(check, where, raw, MYTH_KEYS | ({"remove"} if raw.get("remove") is True else set()))
        if "source" in raw:
            _source_ref_fields(check, where, raw["source"])


def _find_parent(parent: str, search_dir: Path) -> Path | None:
    for folder in (search_dir, PACKS_DIR):
        candidate = folder / f"{parent}.yaml"
        if candidate.exists():
            return candidate
    return None


def _check_all_fields(path: Path, data: dict[str, Any], base: dict[str, Any] | None, parent: str | None) -> None:
    """Every field name checked against the format (and the pack extended); PackError listing all that are wrong."""
    check = _Checker(path.name)
    _check_fields(check, data, base, parent)
    check.raise_if_any()


def _resolve(path: Path, search_dir: Path, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str | None]:
    """Read a pack and merge it over the pack it extends (recursively)."""
    data = _normalise_answers(_read_yaml(path))
    parent = data.get("extends")
    if parent is None:
        _check_all_fields(path, data, None, None)
        return data, None
    if not isinstance(parent, str):
        raise PackError(f"{path}: field 'extends' must be the id of another pack")
    if parent in seen:
        raise PackError(f"{path}: 'extends: {parent}' makes a loop of packs")
    parent_path = _find_parent(parent, search_dir)
    if parent_path is None:
        raise PackError(
            f"{path}: 'extends: {parent}' but there is no {parent}.yaml beside it or among the shipped packs "
            f"({', '.join(builtin_ids())}); check the spelling"
        )
    base, _ = _resolve(parent_path, parent_path.parent, seen + (str(data.get("id")),))
    _check_all_fields(path, data, base, parent)
    # A child pack never inherits the parent's identity.
    base = {k: v for k, v in base.items() if k not in ("id", "version", "title", "short_title", "extends")}
    merged = _merge(base, {k: v for k, v in data.items() if k != "myths"})
    if "myths" in data:
        merged["myths"] = _merge_myths(base.get("myths") or [], data["myths"] or [], path.name)
    return merged, parent


def load_pack(
    path: str | Path, *, search_dir: str | Path | None = None, overlays: tuple[str, ...] = (),
    overlay_dirs: tuple[Path, ...] = (),
) -> Pack:
    """Load and validate a pack file (plus any overlays); raise PackError naming the file and the problem.

    Overlays are looked for in `overlay_dirs`, then in an `overlays/` folder beside the pack, then
    among the shipped overlays.
    """
    path = Path(path)
    data, parent = _resolve(path, Path(search_dir) if search_dir else path.parent)
    dirs = tuple(Path(d) for d in overlay_dirs) + (path.parent / "overlays", OVERLAYS_DIR)
    listed = data.get("overlays") or []
    if not isinstance(listed, list) or not all(isinstance(o, str) for o in listed):
        raise PackError(f"{path.name}: field 'overlays' must be a list of overlay names, for example [schools]")
    applied = []
    for name in dict.fromkeys([*listed, *overlays]):
        data, label = _apply_overlay(data, name, path.name, dirs)
        applied.append(label)
    if overlays:
        # A combined id (sandwell+schools) is the pack's id: records and sessions name exactly what ran.
        data["id"] = "+".join([str(data.get("id")), *overlays])
    return _build(data, str(path.name), parent, tuple(applied))


def split_id(pack_id: str) -> tuple[str, tuple[str, ...]]:
    """'sandwell+schools' -> ('sandwell', ('schools',))."""
    base, *overlays = [part.strip() for part in pack_id.split("+")]
    return base, tuple(overlays)


def load_builtin(pack_id: str) -> Pack:
    """Load a pack shipped in dialogs/packs by its id, or a combined id such as 'sandwell+schools'."""
    base, overlays = split_id(pack_id)
    path = PACKS_DIR / f"{base}.yaml"
    if not _NAME.fullmatch(base) or not path.exists():
        known = ", ".join(sorted(builtin_ids())) or "none"
        raise PackError(f"no pack called '{base}' in {PACKS_DIR.name}/ (known: {known})")
    return load_pack(path, overlays=overlays)


def pack_files(extra_dirs: tuple[str | Path, ...] = ()) -> dict[str, Path]:
    """Pack id -> file: the shipped packs plus those in extra folders (SHARESAFE_PACKS_DIR).

    A pack in an extra folder may not take a shipped pack's id: no one is given changed national or
    partnership guidance by accident. Its file name is its id.
    """
    files = {p.stem: p for p in sorted(PACKS_DIR.glob("*.yaml"))}
    for folder in (Path(d) for d in extra_dirs):
        if not folder.is_dir():
            raise PackError(f"{folder}: the packs folder does not exist; check SHARESAFE_PACKS_DIR")
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in files:
                where = "a shipped pack" if files[path.stem].parent == PACKS_DIR else str(files[path.stem])
                raise PackError(f"{path}: pack '{path.stem}' has the same id as {where}; "
                                f"give yours its own id and file name (for example {path.stem}-local)")
            if not _NAME.fullmatch(path.stem):
                raise PackError(f"{path}: a pack's file name is its id: use letters, digits, '-' and '_' only")
            files[path.stem] = path
    return files


def load_by_id(pack_id: str, extra_dirs: tuple[str | Path, ...] = ()) -> Pack:
    """Load a pack by id (or combined id such as 'leeds+schools'), shipped or in an extra folder."""
    if not extra_dirs:
        return load_builtin(pack_id)
    base, overlays = split_id(pack_id)
    files = pack_files(extra_dirs)
    if base not in files:
        raise PackError(f"no pack called '{base}' in {PACKS_DIR.name}/ or {', '.join(map(str, extra_dirs))} "
                        f"(known: {', '.join(sorted(files))})")
    path = files[base]
    pack = load_pack(path, overlays=overlays, overlay_dirs=tuple(Path(d) / "overlays" for d in extra_dirs))
    if pack.id.split("+")[0] != base:
        raise PackError(f"{path.name}: field 'id': is '{pack.id.split('+')[0]}' but the file is called {path.name}; "
                        f"packs are found by file name, so rename the file or set id: {base}")
    return pack


def builtin_ids() -> list[str]:
    """The ids of the packs shipped with ShareSafe."""
    return sorted(p.stem for p in PACKS_DIR.glob("*.yaml"))


def overlay_ids() -> list[str]:
    """The names of the overlays shipped with ShareSafe (any pack can add one)."""
    return sorted(p.stem for p in OVERLAYS_DIR.glob("*.yaml"))


def _contains_remove(value: Any) -> bool:
    if value == REMOVE:
        return True
    if isinstance(value, dict):
        return any(_contains_remove(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_remove(v) for v in value)
    return False


def _apply_overlay(
    data: dict[str, Any], name: str, pack_file: str, dirs: tuple[Path, ...] = (OVERLAYS_DIR,),
) -> tuple[dict[str, Any], str]:
    """Add an overlay to a resolved pack; return the new data and 'name.version'."""
    path = next((d / f"{name}.yaml" for d in dirs if (d / f"{name}.yaml").exists()), OVERLAYS_DIR / f"{name}.yaml")
    if not _NAME.fullmatch(name) or ".." in name or not path.exists():
        raise PackError(
            f"{pack_file}: overlay '{name}' does not exist (known overlays: {', '.join(overlay_ids()) or 'none'}); "
            "check the spelling in 'overlays:' or in the pack id"
        )
    raw = _normalise_answers(_read_yaml(path))
    check = _Checker(f"{pack_file} + overlays/{path.name}")
    if raw.get("overlay") != name:
        check.error("field 'overlay'", f"must be '{name}', the file's name")
    for key in ("version", "title"):
        if not raw.get(key):
            check.error(f"field '{key}'", "is missing or empty")
    for key in sorted(set(raw) - OVERLAY_KEYS, key=str):
        check.error(f"field '{key}'", f"cannot be set by an overlay (it may set: {', '.join(sorted(OVERLAY_KEYS))})")
    if _contains_remove(raw):
        check.error("remove", "an overlay adds to a pack and cannot remove anything; delete 'remove: true'")
    _check_fields(check, raw, data, str(data.get("id")), overlay=True)
    nodes = raw.get("nodes") or {}
    if not isinstance(nodes, dict):
        check.error("field 'nodes'", "must be a mapping of node id to changes")
        nodes = {}
    for node_id, changes in nodes.items():
        if not isinstance(changes, dict):
            check.error(f"node '{node_id}'", "must be a mapping of the fields to add or change")
        elif node_id not in (data.get("nodes") or {}) and "type" not in changes:
            check.error(f"node '{node_id}'",
                        "changes a node this pack does not have; fix the node id, or give it a 'type' to add a new node")
    outcomes = raw.get("outcomes") or {}
    if not isinstance(outcomes, dict):
        check.error("field 'outcomes'", "must map a decision (share, do_not_share, seek_advice) to what to add")
        outcomes = {}
    for decision, changes in outcomes.items():
        if decision not in DECISIONS:
            check.error(f"outcomes.{decision}", f"is not a decision; use one of {', '.join(DECISIONS)}")
        elif not isinstance(changes, dict) or set(changes) - OVERLAY_OUTCOME_KEYS:
            check.error(f"outcomes.{decision}", f"may only add {' and '.join(sorted(OVERLAY_OUTCOME_KEYS))}")
    check.raise_if_any()
    extra = {k: v for k, v in raw.items() if k in OVERLAY_KEYS - {"overlay", "version", "title", "short_title", "description", "outcomes"}}
    merged = _add(data, extra)
    # `outcomes: {share: ...}` reaches every outcome with that decision, whatever the pack calls it.
    merged_nodes = dict(merged.get("nodes") or {})
    for node_id, node in merged_nodes.items():
        if isinstance(node, dict) and node.get("type") == "outcome" and node.get("decision") in outcomes:
            merged_nodes[node_id] = _add(node, outcomes[node["decision"]])
    merged["nodes"] = merged_nodes
    version = str(raw["version"])
    merged["version"] = f"{data.get('version')}+{name}.{version}"
    merged["title"] = f"{data.get('title')} + {raw['title']}"
    merged["short_title"] = f"{data.get('short_title') or data.get('title')} + {raw.get('short_title') or raw['title']}"
    return merged, f"{name}.{version}"


# ---- Validation ------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.file}: {where}: {message}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise PackError("\n".join(self.errors))


def _source(check: _Checker, where: str, raw: Any, sources: Mapping[str, Any]) -> Source:
    if isinstance(raw, list) and raw:
        # Several sources: a node drawn from more than one document cites each of them.
        first, *rest = [_source(check, where, one, sources) for one in raw]
        return replace(first, also=tuple(rest))
    if not isinstance(raw, dict) or not raw.get("doc") or not raw.get("section"):
        check.error(where, "needs 'source: {doc: <source id>, section: <section>}'")
        return Source(doc="?", section="?")
    doc = str(raw["doc"])
    if doc not in sources:
        check.error(where, f"source doc '{doc}' is not listed under 'sources' (known: {', '.join(sorted(sources))})")
        return Source(doc=doc, section=str(raw["section"]))
    return Source(doc=doc, section=str(raw["section"]), title=str(sources[doc].get("short") or sources[doc].get("title", "")))


def _rules(check: _Checker, where: str, raw: Any, known: Mapping[int, Any]) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        check.error(where, "needs 'rules: [..]' naming at least one golden rule (1-7)")
        return ()
    out = []
    for n in raw:
        if not isinstance(n, int) or n not in known:
            check.error(where, f"golden rule {n!r} does not exist (use {', '.join(map(str, sorted(known)))})")
        else:
            out.append(n)
    return tuple(out)


def _build(data: dict[str, Any], file: str, parent: str | None, overlays: tuple[str, ...] = ()) -> Pack:
    check = _Checker(file)
    for key in ("id", "version", "title", "golden_rules", "sources", "entries", "nodes"):
        if not data.get(key):
            check.error(f"field '{key}'", "is missing or empty")
    check.raise_if_any()

    sources = {str(k): dict(v or {}) for k, v in data["sources"].items()}
    rules: dict[int, RuleRef] = {}
    rule_sources: dict[int, Source] = {}
    for num, raw in data["golden_rules"].items():
        where = f"golden rule {num}"
        if not isinstance(num, int) or not isinstance(raw, dict) or not raw.get("text"):
            check.error(where, "needs a number as key and 'text'")
            continue
        rules[num] = RuleRef(number=num, text=" ".join(str(raw["text"]).split()), short=str(raw.get("short", "")))
        rule_sources[num] = _source(check, where, raw.get("source"), sources)
    if sorted(rules) != list(range(1, 8)):
        check.error("golden_rules", f"must define rules 1 to 7 (found {sorted(rules)})")

    contacts = dict(data.get("contacts") or {})
    for name, contact in contacts.items():
        if isinstance(contact, dict):
            if not contact.get("name"):
                check.error(f"contact '{name}'", "needs 'name' (what the practitioner sees, e.g. Cambridgeshire MASH)")
            if contact.get("source") is not None:
                # `packs check` also insists a phone number cites the document it comes from.
                _source(check, f"contact '{name}'", contact.get("source"), sources)
        elif not isinstance(contact, str):
            check.error(f"contact '{name}'", "must be a text or a mapping with name, phone and source")

    nodes: dict[str, Node] = {}
    raw_nodes = data["nodes"]
    for node_id, raw in raw_nodes.items():
        where = f"node '{node_id}'"
        if not isinstance(raw, dict):
            check.error(where, "must be a mapping")
            continue
        kind = raw.get("type")
        node_rules = _rules(check, where, raw.get("rules"), rules)
        source = _source(check, where, raw.get("source"), sources)
        text = " ".join(str(raw.get("text", "")).split())
        if not text:
            check.error(where, "needs 'text'")
        local_list: list[str] = []
        local_sources: list[Source | None] = []
        for i, point in enumerate(raw.get("local_points") or [], start=1):
            if isinstance(point, dict):
                if not point.get("text"):
                    check.error(f"{where} local point {i}", "needs 'text'")
                local_list.append(" ".join(str(point.get("text", "")).split()))
                local_sources.append(_source(check, f"{where} local point {i}", point.get("source"), sources))
            else:
                local_list.append(" ".join(str(point).split()))
                local_sources.append(None)
        local = tuple(local_list)
        node_contacts = tuple(str(c) for c in raw.get("contacts") or [])
        for name in node_contacts:
            if not isinstance(contacts.get(name), dict) or not contacts[name].get("phone"):
                check.error(where, f"shows contact '{name}', which is not under 'contacts' with a phone "
                                   f"(known: {', '.join(sorted(contacts)) or 'none'}); add it there or fix the name")
        if node_contacts and kind != "outcome":
            check.error(where, "'contacts' are shown on outcomes only; move them to the outcome the question leads to")
        if kind == "question":
            if not raw.get("why"):
                check.error(where, "needs 'why' (why the question matters, one or two sentences)")
            answers = []
            raw_answers = raw.get("answers")
            if not isinstance(raw_answers, dict) or not raw_answers:
                check.error(where, "needs 'answers' (at least yes/no/not_sure)")
                raw_answers = {}
            for answer_id, target in raw_answers.items():
                # YAML reads a bare yes/no key as a boolean; accept it as the word.
                answer_id = {True: "yes", False: "no"}.get(answer_id, answer_id)
                if isinstance(target, str):
                    target = {"next": target}
                if not isinstance(target, dict) or not target.get("next"):
                    check.error(f"{where} answer '{answer_id}'", "needs 'next: <node id>'")
                    continue
                label = target.get("label") or STANDARD_LABELS.get(str(answer_id))
                if not label:
                    check.error(f"{where} answer '{answer_id}'", "needs a 'label' (only yes/no/not_sure have one by default)")
                    label = str(answer_id)
                sets = {str(k): str(v) for k, v in (target.get("sets") or {}).items()}
                if "consent" in sets and sets["consent"] not in CONSENT_STATUSES:
                    check.error(f"{where} answer '{answer_id}'", f"sets consent to '{sets['consent']}', which is not a consent status: "
                                + _did_you_mean(sets["consent"], CONSENT_STATUSES, f"use {', '.join(sorted(CONSENT_STATUSES))}"))
                answer_source = _source(check, f"{where} answer '{answer_id}'", target["source"], sources) if "source" in target else None
                answers.append(Answer(id=str(answer_id), label=str(label), next=str(target["next"]), sets=MappingProxyType(sets),
                                      source=answer_source))
            if "not_sure" not in {a.id for a in answers}:
                check.error(where, "must offer 'not_sure' (golden rule 3: seek advice if in any doubt)")
            # "Not sure" is always the last button, even when a local pack adds an answer.
            answers.sort(key=lambda a: a.id == "not_sure")
            nodes[node_id] = Node(
                id=node_id, type="question", text=text, rules=node_rules, source=source,
                why=" ".join(str(raw.get("why", "")).split()), answers=tuple(answers), local_points=local,
                local_sources=tuple(local_sources),
            )
        elif kind == "outcome":
            decision = raw.get("decision")
            if decision not in DECISIONS:
                check.error(where, f"'decision' must be one of {', '.join(DECISIONS)}")
            if not raw.get("title"):
                check.error(where, "needs 'title'")
            basis = str(raw.get("lawful_basis", ""))
            if basis and basis not in LAWFUL_BASIS_KEYS:
                check.error(where, f"'lawful_basis' is '{basis}': "
                            + _did_you_mean(basis, LAWFUL_BASIS_KEYS, f"use one of {', '.join(LAWFUL_BASIS_KEYS)}"))
            if basis and decision != "share" and basis != "consent":
                # A basis to record belongs to a share (or to asking for consent first).
                check.error(where, f"names lawful_basis '{basis}' but does not share; leave it out")
            if 7 not in node_rules:
                # Whatever the outcome, even "seek advice", the practitioner records the decision and why.
                check.error(where, "every outcome must cite golden rule 7 (record the decision and the reasons); add 7 to 'rules'")
            nodes[node_id] = Node(
                id=node_id, type="outcome", text=text, rules=node_rules, source=source,
                title=str(raw.get("title", "")), decision=str(decision), how_to_share=bool(raw.get("how_to_share")),
                lawful_basis=str(raw.get("lawful_basis", "")), local_points=local, contacts=node_contacts,
                local_sources=tuple(local_sources),
            )
        else:
            check.error(where, "'type' must be 'question' or 'outcome'")

    entries = {str(k): str(v) for k, v in data["entries"].items()}
    for name, target in entries.items():
        if target not in nodes:
            check.error(f"entry '{name}'", f"starts at '{target}', which is not a node")
    for node in nodes.values():
        for answer in node.answers:
            if answer.next not in nodes:
                check.error(f"node '{node.id}' answer '{answer.id}'",
                            f"goes to '{answer.next}', which does not exist; fix the spelling or add a node called '{answer.next}'")
    check.raise_if_any()
    _check_graph(check, nodes, entries)

    checklist_raw = (data.get("checklists") or {}).get("how_to_share") or {}
    checklist = tuple(" ".join(str(i).split()) for i in checklist_raw.get("items", []))
    if any(n.how_to_share for n in nodes.values()) and not checklist:
        check.error("checklists.how_to_share", "a share outcome shows the how-to-share checklist, so it needs 'items'")
    checklist_source = _source(check, "checklists.how_to_share", checklist_raw.get("source"), sources) if checklist else Source("", "")

    messages = {str(k): dict(v or {}) for k, v in (data.get("messages") or {}).items()}
    message_sources: dict[str, Source] = {}
    for name in ("welcome", "danger"):
        if name not in messages:
            check.error(f"messages.{name}", "is missing")
    for name, message in messages.items():
        if name in ("welcome", "danger") or "source" in message:
            message_sources[name] = _source(check, f"messages.{name}", message.get("source"), sources)
        if "rules" in message:
            _rules(check, f"messages.{name}", message["rules"], rules)
    sent = messages.get("consultation_sent")
    if sent is not None and ("{when}" not in str(sent.get("text", "")) or "source" not in sent):
        check.error("messages.consultation_sent", "needs 'text' with {when} (the call-back time) and a 'source'")

    myths = []
    for i, raw in enumerate(data.get("myths") or [], start=1):
        where = f"myth {raw.get('id', i) if isinstance(raw, dict) else i}"
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("id", "question", "answer", "keywords")):
            check.error(where, "needs 'id', 'question', 'answer' and 'keywords'")
            continue
        myths.append(Myth(
            id=str(raw["id"]), question=str(raw["question"]), answer=" ".join(str(raw["answer"]).split()),
            keywords=_words(check, where, "keywords", raw["keywords"]),
            rules=_rules(check, where, raw.get("rules"), rules), source=_source(check, where, raw.get("source"), sources),
            needs=_words(check, where, "needs", raw.get("needs") or []),
        ))
    for myth_id in sorted(i for i, n in Counter(m.id for m in myths).items() if n > 1):
        check.error(f"myth '{myth_id}'", "appears twice; give each myth its own id")
    pack_forms: Mapping[str, forms.Form] = forms.FORMS
    try:
        pack_forms = forms.extend(forms.FORMS, data.get("forms"))
    except forms.FormError as exc:
        for problem in str(exc).splitlines():
            where, _, message = problem.partition(": ")
            check.error(where, message)
    check.raise_if_any()

    return Pack(
        id=str(data["id"]), version=str(data["version"]), title=str(data["title"]),
        short_title=str(data.get("short_title") or data["title"]), attribution=" ".join(str(data.get("attribution", "")).split()),
        file=file, golden_rules=MappingProxyType(rules), rule_sources=MappingProxyType(rule_sources),
        sources=MappingProxyType(sources), contacts=MappingProxyType(contacts),
        messages=MappingProxyType(messages), checklist=checklist, checklist_source=checklist_source,
        entries=MappingProxyType(entries), nodes=MappingProxyType(nodes), myths=tuple(myths), extends=parent,
        machine=_build_machine(nodes, entries), overlays=overlays, message_sources=MappingProxyType(message_sources),
        forms=MappingProxyType(pack_forms),
    )


def _words(check: _Checker, where: str, name: str, raw: Any) -> tuple[str, ...]:
    """A myth's `keywords` (or `needs`): a list of words or short phrases, none blank."""
    if not isinstance(raw, list):
        check.error(where, f"'{name}' must be a list, for example [consent, always, needed]; "
                           "a plain text would be read as one long phrase")
        return ()
    out = []
    for i, word in enumerate(raw, start=1):
        if not isinstance(word, (str, int, float)) or isinstance(word, bool):
            check.error(where, f"{name} {i} must be a word or phrase, not {type(word).__name__}")
        elif not str(word).strip():
            check.error(where, f"{name} {i} is blank; remove it")
        else:
            out.append(" ".join(str(word).lower().split()))
    return tuple(out)


def _check_graph(check: _Checker, nodes: Mapping[str, Node], entries: Mapping[str, str]) -> None:
    """Every node reachable from an entry; no loops; every path ends in an outcome."""
    reachable: set[str] = set()
    stack = list(entries.values())
    while stack:
        node_id = stack.pop()
        if node_id in reachable:
            continue
        reachable.add(node_id)
        stack.extend(a.next for a in nodes[node_id].answers)
    for node_id in nodes:
        if node_id not in reachable:
            check.error(f"node '{node_id}'", "cannot be reached from any entry (no answer leads to it); "
                                             "point an answer's 'next' at it, or remove it")

    # Depth-first search for loops: a loop is a path that might never reach an outcome.
    state: dict[str, int] = {}

    def visit(node_id: str, trail: tuple[str, ...]) -> None:
        if state.get(node_id) == 2:
            return
        if state.get(node_id) == 1:
            loop = " -> ".join(trail[trail.index(node_id):] + (node_id,))
            check.error(f"node '{node_id}'", f"is part of a loop ({loop}); every path must end in an outcome")
            return
        state[node_id] = 1
        node = nodes[node_id]
        if node.type == "question" and not node.answers:
            check.error(f"node '{node_id}'", "is a question with no answers, so its path never ends in an outcome")
        for answer in node.answers:
            visit(answer.next, trail + (node_id,))
        state[node_id] = 2

    for node_id in nodes:
        visit(node_id, ())
    check.raise_if_any()


def _build_machine(nodes: Mapping[str, Node], entries: Mapping[str, str]) -> Machine:
    """One machine per pack, shared by every conversation (a conversation is only a model)."""
    transitions = [
        {"trigger": answer.id, "source": node.id, "dest": answer.next}
        for node in nodes.values()
        for answer in node.answers
    ]
    transitions += [{"trigger": f"start_{name}", "source": MENU, "dest": target} for name, target in entries.items()]
    return Machine(
        model=None, states=[MENU, *nodes], transitions=transitions, initial=None, auto_transitions=False,
    )
