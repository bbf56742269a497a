"""Every pytest fixture the tests share (what they build from is in tests/fixtures.py).

A module that needs the app configured otherwise overrides `environ` (or `credentials_factory`);
`client` itself is written only here.

The edge runs on two SDKs (SHARESAFE_SDK: Bot Framework and the Microsoft 365 Agents SDK), so every
test that reaches the `sdk` fixture (through `environ`, `settings`, `client`, `signing_keys`...) runs
once on each, its id saying which (`[agents]`). A test of one SDK's own workings is marked
`@pytest.mark.only_sdk("botframework", reason=...)`.
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
    AGENTS_MISSING,
    JOIN_CODE,
    SDKS,
    FakeClock,
    RecordingMessenger,
    WebhookReceiver,
    OpenIdServer,
    make_service,
    outbound_credentials,
    point_key_validation_at,
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


# ---- The edge, on each SDK ---------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers: one SDK only; the app with the test directory."""
    config.addinivalue_line("markers", "only_sdk(name, reason): a test of one SDK's own workings, run on that one only")
    config.addinivalue_line("markers", "with_directory: the app runs with the test directory (directory_environ)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses `sdk` runs on both SDKs, unless marked only_sdk (which must say why)."""
    if "sdk" not in metafunc.fixturenames:
        return
    names: tuple[str, ...] = SDKS
    only = metafunc.definition.get_closest_marker("only_sdk")
    if only is not None:
        if only.args[0] not in SDKS or not only.kwargs.get("reason"):
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: only_sdk needs one of {SDKS} and a reason")
        names = (only.args[0],)
    metafunc.parametrize("sdk", [pytest.param(name, marks=pytest.mark.skipif(
        name == "agents" and bool(AGENTS_MISSING), reason=AGENTS_MISSING)) for name in names], indirect=True)


@pytest.fixture
def sdk(request: pytest.FixtureRequest) -> str:
    """The SDK the edge runs on for this test: botframework or agents (SHARESAFE_SDK)."""
    return request.param


@pytest.fixture
def signing_keys(sdk: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenIdServer]:
    """A key server on loopback holding the trusted key (tests.fixtures.TRUSTED), where this SDK's
    token validation fetches Microsoft's signing keys from."""
    server = OpenIdServer().start()
    point_key_validation_at(server, sdk, monkeypatch)
    yield server
    server.stop()


# ---- The app over HTTP -----------------------------------------------------------------------------------


@pytest.fixture
def environ(request: pytest.FixtureRequest, tmp_path: Path, sdk: str) -> dict[str, str]:
    """The app's environment: the embedded store in the test's own folder, on this test's SDK; in a
    module marked with_directory, the test directory too (directory_environ)."""
    if request.node.get_closest_marker("with_directory"):
        return request.getfixturevalue("directory_environ")
    return {"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_SDK": sdk}


@pytest.fixture
def directory_environ(tmp_path: Path, webhook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch,
                      sdk: str) -> dict[str, str]:
    """The app's environment with the test directory: Oakfield's DSLs and join code, the MASH channel
    and the loopback MASH webhook; the re-ping job left to the test; on this test's SDK."""
    monkeypatch.setenv("SHARESAFE_JOIN_CODE_OAKFIELD", JOIN_CODE)
    monkeypatch.setenv("TEST_MASH_SECRET", "s3cret-key")
    return {
        "SHARESAFE_DATA_DIR": str(tmp_path / "data"),
        "SHARESAFE_DIRECTORY": str(write_directory(tmp_path, webhook.url)),
        "SHARESAFE_REPING_POLL_SECONDS": "3600",  # the tests run the job themselves, on their clock
        "SHARESAFE_SDK": sdk,
    }


@pytest.fixture
def settings(environ: dict[str, str]) -> Settings:
    """The app's settings, read from `environ` as a deployment reads its environment."""
    return Settings.from_env(environ)


@pytest.fixture
def credentials_factory(settings: Settings) -> Any:
    """How the app signs its replies: with an APP_ID, as the app without asking Azure AD (each SDK's
    own kind of credential); without one, nothing."""
    return outbound_credentials(settings.SDK) if settings.auth_enabled else None


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
