"""A conversation's state as JSON bytes: written and read on every turn, so done with orjson.

orjson writes the same compact UTF-8 JSON as `json.dumps(..., ensure_ascii=False,
separators=(",", ":"))` (checked by tests/test_store_contract.py), at about a tenth of the CPU.
What orjson refuses (a non-string key, an integer over 64 bits, text with a lone surrogate) is
written by the standard library, as before, so no state that saved before fails to save now.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def encode(state: Any) -> bytes:
    """Compact UTF-8 JSON of the state."""
    try:
        return orjson.dumps(state)
    except TypeError:
        return _STANDARD.encode(state).encode("utf-8")


def decode(raw: bytes | str) -> Any:
    """The state from its JSON (any release's); malformed JSON raises ValueError."""
    return orjson.loads(raw)
