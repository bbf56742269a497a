"""Every pytest fixture the tests share (what they build from is in tests/fixtures.py).

A module that needs the app configured otherwise overrides `environ` (or `credentials_factory`);
`client` itself is written only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import pytest
from aiohttp.test_utils import TestClient

from bot.config import Settings
from bot.escalation.service import EscalationService
from dialogs.pack import load_builtin
from state.factory import Stores, open_stores
from tests.engine_chat import EngineChat
from tests.fake_connector import FakeConnector
from tests.fixtures import (
    JOIN_CODE,
    FakeClock,
    RecordingMessenger,
    WebhookReceiver,
    make_service,
    seed_references,
    serve_app,
    write_directory,
)
from tests.redis_server import RedisServer, redis_binary


@pytest.fixture
def chat() -> EngineChat:
    """The engine on the national 2018 pack, talked to as in the terminal, with no I/O."""
    return EngineChat(load_builtin("national-2018"))


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A fake Bot Connector service on loopback that records every reply and proactive message."""
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def webhook() -> AsyncIterator[WebhookReceiver]:
    """A MASH webhook receiver on loopback that records every hand-off packet it is sent."""
    receiver = await WebhookReceiver().start()
    yield receiver
    await receiver.stop()


# ---- A real redis-server --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server for the session."""
    server = RedisServer(redis_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server(redis_server_session: RedisServer) -> Iterator[RedisServer]:
    """The session's redis-server, running and empty for this test."""
    redis_server_session.start()  # a test that stopped it and then failed left it down
    with redis_server_session.client() as plain:
        plain.flushall()
    yield redis_server_session


# ---- The app over HTTP -----------------------------------------------------------------------------------


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """The app's environment: the embedded store in the test's own folder, nothing else set up."""
    return {"SHARESAFE_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def directory_environ(tmp_path: Path, webhook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The app's environment with the test directory: Oakfield's DSLs and join code, the MASH channel
    and the loopback MASH webhook; the re-ping job left to the test."""
    monkeypatch.setenv("SHARESAFE_JOIN_CODE_OAKFIELD", JOIN_CODE)
    monkeypatch.setenv("TEST_MASH_SECRET", "s3cret-key")
    return {
        "SHARESAFE_DATA_DIR": str(tmp_path / "data"),
        "SHARESAFE_DIRECTORY": str(write_directory(tmp_path, webhook.url)),
        "SHARESAFE_REPING_POLL_SECONDS": "3600",  # the tests run the job themselves, on their clock
    }


@pytest.fixture
def settings(environ: dict[str, str]) -> Settings:
    """The app's settings, read from `environ` as a deployment reads its environment."""
    return Settings.from_env(environ)


@pytest.fixture
def credentials_factory() -> Any:
    """How the app signs its replies: None, the credentials APP_ID/APP_PASSWORD give."""
    return None


@pytest.fixture
async def client(settings: Settings, connector: FakeConnector, credentials_factory: Any) -> AsyncIterator[TestClient]:
    """The real app on a loopback test server; replies reach `connector`, escalations run on client.clock."""
    http = await serve_app(settings, connector, credentials_factory=credentials_factory)
    yield http
    await http.close()


# ---- The escalation service without HTTP -----------------------------------------------------------------


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[Stores]:
    """Real stores on the embedded backend, in the test's own folder."""
    opened = await open_stores(redis_url=None, data_dir=str(tmp_path / "data"))
    yield opened
    await opened.close()


@pytest.fixture
async def env(stores: Stores, tmp_path: Path) -> AsyncIterator[tuple[EscalationService, RecordingMessenger, FakeClock]]:
    """The escalation service on `stores`, with a recording messenger and a hand-moved clock; the DSL,
    the deputy and the practitioner have each said hello."""
    messenger, clock = RecordingMessenger(), FakeClock()
    service = make_service(stores, tmp_path, messenger=messenger, clock=clock)
    await seed_references(stores)
    yield service, messenger, clock
    await service.close()
