"""A bad policy pack stops start-up with a message naming the file and the node or field."""

import ast
from pathlib import Path

import pytest
import yaml

from dialogs.diagram import mermaid
from dialogs.pack import PACKS_DIR, PackError, builtin_ids, load_builtin, load_pack

BASE = yaml.safe_load((PACKS_DIR / "national-2018.yaml").read_text())


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


def test_share_outcome_must_cite_rule_7(tmp_path):
    data = broken(lambda d: d["nodes"]["outcome_share"].update({"rules": [1, 6]}))
    with pytest.raises(PackError, match=r"outcome_share.*golden rule 7"):
        load_pack(write(tmp_path, data))


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


def test_dialogs_never_imports_the_edge():
    forbidden = {"botbuilder", "aiohttp", "redis", "bot", "state"}
    for path in Path("dialogs").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path} imports {name}"
