"""Reaching behind the record store's back, as someone who can write SQLite or Redis but holds no key."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import redis

from state.records_chain import canonical_json, make_reference, record_hash


class RawSqlite:
    """The records of a SQLite store, edited with plain SQL."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)

    def records(self) -> list[dict[str, Any]]:
        """Every stored record, in seq order."""
        return [json.loads(b) for (b,) in self.db.execute("SELECT body FROM records ORDER BY seq")]

    def put(self, record: dict[str, Any], body: str | None = None) -> None:
        """Store (or replace) a record at its seq, index columns to match."""
        who = record.get("practitioner") or {}
        self.db.execute("INSERT OR REPLACE INTO records (seq, reference, created_us, practitioner_id, organisation,"
                        " idempotency_key, body) VALUES (?, ?, COALESCE((SELECT created_us FROM records"
                        " WHERE seq = ?), 0), ?, ?, ?, ?)",
                        (record["seq"], record["reference"], record["seq"], who.get("user_id"),
                         who.get("organisation"), f"forged-{record['seq']}", body or canonical_json(record)))

    def delete(self, seq: int) -> None:
        """Remove one record row."""
        self.db.execute("DELETE FROM records WHERE seq = ?", (seq,))

    def point_retry(self, key: str, seq: int) -> None:
        """Make a retry of the filing `key` find the record at seq (SQLite's retry map is one column,
        so the record that held the key loses it, and the one at seq loses its own)."""
        self.db.execute("UPDATE records SET idempotency_key = NULL WHERE idempotency_key = ?", (key,))
        self.db.execute("UPDATE records SET idempotency_key = ? WHERE seq = ?", (key, seq))

    def link(self, name: str) -> dict[str, Any] | None:
        """The head or anchor as stored."""
        row = self.db.execute("SELECT seq, hash, reference, mac FROM chain_links WHERE name = ?", (name,)).fetchone()
        return dict(zip(("seq", "hash", "reference", "mac"), row)) if row else None

    def set_link(self, name: str, link: dict[str, Any]) -> None:
        """Write the head or anchor."""
        self.db.execute("INSERT OR REPLACE INTO chain_links (name, seq, hash, reference, mac) VALUES (?, ?, ?, ?, ?)",
                        (name, link["seq"], link["hash"], link.get("reference"), link.get("mac")))


class RawRedis:
    """The records of a Redis store, edited with plain Redis commands."""

    def __init__(self, url: str, prefix: str = "ss:{rec}:") -> None:
        self.r = redis.Redis.from_url(url)
        self.base = prefix

    def records(self) -> list[dict[str, Any]]:
        """Every stored record, in seq order."""
        seqs = sorted(int(k.decode().rsplit(":", 1)[1]) for k in self.r.keys(self.base + "s:*"))
        return [json.loads(self.r.get(f"{self.base}s:{s}")) for s in seqs]

    def put(self, record: dict[str, Any], body: str | None = None) -> None:
        """Store (or replace) a record at its seq, index entries to match."""
        seq = record["seq"]
        self.r.set(f"{self.base}s:{seq}", body or canonical_json(record))
        score = self.r.zscore(self.base + "time", seq) or 0
        self.r.zadd(self.base + "time", {str(seq): score})
        who = record.get("practitioner") or {}
        if who.get("user_id") is not None:
            self.r.zadd(f"{self.base}p:{who['user_id']}", {str(seq): seq})
        if who.get("organisation") is not None:
            self.r.zadd(f"{self.base}o:{who['organisation']}", {str(seq): seq})

    def delete(self, seq: int) -> None:
        """Remove one record and its index and retry entries (a careful forger leaves no trace)."""
        self.r.delete(f"{self.base}s:{seq}")
        self.r.zrem(self.base + "time", str(seq))
        key = self.r.hget(self.base + "idem-of", str(seq))
        if key is not None:
            self.r.hdel(self.base + "idem", key)
        self.r.hdel(self.base + "idem-of", str(seq))

    def point_retry(self, key: str, seq: int) -> None:
        """Make a retry of the filing `key` find the record at seq (the idem hash alone is changed)."""
        self.r.hset(self.base + "idem", key, str(seq))

    def link(self, name: str) -> dict[str, Any] | None:
        """The head or anchor as stored."""
        raw = self.r.get(self.base + name)
        return json.loads(raw) if raw else None

    def set_link(self, name: str, link: dict[str, Any]) -> None:
        """Write the head or anchor."""
        self.r.set(self.base + name, canonical_json({k: v for k, v in link.items() if v is not None}))


def rehash(record: dict[str, Any], prev_hash: str) -> dict[str, Any]:
    """The record re-chained by hand: new prev_hash and a freshly computed hash (the signature kept)."""
    out = dict(record)
    out["prev_hash"] = prev_hash
    out["hash"] = record_hash(out)
    return out


def rechain_from(raw: Any, records: list[dict[str, Any]], start: int) -> None:
    """Recompute every hash from records[start] on and move the head to match, as a careful forger would."""
    prev = records[start - 1]["hash"] if start else "0" * 64
    for i in range(start, len(records)):
        records[i] = rehash(records[i], prev)
        prev = records[i]["hash"]
        raw.put(records[i])
    head = raw.link("head")
    last = records[-1]
    raw.set_link("head", {**head, "seq": last["seq"], "hash": last["hash"], "reference": last["reference"]})


def rewrite_and_rechain(raw: Any) -> str:
    """Change the decision of the second record and re-chain everything after it."""
    records = raw.records()
    records[1] = {**records[1], "decision": "do_not_share"}
    rechain_from(raw, records, 1)
    return records[1]["reference"]


def delete_middle_and_renumber(raw: Any) -> str:
    """Delete the third record, renumber those after it, re-chain, move the head back one."""
    records = raw.records()
    victim = records[2]
    top = records[-1]["seq"]
    del records[2]
    for i in range(2, len(records)):
        seq = records[i]["seq"] - 1
        records[i] = {**records[i], "seq": seq, "reference": make_reference(int(records[i]["reference"][4:8]), seq)}
    raw.delete(top)
    rechain_from(raw, records, 2)
    return victim["reference"]


def append_forged(raw: Any) -> str:
    """Add a record after the last, hash-chained correctly, and move the head onto it."""
    records = raw.records()
    last = records[-1]
    seq = last["seq"] + 1
    forged = {**last, "seq": seq, "reference": make_reference(int(last["reference"][4:8]), seq),
              "decision": "do_not_share"}
    forged = rehash(forged, last["hash"])
    raw.put(forged)
    raw.set_link("head", {"seq": seq, "hash": forged["hash"], "reference": forged["reference"],
                          "mac": (raw.link("head") or {}).get("mac")})
    return forged["reference"]


def delete_oldest_and_plant_anchor(raw: Any) -> str:
    """Delete the first two records and plant a purge anchor naming the second (head unchanged)."""
    records = raw.records()
    for record in records[:2]:
        raw.delete(record["seq"])
    gone = records[1]
    raw.set_link("anchor", {"seq": gone["seq"], "hash": gone["hash"], "reference": gone["reference"]})
    return gone["reference"]


def duplicate_key(raw: Any) -> str:
    """Give the second record a second "decision" key: SQL reads one, Python the other."""
    record = raw.records()[1]
    body = canonical_json(record)
    raw.put(record, body='{"decision":"do_not_share",' + body[1:])
    return record["reference"]


TAMPERINGS = {
    "rewrite and re-chain": rewrite_and_rechain,
    "delete a middle record and renumber": delete_middle_and_renumber,
    "append a forged record": append_forged,
    "delete the oldest and plant a purge anchor": delete_oldest_and_plant_anchor,
    "duplicate JSON key": duplicate_key,
}
