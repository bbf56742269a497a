"""Record and request drafts as a declared lifecycle (dialogs/drafts.py), and the forms as data
(dialogs/forms.yaml, plus the record fields a partnership's pack adds).

What matters to a practitioner: a draft saved yesterday carries on today, an unsaved record is never
dropped, nothing that looks identifying is sent without their say, and a partnership can add a
record field without code, which then reaches the record, its hash and every export."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import records as records_cli
from bot.turn.runner import build_runner
from dialogs import drafts, forms
from dialogs.model import TEXT_SUBMIT, Practitioner, UserInput
from dialogs.pack import PackError, load_builtin, load_pack
from state.factory import open_stores
from state.records_chain import record_hash
from tests.engine_chat import EngineChat, path_to

ROOT = Path(__file__).resolve().parent.parent
PACK = load_builtin("national-2018")
# Shared without consent because of the risk of harm, under public task (found by meaning).
SHARE = path_to(PACK, decision="share", consent="not_sought", consent_not_sought_reason=True,
                lawful_basis="public_task")
IDENTIFYING = "Jane Smith DOB 01/02/2015 says dad hits her"


def fill(chat: EngineChat, replies, taps: dict[str, str] | None = None):
    """Answer whatever the open form asks until its summary: the button in `taps`, else Yes or the
    first button, else a few typed words. Returns the replies and the fields asked, in order."""
    asked = []
    while replies[-1].kind in ("record_question", "request_question"):
        reply = replies[-1]
        name = reply.data["field"]
        asked.append(name)
        offered = [c.value for c in reply.choices if c.value not in ("back", "cancel")]
        want = (taps or {}).get(name) or ("yes" if "yes" in offered else None)
        if want is None and offered and not reply.input_hint:
            want = offered[0]
        replies = chat.tap(want) if want else chat.say(value={"choice": TEXT_SUBMIT, "text": f"typed {name}"})
    return replies, asked


def at_outcome(pack=PACK) -> EngineChat:
    chat = EngineChat(pack)
    assert chat.walk("share", SHARE).kind == "outcome"
    return chat


# ---- States written by the previous release --------------------------------------------------


def test_a_record_draft_saved_mid_form_yesterday_continues_today():
    walked = at_outcome().state
    # Written by hand as the previous release stored it: a status string with editing and picking
    # flags, no form name, one field answered.
    chat = EngineChat(PACK)
    chat.state = {
        "pack_id": PACK.id, "pack_version": PACK.version, "node": walked["node"], "answers": walked["answers"],
        "draft": {
            "no": 1, "id": "5d0c9a7e", "status": "draft", "decision": "share",
            "consent": {"status": "not_sought", "reason": "it would increase the risk to the child", "problem": "",
                        "by": "", "label": "Not sought"},
            "lawful_basis_known": "", "lawful_basis_suggested": "public_task", "threshold": "",
            "fields": {"info_type": "Attendance concerns"}, "editing": None, "corrects": None,
            "decided_at": "2026-11-22T15:04:00Z", "reference": None,
        },
        "request": None, "filed": [], "escalations": [], "escalation_states": {}, "seen": [], "drafts": 1,
        "requests": 0, "turns": 12, "shown": [], "listing": None,
    }
    (reply,) = chat.say("")
    assert reply.kind == "record_question" and reply.data["field"] == "fact_or_opinion"
    replies, asked = fill(chat, [reply])
    assert replies[-1].kind == "record_summary" and "info_type" not in asked
    assert dict(replies[-1].facts)["Information"] == "Attendance concerns"
    chat.tap("confirm")
    (effect,) = chat.effects
    assert effect.key == "record:5d0c9a7e"  # the same key as before the change: a retry files once
    assert effect.data["record"]["fields"]["info_type"] == "Attendance concerns"
    assert effect.data["record"]["decided_at"] == "2026-11-22T15:04:00Z"


def test_an_unsaved_record_from_before_ids_is_kept_and_retried_under_its_number():
    chat = at_outcome()
    fill(chat, chat.tap("record"))
    state = copy.deepcopy(chat.state)
    state["draft"].update(status="failed", picking=False)
    del state["draft"]["id"]  # the previous release numbered drafts only
    chat.state = state
    (kept,) = chat.tap("restart")
    assert kept.kind == "not_saved" and chat.state["draft"]["fields"]
    chat.tap("retry")
    (effect,) = chat.effects
    assert effect.key == f"record:{state['draft']['no']}"
    (saved,) = chat.settle(effect, ok=True, reference="ISR-2026-000009")
    assert saved.kind == "recorded" and "ISR-2026-000009" in saved.text


def test_a_request_warned_about_by_the_previous_release_can_still_be_sent_anyway():
    chat = at_outcome()
    fill(chat, chat.tap("dsl"), taps={"urgency": "routine"})
    chat.say(value={"choice": "edit:note"})
    chat.say(value={"choice": TEXT_SUBMIT, "text": IDENTIFYING})
    (warning,) = chat.tap("confirm")
    assert warning.kind == "identifier_warning" and chat.effects == []
    chat.state["request"].pop("warned")  # the previous release knew the warning only by its digest
    chat.say("send anyway")
    (effect,) = chat.effects
    assert effect.kind == "escalate" and effect.data["identifier_warning"]["overridden"] is True


def test_keys_a_newer_release_wrote_survive_a_turn_here():
    chat = at_outcome()
    chat.tap("record")
    chat.state["draft"]["reviewed_by"] = {"dsl": "dsl-1"}  # e.g. a field a later release adds
    chat.say(value={"choice": TEXT_SUBMIT, "text": "Attendance concerns"})
    assert chat.state["draft"]["reviewed_by"] == {"dsl": "dsl-1"}
    assert chat.state["draft"]["fields"] == {"info_type": "Attendance concerns"}


def test_the_identifier_warning_is_stored_as_a_summary_the_previous_release_can_show():
    chat = at_outcome()
    fill(chat, chat.tap("dsl"), taps={"urgency": "routine"})
    chat.say(value={"choice": "edit:note"})
    chat.say(value={"choice": TEXT_SUBMIT, "text": IDENTIFYING})
    chat.tap("confirm")
    assert chat.state["request"]["status"] == "review"  # what an older worker mid-deploy shows as the summary
    assert drafts.load(chat.state["request"]).showing_warning


# ---- The lifecycle -------------------------------------------------------------------------------


def _request(note: str, state: str = drafts.CONFIRMING) -> drafts.Request:
    return drafts.DslRequest(no=1, id="r1", state=state, fields={"note": note, "urgency": "routine"},
                             consent={"status": "not_decided"})


def _record(state: str) -> drafts.RecordDraft:
    return drafts.RecordDraft(no=1, id="d1", state=state, decision="share", fields={"info_type": "Attendance"},
                              consent={"status": "obtained"})


def test_nothing_identifying_is_sent_without_send_anyway():
    plain = drafts.step(_request("Worried about attendance"), "confirm")
    assert plain is not None and plain.in_flight
    warned = drafts.step(_request(IDENTIFYING), "confirm")
    assert warned.showing_warning and not warned.in_flight
    assert drafts.step(warned, "confirm").showing_warning  # Send again: warned again, not sent
    assert drafts.step(_request(IDENTIFYING), "send_anyway") is None  # no warning shown yet
    sent = drafts.step(warned, "send_anyway")
    assert sent.in_flight and sent.accepted()
    # Edited after the warning, with something new that looks identifying: warned again.
    edited = warned.copy()
    edited.fields["note"] += " at 12 Oak Street"
    again = drafts.step(edited, "send_anyway")
    assert again.showing_warning and not again.accepted()


@pytest.mark.parametrize("trigger", sorted(drafts.MACHINE.events))
def test_an_unsaved_record_leaves_only_by_saving_or_by_discard(trigger):
    args = {"edit_field": ("info_type",), "filed": ("ISR-2026-000001",)}.get(trigger, ())
    moved = drafts.step(_record(drafts.KEPT_UNSAVED), trigger, *args)
    assert moved is None or moved.state in (drafts.SAVING, drafts.CANCELLED)
    assert moved is None or moved.state != drafts.CANCELLED or trigger == "cancel"


def test_every_state_is_reachable_and_every_draft_in_progress_can_be_cancelled():
    reachable, todo = {drafts.FILLING}, [drafts.FILLING]
    while todo:
        here = todo.pop()
        for row in drafts.TRANSITIONS:
            sources = [row["source"]] if isinstance(row["source"], str) else row["source"]
            if here in sources and row["dest"] not in reachable:
                reachable.add(row["dest"])
                todo.append(row["dest"])
    assert reachable == set(drafts.STATES)
    for state in set(drafts.STATES) - drafts.CLOSED - {drafts.SAVED}:
        assert drafts.allows(_record(state), "cancel"), state


def test_a_step_leaves_the_draft_it_was_given_as_it_was():
    draft = _record(drafts.CONFIRMING)
    before = draft.to_dict()
    moved = drafts.step(draft, "back")
    assert moved is not None and moved.fields == {} and moved.state == drafts.FILLING
    assert draft.to_dict() == before


# ---- The diagram -----------------------------------------------------------------------------------


def test_the_committed_diagram_is_the_lifecycle_in_the_code():
    committed = (ROOT / "docs" / "drafts-lifecycle.mmd").read_text(encoding="utf-8")
    assert committed == drafts.mermaid(), "run: python -m bot drafts diagram --out docs/drafts-lifecycle.mmd"
    for state in drafts.STATES:
        assert f"    {state} : " in committed


def test_the_diagram_command_writes_where_asked_and_has_help(tmp_path):
    out = tmp_path / "drafts.mmd"
    done = subprocess.run([sys.executable, "-m", "bot", "drafts", "diagram", "--out", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == drafts.mermaid() and list(tmp_path.iterdir()) == [out]
    for argv in (["drafts", "--help"], ["drafts", "diagram", "-h"]):
        shown = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=ROOT, capture_output=True, text=True,
                               timeout=60)
        assert shown.returncode == 0 and "python -m bot drafts" in shown.stdout, shown.stderr


# ---- Forms as data -------------------------------------------------------------------------------

LEEDS = """
id: leeds
version: "1"
title: Leeds information sharing
extends: national-2018
forms:
  record:
    - name: early_help_plan
      label: Early Help plan
      prompt: Is there an Early Help plan for the child?
      choices: [{value: yes, label: Yes}, {value: no, label: No}]
      when: [shares]
      after: risk_level
"""


def leeds(tmp_path: Path, text: str = LEEDS):
    path = tmp_path / "leeds.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def test_a_partnership_adds_a_record_field_without_code(tmp_path):
    chat = at_outcome(leeds(tmp_path))
    replies, asked = fill(chat, chat.tap("record"), taps={"early_help_plan": "no"})
    assert asked[asked.index("risk_level") + 1] == "early_help_plan"
    assert dict(replies[-1].facts)["Early Help plan"] == "No"
    chat.tap("confirm")
    (effect,) = chat.effects
    assert effect.data["record"]["fields"]["early_help_plan"] == "no"
    # The national pack does not ask it.
    plain = at_outcome()
    assert "early_help_plan" not in fill(plain, plain.tap("record"))[1]


async def test_an_added_field_is_in_the_stored_record_its_hash_and_every_export(tmp_path):
    stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
    try:
        pack = leeds(tmp_path)
        runner = build_runner(stores=stores, pack_id="leeds", packs={"leeds": pack})
        chat = at_outcome(pack)
        fill(chat, chat.tap("record"), taps={"early_help_plan": "yes"})
        person = Practitioner(user_id="teacher-1", name="Sam Teacher")
        # The same conversation, carried on through the real runner and store.
        await stores.conversations.save("conv-1", chat.state, 0)
        replies = await runner.run("conv-1", UserInput(value={"choice": "confirm"}, user=person, activity_id="a1"))
        (reply,) = [r for r in replies if r.kind == "recorded"]
        record = await stores.records.get(reply.data["reference"])
        assert record["fields"]["early_help_plan"] == "yes" and record["hash"] == record_hash(record)
        lines, table = io.StringIO(), io.StringIO()
        await records_cli.export(stores.records, since=None, fmt="jsonl", out=lines)
        await records_cli.export(stores.records, since=None, fmt="csv", out=table)
        assert json.loads(lines.getvalue())["fields"]["early_help_plan"] == "yes"
        (row,) = csv.DictReader(io.StringIO(table.getvalue()))
        assert row["other_fields"] == "early_help_plan: yes"
        (detail,) = await runner.run("conv-1", UserInput(text=f"open {record['reference']}", user=person,
                                                            activity_id="a2"))
        assert dict(detail.facts)["Early Help plan"] == "Yes"
    finally:
        await stores.close()


FIELD = "leeds.yaml: forms.record field"


@pytest.mark.parametrize("change,message", [
    (("after: risk_level", "afte: risk_level"), f"{FIELD} 'early_help_plan': unknown key afte: did you mean after?"),
    (("when: [shares]", "when: [shars]"), f"{FIELD} 'early_help_plan': unknown condition shars: did you mean shares?"),
    (("name: early_help_plan", "name: info_type"), f"{FIELD} 'info_type': is already a field of the record form"),
    (("after: risk_level", "after: risk"), f"{FIELD} 'early_help_plan': after: risk is not a field of the form"),
    (("  record:", "  dsl:"), "leeds.yaml: forms: a pack may add fields to: record"),
])
def test_a_bad_form_field_in_a_pack_stops_start_up_naming_the_file_and_field(tmp_path, change, message):
    with pytest.raises(PackError) as error:
        leeds(tmp_path, LEEDS.replace(*change))
    assert message in str(error.value)


def test_the_forms_file_is_checked_when_loaded_naming_the_file_and_field(tmp_path):
    text = forms.FORMS_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "forms.yaml"
    broken.write_text(text.replace("    when: [decided_not_to_share]", "    when: [not_sharing]")
                      .replace("    prompt: How did you share it?\n", ""), encoding="utf-8")
    with pytest.raises(forms.FormError) as error:
        forms.load(broken)
    assert "forms.yaml: record field 'reasons': unknown condition not_sharing" in str(error.value)
    assert "forms.yaml: record field 'method': needs 'prompt' (text)" in str(error.value)


def test_the_diagrams_use_no_character_that_ends_a_mermaid_statement():
    # A ";" in a state's words splits the line in Mermaid: the picture then shows stray boxes.
    for path in (ROOT / "docs" / "drafts-lifecycle.mmd", ROOT / "docs" / "escalation-lifecycle.mmd"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            assert ";" not in line, f"{path.name}: {line}"
