"""Free text in decision records is encrypted at rest; the chain still verifies without the key."""

import sqlite3

import pytest

from state.encryption import EncryptedRecordStore, KeyError_, new_key, parse_keys
from state.sqlite_store import SqliteRecordStore

RECORD = {
    "practitioner": {"user_id": "u1", "name": "Sam", "organisation": "org-1"},
    "decision": "share",
    "consent": {"status": "not_sought", "reason": "Dad would punish the child"},
    "fields": {"info_type": "Bruising seen on Tuesday", "method": "mash_form", "purpose": "Referral"},
}


@pytest.fixture
async def stores(tmp_path):
    inner = SqliteRecordStore(tmp_path / "db.sqlite")
    await inner.open()
    key = new_key()
    yield inner, EncryptedRecordStore(inner, parse_keys(key)), key, tmp_path / "db.sqlite"
    await inner.close()


async def test_free_text_is_not_readable_in_the_database(stores):
    inner, store, _, path = stores
    filed = await store.append(RECORD, "k1")
    assert filed["fields"]["info_type"] == "Bruising seen on Tuesday"
    raw = sqlite3.connect(path).execute("select * from records").fetchall()
    dump = repr(raw)
    assert "Bruising" not in dump and "punish" not in dump and "Referral" not in dump
    assert "mash_form" in dump  # choices are not free text: left readable for audit queries
    assert (await store.get(filed["reference"]))["consent"]["reason"] == "Dad would punish the child"
    assert (await store.verify()).ok and (await inner.verify()).ok


async def test_export_decrypts_only_when_asked(stores):
    _, store, _, _ = stores
    await store.append(RECORD, "k1")
    [hidden] = [r async for r in store.export(decrypt=False)]
    [shown] = [r async for r in store.export(decrypt=True)]
    assert hidden["fields"]["info_type"].startswith("enc:v1:")
    assert shown["fields"]["info_type"] == "Bruising seen on Tuesday"


async def test_rotation_new_key_first_old_records_still_readable(stores):
    inner, store, old_key, _ = stores
    first = await store.append(RECORD, "k1")
    rotated = EncryptedRecordStore(inner, parse_keys(f"{new_key()},{old_key}"))
    second = await rotated.append(RECORD, "k2")
    assert (await rotated.get(first["reference"]))["fields"]["info_type"] == "Bruising seen on Tuesday"
    assert (await rotated.get(second["reference"]))["fields"]["purpose"] == "Referral"
    # the old key alone cannot read the new record, and says so rather than failing
    assert "not configured" in (await store.get(second["reference"]))["fields"]["purpose"]
    assert (await rotated.verify()).ok


async def test_who_asked_and_what_they_asked_for_are_not_readable_in_the_database(stores):
    """The request names a professional and may describe the child's information: typed, so encrypted."""
    _, store, _, path = stores
    record = {**RECORD, "fields": {**RECORD["fields"], "request_asked": "yes", "requester_name": "DC Kestrel Ames",
                                   "requester_role": "Detective constable", "requester_org": "Wessex Police",
                                   "request_when": "Thu 3 Dec 2026", "data_requested": "Sibling school reports",
                                   "risk_level": "significant_harm"}}
    filed = await store.append(record, "k-request")
    dump = repr(sqlite3.connect(path).execute("select * from records").fetchall())
    for secret in ("Kestrel", "Detective", "Wessex", "3 Dec", "Sibling"):
        assert secret not in dump, secret
    assert "significant_harm" in dump  # a choice, readable for audit queries
    back = (await store.get(filed["reference"]))["fields"]
    assert back["requester_name"] == "DC Kestrel Ames" and back["data_requested"] == "Sibling school reports"


def test_bad_key_is_named():
    with pytest.raises(KeyError_, match="key 2 is not a valid Fernet key"):
        parse_keys(f"{new_key()},not-a-key")


def test_every_free_text_field_of_the_record_form_is_encrypted_at_rest():
    """A field a practitioner can type into may hold details about a child: it must be in the list."""
    from dialogs import forms
    from state.encryption import FREE_TEXT_FIELDS

    typed = {f.name for f in forms.RECORD.fields if not f.choices or f.hint}
    assert typed, "the record form has no free-text field?"
    assert typed <= set(FREE_TEXT_FIELDS), sorted(typed - set(FREE_TEXT_FIELDS))
