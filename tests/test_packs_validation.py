"""A bad policy pack stops start-up with a message naming the file and the node or field."""

import ast
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import packs as packs_cli
from dialogs.diagram import mermaid
from dialogs.pack import PACKS_DIR, PackError, builtin_ids, load_builtin, load_pack
from tests.fixtures import AGENTS_MISSING, SEEDS, needs_seeds

BASE = yaml.safe_load((PACKS_DIR / "national-2018.yaml").read_text())
# The repository's own folders, wherever pytest is run from.
DIALOGS = Path(__file__).resolve().parents[1] / "dialogs"


def write(tmp_path: Path, data: dict, name: str = "bad-pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def broken(mutate) -> dict:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    mutate(data)
    return data


def test_every_shipped_pack_loads():
    for pack_id in builtin_ids():
        pack = load_builtin(pack_id)
        assert pack.id == pack_id and pack.version


def test_unknown_next_node_is_named(tmp_path):
    data = broken(lambda d: d["nodes"]["clear_purpose"]["answers"].update({"yes": "no_such_node"}))
    with pytest.raises(PackError) as err:
        load_pack(write(tmp_path, data))
    message = str(err.value)
    assert "bad-pack.yaml" in message and "clear_purpose" in message and "no_such_node" in message


def test_unreachable_node_is_named(tmp_path):
    def mutate(d):
        d["nodes"]["orphan"] = {"type": "outcome", "decision": "share", "title": "x", "text": "x",
                                "rules": [7], "source": {"doc": "sandwell", "section": "1"}}
    with pytest.raises(PackError, match=r"bad-pack.yaml: node 'orphan': cannot be reached"):
        load_pack(write(tmp_path, broken(mutate)))


def test_loop_without_outcome_is_refused(tmp_path):
    data = broken(lambda d: d["nodes"]["is_confidential"]["answers"].update({"no": "clear_purpose"}))
    with pytest.raises(PackError, match=r"loop"):
        load_pack(write(tmp_path, data))


def test_missing_golden_rule_is_named(tmp_path):
    data = broken(lambda d: d["nodes"]["has_consent"].pop("rules"))
    with pytest.raises(PackError, match=r"node 'has_consent': needs 'rules"):
        load_pack(write(tmp_path, data))


def test_rule_that_does_not_exist_is_named(tmp_path):
    data = broken(lambda d: d["nodes"]["has_consent"].update({"rules": [9]}))
    with pytest.raises(PackError, match=r"node 'has_consent': golden rule 9 does not exist"):
        load_pack(write(tmp_path, data))


def test_missing_source_is_named(tmp_path):
    data = broken(lambda d: d["nodes"]["outcome_share"].pop("source"))
    with pytest.raises(PackError, match=r"node 'outcome_share': needs 'source"):
        load_pack(write(tmp_path, data))


def test_unknown_source_document_is_named(tmp_path):
    data = broken(lambda d: d["nodes"]["outcome_share"].update({"source": {"doc": "leeds", "section": "2"}}))
    with pytest.raises(PackError, match=r"source doc 'leeds' is not listed"):
        load_pack(write(tmp_path, data))


def test_question_without_not_sure_is_refused(tmp_path):
    data = broken(lambda d: d["nodes"]["clear_purpose"]["answers"].pop("not_sure"))
    with pytest.raises(PackError, match=r"must offer 'not_sure'"):
        load_pack(write(tmp_path, data))


@pytest.mark.parametrize("outcome", ["outcome_share", "outcome_do_not_share", "outcome_seek_advice", "outcome_seek_advice_consent"])
def test_every_outcome_must_cite_rule_7(tmp_path, outcome):
    data = broken(lambda d: d["nodes"][outcome].update({"rules": [3]}))
    with pytest.raises(PackError, match=rf"node '{outcome}': every outcome must cite golden rule 7"):
        load_pack(write(tmp_path, data))


def test_every_shipped_outcome_cites_rule_7():
    for pack_id in [*builtin_ids(), *(f"{p}+schools" for p in builtin_ids())]:
        pack = load_builtin(pack_id)
        assert all(7 in n.rules for n in pack.nodes.values() if n.type == "outcome"), pack_id


def test_all_problems_are_listed_at_once(tmp_path):
    def mutate(d):
        d["nodes"]["has_consent"].pop("rules")
        d["nodes"]["outcome_share"].pop("source")
    with pytest.raises(PackError) as err:
        load_pack(write(tmp_path, broken(mutate)))
    assert "has_consent" in str(err.value) and "outcome_share" in str(err.value)


def test_not_yaml_is_refused(tmp_path):
    path = tmp_path / "bad-pack.yaml"
    path.write_text("id: [unclosed")
    with pytest.raises(PackError, match=r"bad-pack.yaml: not valid YAML"):
        load_pack(path)


def test_a_yaml_mistake_is_one_problem_with_its_line_and_column(tmp_path):
    path = tmp_path / "leeds.yaml"
    path.write_text("id: leeds\nversion: '1'\nnodes:\n  clear_purpose:\n    text: Is it: clear?\n")
    out = io.StringIO()
    assert packs_cli.check([path], out=out) == 1
    errors = [line for line in out.getvalue().splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR {path}: not valid YAML at line 5, column 16: mapping values are not allowed here; "
                      "check the indentation, colons and brackets there"]
    assert f"FAILED {path}: 1 problem(s)" in out.getvalue()


def check_local(tmp_path, **fields) -> str:
    """Run `packs check` on a small pack extending national-2018; return its output (it must fail)."""
    data = {"id": "leeds", "version": "1", "title": "Leeds", "extends": "national-2018", **fields}
    path = write(tmp_path, data, "leeds.yaml")
    out = io.StringIO()
    assert packs_cli.check([path], out=out) == 1, out.getvalue()
    return out.getvalue()


SOURCE = {"doc": "sandwell", "section": "1"}


@pytest.mark.parametrize("fields,expected", [
    # A typo at each level is named, with the nearest valid field.
    ({"sorces": {}}, "leeds.yaml: top level: unknown field sorces: did you mean sources?"),
    ({"nodes": {"outcome_share": {"local_point": [{"text": "x", "source": SOURCE}]}}},
     "leeds.yaml: node 'outcome_share': unknown field local_point: did you mean local_points?"),
    ({"nodes": {"has_consent": {"wyh": "because"}}}, "leeds.yaml: node 'has_consent': unknown field wyh: did you mean why?"),
    # An outcome has no 'why' (only questions do).
    ({"nodes": {"outcome_share": {"why": "because"}}}, "leeds.yaml: node 'outcome_share': unknown field why"),
    ({"nodes": {"clear_purpose": {"answers": {"yes": {"nxt": "outcome_share"}}}}},
     "leeds.yaml: node 'clear_purpose' answer 'yes': unknown field nxt: did you mean next?"),
    ({"nodes": {"clear_purpose": {"answers": {"yes": {"next": "outcome_share", "sets": {"consnt": "obtained"}}}}}},
     "leeds.yaml: node 'clear_purpose' answer 'yes': sets consnt, which a record does not hold: did you mean consent?"),
    ({"nodes": {"clear_purpose": {"answers": {"yes": {"next": "outcome_share", "sets": {"consent": "refuse"}}}}}},
     "leeds.yaml: node 'clear_purpose' answer 'yes': sets consent to 'refuse', which is not a consent status: did you mean refused?"),
    ({"nodes": {"outcome_share": {"local_points": [{"text": "x", "sorce": SOURCE}]}}},
     "leeds.yaml: node 'outcome_share' local point 1: unknown field sorce: did you mean source?"),
    ({"nodes": {"outcome_share": {"source": {"doc": "sandwell", "sektion": "1"}}}},
     "leeds.yaml: node 'outcome_share': unknown field sektion: did you mean section?"),
    ({"myths": [{"id": "m", "question": "q?", "answer": "a", "keywords": ["a", "b"], "rule": [1], "source": SOURCE}]},
     "leeds.yaml: myth m: unknown field rule: did you mean rules?"),
    ({"contacts": {"mash": {"name": "Leeds MASH", "phone": "0113 496 0000", "sauce": SOURCE}}},
     "leeds.yaml: contact 'mash': unknown field sauce: did you mean source?"),
    ({"golden_rules": {1: {"txt": "x"}}}, "leeds.yaml: golden rule 1: unknown field txt: did you mean text?"),
    ({"sources": {"leeds": {"title": "Leeds", "fil": "leeds.pdf"}}}, "leeds.yaml: source 'leeds': unknown field fil: did you mean file?"),
    ({"messages": {"welcom": {"text": "Hi"}}}, "leeds.yaml: messages.welcom: is not a known message name: did you mean welcome?"),
    ({"messages": {"welcome": {"txt": "Hi"}}}, "leeds.yaml: messages.welcome: unknown field txt: did you mean text?"),
    ({"checklists": {"how_to_share": {"item": ["x"]}}}, "leeds.yaml: checklists.how_to_share: unknown field item: did you mean items?"),
    ({"entries": {"shares": "clear_purpose"}}, "leeds.yaml: entry 'shares': is not a menu button: did you mean share?"),
    # A misspelt node id in a pack that extends another is not a new, empty node.
    ({"nodes": {"has_consnet": {"why": "Consent matters."}}},
     "leeds.yaml: node 'has_consnet': has_consnet is not a node of national-2018 and has no type: did you mean has_consent?"),
    ({"nodes": {"clear_purpose": {"answers": {"yse": {"label": "Yes"}}}}},
     "leeds.yaml: node 'clear_purpose' answer 'yse': yse is not an answer of 'clear_purpose' in national-2018 and has no next: did you mean yes?"),
    ({"nodes": {"outcome_shar": {"remove": True}}},
     "leeds.yaml: node 'outcome_shar': removes a node national-2018 does not have: did you mean outcome_share?"),
    # Keywords are a list of words.
    ({"myths": [{"id": "m", "question": "q?", "answer": "a", "keywords": "consent always", "rules": [1], "source": SOURCE}]},
     "leeds.yaml: myth m: 'keywords' must be a list, for example [consent, always, needed]"),
    ({"myths": [{"id": "m", "question": "q?", "answer": "a", "keywords": ["consent", "  "], "rules": [1], "source": SOURCE}]},
     "leeds.yaml: myth m: keywords 2 is blank; remove it"),
    ({"myths": [{"id": "m", "question": "q?", "answer": "a", "keywords": ["consent", "mash"], "needs": "mash",
                 "rules": [1], "source": SOURCE}]},
     "leeds.yaml: myth m: 'needs' must be a list"),
    ({"myths": [{"id": "no_such_myth", "remove": True}]},
     "leeds.yaml: myth 'no_such_myth': removes a myth the pack does not inherit"),
    # Several sources: each one is checked.
    ({"nodes": {"outcome_share": {"source": [SOURCE, {"doc": "leeds", "section": "2"}]}}},
     "leeds.yaml: node 'outcome_share': source doc 'leeds' is not listed under 'sources'"),
])
def test_check_refuses_typos_naming_file_node_field_and_the_nearest_name(tmp_path, fields, expected):
    out = check_local(tmp_path, **fields)
    assert f"ERROR {expected}" in out, out


def test_misspelt_node_id_is_not_reported_as_missing_text(tmp_path):
    out = check_local(tmp_path, nodes={"has_consnet": {"why": "Consent matters."}})
    assert "did you mean has_consent?" in out
    assert "needs 'text'" not in out and "'type' must be" not in out


def test_a_field_with_no_near_name_lists_the_valid_ones(tmp_path):
    out = check_local(tmp_path, nodes={"outcome_share": {"colour": "green"}})
    assert "node 'outcome_share': unknown field colour: the fields here are contacts, decision, how_to_share" in out


def test_overlay_typos_are_named_too(tmp_path):
    folder = tmp_path / "overlays"
    folder.mkdir()
    path = write(folder, {"overlay": "youth", "version": "1", "title": "youth",
                          "nodes": {"outcome_share": {"local_point": ["x"]}}}, "youth.yaml")
    out = io.StringIO()
    assert packs_cli.check([path], out=out) == 1
    assert "overlays/youth.yaml: node 'outcome_share': unknown field local_point: did you mean local_points?" in out.getvalue()


def test_a_pack_may_cite_several_sources_and_they_are_all_shown(tmp_path):
    data = broken(lambda d: d["nodes"]["outcome_share"].update(
        {"source": [{"doc": "sandwell", "section": "6.5"}, {"doc": "surrey", "section": "4"}]}))
    pack = load_pack(write(tmp_path, data))
    cite = pack.nodes["outcome_share"].source.cite()
    assert cite.startswith("Sandwell") and "6.5; Surrey" in cite and cite.endswith(", 4")


def test_a_child_pack_changes_one_inherited_myth_by_id_and_keeps_the_rest(tmp_path):
    child = {"id": "local", "version": "1", "title": "Local", "extends": "national-2018",
             "myths": [{"id": "it_systems", "rules": [5]}, {"id": "confidence_human_rights", "remove": True}]}
    pack = load_pack(write(tmp_path, child, "local.yaml"))
    base = load_builtin("national-2018")
    assert [m.id for m in pack.myths] == [m.id for m in base.myths if m.id != "confidence_human_rights"]
    it = next(m for m in pack.myths if m.id == "it_systems")
    assert it.rules == (5,) and it.answer == next(m for m in base.myths if m.id == "it_systems").answer


def test_extends_merges_a_local_pack_over_the_base(tmp_path):
    (tmp_path / "national-2018.yaml").write_text((PACKS_DIR / "national-2018.yaml").read_text())
    child = {
        "id": "local", "version": "1", "title": "Local", "extends": "national-2018",
        "contacts": {"mash": {"name": "MASH", "phone": "0123 456 7890"}},
        "nodes": {"outcome_do_not_share": {"title": "Do not share (local)"}},
    }
    pack = load_pack(write(tmp_path, child, "local.yaml"))
    assert pack.id == "local" and pack.extends == "national-2018"
    assert pack.nodes["outcome_do_not_share"].title == "Do not share (local)"
    assert pack.nodes["outcome_do_not_share"].rules == (6, 7)
    assert pack.contacts["mash"]["phone"] == "0123 456 7890"


def test_committed_diagrams_are_current():
    for pack_id in builtin_ids():
        committed = (PACKS_DIR / f"{pack_id}.mmd").read_text()
        assert committed == mermaid(load_builtin(pack_id)), f"regenerate: python -m bot packs diagram {pack_id}"


def test_one_machine_per_pack_shared_by_conversations():
    assert load_builtin("national-2018").machine.models == []


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every import in a module, those inside functions included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


ROOT = DIALOGS.parent
BOT_FRAMEWORK = {"botbuilder", "botframework", "msrest"}
# Which SDK may be imported where: the engine by none of the edge; Bot Framework only by the Teams
# channel and the HTTP edge; the Agents SDK only by its own channel (a new channel is one folder).
IMPORT_RULES = [
    ("dialogs", {"botbuilder", "aiohttp", "redis", "bot", "state"}, ()),
    ("bot", BOT_FRAMEWORK, ("bot/channels/teams/", "bot/http/")),
    ("state", BOT_FRAMEWORK, ()),
    ("bot", {"microsoft_agents"}, ("bot/channels/agents/",)),
    ("state", {"microsoft_agents"}, ()),
]


@pytest.mark.parametrize(("folder", "forbidden", "allowed_in"), IMPORT_RULES,
                         ids=[f"{folder}-{'-'.join(sorted(forbidden))[:30]}" for folder, forbidden, _ in IMPORT_RULES])
def test_each_sdk_is_imported_only_where_it_belongs(folder, forbidden, allowed_in):
    files = sorted((ROOT / folder).rglob("*.py"))
    assert len(files) >= 5, f"no modules found in {ROOT / folder}"
    wrong = []
    for path in files:
        where = path.relative_to(ROOT).as_posix()
        if where.startswith(tuple(allowed_in)):
            continue
        wrong += [f"{where} imports {name}" for name in sorted(imported_packages(path) & forbidden)]
    assert wrong == []


# The Agents SDK channel and the channel-neutral bot it drives, which must run where botbuilder is not installed.
AGENTS_CHANNEL = ("bot.channels.agents.adapter", "bot.channels.agents.auth", "bot.channels.agents.proactive",
                  "bot.channels.bot")


@pytest.mark.skipif(bool(AGENTS_MISSING), reason=AGENTS_MISSING or "-")
def test_the_agents_channel_loads_no_bot_framework_module_even_indirectly():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in AGENTS_CHANNEL)
            + "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(done.stdout.split()) & BOT_FRAMEWORK == set()
    assert "microsoft_agents" in done.stdout.split()  # the check really loaded the channel


def test_the_import_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "edge.py"
    module.write_text("def f():\n    from botbuilder.core import TurnContext\n    import msrest.exceptions\n")
    assert imported_packages(module) >= {"botbuilder", "msrest"}


# ---- Citations that hold (the source documents in ../shared/seeds) ---------------------------------



@needs_seeds
def test_every_shipped_pack_cites_sections_its_documents_have():
    for pack_id in builtin_ids():
        assert packs_cli.citation_problems(load_builtin(pack_id), f"{pack_id}.yaml", SEEDS) == [], pack_id


@needs_seeds
def test_check_fails_a_pack_citing_a_section_its_document_does_not_have(tmp_path):
    data = broken(lambda d: d["nodes"]["clear_purpose"].update(
        source={"doc": "sandwell", "section": "Appendix 9, question 4"}))
    data["nodes"]["outcome_seek_advice"]["source"] = {"doc": "surrey", "section": "7. Early Help thresholds"}
    path = write(tmp_path, data, "national-2018.yaml")
    out = io.StringIO()
    assert packs_cli.check([path], out=out, seeds=SEEDS) == 1
    text = out.getvalue()
    assert "node 'clear_purpose': cites sandwell section \"Appendix 9, question 4\", but 'appendix 9' is not in it" in text
    assert "node 'outcome_seek_advice': cites surrey section \"7. Early Help thresholds\", but section 7 is not in it" in text


def test_check_says_so_when_the_source_documents_are_absent(tmp_path):
    out = io.StringIO()
    assert packs_cli.check([PACKS_DIR / "sandwell.yaml"], out=out, seeds=tmp_path / "nowhere") == 0
    assert out.getvalue().startswith("NOTE citations not checked against the source documents")


def test_section_lookup_reads_numbers_headings_and_phrases():
    text = "## APPENDIX 2\n### **1. Is there a clear purpose?**\n6.3 Information may be shared.\nWhen not to seek consent\n"
    assert packs_cli.section_problem(text, "Appendix 2, question 1 (anything in brackets)") is None
    assert packs_cli.section_problem(text, "6.3; Appendix 2: When not to seek consent") is None
    assert packs_cli.section_problem(text, "6.4") == "section 6.4 is not in it"
    assert "is not in it" in packs_cli.section_problem(text, "Appendix 2: Early Help")


def test_the_999_card_of_the_national_pack_cites_no_local_policy():
    from tests.engine_chat import EngineChat

    for pack_id in ("national-2018", "national-2024"):
        (reply,) = EngineChat(load_builtin(pack_id)).say("999")
        assert reply.kind == "danger"
        assert not any(name in reply.source for name in ("Bradford", "Surrey", "Sandwell", "Cambridgeshire")), reply.source


def test_national_flowchart_questions_cite_the_national_advice():
    pack = load_builtin("national-2018")
    for node_id in ("clear_purpose", "identifies_individual", "is_confidential", "has_consent", "consent_whose"):
        assert pack.nodes[node_id].source.doc == "hmg2018_flowchart", node_id
    assert pack.nodes["clear_purpose"].source.cite().startswith("HM Government 2018 flowchart")


@pytest.mark.parametrize("pack_id", builtin_ids())
def test_every_outcome_is_short_enough_to_read_on_a_phone(pack_id):
    """The decision and the sentences that matter come first: the outcome text stays short."""
    for node in load_builtin(pack_id).nodes.values():
        if node.type == "outcome":
            assert len(node.text.split()) <= 56, f"{pack_id} {node.id}: {len(node.text.split())} words"
            assert all(len(point.split()) <= 40 for point in node.local_points), f"{pack_id} {node.id}"


def test_an_outcome_names_a_lawful_basis_the_record_form_knows(tmp_path):
    from dialogs.forms import LAWFUL_BASES
    from dialogs.pack import LAWFUL_BASIS_KEYS

    assert set(LAWFUL_BASIS_KEYS) == set(LAWFUL_BASES)
    data = broken(lambda d: d["nodes"]["outcome_share"].update(lawful_basis="public_tasks"))
    with pytest.raises(PackError, match="node 'outcome_share': 'lawful_basis' is 'public_tasks': did you mean public_task"):
        load_pack(write(tmp_path, data))
    data = broken(lambda d: d["nodes"]["outcome_seek_advice"].update(lawful_basis="public_task"))
    with pytest.raises(PackError, match="node 'outcome_seek_advice': names lawful_basis 'public_task' but does not share"):
        load_pack(write(tmp_path, data))
