"""Who sees what, checked on every command over HTTP; decision records encrypted at rest (SQLite
and Redis) yet readable by the organisation's DSL and by an administrator's export; the records
CLI only for administrators."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.http import app as app_module
from bot.config import Settings
from dialogs.model import TEXT_SUBMIT
from state import state_json
from state.encryption import new_key
from tests.fake_connector import FakeConnector
from tests.fixtures import file_record, say, serve_app, texts, write_directory
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent
PRAC = ("29:prac-1", "a:prac-1", "Sam Teacher")
COLLEAGUE = ("29:prac-2", "a:prac-2", "Kim Nurse")
DSL = ("29:dsl-1", "a:dsl-1", "Alex Lead")
DEPUTY = ("29:dep-1", "a:dep-1", "Bo Deputy")
OTHER_DSL = ("29:dsl-n", "a:dsl-n", "Nell Lead")
OTHER_PRAC = ("29:prac-n", "a:prac-n", "Nia Teacher")
ADMIN = ("29:admin", "a:admin", "Ada Admin")
MARKER = "QX7-ZEBRA-MARKER"


@pytest.fixture
def key() -> str:
    return new_key()


@pytest.fixture
def environ(tmp_path: Path, key: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("TEST_MASH_SECRET", "s3cret-key")
    return {"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_DIRECTORY": str(write_directory(tmp_path)),
            "SHARESAFE_RECORD_KEYS": key, "SHARESAFE_REPING_POLL_SECONDS": "3600"}


async def running(environ: dict[str, str], connector: FakeConnector) -> TestClient:
    """Another app on this environment (a restart, or a second worker); the caller closes it."""
    return await serve_app(Settings.from_env(environ), connector)


async def shown(client: TestClient, who: tuple[str, str, str], text: str | None = None, **kw: Any) -> str:
    status, sent = await say(client, who, text, **kw)
    assert status == 201, status
    return texts(sent)


# ---- Roles --------------------------------------------------------------------------------------------------


async def test_records_are_seen_only_by_their_author_and_their_organisations_dsls(client) -> None:
    reference = await file_record(client, PRAC, MARKER)
    other = await file_record(client, OTHER_PRAC, "OTHER-ORG")

    # The author: in "my records", and can open it.
    assert reference in await shown(client, PRAC, "my records")
    assert f"{MARKER}-info" in await shown(client, PRAC, f"open {reference}")

    # A colleague in the same school who is not a DSL: not the organisation's list, not the record.
    assert "Only your organisation's DSLs can see that." in await shown(client, COLLEAGUE, "org records")
    refused = await shown(client, COLLEAGUE, f"open {reference}")
    assert "I can't find that record." in refused and MARKER not in refused
    assert reference not in await shown(client, COLLEAGUE, "my records")

    # The school's DSL and deputy: the organisation's records (theirs only), and the record itself.
    for lead in (DSL, DEPUTY):
        listed = await shown(client, lead, "org records")
        assert reference in listed and other not in listed
        opened = await shown(client, lead, f"open {reference}")
        assert f"{MARKER}-info" in opened and f"{MARKER}-purpose" in opened

    # Another school's DSL: neither this school's list nor this record.
    listed = await shown(client, OTHER_DSL, "org records")
    assert other in listed and reference not in listed
    refused = await shown(client, OTHER_DSL, f"open {reference}")
    assert "I can't find that record." in refused and MARKER not in refused

    # A deployment administrator is not a DSL: the chat gives them no one's records.
    assert "Only your organisation's DSLs can see that." in await shown(client, ADMIN, "org records")
    assert "I can't find that record." in await shown(client, ADMIN, f"open {reference}")


async def test_escalations_are_seen_and_answered_only_by_the_organisations_dsls(client) -> None:
    for person in (DSL, OTHER_DSL, COLLEAGUE):
        await shown(client, person, "hello")
    await shown(client, PRAC, "ask my DSL")
    await shown(client, PRAC, value={"choice": TEXT_SUBMIT, "text": f"Worried {MARKER}"})
    await shown(client, PRAC, value={"choice": "routine"})
    assert "Sent to your DSL" in await shown(client, PRAC, value={"choice": "confirm"})

    assert "ESC-000001" in await shown(client, DSL, "escalations")
    assert "ESC-000001" in await shown(client, PRAC, "escalations")  # their own request
    for outsider in (COLLEAGUE, OTHER_DSL, ADMIN):
        seen = await shown(client, outsider, "escalations")
        assert "ESC-000001" not in seen and MARKER not in seen
    for outsider in (COLLEAGUE, OTHER_DSL, ADMIN):
        answer = await shown(client, outsider, value={"escalation": "ESC-000001", "action": "acknowledge"})
        assert "only the people this request was sent to can respond" in answer
    stores = client.app[app_module.STORES_KEY]
    assert (await stores.escalations.get("ESC-000001"))["status"] == "requested"
    assert "acknowledged ESC-000001" in await shown(client, DSL, value={"escalation": "ESC-000001",
                                                                        "action": "acknowledge"})


ENTRA_DIRECTORY = """
default_organisation: riverside
organisations:
  oakfield: {name: Oakfield Primary School, dsls: ["aad-29:dsl-1"], members: ["aad-29:prac-1"]}
  riverside: {name: Riverside Academy, dsls: ["29:dsl-n"]}
"""


async def test_people_listed_by_entra_object_id_file_under_and_see_their_organisation(
        environ, connector, tmp_path) -> None:
    (tmp_path / "entra.yaml").write_text(ENTRA_DIRECTORY)
    # Teams sends from.id and from.aadObjectId ("aad-" + id in the fake); the file lists the object ids.
    http = await running({**environ, "SHARESAFE_DIRECTORY": str(tmp_path / "entra.yaml")}, connector)
    try:
        reference = await file_record(http, PRAC, MARKER)
        stores = http.app[app_module.STORES_KEY]
        assert (await stores.records.get(reference))["practitioner"]["organisation"] == "oakfield"
        assert reference in await shown(http, DSL, "org records")
        assert f"{MARKER}-info" in await shown(http, DSL, f"open {reference}")
        listed = await shown(http, OTHER_DSL, "org records")  # the default organisation's DSL
        assert reference not in listed and "No records yet." in listed  # listed (not refused), and empty
    finally:
        await http.close()


# ---- Records at rest -------------------------------------------------------------------------------------------


def sqlite_bytes(data_dir: Path) -> bytes:
    """Every byte ShareSafe's SQLite store has on disk (the database, its WAL and shared memory), and
    each conversation state inflated as anyone could without keys (it is stored deflated)."""
    raw = b"".join(p.read_bytes() for p in sorted(data_dir.glob("sharesafe.db*")))
    with closing(sqlite3.connect(data_dir / "sharesafe.db")) as db:
        states = [state_json.inflate(row[0]) for row in db.execute("SELECT state FROM conversations")
                  if isinstance(row[0], bytes)]
    assert states, "no conversation state on disk"
    return b"\n".join([raw, *states])


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("SHARESAFE_", "APP_", "REDIS_URL"))}
    full.update({"PYTHONPATH": str(ROOT), "TEST_MASH_SECRET": "s3cret-key", **env})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full,
                          cwd=ROOT, timeout=60)


async def ask_and_resolve(client: TestClient) -> None:
    """A DSL request with a typed note, answered with typed advice: both are read where they should be."""
    await shown(client, DSL, "hello")
    await shown(client, PRAC, "ask my DSL")
    await shown(client, PRAC, value={"choice": TEXT_SUBMIT, "text": f"Bruise {MARKER}-note"})
    await shown(client, PRAC, value={"choice": "routine"})
    await shown(client, PRAC, value={"choice": "confirm"})
    card = texts(client.fake_connector.sent_to(DSL[1]))
    assert f"{MARKER}-note" in card  # the DSL reads the note
    told = await shown(client, DSL, value={"escalation": "ESC-000001", "action": "resolve",
                                           "advice": f"Refer {MARKER}-advice"})
    assert "ESC-000001" in told
    assert f"{MARKER}-advice" in texts(client.fake_connector.sent_to(PRAC[1]))  # the practitioner reads the advice


async def test_free_text_is_encrypted_in_sqlite_but_readable_by_the_dsl_and_the_admin_export(
        client, environ, tmp_path) -> None:
    reference = await file_record(client, PRAC, MARKER)
    opened = await shown(client, DSL, f"open {reference}")
    assert f"{MARKER}-role" in opened and f"{MARKER}-org" in opened
    await ask_and_resolve(client)
    await client.close()  # the worker stops; everything it wrote is on disk

    on_disk = sqlite_bytes(tmp_path / "data")
    # Not in the record, the conversation's draft, the DSL request's note or the DSL's advice.
    assert MARKER.encode() not in on_disk
    assert b"mash_form" in on_disk and reference.encode() in on_disk and b"ESC-000001" in on_disk

    no_keys = {k: v for k, v in environ.items() if k != "SHARESAFE_RECORD_KEYS"}
    done = run_cli("records", "export", "--admin", ADMIN[0], env=environ)
    assert done.returncode == 0, done.stderr
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert record["fields"]["info_type"] == f"Attendance concerns {MARKER}-info"
    done = run_cli("records", "export", "--admin", ADMIN[0], "--format", "csv", env=environ)
    assert f"{MARKER}-purpose" in done.stdout

    # Without the keys the administrator gets the stored form: the free text stays encrypted.
    done = run_cli("records", "export", "--admin", ADMIN[0], env=no_keys)
    assert done.returncode == 0 and MARKER not in done.stdout
    assert json.loads(done.stdout)["fields"]["info_type"].startswith("enc:v1:")
    assert "free text encrypted" in done.stderr

    # Not an administrator, or no --admin at all: refused, nothing written.
    for args in (["--admin", PRAC[0]], ["--admin", DSL[0]], []):
        done = run_cli("records", "export", *args, env=environ)
        assert done.returncode == 2 and done.stdout == "" and "for administrators" in done.stderr
    done = run_cli("records", "purge", "--older-than-days", "1", "--yes", "--admin", DSL[0], env=environ)
    assert done.returncode == 2 and "for administrators" in done.stderr

    # verify reveals nothing and needs neither keys nor --admin.
    done = run_cli("records", "verify", env=no_keys)
    assert done.returncode == 0 and "1 records checked" in done.stdout


def test_new_key_prints_a_usable_key() -> None:
    done = run_cli("records", "new-key", env={})
    key = done.stdout.strip()
    assert done.returncode == 0 and Settings.from_env({"SHARESAFE_RECORD_KEYS": key}).RECORD_KEYS == key
    assert run_cli("records", "new-key", env={}).stdout.strip() != key


def redis_contents(server: RedisServer) -> bytes:
    """Every value in Redis, read by type (not DUMP, which may compress)."""
    out: list[bytes] = []
    with server.client() as plain:
        for key in plain.scan_iter(count=1000):
            out.append(key)
            kind = plain.type(key)
            if kind == b"string":
                value = plain.get(key) or b""
                out.append(value)
                if key.startswith(b"ss:conv:") and value.startswith(b"z"):
                    out.append(state_json.inflate(value.partition(b":")[2]))  # as anyone could, without keys
            elif kind == b"hash":
                out += [b for kv in plain.hgetall(key).items() for b in kv]
            elif kind == b"list":
                out += plain.lrange(key, 0, -1)
            elif kind == b"set":
                out += list(plain.smembers(key))
            elif kind == b"zset":
                out += [m for m, _ in plain.zrange(key, 0, -1, withscores=True)]
            elif kind == b"stream":
                out += [b for _, fields in plain.xrange(key) for kv in fields.items() for b in kv]
            else:
                raise AssertionError(f"unexpected Redis type {kind!r}")
    return b"\n".join(out)


async def test_free_text_is_encrypted_in_redis_but_readable_by_the_dsl(redis_server, environ, connector) -> None:
    http = await running({**environ, "REDIS_URL": redis_server.url}, connector)
    try:
        reference = await file_record(http, PRAC, MARKER)
        assert f"{MARKER}-purpose" in await shown(http, DSL, f"open {reference}")
        await ask_and_resolve(http)
    finally:
        await http.close()
    stored = redis_contents(redis_server)
    assert MARKER.encode() not in stored
    assert b"mash_form" in stored and reference.encode() in stored and b"ESC-000001" in stored


async def test_a_conversation_saved_before_encryption_still_loads(environ, connector, tmp_path) -> None:
    plain = {k: v for k, v in environ.items() if k != "SHARESAFE_RECORD_KEYS"}
    http = await running(plain, connector)
    try:
        await shown(http, PRAC, "hello")
        await shown(http, PRAC, value={"choice": "share"})
    finally:
        await http.close()
    assert b"clear_purpose" in sqlite_bytes(tmp_path / "data")
    http = await running(environ, connector)  # the keys are turned on
    try:
        assert "Question 2" in await shown(http, PRAC, value={"choice": "yes", "node": "clear_purpose"})
    finally:
        await http.close()
