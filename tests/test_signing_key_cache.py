"""Microsoft's signing keys as the token check fetches them: a key server that fails or dribbles
never costs a request more than a moment, leaves no thread behind, and is not asked again on
every request while it fails."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.http import signing_keys
from bot.http.signing_keys import SigningKeyCache, SigningKeysUnavailable
from tests.faults.keys import HangingKeyServer
from tests.fixtures import rsa_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def keys():
    server = HangingKeyServer({"k1": rsa_key()}).start()
    yield server
    server.stop()


async def test_a_failing_key_server_is_not_asked_again_until_the_back_off_has_passed(keys):
    clock = Clock()
    cache = SigningKeyCache(keys.url, clock=clock)
    keys.failing.set()
    with pytest.raises(SigningKeysUnavailable):
        await cache.get("k1")
    asked = keys.requests
    for _ in range(20):  # a flood of forged tokens during the outage: 503 at once, no fetch
        began = time.monotonic()
        with pytest.raises(SigningKeysUnavailable):
            await cache.get("k1")
        assert time.monotonic() - began < 0.1
    assert keys.requests == asked

    keys.failing.clear()
    clock.now += signing_keys.KEY_BACKOFF_SECONDS + 0.1
    assert await cache.get("k1") is not None  # recovered: the real key is known again
    assert await cache.get("forged") is None  # and a forged kid is refused without a fetch
    assert keys.requests == asked + 2  # metadata + key set, once


async def test_a_key_server_that_dribbles_bytes_leaves_no_thread_behind(keys, monkeypatch):
    monkeypatch.setattr(signing_keys, "KEY_FETCH_TIMEOUT_SECONDS", 1.0)
    cache = SigningKeyCache(keys.url)
    keys.dribbling.set()
    began = time.monotonic()
    with pytest.raises(SigningKeysUnavailable):
        await cache.get("k1")
    assert time.monotonic() - began < signing_keys.KEY_WAIT_SECONDS + 0.5
    # The fetch thread gives up at its deadline although a byte arrives every half second; before,
    # each such fetch held a thread of the pool the reply sender also uses, for as long as the server liked.
    assert await asyncio.to_thread(keys.dropped.wait, 4), "the fetch is still reading the dribble"


async def test_keys_past_their_lifetime_keep_working_while_the_refresh_hangs(keys):
    clock = Clock()
    cache = SigningKeyCache(keys.url, clock=clock)
    assert await cache.get("k1") is not None
    keys.hanging.set()
    clock.now += signing_keys.KEY_LIFETIME_SECONDS + 1
    began = time.monotonic()
    assert await cache.get("k1") is not None  # refreshed in the background, not waited for
    assert time.monotonic() - began < 0.1
