"""Decision records at rest: the free text a practitioner typed is encrypted before it is stored.

Fernet (AES-128-CBC with HMAC-SHA256, from the well-kept `cryptography` package) with a key ring:
SHARESAFE_RECORD_KEYS is a comma-separated list of Fernet keys, newest first. New records are
encrypted with the first key; any key in the ring decrypts. To rotate, put a new key first and
keep the old ones: old records are never re-encrypted, because a record's stored form is covered
by the hash chain (re-encrypting would look exactly like tampering). The hash chain is computed
over the stored (encrypted) form, so `records verify` needs no key.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any, AsyncIterator, Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from state import state_json
from state.interfaces import InvalidTransition, RecordStore, StoreError, VerifyResult

PREFIX = "enc:v1:"
# What a reader is shown for free text encrypted with a key no longer in the ring.
UNREADABLE = "[encrypted with a key that is not configured]"
# Free text typed by the practitioner (the record form's text fields).
FREE_TEXT_FIELDS = (
    "info_type", "recipient_role", "recipient_org", "purpose", "reasons", "advice", "correction_reason",
    "consent_reason", "method_other", "requester_name", "requester_role", "requester_org", "request_when",
    "data_requested",
)


class KeyError_(StoreError):
    """A record key is missing or not a valid Fernet key."""


def parse_keys(raw: str) -> MultiFernet:
    """'key1,key2' (newest first) -> a key ring; a clear error naming the bad position."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise KeyError_("SHARESAFE_RECORD_KEYS is empty")
    ring = []
    for i, key in enumerate(keys, 1):
        try:
            ring.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:
            raise KeyError_(f"SHARESAFE_RECORD_KEYS: key {i} is not a valid Fernet key "
                            "(make one with: python -m bot records new-key)") from exc
    return MultiFernet(ring)


def new_key() -> str:
    """A fresh Fernet key, for SHARESAFE_RECORD_KEYS."""
    return Fernet.generate_key().decode()


def _paths(record: dict[str, Any]) -> Iterable[tuple[dict[str, Any], str]]:
    fields = record.get("fields")
    if isinstance(fields, dict):
        for name in FREE_TEXT_FIELDS:
            if isinstance(fields.get(name), str):
                yield fields, name
    consent = record.get("consent")
    if isinstance(consent, dict) and isinstance(consent.get("reason"), str):
        yield consent, "reason"


def encrypt_record(record: dict[str, Any], ring: MultiFernet) -> dict[str, Any]:
    """A copy of the record with its free text encrypted."""
    out = copy.deepcopy(record)
    for holder, name in _paths(out):
        value = holder[name]
        if value and not value.startswith(PREFIX):
            holder[name] = PREFIX + ring.encrypt(value.encode("utf-8")).decode("ascii")
    return out


def decrypt_record(record: dict[str, Any], ring: MultiFernet | None) -> dict[str, Any]:
    """A copy with the free text decrypted; without a key (or with the wrong one) it stays hidden."""
    out = copy.deepcopy(record)
    for holder, name in _paths(out):
        value = holder[name]
        if value.startswith(PREFIX):
            if ring is None:
                holder[name] = "[encrypted]"
                continue
            try:
                holder[name] = ring.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
            except InvalidToken:
                holder[name] = UNREADABLE
    return out


class EncryptedRecordStore:
    """Wraps a RecordStore: encrypts free text on append, decrypts on read for authorised callers.

    `raw()` gives the stored form (what export without a key and verify see).
    """

    def __init__(self, inner: RecordStore, ring: MultiFernet) -> None:
        self.inner = inner
        self.ring = ring

    async def append(self, record: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Encrypt the free text, then file it."""
        stored = await self.inner.append(encrypt_record(record, self.ring), idempotency_key)
        return decrypt_record(stored, self.ring)

    async def get(self, reference: str) -> dict[str, Any] | None:
        """One record, decrypted."""
        record = await self.inner.get(reference)
        return decrypt_record(record, self.ring) if record else None

    async def list(self, **filters: Any) -> list[dict[str, Any]]:
        """Records, decrypted."""
        return [decrypt_record(r, self.ring) for r in await self.inner.list(**filters)]

    async def export(self, *, since: datetime | None = None, decrypt: bool = True) -> AsyncIterator[dict[str, Any]]:
        """Every record since a date; decrypted only when asked (administrators)."""
        async for record in self.inner.export(since=since):
            yield decrypt_record(record, self.ring) if decrypt else record

    async def verify(self) -> VerifyResult:
        """The chain covers the stored (encrypted) form, so no key is needed."""
        return await self.inner.verify()

    async def purge(self, before: datetime) -> int:
        """Remove old records."""
        return await self.inner.purge(before)

    async def ping(self) -> bool:
        """True when the store answers."""
        return await self.inner.ping()

    async def close(self) -> None:
        """Release connections."""
        await self.inner.close()


STATE_KEY = "enc:z1"  # Fernet over the deflated state JSON (state_json.pack; plain zlib before): ciphertext does not compress, so compress first
_STATE_KEY_V1 = "enc:v1"  # Fernet over the state JSON, as saved before enc:z1; still read


class EncryptedConversationStore:
    """Wraps a ConversationStore: the whole dialog state is encrypted before it is stored.

    A conversation's state holds what the practitioner typed into a record form or a DSL/MASH
    request (the draft, and a filed record's fields for "Correct this record") until the
    conversation expires, so it is protected like the records themselves. The stored form is
    {"enc:z1": <Fernet token of the deflated JSON (state_json.pack)>}, which keeps a whole walk's
    state under 1 KB; {"enc:v1": ...} (uncompressed) and a state stored before encryption was turned on
    still load.
    """

    def __init__(self, inner: Any, ring: MultiFernet) -> None:
        self.inner = inner
        self.ring = ring

    async def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, int]:
        """(state, version), decrypted; a state under a key no longer configured starts afresh."""
        state, version = await self.inner.load(conversation_id)
        if isinstance(state, dict) and len(state) == 1 and (STATE_KEY in state or _STATE_KEY_V1 in state):
            try:
                if STATE_KEY in state:
                    state = state_json.unpack(self.ring.decrypt(str(state[STATE_KEY]).encode("ascii")))
                else:
                    state = json.loads(self.ring.decrypt(str(state[_STATE_KEY_V1]).encode("ascii")))
            except (InvalidToken, ValueError):
                # Keep the version so the next save still compares against what is stored.
                return None, version
        return state, version

    async def save(self, conversation_id: str, state: dict[str, Any], expected_version: int) -> int:
        """Encrypt, then save with the inner store's version check."""
        token = self.ring.encrypt(state_json.pack(state))
        return await self.inner.save(conversation_id, {STATE_KEY: token.decode("ascii")}, expected_version)

    async def ping(self) -> bool:
        """True when the store answers."""
        return await self.inner.ping()

    async def close(self) -> None:
        """Release connections."""
        await self.inner.close()

    def __getattr__(self, name: str) -> Any:
        # Anything else a backend offers (e.g. SQLite's open) is the inner store's.
        return getattr(self.inner, name)


def _escalation_paths(doc: dict[str, Any]) -> Iterable[tuple[dict[str, Any], str]]:
    """The free text in an escalation: the DSL note, the MASH referrer and concern, consent reason,
    and the notes in its history (a DSL's advice)."""
    for name in ("note", "concern"):
        if isinstance(doc.get(name), str):
            yield doc, name
    for holder_name in ("referrer", "consent"):
        holder = doc.get(holder_name)
        if isinstance(holder, dict):
            for name, value in holder.items():
                if isinstance(value, str) and (holder_name == "referrer" or name == "reason"):
                    yield holder, name
    for entry in doc.get("history") or ():
        if isinstance(entry, dict) and isinstance(entry.get("note"), str):
            yield entry, "note"


def _seal(ring: MultiFernet, value: str) -> str:
    if not value or value.startswith(PREFIX):
        return value
    return PREFIX + ring.encrypt(value.encode("utf-8")).decode("ascii")


def _open(ring: MultiFernet, value: str) -> str:
    if not value.startswith(PREFIX):
        return value
    try:
        return ring.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        return UNREADABLE


class EncryptedEscalationStore:
    """Wraps an EscalationStore: the free text of DSL requests and MASH hand-offs is encrypted at rest.

    What the stores index and filter on (id, kind, organisation, status, due times) stays readable.
    """

    def __init__(self, inner: Any, ring: MultiFernet) -> None:
        self.inner = inner
        self.ring = ring

    def _sealed(self, doc: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(doc)
        for holder, name in _escalation_paths(out):
            holder[name] = _seal(self.ring, holder[name])
        return out

    def _opened(self, doc: dict[str, Any] | None) -> dict[str, Any] | None:
        if doc is None:
            return None
        out = copy.deepcopy(doc)
        for holder, name in _escalation_paths(out):
            holder[name] = _open(self.ring, holder[name])
        return out

    async def create(self, escalation: dict[str, Any], idempotency_key: str) -> tuple[dict[str, Any], bool]:
        """Encrypt the free text, then store."""
        stored, created = await self.inner.create(self._sealed(escalation), idempotency_key)
        return self._opened(stored), created  # type: ignore[return-value]

    async def get(self, escalation_id: str) -> dict[str, Any] | None:
        """One escalation, decrypted."""
        return self._opened(await self.inner.get(escalation_id))

    async def transition(self, escalation_id: str, status: str, *, note: str = "", **kwargs: Any) -> dict[str, Any]:
        """The inner transition, with the note (a DSL's advice) encrypted."""
        try:
            return self._opened(await self.inner.transition(  # type: ignore[return-value]
                escalation_id, status, note=_seal(self.ring, note), **kwargs))
        except InvalidTransition as clash:
            clash.escalation = self._opened(clash.escalation) or clash.escalation
            raise

    async def claim_due(self, now: datetime, **kwargs: Any) -> list[dict[str, Any]]:
        """Due escalations, decrypted."""
        return [self._opened(e) for e in await self.inner.claim_due(now, **kwargs)]  # type: ignore[misc]

    async def reschedule(self, escalation_id: str, **kwargs: Any) -> dict[str, Any]:
        """The inner reschedule (its fields are the caller's bookkeeping, not free text)."""
        return self._opened(await self.inner.reschedule(escalation_id, **kwargs))  # type: ignore[return-value]

    async def list(self, **filters: Any) -> list[dict[str, Any]]:
        """Escalations, decrypted."""
        return [self._opened(e) for e in await self.inner.list(**filters)]  # type: ignore[misc]

    def __getattr__(self, name: str) -> Any:
        # open, close, ping and anything else a backend offers are the inner store's.
        return getattr(self.inner, name)
