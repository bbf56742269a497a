"""Policy packs: YAML data -> a validated, immutable Pack with one shared flowchart machine.

A pack names its source document and section for every question, outcome and golden rule. A pack
may `extends: <id>` another pack (beside it, or shipped in dialogs/packs) and override or add nodes,
rules, contacts, messages and myths; `{remove: true}` in place of an inherited node, answer or
contact removes it. An overlay (dialogs/packs/overlays/<name>.yaml) is a partial pack that any pack
can add, by listing it in `overlays: [name]` or by a combined id such as `sandwell+schools`; an
overlay only adds (mappings are merged, lists extended, text replaced) and never removes. The merged
result is validated as a whole. Any problem raises PackError naming the file and the node or field,
in words a policy officer can act on.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml
from transitions import Machine

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
STANDARD_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
MENU = "menu"


class PackError(ValueError):
    """A policy pack is not valid; the message names the file and the node or field."""


@dataclass(frozen=True)
class Source:
    """Where a piece of guidance comes from."""

    doc: str
    section: str
    title: str = ""

    def cite(self) -> str:
        """Short citation for display, e.g. 'Sandwell protocol, Appendix 2, question 1'."""
        return f"{self.title}, {self.section}" if self.title else self.section


@dataclass(frozen=True)
class Answer:
    """One answer to a question: where it leads and the record facts it sets."""

    id: str
    label: str
    next: str
    sets: Mapping[str, str] = field(default_factory=dict)


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
        raise PackError(f"{path}: not valid YAML: {exc}") from exc
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


def _find_parent(parent: str, search_dir: Path) -> Path | None:
    for folder in (search_dir, PACKS_DIR):
        candidate = folder / f"{parent}.yaml"
        if candidate.exists():
            return candidate
    return None


def _resolve(path: Path, search_dir: Path, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str | None]:
    """Read a pack and merge it over the pack it extends (recursively)."""
    data = _normalise_answers(_read_yaml(path))
    parent = data.get("extends")
    if parent is None:
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
    # A child pack never inherits the parent's identity.
    base = {k: v for k, v in base.items() if k not in ("id", "version", "title", "short_title", "extends")}
    return _merge(base, data), parent


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
                answers.append(Answer(id=str(answer_id), label=str(label), next=str(target["next"]), sets=MappingProxyType(sets)))
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
            if 7 not in node_rules and decision != "seek_advice":
                check.error(where, "a share or do-not-share outcome must cite golden rule 7 (record the decision)")
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
    for name in ("welcome", "danger"):
        if name not in messages:
            check.error(f"messages.{name}", "is missing")
        else:
            _source(check, f"messages.{name}", messages[name].get("source"), sources)
    for name, message in messages.items():
        if "rules" in message:
            _rules(check, f"messages.{name}", message["rules"], rules)

    myths = []
    for i, raw in enumerate(data.get("myths") or []):
        where = f"myth {raw.get('id', i) if isinstance(raw, dict) else i}"
        if not isinstance(raw, dict) or not raw.get("question") or not raw.get("answer") or not raw.get("keywords"):
            check.error(where, "needs 'id', 'question', 'answer' and 'keywords'")
            continue
        myths.append(Myth(
            id=str(raw.get("id", i)), question=str(raw["question"]), answer=" ".join(str(raw["answer"]).split()),
            keywords=tuple(str(k).lower() for k in raw["keywords"]),
            rules=_rules(check, where, raw.get("rules"), rules), source=_source(check, where, raw.get("source"), sources),
        ))
    check.raise_if_any()

    return Pack(
        id=str(data["id"]), version=str(data["version"]), title=str(data["title"]),
        short_title=str(data.get("short_title") or data["title"]), attribution=" ".join(str(data.get("attribution", "")).split()),
        file=file, golden_rules=MappingProxyType(rules), rule_sources=MappingProxyType(rule_sources),
        sources=MappingProxyType(sources), contacts=MappingProxyType(contacts),
        messages=MappingProxyType(messages), checklist=checklist, checklist_source=checklist_source,
        entries=MappingProxyType(entries), nodes=MappingProxyType(nodes), myths=tuple(myths), extends=parent,
        machine=_build_machine(nodes, entries), overlays=overlays,
    )


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
