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

from bot.directory import FileDirectory
from bot.turn import build_runner
from dialogs.model import Practitioner, UserInput
from state.factory import open_stores

ROOT = Path(__file__).resolve().parent.parent
WALK = ["yes", "yes", "yes", "no", "no", "no", "yes", "risk_of_harm", "yes"]
FORM = [("text", "Attendance concerns"), ("choice", "fact"), ("text", "MASH social worker"),
        ("text", "Children's social care"), ("text", "Child protection referral"), ("choice", "mash_form"),
        ("choice", "no_risk"), ("choice", "yes"), ("choice", "public_task"), ("choice", "no")]
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

    def __init__(self, runner, user_id: str, conversation: str | None = None):
        self.runner, self.user = runner, Practitioner(user_id=user_id, name=f"Name of {user_id}")
        self.conversation = conversation or f"conv-{user_id}"
        self.n = 0

    async def send(self, text: str = "", value: dict | None = None):
        self.n += 1
        return await self.runner.run(self.conversation, UserInput(
            text=text, value=value, user=self.user, activity_id=f"{self.conversation}-{self.n}"))

    async def tap(self, choice: str):
        return await self.send(value={"choice": choice})

    async def to_summary(self):
        await self.send("hello")
        await self.tap("share")
        for answer in WALK:
            await self.tap(answer)
        await self.tap("record")
        for kind, value in FORM:
            replies = await (self.send(value={"choice": "__text__", "text": value}) if kind == "text" else self.tap(value))
        assert replies[-1].kind == "record_summary"

    async def file(self) -> str:
        await self.to_summary()
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
    assert [a["node"] for a in record["answers"]][-1] == "public_interest"
    assert record["outcome"]["guidance"] and record["decision"] == "share"
    assert [r["number"] for r in record["golden_rules"]] == [4, 5, 6, 7]
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

    out = run_cli("records", "export", "--format", "csv", *admin_args(), env_extra=env)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["reference"] for r in rows] == refs and rows[0]["method"] == "mash_form"

    out = run_cli("records", "verify", env_extra=env)
    assert out.returncode == 0 and "3 records" in out.stdout

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
