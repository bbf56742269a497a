"""Decision records as practitioners, DSLs and administrators meet them: filing through the real
turn runner, a Redis outage mid-conversation, double confirms, who may see what, and the CLI."""

import asyncio
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import records as records_cli
from bot.escalation.directory import FileDirectory
from bot.turn.runner import build_runner
from dialogs.model import Practitioner, UserInput
from dialogs.pack import load_builtin
from state.factory import open_stores
from state.records_chain import record_hash

from tests.engine_chat import path_to

ROOT = Path(__file__).resolve().parent.parent
# Consent not sought because of the risk of harm; shared under public task (found by meaning, not by position).
WALK = path_to(load_builtin("national-2018"), decision="share", consent="not_sought", consent_not_sought_reason=True,
               lawful_basis="public_task")
# The record form's answers by field: a button where the question offers that value, else typed.
FORM = {"info_type": "Attendance concerns", "fact_or_opinion": "fact", "recipient_role": "MASH social worker",
        "recipient_org": "Children's social care", "purpose": "Child protection referral", "method": "mash_form",
        "individual_informed": "no_risk", "receipt_confirmed": "yes", "request_asked": "no",
        "requester_name": "DC Sam Patel", "requester_role": "Police officer", "requester_org": "West Midlands Police",
        "request_when": "today", "data_requested": "same", "risk_level": "significant_harm",
        "lawful_basis": "public_task", "special_category": "no", "reasons": "No legitimate purpose"}
DIRECTORY = """
admins: [admin-1]
organisations:
  oakfield:
    name: Oakfield Primary
    dsls: [dsl-1]
    members: [teacher-1, teacher-2]
  riverside:
    name: Riverside Academy
    dsls: [dsl-2]
    members: [teacher-3]
"""


class Person:
    """One practitioner talking to the bot through the real TurnRunner."""

    def __init__(self, runner, user_id: str, conversation: str | None = None, aad: str = ""):
        self.runner = runner
        self.user = Practitioner(user_id=user_id, name=f"Name of {user_id}", aad_object_id=aad)
        self.conversation = conversation or f"conv-{user_id}"
        self.n = 0

    async def send(self, text: str = "", value: dict | None = None):
        self.n += 1
        return await self.runner.run(self.conversation, UserInput(
            text=text, value=value, user=self.user, activity_id=f"{self.conversation}-{self.n}"))

    async def tap(self, choice: str):
        return await self.send(value={"choice": choice})

    async def fill(self, replies, **overrides):
        """Answer the record form by field until its summary; return the last replies."""
        answers = {**FORM, **overrides}
        while replies[-1].kind == "record_question":
            reply = replies[-1]
            value = answers[reply.data["field"]]
            offered = {c.value for c in reply.choices}
            replies = await (self.tap(value) if value in offered else
                             self.send(value={"choice": "__text__", "text": value}))
        return replies

    async def to_summary(self, **overrides):
        await self.send("hello")
        await self.tap("share")
        for answer in WALK:
            await self.tap(answer)
        replies = await self.fill(await self.tap("record"), **overrides)
        assert replies[-1].kind == "record_summary"

    async def file(self, **overrides) -> str:
        await self.to_summary(**overrides)
        (reply,) = await self.tap("confirm")
        assert reply.kind == "recorded", reply
        return reply.data["reference"]


@pytest.fixture
def directory(tmp_path):
    path = tmp_path / "directory.yaml"
    path.write_text(DIRECTORY)
    return FileDirectory.load(path)


@pytest.fixture
async def sqlite_runner(tmp_path, directory):
    stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
    yield build_runner(stores=stores, pack_id="national-2018", directory=directory), stores
    await stores.close()


async def test_a_filed_record_holds_everything_the_sources_ask_for(sqlite_runner):
    runner, stores = sqlite_runner
    reference = await Person(runner, "teacher-1").file()
    record = await stores.records.get(reference)
    assert record["reference"].startswith("ISR-") and record["created_at"].endswith("Z")
    assert record["practitioner"] == {"user_id": "teacher-1", "name": "Name of teacher-1",
                                      "organisation": "oakfield", "tenant_id": "", "team_id": ""}
    assert record["pack"]["id"] == "national-2018" and record["pack"]["version"]
    pack = load_builtin("national-2018")
    assert [a["answer"] for a in record["answers"]] == WALK and all(a["question"] for a in record["answers"])
    outcome = pack.nodes[record["outcome"]["id"]]
    assert record["outcome"]["guidance"] == outcome.text and record["decision"] == "share"
    assert [r["number"] for r in record["golden_rules"]] == [r.number for r in pack.rules(outcome.rules)]
    assert record["fields"]["method"] == "mash_form" and record["fields"]["receipt_confirmed"] == "yes"
    assert record["consent"]["status"] == "not_sought" and record["consent"]["reason"]
    assert record["lawful_basis"]["article_6"].startswith("Public task")
    assert len(record["prev_hash"]) == 64 and len(record["hash"]) == 64


async def test_the_same_confirm_twice_at_once_files_one_record(sqlite_runner):
    runner, stores = sqlite_runner
    teacher = Person(runner, "teacher-1")
    await teacher.to_summary()
    first, second = await asyncio.gather(teacher.tap("confirm"), teacher.tap("confirm"))
    texts = [r.text for r in first + second]
    references = {r.data.get("reference") for r in first + second if r.data.get("reference")}
    assert len(references) == 1, texts
    assert len(await stores.records.list(practitioner_id="teacher-1")) == 1


async def test_who_can_see_which_records(sqlite_runner):
    runner, _ = sqlite_runner
    reference = await Person(runner, "teacher-1").file()
    colleague, dsl, other_dsl = Person(runner, "teacher-2"), Person(runner, "dsl-1"), Person(runner, "dsl-2")
    (mine,) = await Person(runner, "teacher-1", "conv-teacher-1").send("my records")
    assert reference in dict(mine.facts)
    (theirs,) = await colleague.send("my records")
    assert theirs.text == "No records yet."
    (refused,) = await colleague.send("org records")
    assert "Only your organisation's DSLs" in refused.text
    (hidden,) = await colleague.send(f"open {reference}")
    assert "can't find" in hidden.text
    (listed,) = await dsl.send("org records")
    assert reference in dict(listed.facts)
    (opened,) = await dsl.send(f"open {reference}")
    assert dict(opened.facts)["Shared with (role)"] == "MASH social worker"
    (other,) = await other_dsl.send(f"open {reference}")
    assert "can't find" in other.text


async def test_redis_stopped_mid_conversation_then_retry_files_exactly_once(redis_server, tmp_path, directory):
    stores = await open_stores(redis_url=redis_server.url, data_dir=str(tmp_path))
    try:
        runner = build_runner(stores=stores, pack_id="national-2018", directory=directory)
        teacher = Person(runner, "teacher-1")
        await teacher.to_summary()
        redis_server.stop()
        replies = await teacher.tap("confirm")
        assert replies[0].kind == "not_saved" and "NOT saved" in replies[0].title
        assert "Retry" in [c.label for c in replies[0].choices]
        # still down: asking again keeps the draft and says so plainly
        replies = await teacher.tap("retry")
        assert replies[0].kind == "not_saved"
        redis_server.start()
        replies = await teacher.tap("retry")
        assert replies[0].kind == "recorded", replies
        reference = replies[0].data["reference"]
        (again,) = await teacher.tap("confirm")
        assert reference in again.text
        records = await stores.records.list(practitioner_id="teacher-1")
        assert [r["reference"] for r in records] == [reference]
        assert records[0]["fields"]["info_type"] == "Attendance concerns"
        assert (await stores.records.verify()).ok
    finally:
        await stores.close()


def run_cli(*args, env_extra=None, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


async def test_cli_export_verify_tamper_and_purge(tmp_path, directory):
    data = tmp_path / "data"
    stores = await open_stores(redis_url=None, data_dir=str(data))
    runner = build_runner(stores=stores, pack_id="national-2018", directory=directory)
    refs = [await Person(runner, f"teacher-{i}").file() for i in (1, 2, 3)]
    await stores.close()
    env = {"SHARESAFE_DATA_DIR": str(data), "SHARESAFE_DIRECTORY": str(tmp_path / "directory.yaml")}
    (tmp_path / "directory.yaml").write_text(DIRECTORY)

    out = run_cli("records", "export", "--format", "jsonl", "--since", "2020-01-01", *admin_args(), env_extra=env)
    assert out.returncode == 0, out.stderr
    exported = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert [r["reference"] for r in exported] == refs

    # Filed without SHARESAFE_RECORD_KEYS, so nothing is encrypted: the summary must not say it is.
    assert "Exported 3 records.\n" in out.stderr and "encrypted" not in out.stderr

    out = run_cli("records", "export", "--format", "csv", *admin_args(), env_extra=env)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["reference"] for r in rows] == refs and rows[0]["method"] == "mash_form"
    assert "encrypted" not in out.stderr

    out = run_cli("records", "verify", env_extra=env)
    assert out.returncode == 0 and "3 records" in out.stdout
    # The head to note outside the store: what verify alone cannot vouch for.
    assert f"Chain head: {refs[-1]} sha256 {exported[-1]['hash']}." in out.stdout

    db = sqlite3.connect(data / "sharesafe.db")
    table = "records"
    row = db.execute(f"select rowid, * from {table} where reference = ?", (refs[1],)).fetchone()
    body_col = [c[1] for c in db.execute(f"pragma table_info({table})")].index("body") + 1
    db.execute(f"update {table} set body = ? where rowid = ?", (row[body_col].replace("mash_form", "phone"), row[0]))
    db.commit()
    out = run_cli("records", "verify", env_extra=env)
    assert out.returncode == 1 and refs[1] in out.stdout and "altered" in out.stdout

    db.execute(f"update {table} set body = ? where rowid = ?", (row[body_col], row[0]))
    db.commit()

    # The audited attack: every filing time set to 1970 outside the hash, then a purge of
    # "records before 2020" would have removed this year's records and said the chain was intact.
    times = db.execute("select seq, created_us from records").fetchall()
    db.execute("update records set created_us = 0")
    db.commit()
    out = run_cli("records", "purge", "--before", "2020-01-01", "--yes", *admin_args(), env_extra=env)
    assert out.returncode == 1 and "Removed 0 records" in out.stdout, out.stdout + out.stderr
    assert f"Chain NOT intact: {refs[0]}: the filing time" in out.stdout
    out = run_cli("records", "verify", env_extra=env)
    assert out.returncode == 1 and f"FAILED: {refs[0]}: the filing time" in out.stdout
    assert db.execute("select count(*) from records").fetchone() == (3,)
    db.executemany("update records set created_us = ? where seq = ?", [(t, s) for s, t in times])
    db.commit()

    out = run_cli("records", "purge", "--before", "2999-01-01", "--yes", *admin_args(), env_extra=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert run_cli("records", "verify", env_extra=env).returncode == 0


def admin_args():
    """The administrator flag, if the CLI asks for one (security: only admins export or purge)."""
    help_text = run_cli("records", "export", "--help").stdout
    return ["--admin", "admin-1"] if "--admin" in help_text else []


async def test_cli_purge_by_the_configured_retention_period(tmp_path, directory):
    data = tmp_path / "data"
    stores = await open_stores(redis_url=None, data_dir=str(data))
    runner = build_runner(stores=stores, pack_id="national-2018", directory=directory)
    await Person(runner, "teacher-1").file()
    await stores.close()
    (tmp_path / "directory.yaml").write_text(DIRECTORY)
    env = {"SHARESAFE_DATA_DIR": str(data), "SHARESAFE_DIRECTORY": str(tmp_path / "directory.yaml")}
    out = run_cli("records", "purge", "--retention", "--yes", *admin_args(), env_extra=env)
    assert out.returncode == 2 and "SHARESAFE_RETENTION_DAYS" in out.stderr
    # a record filed today is inside a 30-day period: nothing removed, chain intact
    out = run_cli("records", "purge", "--retention", "--yes", *admin_args(),
                  env_extra={**env, "SHARESAFE_RETENTION_DAYS": "30"})
    assert out.returncode == 0 and "Removed 0 records" in out.stdout, out.stdout + out.stderr
    assert "1 records checked" in run_cli("records", "verify", env_extra=env).stdout


# A walk that records why consent was not valid (consent.problem), and still shares.
WALK_CONSENT_PROBLEM = path_to(load_builtin("national-2018"), decision="share", consent_problem=True)


async def file_with_any_form(person: Person, walk: list[str]) -> str:
    """Walk to an outcome, answer whatever the record form asks (typed text with a comma, quotes
    and a leading '=' to test the CSV quoting and formula guard), and confirm."""
    await person.send("hello")
    await person.tap("share")
    for answer in walk:
        await person.tap(answer)
    replies = await person.tap("record")
    for _ in range(30):
        reply = replies[-1]
        if reply.kind == "record_summary":
            break
        assert reply.kind == "record_question", reply
        options = [c.value for c in reply.choices if c.value not in ("back", "cancel")]
        if reply.input_hint and not options:
            replies = await person.send(value={"choice": "__text__", "text": f"=typed {reply.data['field']}, “quoted”"})
        else:
            replies = await person.tap("yes" if "yes" in options else options[0])
    (reply,) = await person.tap("confirm")
    assert reply.kind == "recorded", reply
    return reply.data["reference"]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


async def test_csv_export_round_trips_every_field_an_auditor_needs(sqlite_runner):
    runner, stores = sqlite_runner
    refs = [await Person(runner, "teacher-1").file(),
            await file_with_any_form(Person(runner, "teacher-2"), WALK_CONSENT_PROBLEM)]
    out = io.StringIO()
    assert await records_cli.export(stores.records, since=None, fmt="csv", out=out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["reference"] for r in rows] == refs

    for row, reference in zip(rows, refs):
        record = await stores.records.get(reference)
        who, outcome, consent, fields = record["practitioner"], record["outcome"], record["consent"], record["fields"]
        expected = {
            "reference": reference, "seq": record["seq"], "created_at": record["created_at"],
            "practitioner_id": who["user_id"], "practitioner_name": who["name"], "organisation": who["organisation"],
            "pack_id": record["pack"]["id"], "pack_version": record["pack"]["version"],
            "decision": record["decision"], "outcome": outcome["title"], "outcome_id": outcome["id"],
            "guidance": outcome["guidance"], "guidance_checklist": "\n".join(outcome["checklist"]),
            "guidance_source": f"{outcome['source']['doc']}, {outcome['source']['section']}",
            "decided_at": record["decided_at"], "consent_status": consent["status"],
            "consent_reason": consent["reason"], "consent_problem": consent["problem"],
            "lawful_basis_art6": record["lawful_basis"].get("article_6"),
            "lawful_basis_art9": record["lawful_basis"].get("article_9"),
            "corrects": record["corrects"], "escalations": " ".join(record["escalations"]),
            "golden_rules": " ".join(str(r["number"]) for r in record["golden_rules"]),
            # What the practitioner was asked and what they answered, one line an answer.
            "answers": "\n".join(f"{a['question']}: {a['label']}" for a in record["answers"]),
            "prev_hash": record["prev_hash"], "hash": record["hash"],
        }
        expected.update({name: fields.get(name) for name in records_cli.FIELD_COLUMNS})
        assert {k: row[k] for k in expected} == {k: _cell(v) for k, v in expected.items()}
        assert record["hash"] == record_hash(record)
    # The walks differ where it matters to an auditor, so none of this passed by being blank.
    assert rows[1]["consent_problem"] and not rows[0]["consent_problem"]
    assert rows[1]["special_category"] == "yes" and rows[0]["special_category"] == "no"
    assert rows[0]["guidance"] and rows[0]["guidance"] != rows[1]["guidance"]
    assert rows[0]["answers"].splitlines()[0] == "Is there a clear and legitimate purpose for sharing the information?: Yes"
    assert rows[1]["info_type"].startswith("'=typed info_type, “quoted”")


async def test_cli_verify_says_plainly_what_broke_and_counts_right(sqlite_runner, tmp_path):
    runner, stores = sqlite_runner
    refs = [await Person(runner, f"teacher-{i}").file() for i in (1, 2, 3)]
    db = sqlite3.connect(tmp_path / "data" / "sharesafe.db")
    (body,) = db.execute("select body from records where reference = ?", (refs[1],)).fetchone()
    record = json.loads(body)
    record["decision"] = "do_not_share"
    record["hash"] = record_hash(record)  # rewritten with a recomputed hash
    db.execute("update records set body = ? where reference = ?", (json.dumps(record), refs[1]))
    db.commit()
    out = io.StringIO()
    assert await records_cli.verify(stores.records, out) == 1
    text = out.getvalue()
    assert text.startswith(f"FAILED: {refs[2]} does not follow {refs[1]}: {refs[1]} was altered or replaced, "
                           f"or {refs[2]}'s link to it was. (2 records checked before the problem was found.) "
                           f"Treat {refs[1]} and every record after it as suspect")
    assert "was chain broken" not in text and f"Chain head: {refs[2]}" in text

    db.execute("delete from records where reference = ?", (refs[1],))
    db.commit()
    out = io.StringIO()
    assert await records_cli.verify(stores.records, out) == 1
    # One record (the first) was checked before the gap, not two.
    assert out.getvalue().startswith(f"FAILED: {refs[1]} is missing: the chain goes from {refs[0]} to {refs[2]}. "
                                     "(1 record checked before the problem was found.)")
    db.close()


async def test_export_summary_names_encryption_only_when_records_hold_it(tmp_path, directory):
    from state.encryption import new_key

    data = tmp_path / "data"
    stores = await open_stores(redis_url=None, data_dir=str(data), record_keys=new_key())
    await Person(build_runner(stores=stores, pack_id="national-2018", directory=directory), "teacher-1").file()
    await stores.close()
    plain = await open_stores(redis_url=None, data_dir=str(data))  # the same records, read without keys
    try:
        stats = records_cli.ExportStats()
        await records_cli.export(plain.records, since=None, fmt="jsonl", out=io.StringIO(), stats=stats)
        assert stats.summary() == ("Exported 1 records (free text encrypted in 1 of them: "
                                   "SHARESAFE_RECORD_KEYS is not set).")
    finally:
        await plain.close()
    other_key = await open_stores(redis_url=None, data_dir=str(data), record_keys=new_key())
    try:
        stats = records_cli.ExportStats()
        await records_cli.export(other_key.records, since=None, fmt="csv", out=io.StringIO(), stats=stats)
        assert "encrypted with a key that is not in SHARESAFE_RECORD_KEYS" in stats.summary()
    finally:
        await other_key.close()


# ---- A second record after the state expired, corrections, paging, the detail view, AAD ids ---------------


async def file_do_not_share(person: Person, reasons: str) -> str:
    """File "do not share" (no clear purpose) with these reasons; return the reference."""
    await person.send("hello")
    await person.tap("share")
    await person.tap("no")
    await person.fill(await person.tap("record"), info_type="Home address", reasons=reasons)
    (reply,) = await person.tap("confirm")
    assert reply.kind == "recorded", reply
    return reply.data["reference"]


def expire_conversations(data_dir: Path) -> None:
    """Age every conversation past the store's idle time (24 h): the store then treats it as gone."""
    db = sqlite3.connect(data_dir / "sharesafe.db")
    db.execute("UPDATE conversations SET updated_at = updated_at - 2 * 86400")
    db.commit()
    db.close()


async def test_a_second_record_after_the_conversation_state_expired_is_filed_not_lost(sqlite_runner, tmp_path):
    runner, stores = sqlite_runner
    teacher = Person(runner, "teacher-1")  # one Teams 1:1 chat: the conversation id never changes
    first = await teacher.file()
    expire_conversations(tmp_path / "data")
    assert (await stores.conversations.load(teacher.conversation)) == (None, 0)
    second = await file_do_not_share(teacher, "No legitimate purpose to share")
    assert second != first
    records = {r["reference"]: r for r in await stores.records.list(practitioner_id="teacher-1")}
    assert set(records) == {first, second}
    assert records[first]["decision"] == "share" and records[first]["fields"]["method"] == "mash_form"
    assert records[second]["decision"] == "do_not_share"
    assert records[second]["fields"]["reasons"] == "No legitimate purpose to share"
    # and Confirm pressed again on the new record still files nothing more
    (again,) = await teacher.tap("confirm")
    assert second in again.text and len(await stores.records.list(practitioner_id="teacher-1")) == 2


async def test_correcting_an_older_record_from_its_detail_view(sqlite_runner):
    runner, stores = sqlite_runner
    teacher = Person(runner, "teacher-1")
    old = await teacher.file()
    newer = await file_do_not_share(teacher, "No purpose")
    (detail,) = await teacher.send(f"open {old}")
    assert ("Correct this record" in [c.label for c in detail.choices])
    (question,) = await teacher.send("correct")
    assert question.data["field"] == "correction_reason"
    (summary,) = await teacher.send(value={"choice": "__text__", "text": "The recipient was the police"})
    facts = dict(summary.facts)
    assert facts["Corrects"] == old and facts["Decision"] == "Share"  # the old record, not the newer one
    assert facts["Shared with (role)"] == "MASH social worker"
    await teacher.tap("edit")
    await teacher.tap("edit:recipient_role")
    await teacher.send(value={"choice": "__text__", "text": "Police officer"})
    (saved,) = await teacher.tap("confirm")
    correction = saved.data["reference"]
    stored = await stores.records.get(correction)
    original = await stores.records.get(old)
    assert stored["corrects"] == old and stored["fields"]["recipient_role"] == "Police officer"
    assert stored["fields"]["correction_reason"] == "The recipient was the police"
    assert stored["answers"] == original["answers"] and stored["outcome"] == original["outcome"]
    assert stored["decided_at"] == original["decided_at"]
    # The old record says it was corrected, worked out when read; the record itself is unchanged.
    (detail,) = await teacher.send(f"open {old}")
    assert dict(detail.facts)["Corrected by"] == correction
    (mine,) = await teacher.send("my records")
    lines = dict(mine.facts)
    assert f"Corrected by {correction}" in lines[old] and f"Corrects {old}" in lines[correction]
    assert "Corrected by" not in lines[newer]
    assert "corrected_by" not in original and (await stores.records.verify()).ok
    # The school's DSL may read it but is not offered Correct, and cannot correct it by typing.
    dsl = Person(runner, "dsl-1")
    (seen,) = await dsl.send(f"open {old}")
    assert dict(seen.facts)["Corrected by"] == correction
    assert "Correct this record" not in [c.label for c in seen.choices]
    filed = len(await stores.records.list(limit=100))
    (refused,) = await dsl.tap(f"correct:{old}")
    assert "can't find" in refused.text
    assert len(await stores.records.list(limit=100)) == filed  # and nothing was filed for the DSL


async def test_my_records_and_org_records_page_with_more_and_take_a_date(sqlite_runner):
    runner, stores = sqlite_runner
    for n in range(23):
        await stores.records.append({"practitioner": {"user_id": "teacher-1", "organisation": "oakfield"},
                                     "decision": "share", "outcome": {"title": f"Share {n}"}, "fields": {}},
                                    f"seed-{n}")
    newest_first = [r["reference"] for r in await stores.records.list(practitioner_id="teacher-1", limit=50)]
    teacher = Person(runner, "teacher-1")
    (page,) = await teacher.send("my records")
    assert [ref for ref, _ in page.facts] == newest_first[:10]
    assert "Type more" in page.text and "More" in [c.label for c in page.choices]
    (page,) = await teacher.send("more")
    assert [ref for ref, _ in page.facts] == newest_first[10:20]
    (page,) = await teacher.tap("more")
    assert [ref for ref, _ in page.facts] == newest_first[20:]
    assert "More" not in [c.label for c in page.choices] and "Type more" not in page.text
    (page,) = await teacher.send("my records since 2020-01-01")
    assert len(page.facts) == 10 and "since 2020-01-01" in page.title
    (page,) = await teacher.send("my records since 1/1/2999")
    assert page.facts == () and page.text == "No records yet."
    (page,) = await teacher.send("my records since last tuesday")
    assert "couldn't read that date" in page.text
    dsl = Person(runner, "dsl-1")
    (page,) = await dsl.send("org records since 2020-01-01")
    assert [ref for ref, _ in page.facts] == newest_first[:10]
    (page,) = await dsl.send("more")
    assert [ref for ref, _ in page.facts] == newest_first[10:20]
    (refused,) = await Person(runner, "teacher-2").send("org records since 2020-01-01")
    assert "Only your organisation's DSLs" in refused.text


async def test_the_detail_view_shows_the_consent_reason_the_legal_basis_and_the_answers(sqlite_runner):
    runner, _ = sqlite_runner
    teacher = Person(runner, "teacher-1")
    await teacher.to_summary()
    await teacher.tap("edit")
    await teacher.tap("edit:special_category")
    await teacher.tap("yes")
    (saved,) = await teacher.tap("confirm")
    (detail,) = await teacher.send(f"open {saved.data['reference']}")
    facts = dict(detail.facts)
    assert facts["Consent"].startswith("Not sought because") and "risk" in facts["Consent"].lower()
    assert facts["Lawful basis"].startswith("Public task")
    assert "Art. 9(2)(g)" in facts["Special category data"] and "Sch. 1 para 18" in facts["Special category data"]
    # Every answer once, as the question was put (cut to a phone's line) and the label tapped.
    answers = [(q, a) for q, a in detail.facts if q.endswith(("?", "…"))]
    assert len(answers) == len(WALK) and len({q for q, _ in answers}) == len(WALK)
    assert answers[0] == ("Is there a clear and legitimate purpose for sharing the information?", "Yes")


ENTRA_DIRECTORY = """
default_organisation: riverside
organisations:
  oakfield:
    name: Oakfield Primary
    dsls: [aad-dsl-1]
    members: [aad-teacher-1]
  riverside:
    name: Riverside Academy
    dsls: [29:dsl-2]
"""


async def test_people_listed_by_their_entra_object_id(tmp_path):
    path = tmp_path / "directory.yaml"
    path.write_text(ENTRA_DIRECTORY)
    stores = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
    try:
        runner = build_runner(stores=stores, pack_id="national-2018", directory=FileDirectory.load(path))
        teacher = Person(runner, "29:teacher-1", aad="aad-teacher-1")
        reference = await teacher.file()
        assert (await stores.records.get(reference))["practitioner"]["organisation"] == "oakfield"
        dsl = Person(runner, "29:dsl-1", aad="aad-dsl-1")
        (listed,) = await dsl.send("org records")
        assert reference in dict(listed.facts)
        (opened,) = await dsl.send(f"open {reference}")
        assert dict(opened.facts)["Shared with (role)"] == "MASH social worker"
        # Riverside (the default organisation) sees none of it.
        (other,) = await Person(runner, "29:dsl-2").send("org records")
        # listed (not refused), and empty
        assert (other.title, other.text, other.facts) == ("Your organisation's records", "No records yet.", ())
    finally:
        await stores.close()


# ---- What the sources list, in the export; times in UK local time ------------------------------------------


async def test_the_export_holds_the_request_the_data_requested_the_risk_and_an_unsure_basis(sqlite_runner):
    runner, stores = sqlite_runner
    reference = await Person(runner, "teacher-1").file(
        request_asked="yes", requester_name="DC Sam Patel", requester_role="Police officer",
        requester_org="West Midlands Police", request_when="3 Dec 2026", data_requested="Attendance records",
        method="not_shared_yet", lawful_basis="not_sure")
    out = io.StringIO()
    await records_cli.export(stores.records, since=None, fmt="csv", out=out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["reference"] == reference
    assert (row["request_asked"], row["requester_name"], row["requester_role"], row["requester_org"]) == (
        "yes", "DC Sam Patel", "Police officer", "West Midlands Police")
    assert row["request_when"] == "3 Dec 2026" and row["data_requested"] == "Attendance records"
    assert row["info_type"] == "Attendance concerns"  # what was shared, beside what was asked for
    assert row["risk_level"] == "significant_harm" and row["method"] == "not_shared_yet"
    assert row["lawful_basis"] == "not_sure" and row["lawful_basis_art6"] == "Not sure: to be confirmed with the DSL"
    assert row["consent_status"] == "not_sought" and row["consent_label"].startswith("Not sought because")
    assert row["created_at"].endswith("Z") and row["created_at_uk"].endswith(("GMT", "BST"))
    out = io.StringIO()
    await records_cli.export(stores.records, since=None, fmt="jsonl", out=out)
    fields = json.loads(out.getvalue())["fields"]
    assert fields["requester_org"] == "West Midlands Police" and fields["risk_level"] == "significant_harm"
    # and the practitioner reading it back sees the same, in words
    (detail,) = await Person(runner, "teacher-1").send(f"open {reference}")
    facts = dict(detail.facts)
    assert facts["Asked by"] == "DC Sam Patel" and facts["How shared"] == "Not shared yet"
    assert facts["Lawful basis"] == "Not sure / ask my DSL" and facts["Risk at the time"] == "Risk of significant harm"
    assert facts["Filed"] == row["created_at_uk"]


@pytest.mark.parametrize("stored, local", [
    ("2026-07-01T23:30:00.123456Z", "Thu 2 Jul 2026, 00:30 BST"),
    ("2026-12-07T00:30:49Z", "Mon 7 Dec 2026, 00:30 GMT"),
])
def test_export_keeps_utc_and_adds_uk_local_time(stored, local):
    row = records_cli.csv_row({"reference": "ISR-2026-000001", "created_at": stored, "decided_at": stored})
    assert row["created_at"] == stored and row["created_at_uk"] == local and row["decided_at_uk"] == local


@pytest.mark.parametrize("stored, local", [
    ("2026-07-01T23:30:00Z", "00:30 on Thu 2 Jul 2026"),
    ("2026-12-07T00:30:00Z", "00:30 on Mon 7 Dec 2026"),
    ("2026-03-29T01:30:00Z", "02:30 on Sun 29 Mar 2026"),  # the first hour of BST
    ("2026-10-25T00:30:00Z", "01:30 on Sun 25 Oct 2026"),  # still BST, just before the clocks go back
])
def test_escalation_cards_and_notices_show_uk_time(stored, local):
    from bot.escalation import cards as escalation_cards
    card = escalation_cards.dsl_request_card({"id": "ESC-000001", "created_at": stored, "summary": {}},
                                             reminder=True)
    facts = {f["title"]: f["value"] for item in card["body"] if item["type"] == "FactSet" for f in item["facts"]}
    assert facts["Asked"] == local
    assert f"since {local}" in json.dumps(card)
    assert escalation_cards.local_time(stored) == local
