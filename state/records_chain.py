"""The decision-record hash chain, written once and used by every record backend.

A stored record is the caller's dict plus `reference`, `seq`, `created_at`, `prev_hash` and
`hash`. `hash` is the SHA-256 of the canonical JSON of everything else in the record, so changing
any field (the answers, the decision, the reference, the time) changes the hash, and each record
carries the hash of the one before, so removing a record breaks the link into the next one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from state.interfaces import StoreError, VerifyResult

ZERO_HASH = "0" * 64
# Fields the store owns: whatever the caller put there is replaced, so the chain cannot be forged
# by a caller handing in its own seq or hash.
STORE_FIELDS = ("reference", "seq", "prev_hash", "hash")

ALTERED = "altered"
MISSING = "missing"
CHAIN_BROKEN = "chain broken"

_REFERENCE_RE = re.compile(r"^ISR-(\d{4})-(\d{6,})$")


class ChainError(StoreError):
    """The chain failed verification, so the operation was refused (nothing was changed)."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(f"record chain failed verification: {result.problem} at {result.first_bad}")
        self.result = result


@dataclass(frozen=True)
class ChainLink:
    """A point in the chain kept outside the records: the head (last filed) or the purge anchor."""

    seq: int
    hash: str
    reference: str | None = None

    def to_json(self) -> str:
        """Serialise for storage."""
        return canonical_json({"seq": self.seq, "hash": self.hash, "reference": self.reference})

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> ChainLink | None:
        """Parse a stored link; None when nothing is stored."""
        if raw is None:
            return None
        data = json.loads(raw)
        return cls(seq=int(data["seq"]), hash=str(data["hash"]), reference=data.get("reference"))


def canonical_json(obj: Any) -> str:
    """The one JSON spelling of obj that every backend hashes and stores."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record_without_hash: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a record, ignoring any `hash` field it carries."""
    body = {k: v for k, v in record_without_hash.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def make_reference(year: int, seq: int) -> str:
    """The human reference for a record: ISR-<year>-<seq padded to 6 digits>."""
    return f"ISR-{year:04d}-{seq:06d}"


def reference_seq(reference: str) -> int:
    """The seq encoded in a reference."""
    match = _REFERENCE_RE.match(reference)
    if match is None:
        raise ValueError("not a record reference")
    return int(match.group(2))


def utc_now_iso() -> str:
    """Now, as UTC ISO-8601 with a Z suffix and microseconds."""
    return format_utc(datetime.now(timezone.utc))


def format_utc(moment: datetime) -> str:
    """A datetime as UTC ISO-8601 with a Z suffix (naive datetimes are taken as UTC)."""
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_created_at(value: str) -> datetime:
    """Parse a record's created_at (ISO-8601, Z or offset; naive taken as UTC) to aware UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return to_utc(datetime.fromisoformat(text))


def epoch_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch: an exact, sortable index for created_at."""
    delta = to_utc(moment) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def created_micros(record: dict[str, Any]) -> int:
    """The created_at of a stored record as epoch microseconds."""
    return epoch_micros(parse_created_at(record["created_at"]))


def build_record(record: dict[str, Any], *, seq: int, prev_hash: str) -> dict[str, Any]:
    """The record as it will be stored: caller's fields plus reference, seq, created_at, hashes."""
    stored = {k: v for k, v in record.items() if k not in STORE_FIELDS}
    created = stored.get("created_at")
    if created is None:
        stored["created_at"] = utc_now_iso()
    elif not isinstance(created, str):
        raise ValueError("created_at must be an ISO-8601 string")
    # Fails loudly on a created_at nobody could later filter or purge by.
    year = parse_created_at(stored["created_at"]).year
    stored["reference"] = make_reference(year, seq)
    stored["seq"] = seq
    stored["prev_hash"] = prev_hash
    stored["hash"] = record_hash(stored)
    return stored


def practitioner_of(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """(user_id, organisation) of the practitioner who filed the record, where given."""
    who = record.get("practitioner")
    if not isinstance(who, dict):
        return None, None
    user_id = who.get("user_id")
    organisation = who.get("organisation")
    return (
        str(user_id) if user_id is not None else None,
        str(organisation) if organisation is not None else None,
    )


def _guess_reference(seq: int, year: int | None) -> str:
    # A removed record's year is not stored anywhere else; its neighbour's year is the best
    # evidence (references are only ever reported, never used to look anything up).
    return make_reference(year if year is not None else datetime.now(timezone.utc).year, seq)


def _year_of(record: dict[str, Any]) -> int | None:
    try:
        return parse_created_at(record["created_at"]).year
    except (KeyError, TypeError, ValueError):
        return None


class ChainVerifier:
    """Checks records one at a time in seq order, so a backend can stream a long chain."""

    def __init__(self, anchor: ChainLink | None, head: ChainLink | None = None) -> None:
        self._head = head
        self._expected_seq = anchor.seq + 1 if anchor else 1
        self._prev_hash = anchor.hash if anchor else ZERO_HASH
        self._prev_year: int | None = None
        self.checked = 0

    def feed(self, record: dict[str, Any]) -> VerifyResult | None:
        """Check the next record; a failed VerifyResult at the first break, else None."""
        self.checked += 1
        checked = self.checked
        reference = str(record.get("reference", "?"))
        # A record whose own hash does not match its content was edited; check this first, since
        # none of its other fields (seq included) can be trusted once it has been.
        if record.get("hash") != record_hash(record):
            return VerifyResult(False, checked, reference, ALTERED)
        seq = record.get("seq")
        if not isinstance(seq, int) or seq < self._expected_seq:
            return VerifyResult(False, checked, reference, CHAIN_BROKEN)
        if seq > self._expected_seq:
            year = _year_of(record)
            guess_year = self._prev_year if self._prev_year == year or year is None else year
            missing = _guess_reference(self._expected_seq, guess_year)
            return VerifyResult(False, checked, missing, MISSING)
        if record.get("prev_hash") != self._prev_hash:
            return VerifyResult(False, checked, reference, CHAIN_BROKEN)
        if self._head is not None and seq > self._head.seq:
            # Filed behind the store's back: the store never moved its head to it.
            return VerifyResult(False, checked, reference, CHAIN_BROKEN)
        self._prev_hash = str(record["hash"])
        self._prev_year = _year_of(record)
        self._expected_seq += 1
        return None

    def finish(self) -> VerifyResult:
        """The result once every record has been fed without a break."""
        head = self._head
        if head is not None:
            last_seq = self._expected_seq - 1
            if head.seq > last_seq:
                # Records removed from the end of the chain: the head still names the last one.
                missing = (
                    head.reference
                    if head.seq == last_seq + 1 and head.reference
                    else _guess_reference(last_seq + 1, self._prev_year)
                )
                return VerifyResult(False, self.checked, missing, MISSING)
            if head.seq == last_seq and head.hash != self._prev_hash:
                # The last record was replaced wholesale (content and hash recomputed together).
                return VerifyResult(False, self.checked, head.reference, CHAIN_BROKEN)
        return VerifyResult(True, self.checked)


def verify_chain(
    records: Iterable[dict[str, Any]],
    anchor: ChainLink | None,
    head: ChainLink | None = None,
) -> VerifyResult:
    """Walk records in seq order from the purge anchor (or the start) and find the first break.

    `head` is the last record the store filed; when given, records removed from the end of the
    chain are caught too.
    """
    verifier = ChainVerifier(anchor, head)
    for record in records:
        failed = verifier.feed(record)
        if failed is not None:
            return failed
    return verifier.finish()
