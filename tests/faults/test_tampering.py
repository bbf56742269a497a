"""Someone who can write the store, but holds no signing key, tampers with the decision records;
`python -m bot records verify` (a real process) must report each tampering, on SQLite and on Redis.
A checkpoint kept outside the store catches the one thing the signed chain cannot: the newest
records removed with an older, genuinely signed head put back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from state.factory import open_stores
from tests.faults.cli import a_record, bot_env, new_chain_key, run_cli
from tests.faults.tamper import TAMPERINGS, RawRedis, RawSqlite

RECORDS = 5


async def _file(n: int, *, redis_url: str | None, data_dir: Path, chain_keys: str, start: int = 0) -> list[dict[str, Any]]:
    stores = await open_stores(redis_url=redis_url, data_dir=str(data_dir), chain_keys=chain_keys)
    try:
        return [await stores.records.append(a_record(i), f"key-{i}") for i in range(start, start + n)]
    finally:
        await stores.close()


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    """(environment for the CLI, raw access to the store, data dir, redis url) for one backend."""
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        return {"env": {"REDIS_URL": server.url}, "raw": lambda: RawRedis(server.url), "redis_url": server.url,
                "data_dir": tmp_path}
    return {"env": {"SHARESAFE_DATA_DIR": str(tmp_path)}, "raw": lambda: RawSqlite(tmp_path / "sharesafe.db"),
            "redis_url": None, "data_dir": tmp_path}


def _verify(store: dict[str, Any], key: str, *extra: str):
    return run_cli("records", "verify", *extra, env=bot_env(SHARESAFE_CHAIN_KEYS=key, **store["env"]))


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_verify_reports_each_tampering_without_the_key(store, tampering):
    key = new_chain_key()
    asyncio.run(_file(RECORDS, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key))
    before = _verify(store, key)
    assert before.returncode == 0 and "OK: 5 records checked" in before.stdout, before.stdout + before.stderr

    named = TAMPERINGS[tampering](store["raw"]())

    after = _verify(store, key)
    assert after.returncode == 1, f"{tampering}: verify still said {after.stdout!r}"
    assert after.stdout.startswith("FAILED:"), after.stdout
    # Redis names a record whose body cannot be read by where it is stored ("seq 2").
    assert named in after.stdout or f"seq {int(named[-6:])} " in after.stdout, f"{tampering}: {after.stdout!r}"


def test_a_checkpoint_proves_the_newest_records_were_not_removed_with_the_head_put_back(store, tmp_path):
    key = new_chain_key()
    env = bot_env(SHARESAFE_CHAIN_KEYS=key, **store["env"])
    asyncio.run(_file(3, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key))
    raw = store["raw"]()
    old_head = raw.link("head")  # genuinely signed: the forger kept a copy
    asyncio.run(_file(2, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key, start=3))
    made = run_cli("records", "checkpoint", "--out", str(tmp_path / "checkpoint.json"), env=env)
    assert made.returncode == 0, made.stderr
    intact = _verify(store, key, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert intact.returncode == 0 and "is still here, unchanged" in intact.stdout, intact.stdout

    # The two newest records removed and the older signed head put back: self-consistent.
    for record in raw.records()[3:]:
        raw.delete(record["seq"])
    raw.set_link("head", old_head)
    alone = _verify(store, key)
    assert alone.returncode == 0, "without a checkpoint this cannot be seen (docs/security.md says so)"
    checked = _verify(store, key, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert checked.returncode == 1 and "records filed before the checkpoint were removed" in checked.stdout, checked.stdout

    # A checkpoint edited to hide it is refused.
    text = (tmp_path / "checkpoint.json").read_text().replace('"head_seq": 5', '"head_seq": 3')
    (tmp_path / "edited.json").write_text(text)
    edited = _verify(store, key, "--checkpoint", str(tmp_path / "edited.json"))
    assert edited.returncode == 2 and "signature does not match" in edited.stdout


def test_records_filed_before_the_key_are_reported_as_unsigned_legacy_records(tmp_path):
    asyncio.run(_file(2, redis_url=None, data_dir=tmp_path, chain_keys=""))
    key = new_chain_key()
    asyncio.run(_file(2, redis_url=None, data_dir=tmp_path, chain_keys=key, start=2))
    result = run_cli("records", "verify", env=bot_env(SHARESAFE_CHAIN_KEYS=key, SHARESAFE_DATA_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stdout
    assert "2 of them were filed before records were signed" in result.stdout
    # The first signed record fixes the legacy ones in place: rewriting one now shows.
    raw = RawSqlite(tmp_path / "sharesafe.db")
    from tests.faults.tamper import rewrite_and_rechain

    rewrite_and_rechain(raw)
    assert run_cli("records", "verify", env=bot_env(SHARESAFE_CHAIN_KEYS=key,
                                                    SHARESAFE_DATA_DIR=str(tmp_path))).returncode == 1


def test_a_rotated_key_read_from_a_file_keeps_old_records_verifying(tmp_path):
    old, new = new_chain_key(), new_chain_key()
    asyncio.run(_file(2, redis_url=None, data_dir=tmp_path, chain_keys=old))
    asyncio.run(_file(2, redis_url=None, data_dir=tmp_path, chain_keys=f"{new},{old}", start=2))
    (tmp_path / "chain_keys").write_text(f"{new},{old}\n")
    both = run_cli("records", "verify", env=bot_env(SHARESAFE_CHAIN_KEYS_FILE=str(tmp_path / "chain_keys"),
                                                    SHARESAFE_DATA_DIR=str(tmp_path)))
    assert both.returncode == 0 and "OK: 4 records checked" in both.stdout, both.stdout + both.stderr
    # The old key left out by mistake: named as such, not reported as a plain forgery.
    alone = run_cli("records", "verify", env=bot_env(SHARESAFE_CHAIN_KEYS=new, SHARESAFE_DATA_DIR=str(tmp_path)))
    assert alone.returncode == 1 and "which is not in SHARESAFE_CHAIN_KEYS" in alone.stdout, alone.stdout
    assert old not in alone.stdout + alone.stderr and new not in alone.stdout + alone.stderr


# The retry map (idempotency key -> record) lies outside the signed bodies. Each tampering is shown
# to work first: the practitioner's retried filing is answered with the wrong reference (or none).
RETRY_TAMPERINGS = {
    # A retry of the second filing (key-1) is answered with the third record's reference.
    "point a retry entry at another record": ("key-1", 3, (2, 3)),
    # A filing never made (key-9) is answered with the second record: that decision is never recorded.
    "add a retry entry for a filing never made": ("key-9", 2, (2,)),
}


@pytest.mark.parametrize("tampering", list(RETRY_TAMPERINGS))
def test_verify_reports_a_retry_entry_pointing_at_the_wrong_record(store, tampering):
    key = new_chain_key()
    filed = asyncio.run(_file(RECORDS, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key))
    retry_key, seq, named = RETRY_TAMPERINGS[tampering]

    store["raw"]().point_retry(retry_key, seq)

    async def retry() -> dict[str, Any]:
        stores = await open_stores(redis_url=store["redis_url"], data_dir=str(store["data_dir"]), chain_keys=key)
        try:
            return await stores.records.append(a_record(int(retry_key[-1])), retry_key)
        finally:
            await stores.close()

    assert asyncio.run(retry())["reference"] == filed[seq - 1]["reference"], "the tampering took no effect"
    after = _verify(store, key)
    assert after.returncode == 1 and after.stdout.startswith("FAILED:"), f"{tampering}: {after.stdout!r}"
    assert "retry entry" in after.stdout and any(filed[n - 1]["reference"] in after.stdout for n in named), after.stdout


def test_a_retry_entry_naming_no_record_is_reported(redis_server, tmp_path):
    key = new_chain_key()
    asyncio.run(_file(RECORDS, redis_url=redis_server.url, data_dir=tmp_path, chain_keys=key))
    RawRedis(redis_server.url).point_retry("key-9", 42)
    after = run_cli("records", "verify", env=bot_env(SHARESAFE_CHAIN_KEYS=key, REDIS_URL=redis_server.url))
    assert after.returncode == 1 and "a retry entry names" in after.stdout and "not in the chain" in after.stdout, \
        after.stdout


def test_records_filed_before_retry_keys_were_hashed_are_named_not_called_tampering(store, monkeypatch):
    import state.redis_store
    import state.sqlite_store
    from state.records_chain import build_record

    def as_before(record: dict[str, Any], **kw: Any) -> dict[str, Any]:
        return build_record(record, **{**kw, "idempotency_key": None})

    key = new_chain_key()
    with monkeypatch.context() as before:
        # What the stores wrote before bodies carried the digest of the idempotency key.
        before.setattr(state.sqlite_store, "build_record", as_before)
        before.setattr(state.redis_store, "build_record", as_before)
        asyncio.run(_file(2, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key))
    filed = asyncio.run(_file(2, redis_url=store["redis_url"], data_dir=store["data_dir"], chain_keys=key, start=2))
    result = _verify(store, key)
    assert result.returncode == 0 and "OK: 4 records checked" in result.stdout, result.stdout
    assert "2 of them were filed before records carried their retry key" in result.stdout

    # The newer records' entries are still checked.
    store["raw"]().point_retry("key-2", filed[1]["seq"])
    assert _verify(store, key).returncode == 1
