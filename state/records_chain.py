"""The decision-record hash chain, written once and used by every record backend.

A stored record is the caller's dict plus `reference`, `seq`, `created_at`, `prev_hash` and
`hash`. `hash` is the SHA-256 of the canonical JSON of everything else in the record, so changing
any field (the answers, the decision, the reference, the time) changes the hash, and each record
carries the hash of the one before, so removing a record breaks the link into the next one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from state.interfaces import ChainHeadBehind, StoreError, VerifyResult

log = logging.getLogger("sharesafe.records")

ZERO_HASH = "0" * 64
# Fields the store owns: whatever the caller put there is replaced, so the chain cannot be forged
# by a caller handing in its own seq or hash.
STORE_FIELDS = ("reference", "seq", "prev_hash", "hash", "auth", "idem_sha256")
# Not part of the hashed body: the signature over the hash (see ChainKeys).
UNHASHED = ("hash", "auth")
# The SHA-256 of the filing's idempotency key, inside the hashed body. The store's map from key to
# record lies outside the body; verify checks each entry against this field, since a rewritten entry
# would answer a practitioner's retried filing with another decision's reference.
IDEM_FIELD = "idem_sha256"

ALTERED = "altered"
MISSING = "missing"
CHAIN_BROKEN = "chain broken"
# Records stored beyond the chain head (or with no head at all): filing would overwrite them.
HEAD_BEHIND = "head behind"
# A value the store keeps outside the hashed body to search by (time, practitioner, organisation,
# seq, reference) disagrees with the body: searches, DSL lists and purges would be misled.
INDEX_ALTERED = "index altered"

# A record, the head or the purge anchor whose signature is missing or wrong: someone without the
# signing key wrote it (a forged append, a rewrite re-chained by hand, a planted purge anchor).
FORGED = "not authenticated"
# An entry of the idempotency map (key -> record) disagrees with the signed bodies: a retried
# filing would be answered with the wrong record's reference, or with none.
RETRY_MAP_ALTERED = "retry map altered"

HEAD_BEHIND_MESSAGE = "record chain head is missing or behind its records: run records verify; nothing was filed"

_REFERENCE_RE = re.compile(r"^ISR-(\d{4})-(\d{6,})$")


def head_behind(seq: int, why: str) -> ChainHeadBehind:
    """The refusal to file a record at seq, logged for an administrator (numbers only, no content)."""
    log.error("record chain %s (next seq %d); nothing filed: run records verify", why, seq)
    return ChainHeadBehind(HEAD_BEHIND_MESSAGE)


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
    # "<key id>:<HMAC-SHA256 hex>" over the link and its name (head / anchor); None when unsigned.
    mac: str | None = None

    def to_json(self) -> str:
        """Serialise for storage."""
        data: dict[str, Any] = {"seq": self.seq, "hash": self.hash, "reference": self.reference}
        if self.mac:
            data["mac"] = self.mac
        return canonical_json(data)

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> ChainLink | None:
        """Parse a stored link; None when nothing is stored."""
        if raw is None:
            return None
        data = json.loads(raw)
        return cls(seq=int(data["seq"]), hash=str(data["hash"]), reference=data.get("reference"),
                   mac=data.get("mac"))

    @classmethod
    def of(cls, record: dict[str, Any]) -> ChainLink:
        """The (unsigned) link to a stored record: its seq, hash and reference."""
        return cls(record["seq"], record["hash"], record["reference"])

    def message(self, name: str) -> str:
        """What the link's signature covers: its role, seq, hash and reference."""
        return f"{name}\n{self.seq}\n{self.hash}\n{self.reference or ''}"

    def signed(self, keys: ChainKeys | None, name: str) -> ChainLink:
        """The same link signed as `name` with the newest key (unchanged without keys)."""
        if keys is None:
            return self
        return ChainLink(self.seq, self.hash, self.reference, keys.sign(self.message(name)))


class ChainKeyError(StoreError):
    """SHARESAFE_CHAIN_KEYS is not a list of keys (the message names the position, never a key)."""


class ChainKeys:
    """The HMAC-SHA256 keys that sign records, the chain head and purge anchors (newest first).

    Whoever can write the store but does not hold a key cannot make a record, head or anchor
    verify: a rewritten or forged decision record shows as such. Each signature names its key id
    (the first 8 hex digits of the key's SHA-256), so old keys keep verifying after a rotation.
    """

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ChainKeyError("SHARESAFE_CHAIN_KEYS holds no key")
        self._keys = {self.key_id(k): k for k in reversed(keys)}
        self.current = self.key_id(keys[0])
        self._current_key = keys[0]

    @staticmethod
    def key_id(key: bytes) -> str:
        """A short public name for a key (safe to print and store)."""
        return hashlib.sha256(b"sharesafe-chain-key\0" + key).hexdigest()[:8]

    @classmethod
    def parse(cls, raw: str) -> ChainKeys:
        """Keys from a comma-separated list of URL-safe base64 values (32 bytes or more each)."""
        keys = []
        for position, item in enumerate((p.strip() for p in raw.split(",")), start=1):
            if not item:
                continue
            try:
                key = base64.urlsafe_b64decode(item.encode("ascii") + b"=" * (-len(item) % 4))
            except (binascii.Error, ValueError, UnicodeEncodeError):
                raise ChainKeyError(f"SHARESAFE_CHAIN_KEYS: key {position} is not URL-safe base64") from None
            if len(key) < 32:
                raise ChainKeyError(f"SHARESAFE_CHAIN_KEYS: key {position} is shorter than 32 bytes")
            keys.append(key)
        return cls(keys)

    def sign(self, message: str) -> str:
        """'<key id>:<HMAC-SHA256 hex>' of message with the newest key."""
        digest = hmac.new(self._current_key, message.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{self.current}:{digest}"

    def check(self, message: str, mac: Any) -> bool:
        """True when mac is a signature of message by one of these keys."""
        if not isinstance(mac, str) or ":" not in mac:
            return False
        kid, _, digest = mac.partition(":")
        key = self._keys.get(kid)
        if key is None:
            return False
        expected = hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, digest)

    def knows(self, mac: Any) -> bool:
        """True when mac names the key id of one of these keys (whether or not it verifies)."""
        return isinstance(mac, str) and mac.partition(":")[0] in self._keys

    def sign_record(self, record: dict[str, Any]) -> str:
        """The signature of a stored record: over its hash, which covers every other field."""
        return self.sign(f"record\n{record.get('hash')}")

    def record_ok(self, record: dict[str, Any]) -> bool:
        """True when the record's `auth` is a valid signature of its hash."""
        return self.check(f"record\n{record.get('hash')}", record.get("auth"))


def new_chain_key() -> str:
    """A fresh signing key for SHARESAFE_CHAIN_KEYS (32 random bytes, URL-safe base64)."""
    import os

    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def canonical_json(obj: Any) -> str:
    """The one JSON spelling of obj that every backend hashes and stores."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record_without_hash: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a record, ignoring any `hash` field it carries."""
    body = {k: v for k, v in record_without_hash.items() if k not in UNHASHED}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def idem_digest(idempotency_key: str) -> str:
    """SHA-256 (hex) of an idempotency key, as a record body carries it (the key names a conversation)."""
    return hashlib.sha256(b"sharesafe-idem\0" + idempotency_key.encode("utf-8", "surrogatepass")).hexdigest()


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


def build_record(record: dict[str, Any], *, seq: int, prev_hash: str, keys: ChainKeys | None = None,
                 idempotency_key: str | None = None) -> dict[str, Any]:
    """The record as it will be stored: caller's fields plus reference, seq, created_at, hashes
    (and the digest of its idempotency key, so the store's key map can be checked)."""
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
    if idempotency_key is not None:
        stored[IDEM_FIELD] = idem_digest(idempotency_key)
    stored["hash"] = record_hash(stored)
    if keys is not None:
        stored["auth"] = keys.sign_record(stored)
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


class DuplicateKey(ValueError):
    """A stored JSON object names the same key twice."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        # SQL's json_extract reads one of the two values and Python the other: one record, two
        # decisions. Only tampering writes this (the stores write canonical JSON).
        raise DuplicateKey("duplicate key")
    return out


def loads_strict(raw: bytes | str) -> Any:
    """json.loads that refuses an object naming the same key twice (DuplicateKey)."""
    return json.loads(raw, object_pairs_hook=_no_duplicates)


def is_canonical(raw: bytes | str, record: dict[str, Any]) -> bool:
    """True when the stored text is exactly the canonical JSON of what it decodes to."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    return text == canonical_json(record)


def decode_stored(raw: bytes | str, reference: str) -> dict[str, Any]:
    """A stored record as a dict; a value that is not a JSON object, or that names a key twice,
    reads as an altered record (named `reference`, with no hash, so verify reports it)."""
    try:
        record = loads_strict(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, DuplicateKey):
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
        self, anchor: ChainLink | None, head: ChainLink | None = None, *, check_head: bool = False,
        keys: ChainKeys | None = None,
    ) -> None:
        self._anchor = anchor
        self._head = head
        self._check_head = check_head
        # With the signing keys every record, the head and the anchor must carry a valid signature,
        # except records filed before the keys existed (legacy), which may only come first.
        self._keys = keys
        self.legacy = 0
        # Records filed before bodies carried their idempotency digest: their retry entries
        # cannot be checked.
        self.retry_unchecked = 0
        self._signed_seen = False
        self._anchor_problem: str | None = None
        if keys is not None and anchor is not None:
            if anchor.mac is not None and not keys.check(anchor.message("anchor"), anchor.mac):
                self._anchor_problem = "bad"
            elif anchor.mac is None:
                self._anchor_problem = "unsigned"
        self._expected_seq = anchor.seq + 1 if anchor else 1
        self._prev_hash = anchor.hash if anchor else ZERO_HASH
        self._prev_reference = anchor.reference if anchor else None
        self._prev_year: int | None = None
        self.checked = 0

    def _result(self, ok: bool, first_bad: str | None = None, problem: str = "", detail: str = "",
                previous: str | None = None) -> VerifyResult:
        head = self._head
        anchor = self._anchor
        return VerifyResult(ok, self.checked, first_bad, problem, detail=detail, previous=previous,
                            head_reference=head.reference if head else None, head_hash=head.hash if head else None,
                            head_seq=head.seq if head else 0, anchor_seq=anchor.seq if anchor else 0,
                            anchor_hash=anchor.hash if anchor else None, legacy=self.legacy,
                            authenticated=self._keys is not None, retry_unchecked=self.retry_unchecked)

    def _forged_anchor(self) -> VerifyResult:
        anchor = self._anchor
        assert anchor is not None
        return self._failed(
            anchor.reference, FORGED,
            f"the purge record (records up to {anchor.reference or anchor.seq} purged) is not signed with the "
            "records signing key: records were deleted and a purge record planted by someone without the key.")

    def _failed(self, first_bad: str | None, problem: str, detail: str, previous: str | None = None) -> VerifyResult:
        return self._result(False, first_bad, problem, detail, previous)

    def _previous_words(self) -> str:
        if self._prev_reference is None:
            return "the start of the chain"
        if self.checked == 0 and self._anchor is not None:
            return f"{self._prev_reference} (the last record purged)"
        return self._prev_reference

    def feed(self, record: dict[str, Any], index: dict[str, Any] | None = None,
             raw: bytes | str | None = None) -> VerifyResult | None:
        """Check the next record; a failed VerifyResult at the first break, else None.

        `index`: the values the store keeps outside the body to search by (see
        index_disagreements); each must match the hashed body. `raw`: the stored text, which
        must be the record's canonical JSON.
        """
        reference = str(record.get("reference", "?"))
        if self._anchor_problem == "bad":
            return self._forged_anchor()
        # A record whose own hash does not match its content was edited; check this first, since
        # none of its other fields (seq included) can be trusted once it has been.
        if record.get("hash") != record_hash(record):
            return self._failed(reference, ALTERED,
                                f"{reference} was altered: its content no longer matches its hash.")
        # With signing on, the stores write nothing but canonical JSON: any other spelling was
        # written behind their back (a duplicate key is refused when the body is read).
        if raw is not None and self._keys is not None and not is_canonical(raw, record):
            return self._failed(reference, ALTERED,
                                f"{reference} was altered: it is not stored as the store writes records.")
        if self._keys is not None:
            signed = record.get("auth") is not None
            if signed and not self._keys.record_ok(record):
                if not self._keys.knows(record.get("auth")):
                    # After a rotation that dropped the old key, a genuine record looks forged: say
                    # which it may be, rather than raise a false alarm of tampering.
                    kid = str(record.get("auth")).partition(":")[0][:16]
                    return self._failed(
                        reference, FORGED,
                        f"{reference} is signed with key id {kid}, which is not in SHARESAFE_CHAIN_KEYS: if "
                        "that key was rotated out, list it after the new one and verify again; if no such key "
                        "was ever used, the record was forged.")
                return self._failed(
                    reference, FORGED,
                    f"{reference} fails its signature: it was rewritten or forged by someone without the "
                    "records signing key (re-computing the hashes does not help without the key).")
            if not signed and (self._signed_seen or self._anchor_problem is None and self._anchor is not None
                               and self._anchor.mac is not None):
                return self._failed(
                    reference, FORGED,
                    f"{reference} carries no signature, though records before it do: it was added or "
                    "rewritten by someone without the records signing key.")
            if signed and not self._signed_seen and self._anchor_problem == "unsigned":
                return self._forged_anchor()
            if signed:
                self._signed_seen = True
            else:
                self.legacy += 1
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

    def retry_entry(self, record: dict[str, Any], key: str | None) -> VerifyResult | None:
        """Check the store's idempotency key for a record that passed feed (None: the store maps no
        key to it); a failure when the key is not the one the signed body was filed under."""
        digest = record.get(IDEM_FIELD)
        if digest is None:
            self.retry_unchecked += 1
            return None
        reference = str(record.get("reference", "?"))
        if key is not None and idem_digest(key) == digest:
            return None
        self.checked = max(0, self.checked - 1)  # fed as sound, but its entry is not
        if key is None:
            return self._failed(
                reference, RETRY_MAP_ALTERED,
                f"the retry entry for {reference} was removed: a retried filing of that decision would "
                "be filed a second time.")
        return self._failed(
            reference, RETRY_MAP_ALTERED,
            f"the retry entry for {reference} was altered: a retried filing of another decision "
            f"would be answered with {reference}'s reference, and that decision would not be recorded.")

    def stray_retry_entry(self, seq: int | None, target: dict[str, Any] | None = None) -> VerifyResult:
        """The failure for an idempotency entry naming a record it was not filed for (target: the
        record it names, None when that is not in the chain)."""
        if target is None:
            reference = _guess_reference(seq, self._prev_year) if seq is not None and seq > 0 else None
            detail = (f"a retry entry names {reference or 'no record'}, which is not in the chain: a retried "
                      "filing would be answered with a reference to no record, and the decision would not be "
                      "recorded.")
        else:
            reference = str(target.get("reference", "?"))
            detail = (f"a retry entry names {reference}, which was filed under another one: a retried "
                      f"filing of another decision would be answered with {reference}'s reference, and "
                      "that decision would not be recorded.")
        return self._failed(reference, RETRY_MAP_ALTERED, detail)

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
        if self._anchor_problem == "bad" or (self._anchor_problem == "unsigned" and self._check_head
                                             and head is not None and head.mac is not None):
            return self._forged_anchor()
        if self._keys is not None and self._check_head and head is not None:
            if head.mac is not None and not self._keys.check(head.message("head"), head.mac):
                return self._failed(
                    head.reference, FORGED,
                    f"the chain head (naming {head.reference or head.seq}) fails its signature: it was moved or "
                    "rewritten by someone without the records signing key.")
            if head.mac is None and (self._signed_seen or (self._anchor is not None and self._anchor.mac)):
                return self._failed(
                    head.reference, FORGED,
                    f"the chain head (naming {head.reference or head.seq}) is not signed, though the records are: "
                    "it was rewritten by someone without the records signing key.")
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


CHECKPOINT_KIND = "sharesafe-records-checkpoint"


def make_checkpoint(result: VerifyResult, keys: ChainKeys, now: datetime) -> dict[str, Any]:
    """A signed note of the chain as verified now (head reference, seq and hash, records held, time).

    Kept outside the store (an auditor's file, an append-only log), it lets a later verify prove
    that nothing filed before it was removed or rewritten, even with the head moved back.
    """
    body = {
        "kind": CHECKPOINT_KIND,
        "head_reference": result.head_reference,
        "head_seq": result.head_seq,
        "head_hash": result.head_hash,
        "count": result.checked,
        "time": format_utc(now),
    }
    return {**body, "mac": keys.sign("checkpoint\n" + canonical_json(body))}


def read_checkpoint(raw: str, keys: ChainKeys) -> dict[str, Any]:
    """A checkpoint file's content, or ValueError saying why it cannot be trusted."""
    try:
        data = loads_strict(raw)
    except (json.JSONDecodeError, DuplicateKey):
        raise ValueError("the checkpoint file is not a ShareSafe checkpoint (not valid JSON)") from None
    if not isinstance(data, dict) or data.get("kind") != CHECKPOINT_KIND:
        raise ValueError("the checkpoint file is not a ShareSafe checkpoint")
    body = {k: v for k, v in data.items() if k != "mac"}
    if not keys.check("checkpoint\n" + canonical_json(body), data.get("mac")):
        raise ValueError("the checkpoint's signature does not match: it was altered, or was made with a key "
                         "that is not in SHARESAFE_CHAIN_KEYS")
    if not isinstance(data.get("head_seq"), int) or data["head_seq"] < 0:
        raise ValueError("the checkpoint names no chain head")
    return data


def checkpoint_problem(checkpoint: dict[str, Any], result: VerifyResult,
                       record_at_head: dict[str, Any] | None) -> str | None:
    """Why the store does not still hold everything the checkpoint saw, or None when it does.

    `result` is a passing verify of the store now; `record_at_head` is the stored record named by
    the checkpoint's head reference (None when it is not there).
    """
    seq, reference, digest = checkpoint["head_seq"], checkpoint.get("head_reference"), checkpoint.get("head_hash")
    if seq == 0:
        return None
    if result.head_seq < seq:
        return (f"the checkpoint of {checkpoint.get('time')} saw records up to {reference}, but the chain head now "
                f"names {result.head_reference or 'no record'}: records filed before the checkpoint were removed "
                "and the head moved back.")
    if result.anchor_seq > seq:
        return None  # purged since, by a signed purge: the chain from the anchor on verified
    if result.anchor_seq == seq:
        if result.anchor_hash != digest:
            return (f"{reference} was purged, but the purge record's hash differs from the checkpoint's: the "
                    "records before the checkpoint were rewritten.")
        return None
    if record_at_head is None or record_at_head.get("hash") != digest:
        return (f"{reference} is not the record the checkpoint of {checkpoint.get('time')} saw (its hash differs, "
                "or it is gone): the records up to it were rewritten or replaced.")
    return None
