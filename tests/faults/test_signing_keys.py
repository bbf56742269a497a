"""One forged token cannot freeze a worker: a real production worker (on each SDK) whose key
endpoint hangs keeps answering /healthz and tokens signed with keys it holds in normal time, and a
token naming a key it does not hold gets 503 (Bot Service retries) within seconds."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from state.encryption import new_key
from tests.fake_connector import TENANT_ID, FakeConnector
from tests.faults.keys import HangingKeyServer, loopback_preload
from tests.faults.workers import Worker, activity, post
from tests.fixtures import APP_ID, APP_PASSWORD, channel_token, rsa_key

KEY = rsa_key()


@pytest.fixture
def keys():
    server = HangingKeyServer({"k1": KEY}).start()
    yield server
    server.stop()


@pytest.fixture
def worker(keys, tmp_path, sdk):
    keys.hanging.set()  # hanging from the start: nothing fetched yet
    started = Worker({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "APP_TYPE": "SingleTenant",
                      "APP_TENANTID": TENANT_ID, "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
                      "SHARESAFE_DATA_DIR": str(tmp_path), "SHARESAFE_SDK": sdk}, preload=loopback_preload(sdk, keys))
    yield started
    started.stop()


async def _healthz_latencies(http: aiohttp.ClientSession, worker: Worker, stop: asyncio.Event) -> list[float]:
    seen = []
    while not stop.is_set():
        began = time.monotonic()
        async with http.get(worker.url + "/healthz") as response:
            assert response.status == 200
        seen.append(time.monotonic() - began)
        await asyncio.sleep(0.05)
    return seen


async def test_a_hanging_key_endpoint_never_stalls_the_worker(keys, worker, connector: FakeConnector):
    def signed(kid: str) -> dict[str, str]:
        return {"Authorization": "Bearer " + channel_token(KEY, kid, connector.url)}

    async with aiohttp.ClientSession() as http:
        stop = asyncio.Event()
        probe = asyncio.create_task(_healthz_latencies(http, worker, stop))

        # Keys unknown and the endpoint hanging: a fast 503, twice (the second does not wait again).
        for _ in range(2):
            began = time.monotonic()
            assert await post(http, worker, activity(connector, "hello"), signed("k1")) == 503
            assert time.monotonic() - began < 2.5

        # The endpoint comes back: once the back-off has passed, the keys are fetched and used.
        keys.hanging.clear()
        keys.stop_hanging.set()
        deadline = time.monotonic() + 30
        status = 0
        while status != 201 and time.monotonic() < deadline:
            status = await post(http, worker, activity(connector, "hello"), signed("k1"))
            await asyncio.sleep(0.5)
        assert status == 201 and connector.sent_to("a:conv-1")

        # It hangs again: tokens signed with the key we hold answer in normal time, a forged key
        # is refused at once (the keys were fetched moments ago), and nothing waits on the fetch.
        keys.stop_hanging.clear()
        keys.hanging.set()
        began = time.monotonic()
        assert await post(http, worker, activity(connector, "menu"), signed("k1")) == 201
        assert time.monotonic() - began < 1.0
        began = time.monotonic()
        assert await post(http, worker, activity(connector, "menu"), signed("forged-kid")) == 401
        assert time.monotonic() - began < 1.0

        stop.set()
        latencies = await probe
    assert len(latencies) > 10
    # Figure for the issue note: the slowest /healthz while the key endpoint hung.
    print(f"\nslowest /healthz while the key endpoint hung: {max(latencies) * 1000:.0f} ms")
    assert max(latencies) < 0.5
