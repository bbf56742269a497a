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
# Records stored beyond the chain head (or with no head at all): filing would overwrite them.
HEAD_BEHIND = "head behind"
# A value the store keeps outside the hashed body to search by (time, practitioner, organisation,
# seq, reference) disagrees with the body: searches, DSL lists and purges would be misled.
INDEX_ALTERED = "index altered"

HEAD_BEHIND_MESSAGE = "record chain head is missing or behind its records: run records verify; nothing was filed"

_REFERENCE_RE = re.compile(r"^ISR-(\d{4})-(\d{6,})$")


class ChainError(StoreError):
    """The chain failed verification, so the operation was refused (nothing was changed)."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(f"record chain failed verification: {result.detail or result.problem}")
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


def decode_stored(raw: bytes | str, reference: str) -> dict[str, Any]:
    """A stored record as a dict; a value that is not a JSON object reads as an altered record
    (named `reference`, with no hash, so verify reports it)."""
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        record = None
    if not isinstance(record, dict):
        return {"reference": reference, "hash": None}
    return record


def created_micros_or_none(record: dict[str, Any]) -> int | None:
    """created_micros, or None when the record's created_at cannot be read (an altered record)."""
    try:
        return created_micros(record)
    except (KeyError, TypeError, ValueError):
        return None


def created_before(record: dict[str, Any], moment_us: int, *, unreadable: bool = False) -> bool:
    """True when the record's hashed created_at is before moment_us; `unreadable` when it cannot be read."""
    created = created_micros_or_none(record)
    return unreadable if created is None else created < moment_us


def record_matches(record: dict[str, Any], *, practitioner_id: str | None, organisation: str | None,
                   since_us: int | None, until_us: int | None) -> bool:
    """Whether a record meets a listing's filters, judged by its hashed body (never by the index
    columns a store searches with: an altered column must not show a record to the wrong DSL)."""
    uid, org = practitioner_of(record)
    if practitioner_id is not None and uid != practitioner_id:
        return False
    if organisation is not None and org != organisation:
        return False
    created = created_micros_or_none(record)
    if created is None:
        return since_us is None and until_us is None
    return (since_us is None or created >= since_us) and (until_us is None or created < until_us)


def index_disagreements(record: dict[str, Any], index: dict[str, Any]) -> list[str]:
    """Names of the index values (kept outside the hash) that disagree with the hashed record.

    `index` holds what the store searches by, where it keeps it: any of seq, reference,
    created_us, practitioner_id, organisation (a missing practitioner or organisation is None).
    """
    user_id, organisation = practitioner_of(record)
    created = created_micros_or_none(record)
    body = {
        "seq": record.get("seq"),
        "reference": record.get("reference"),
        "created_us": created,
        "practitioner_id": user_id,
        "organisation": organisation,
    }
    return [name for name, value in index.items() if body[name] != value]


_INDEX_WORDS = {
    "seq": "sequence number",
    "reference": "reference",
    "created_us": "filing time",
    "practitioner_id": "practitioner",
    "organisation": "organisation",
}


class ChainVerifier:
    """Checks records one at a time in seq order, so a backend can stream a long chain.

    With `check_head` (what `verify` does), the store's head must name the last record: a missing
    head, records beyond it and records removed from the end are reported, and every result names
    the head for an auditor to note. Without (a purge checking only its prefix), the head is ignored.

    What this cannot see by itself: the newest records removed *together with* the head moved
    back to the last record left (or a whole chain rebuilt from scratch). Everything stored is
    then self-consistent. Keep the head reference and hash that `records verify` prints (or the
    last record of an export) somewhere the store's administrators cannot change, and compare: a
    head that has moved back, or whose hash differs for the same reference, shows it.
    """

    def __init__(
        self, anchor: ChainLink | None, head: ChainLink | None = None, *, check_head: bool = False
    ) -> None:
        self._anchor = anchor
        self._head = head
        self._check_head = check_head
        self._expected_seq = anchor.seq + 1 if anchor else 1
        self._prev_hash = anchor.hash if anchor else ZERO_HASH
        self._prev_reference = anchor.reference if anchor else None
        self._prev_year: int | None = None
        self.checked = 0

    def _result(self, ok: bool, first_bad: str | None = None, problem: str = "", detail: str = "",
                previous: str | None = None) -> VerifyResult:
        head = self._head
        return VerifyResult(ok, self.checked, first_bad, problem, detail=detail, previous=previous,
                            head_reference=head.reference if head else None, head_hash=head.hash if head else None)

    def _failed(self, first_bad: str | None, problem: str, detail: str, previous: str | None = None) -> VerifyResult:
        return self._result(False, first_bad, problem, detail, previous)

    def _previous_words(self) -> str:
        if self._prev_reference is None:
            return "the start of the chain"
        if self.checked == 0 and self._anchor is not None:
            return f"{self._prev_reference} (the last record purged)"
        return self._prev_reference

    def feed(self, record: dict[str, Any], index: dict[str, Any] | None = None) -> VerifyResult | None:
        """Check the next record; a failed VerifyResult at the first break, else None.

        `index`: the values the store keeps outside the body to search by (see
        index_disagreements); each must match the hashed body.
        """
        reference = str(record.get("reference", "?"))
        # A record whose own hash does not match its content was edited; check this first, since
        # none of its other fields (seq included) can be trusted once it has been.
        if record.get("hash") != record_hash(record):
            return self._failed(reference, ALTERED,
                                f"{reference} was altered: its content no longer matches its hash.")
        if index:
            # Before the seq checks: a changed seq column reorders the walk, and should be named
            # as what it is rather than as a missing record.
            wrong = index_disagreements(record, index)
            if wrong:
                return self.index_altered(record, wrong)
        seq = record.get("seq")
        if not isinstance(seq, int) or seq < self._expected_seq:
            return self._failed(
                reference, CHAIN_BROKEN,
                f"{reference} is out of place: it carries sequence number {seq} where "
                f"{self._expected_seq} was expected, so it was altered, copied or re-filed.",
                previous=self._prev_reference)
        if seq > self._expected_seq:
            year = _year_of(record)
            guess_year = self._prev_year if self._prev_year == year or year is None else year
            missing = _guess_reference(self._expected_seq, guess_year)
            gap = seq - self._expected_seq
            what = f"{missing} is missing" if gap == 1 else f"{gap} records from {missing} on are missing"
            return self._failed(missing, MISSING,
                                f"{what}: the chain goes from {self._previous_words()} to {reference}.")
        if record.get("prev_hash") != self._prev_hash:
            previous = self._prev_reference
            if previous is None:
                detail = (f"{reference} does not follow the start of the chain: its link was altered, "
                          "or it was put in place of the first record.")
            elif self.checked == 0 and self._anchor is not None:
                detail = (f"{reference} does not follow {previous}, the last record purged: the purge "
                          f"record was altered, or {reference}'s link to it was.")
            else:
                detail = (f"{reference} does not follow {self._previous_words()}: {previous} was altered "
                          f"or replaced, or {reference}'s link to it was.")
            return self._failed(reference, CHAIN_BROKEN, detail, previous=previous)
        if self._check_head and (self._head is None or seq > self._head.seq):
            # Stored behind the store's back, or the head was moved back or deleted: the next
            # filing would land on (or fork from) this record.
            return self.beyond_head(reference)
        self._prev_hash = str(record["hash"])
        self._prev_reference = reference
        self._prev_year = _year_of(record)
        self._expected_seq += 1
        self.checked += 1
        return None

    def index_altered(self, record: dict[str, Any], names: Iterable[str]) -> VerifyResult:
        """The failure for a record whose searchable index values disagree with its hashed body."""
        reference = str(record.get("reference", "?"))
        words = " and ".join(_INDEX_WORDS.get(n, n) for n in names)
        return self._failed(
            reference, INDEX_ALTERED,
            f"{reference}: the {words} the store searches by no longer matches the record's hashed "
            "content (the index was altered), so lists, exports by date and purges could be misled.")

    def beyond_head(self, reference: str) -> VerifyResult:
        """The failure for a record found stored past the head (once the walk itself passed)."""
        head = self._head
        where = ("the chain head is missing" if head is None
                 else f"the chain head names {head.reference or head.seq} as the last record filed")
        return self._failed(
            reference, HEAD_BEHIND,
            f"{reference} is stored but {where}: the head was moved back or deleted, or {reference} "
            "was added behind the store's back. New records are refused until this is put right.")

    def stray_index(self, seq: int) -> VerifyResult:
        """The failure for a search-index entry naming a seq that is not in the chain."""
        reference = _guess_reference(seq, self._prev_year)
        return self._failed(
            reference, INDEX_ALTERED,
            f"the time index lists {reference}, which is not in the chain (the index was altered, "
            "or the record was removed behind the store's back).")

    def finish(self) -> VerifyResult:
        """The result once every record has been fed without a break."""
        head = self._head
        last_seq = self._expected_seq - 1
        if head is None:
            if self._check_head and self._anchor is not None:
                return self._failed(
                    None, HEAD_BEHIND,
                    f"the chain head is missing, though records up to {self._anchor.reference} were "
                    "purged: it was deleted. New records are refused until it is restored.")
            return self._result(True)
        if head.seq > last_seq:
            # Records removed from the end of the chain: the head still names the last one.
            missing = (
                head.reference
                if head.seq == last_seq + 1 and head.reference
                else _guess_reference(last_seq + 1, self._prev_year)
            )
            gap = head.seq - last_seq
            what = (f"{missing} is missing" if gap == 1
                    else f"the last {gap} records, from {missing} to {head.reference or head.seq}, are missing")
            return self._failed(
                missing, MISSING,
                f"{what}: the chain head names {head.reference or head.seq} as the last record filed, "
                f"but the chain ends at {self._previous_words()}.")
        if head.seq < last_seq:
            # Only reachable with nothing fed: the head was moved back into the purged range.
            return self._failed(
                None, HEAD_BEHIND,
                f"the chain head names {head.reference or head.seq}, but records up to "
                f"{self._previous_words()} were purged: the head was moved back. New records are "
                "refused until this is put right.")
        if head.seq == last_seq and head.hash != self._prev_hash:
            # The last record was replaced wholesale (content and hash recomputed together).
            self.checked = max(0, self.checked - 1)
            return self._failed(
                head.reference, CHAIN_BROKEN,
                f"{head.reference} does not match the chain head: it was replaced (its content and "
                "hash rewritten together), or the head was altered.")
        return self._result(True)
