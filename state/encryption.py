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
from datetime import datetime
from typing import Any, AsyncIterator, Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from state.interfaces import RecordStore, StoreError, VerifyResult

PREFIX = "enc:v1:"
# Free text typed by the practitioner (the record form's text fields).
FREE_TEXT_FIELDS = (
    "info_type", "recipient_role", "recipient_org", "purpose", "reasons", "advice", "correction_reason",
    "consent_reason",
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
                holder[name] = "[encrypted with a key that is not configured]"
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
