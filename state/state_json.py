"""A conversation's state as bytes: written and read on every turn, so kept small and cheap.

JSON is written by orjson: the same compact UTF-8 JSON as `json.dumps(..., ensure_ascii=False,
separators=(",", ":"))` (checked by tests/test_store_contract.py), at about a tenth of the CPU.
What orjson refuses (a non-string key, an integer over 64 bits, text with a lone surrogate) is
written by the standard library, as before, so no state that saved before fails to save now.

`pack` stores that JSON deflated against a preset dictionary (state/dictionaries/): the key names,
question and field ids and reply shapes every state repeats. A whole walk's state is about 2.5 KB
of JSON, 1.1 KB deflated on its own, and under 1 KB with the dictionary (bench/state_size.py). The stream is standard
zlib with the dictionary's Adler-32 in its header, so `unpack` knows which dictionary a state was
written with, and plain zlib (states stored before dictionaries) still loads. A shipped dictionary
is never edited (the states written with it would stop loading): a better one is a new file, and
becomes CURRENT.
"""

from __future__ import annotations

import json
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

_STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)

_DICTIONARY_DIR = Path(__file__).with_name("dictionaries")
CURRENT = "2026-12.dict"


# Every shipped dictionary by name, read once; a state names its dictionary by Adler-32.
_BY_NAME = {path.name: path.read_bytes() for path in sorted(_DICTIONARY_DIR.glob("*.dict"))}
DICTIONARIES = {zlib.adler32(body): body for body in _BY_NAME.values()}
_ZDICT = _BY_NAME[CURRENT]
# Level 3, a 16 KB window and memory level 6: within 5% of level 6's size, and 10% smaller than
# level 1 for 1 us more. The window and memory level set how much state a compressor drags
# through the CPU cache each turn: measured cache-cold (bench/state_size.py --cpu), 35 us a state
# against 70 us with zlib's 32 KB window and memory level 8, at 1% more bytes.
_LEVEL = 3
_WBITS = 14
_MEMLEVEL = 6
_FDICT = 0x20


def encode(state: Any) -> bytes:
    """Compact UTF-8 JSON of the state."""
    try:
        return orjson.dumps(state)
    except TypeError:
        return _STANDARD.encode(state).encode("utf-8")


def decode(raw: bytes | str) -> Any:
    """The state from its JSON (any release's); malformed JSON raises ValueError."""
    return orjson.loads(raw)


# Setting a 16 KB dictionary costs more than deflating a state, so the compressor is primed once
# and each state is deflated by a copy of it. (Inflating sets the dictionary by copying it into
# the window, which costs as much as copying a primed decompressor would.)
_PACKER = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEMLEVEL, zlib.Z_DEFAULT_STRATEGY, _ZDICT)


def deflate(body: bytes) -> bytes:
    """zlib data of body, deflated against the current dictionary."""
    packer = _PACKER.copy()
    return packer.compress(body) + packer.flush()


def inflate(data: bytes) -> bytes:
    """The bytes deflate (or plain zlib.compress) was given; ValueError for anything else."""
    try:
        if len(data) < 6 or not data[1] & _FDICT:
            return zlib.decompress(data)
        zdict = DICTIONARIES.get(int.from_bytes(data[2:6], "big"))
        if zdict is None:
            raise ValueError("conversation state written with a dictionary this release does not have")
        unpacker = zlib.decompressobj(0, zdict=zdict)
        body = unpacker.decompress(data)
    except zlib.error as exc:
        raise ValueError("not a stored conversation state") from exc
    if not unpacker.eof:
        raise ValueError("a stored conversation state cut short")
    return body


# The states this worker packed last, by their packed bytes. The next turn of a conversation
# usually reads back exactly the bytes this worker wrote, and then needs no inflating (about 20 us
# a turn). Deflate is lossless, so equal packed bytes always hold the same state.
_RECENT: OrderedDict[bytes, bytes] = OrderedDict()
RECENT_MAX = 1024


def pack(state: Any) -> bytes:
    """The state as stored: its JSON deflated against the current dictionary."""
    body = encode(state)
    packed = deflate(body)
    _RECENT[packed] = body
    if len(_RECENT) > RECENT_MAX:
        _RECENT.popitem(last=False)
    return packed


def unpack(data: bytes) -> Any:
    """The state from pack's bytes (any dictionary shipped, or none); ValueError if unreadable."""
    body = _RECENT.get(data)
    return decode(inflate(data) if body is None else body)
