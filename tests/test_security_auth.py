"""Bot Framework authentication, end to end over HTTP, with botbuilder's own validation.

The bot runs exactly as in production with APP_ID set (the public-cloud path: CloudAdapter ->
ConfigurationBotFrameworkAuthentication -> JwtTokenValidation -> ChannelValidation). The only
change is where ChannelValidation fetches Microsoft's signing keys: its documented
`open_id_metadata_endpoint` points at an OpenID metadata + JWKS server on 127.0.0.1 holding a key
the test made. Tokens signed with that key and carrying the right claims get in; every forgery gets
401, and the turn never runs: no state saved, no reference kept, nothing sent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives import serialization

from bot import app as app_module
from bot.config import Settings, SettingsError
from state.encryption import new_key
from tests.fake_connector import FakeConnector
from tests.security_fixtures import (
    APP_ID,
    APP_PASSWORD,
    LoopbackCredentialFactory,
    OpenIdServer,
    channel_token,
    hs256_token,
    rsa_key,
    say,
    texts,
    unsigned_token,
)

ROOT = Path(__file__).resolve().parent.parent
TRUSTED = rsa_key()
UNTRUSTED = rsa_key()
KID = "trusted-key-1"
PRAC = ("29:prac-auth", "a:prac-auth", "Pat Practitioner")


@pytest.fixture
def openid(monkeypatch: pytest.MonkeyPatch) -> Any:
    server = OpenIdServer({KID: TRUSTED}).start()
    # The documented switch for where channel tokens' signing keys come from (botbuilder's own tests use it).
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", server.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    yield server
    server.stop()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # APP_ID set and SHARESAFE_ENV unset: production, as a real deployment runs.
    return Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD,
                              "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
async def client(settings: Settings, connector: FakeConnector, openid: OpenIdServer) -> AsyncIterator[TestClient]:
    factory = LoopbackCredentialFactory(APP_ID, APP_PASSWORD)
    app = app_module.create_app(settings, credentials_factory=factory)
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        http.fake_connector = connector
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def nothing_happened(client: TestClient) -> None:
    """The turn never ran: no conversation state, no conversation reference, nothing sent."""
    stores = client.app[app_module.STORES_KEY]
    assert await stores.conversations.load(PRAC[1]) == (None, 0)
    assert await stores.references.get(PRAC[0]) is None
    assert client.fake_connector.calls == []


async def test_settings_choose_production_when_app_id_is_set(settings: Settings) -> None:
    assert settings.ENV == "production" and settings.auth_enabled


async def test_a_token_signed_with_the_trusted_key_gets_a_reply(client: TestClient, openid: OpenIdServer) -> None:
    token = channel_token(TRUSTED, KID, client.fake_connector.url)
    status, sent = await say(client, PRAC, "hello", headers=bearer(token))
    assert status == 201
    assert len(sent) == 1 and sent[0]["recipient"]["id"] == PRAC[0]
    assert "ShareSafe" in texts(sent)  # the welcome card
    stores = client.app[app_module.STORES_KEY]
    state, version = await stores.conversations.load(PRAC[1])
    assert state is not None and version == 1
    assert openid.requests >= 2  # the metadata and the keys really were fetched from the fake server


def _forgeries(service_url: str) -> dict[str, str | None]:
    public_pem = TRUSTED.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "missing": None,
        "not a jwt": "Bearer not.a.token",
        "wrong scheme": "Basic " + channel_token(TRUSTED, KID, service_url),
        "untrusted key, own kid": "Bearer " + channel_token(UNTRUSTED, "attacker-key", service_url),
        "untrusted key, trusted kid": "Bearer " + channel_token(UNTRUSTED, KID, service_url),
        "expired": "Bearer " + channel_token(TRUSTED, KID, service_url, expires_in=-3600),
        "wrong audience": "Bearer " + channel_token(TRUSTED, KID, service_url,
                                                    audience="99999999-8888-7777-6666-555555555555"),
        "wrong issuer": "Bearer " + channel_token(TRUSTED, KID, service_url, issuer="https://evil.example"),
        "other service url": "Bearer " + channel_token(TRUSTED, KID, "https://smba.evil.example/"),
        "alg none": "Bearer " + unsigned_token(service_url),
        "hs256 with the public key": "Bearer " + hs256_token(public_pem, KID, service_url),
    }


@pytest.mark.parametrize("case", list(_forgeries("http://x/")))
async def test_forged_expired_and_misaddressed_tokens_get_401_and_no_turn(client: TestClient, case: str) -> None:
    header = _forgeries(client.fake_connector.url)[case]
    status, sent = await say(client, PRAC, "hello", headers={"Authorization": header} if header else {})
    assert status == 401, case
    assert sent == []
    await nothing_happened(client)
    metrics = client.app[app_module.METRICS_KEY]
    assert metrics.refused.labels("unauthorized")._value.get() == 1
    assert metrics.turns.labels("text")._value.get() == 0


async def test_a_card_submit_with_a_forged_token_changes_nothing(client: TestClient) -> None:
    good = channel_token(TRUSTED, KID, client.fake_connector.url)
    await say(client, PRAC, "hello", headers=bearer(good))
    stores = client.app[app_module.STORES_KEY]
    before = await stores.conversations.load(PRAC[1])
    forged = channel_token(UNTRUSTED, KID, client.fake_connector.url)
    status, sent = await say(client, PRAC, value={"choice": "share"}, headers=bearer(forged))
    assert status == 401 and sent == []
    assert await stores.conversations.load(PRAC[1]) == before


# ---- Refusing to start -------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_credentials() -> None:
    with pytest.raises(SettingsError, match="APP_ID is not set"):
        app_module.create_app(Settings.from_env({"SHARESAFE_ENV": "production", "SHARESAFE_RECORD_KEYS": new_key()}))


def test_production_refuses_to_start_without_the_record_key(tmp_path: Path) -> None:
    settings = Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD})
    with pytest.raises(SettingsError, match="SHARESAFE_RECORD_KEYS is not set.*records new-key"):
        app_module.create_app(settings)


def test_development_starts_without_credentials_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"SHARESAFE_DATA_DIR": str(tmp_path)})
    assert settings.ENV == "development" and not settings.auth_enabled
    app_module.create_app(settings)
    assert "authentication is OFF" in caplog.text


@pytest.mark.parametrize("env,message", [
    ({"SHARESAFE_ENV": "prod"}, "SHARESAFE_ENV must be one of development, production"),
    ({"SHARESAFE_RECORD_KEYS": "not-a-key"}, "key 1 is not a valid Fernet key"),
    ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of json, text"),
    ({"SHARESAFE_RATE_PER_MINUTE": "-1"}, "SHARESAFE_RATE_PER_MINUTE must be between"),
])
def test_bad_security_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_the_record_key_is_never_shown_in_the_settings_repr() -> None:
    key = new_key()
    settings = Settings.from_env({"SHARESAFE_RECORD_KEYS": key, "SHARESAFE_METRICS_TOKEN": "scrape-token-123"})
    assert key not in repr(settings) and "scrape-token-123" not in repr(settings)
    assert "RECORD_KEYS=<set>" in repr(settings)


def test_the_server_command_refuses_with_a_clear_message(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SHARESAFE_ENV": "production",
           "SHARESAFE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "Configuration error: SHARESAFE_ENV is production but APP_ID is not set" in done.stderr
    assert "listening" not in done.stderr
    assert "SHARESAFE_ENV=development" in done.stderr


def test_an_app_id_without_a_tenant_allow_list_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_RECORD_KEYS": new_key(),
                                  "SHARESAFE_DATA_DIR": str(tmp_path)})
    app_module.create_app(settings)
    assert "SHARESAFE_ALLOWED_TENANTS is not set" in caplog.text
    caplog.clear()
    app_module.create_app(Settings.from_env({**{"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD},
                                             "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_ALLOWED_TENANTS": "t-1"}))
    assert "SHARESAFE_ALLOWED_TENANTS" not in caplog.text
