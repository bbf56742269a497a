"""docs/architecture.md shows the layout and the lifecycles as they are, not as they were."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_module_is_in_the_layout_picture():
    # A module added without a line in the picture leaves a reader unable to find where a change goes.
    tree = DOC.split("## The layout", 1)[1].split("## The escalation lifecycle", 1)[0]
    named = set(re.findall(r"\b(\w+\.py)\b", tree))
    modules = {p.name for top in ("bot", "dialogs", "state") for p in (ROOT / top).rglob("*.py")
               if p.name != "__init__.py" and "__pycache__" not in p.parts}
    assert sorted(modules - named) == []


def test_the_lifecycle_diagrams_are_the_generated_ones():
    for name, command in (("escalation-lifecycle.mmd", "escalation diagram"), ("drafts-lifecycle.mmd", "drafts diagram")):
        generated = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert f"```mermaid\n{generated}```" in DOC, f"paste docs/{name} into docs/architecture.md (python -m bot {command})"
