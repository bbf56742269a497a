"""Bot Framework authentication, end to end over HTTP, with each SDK's own validation (botbuilder's,
and on the Microsoft 365 Agents SDK its JwtTokenValidator: bot/channels/agents/auth.py).

The bot runs exactly as in production with APP_ID set (the public-cloud path: CloudAdapter ->
ConfigurationBotFrameworkAuthentication -> JwtTokenValidation -> ChannelValidation). The only
change is where the SDK fetches Microsoft's signing keys (botbuilder's documented
`open_id_metadata_endpoint`, tests/fixtures.py point_key_validation_at) points at an OpenID metadata + JWKS server on 127.0.0.1 holding a key
the test made. Tokens signed with that key and carrying the right claims get in; every forgery gets
401, and the turn never runs: no state saved, no reference kept, nothing sent.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import serialization

from bot.http import app as app_module
from bot.config import Settings, SettingsError
from state.encryption import new_key
from tests.fake_connector import TENANT_ID, FakeConnector, message_activity
from tests.processes import free_port, wait_healthy
from tests.fixtures import (
    APP_ID,
    APP_PASSWORD,
    KID,
    TRUSTED,
    UNTRUSTED,
    OpenIdServer,
    channel_token,
    hs256_token,
    outbound_credentials,
    say,
    texts,
    unsigned_token,
)

ROOT = Path(__file__).resolve().parent.parent
PRAC = ("29:prac-auth", "a:prac-auth", "Pat Practitioner")


@pytest.fixture
def settings(tmp_path: Path, sdk: str) -> Settings:
    # APP_ID set and SHARESAFE_ENV unset: production, as a real deployment runs (a multi-tenant app
    # must name the tenants it serves).
    return Settings.from_env({"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_ALLOWED_TENANTS": TENANT_ID,
                              "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
                              "SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_SDK": sdk})


@pytest.fixture
def credentials_factory(settings: Settings, signing_keys: OpenIdServer) -> Any:
    """Replies signed as the app, without asking Azure AD; incoming tokens checked against `signing_keys`."""
    return outbound_credentials(settings.SDK)


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


async def test_a_token_signed_with_the_trusted_key_gets_a_reply(client: TestClient, signing_keys: OpenIdServer) -> None:
    token = channel_token(TRUSTED, KID, client.fake_connector.url)
    status, sent = await say(client, PRAC, "hello", headers=bearer(token))
    assert status == 201
    assert len(sent) == 1 and sent[0]["recipient"]["id"] == PRAC[0]
    assert "ShareSafe" in texts(sent)  # the welcome card
    stores = client.app[app_module.STORES_KEY]
    state, version = await stores.conversations.load(PRAC[1])
    assert state is not None and version == 1
    assert signing_keys.requests >= 1  # the keys really were fetched from the fake server


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
        app_module.create_app(Settings.from_env({"SHARESAFE_ENV": "production", "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key()}))


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


def test_secrets_can_come_from_files_and_stay_hidden(tmp_path: Path) -> None:
    """APP_PASSWORD_FILE and SHARESAFE_RECORD_KEYS_FILE (container secrets) work like the variables."""
    key = new_key()
    (tmp_path / "app_password").write_text(APP_PASSWORD + "\n")
    (tmp_path / "record_keys").write_text(key + "\n")
    settings = Settings.from_env(production(tmp_path, APP_PASSWORD="", APP_TYPE="SingleTenant", APP_TENANTID=TENANT_ID,
                                            SHARESAFE_RECORD_KEYS="",
                                            APP_PASSWORD_FILE=str(tmp_path / "app_password"),
                                            SHARESAFE_RECORD_KEYS_FILE=str(tmp_path / "record_keys")))
    assert (settings.APP_PASSWORD, settings.RECORD_KEYS) == (APP_PASSWORD, key)
    assert APP_PASSWORD not in repr(settings) and key not in repr(settings)
    app_module.create_app(settings)  # production is satisfied
    with pytest.raises(SettingsError, match="set APP_PASSWORD or APP_PASSWORD_FILE, not both"):
        Settings.from_env(production(tmp_path, APP_PASSWORD_FILE=str(tmp_path / "app_password")))
    with pytest.raises(SettingsError, match="SHARESAFE_RECORD_KEYS_FILE: cannot read") as refused:
        Settings.from_env({"SHARESAFE_RECORD_KEYS_FILE": str(tmp_path / "missing")})
    assert key not in str(refused.value)


def test_the_server_command_refuses_with_a_clear_message(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SHARESAFE_ENV": "production",
           "SHARESAFE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "Configuration error: SHARESAFE_ENV is production but APP_ID is not set" in done.stderr
    assert "listening" not in done.stderr
    assert "SHARESAFE_ENV=development" in done.stderr


def test_in_development_an_app_id_without_a_tenant_allow_list_warns(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    dev = {"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_ENV": "development",
           "SHARESAFE_DATA_DIR": str(tmp_path)}
    app_module.create_app(Settings.from_env(dev))
    assert "SHARESAFE_ALLOWED_TENANTS is not set" in caplog.text
    caplog.clear()
    app_module.create_app(Settings.from_env({**dev, "SHARESAFE_ALLOWED_TENANTS": "t-1"}))
    assert "SHARESAFE_ALLOWED_TENANTS" not in caplog.text


# ---- Secure by default: where an unauthenticated bot may listen -------------------------------------------

ISOLATED = ROOT / "deploy" / "playground" / "isolated"


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment for `python -m bot`: none of this shell's ShareSafe, APP_ or HOST settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHARESAFE_", "APP_", "REDIS_", "LOG_")) and k not in ("HOST", "PORT")}
    env.update({"PYTHONPATH": str(ROOT), "SHARESAFE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path), **extra})
    return env


@pytest.mark.parametrize("args,env", [
    (["serve"], {"HOST": "0.0.0.0"}),
    (["serve", "--host", "0.0.0.0"], {}),
    (["serve", "--host", "::"], {}),
    (["serve", "--host", "10.1.2.3"], {"HOST": "127.0.0.1"}),
], ids=["HOST=0.0.0.0", "--host 0.0.0.0", "--host ::", "--host beats HOST"])
def test_without_credentials_the_bot_refuses_to_listen_beyond_loopback(tmp_path: Path, args: list[str],
                                                                       env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", *args, "--port", str(free_port())], capture_output=True,
                          text=True, env=cli_env(tmp_path, **env), cwd=ROOT, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Configuration error: APP_ID is not set, so requests would not be authenticated" in done.stderr
    assert "which other machines can reach" in done.stderr
    # What to do instead: credentials, loopback, or say development out loud.
    assert "Set APP_ID and APP_PASSWORD" in done.stderr and "HOST=127.0.0.1" in done.stderr
    assert "SHARESAFE_ENV=development" in done.stderr
    assert "listening" not in done.stderr and "Traceback" not in done.stderr


def test_out_of_the_box_the_bot_starts_on_loopback_and_warns(tmp_path: Path) -> None:
    """The README's first command: no settings at all, so development on 127.0.0.1, with a warning."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT,
                            env=cli_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            assert response.status == 200  # development keeps /metrics open
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "authentication is OFF" in output and "loopback address only" in output
    assert "ShareSafe listening on 127.0.0.1:" in output


def test_development_said_explicitly_may_listen_on_every_address(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"SHARESAFE_ENV": "development", "HOST": "0.0.0.0",
                                  "SHARESAFE_DATA_DIR": str(tmp_path)})
    app_module.create_app(settings)  # no refusal
    assert "authentication is OFF, and the bot listens on 0.0.0.0" in caplog.text
    with pytest.raises(SettingsError, match="which other machines can reach"):
        app_module.create_app(Settings.from_env({"HOST": "0.0.0.0", "SHARESAFE_DATA_DIR": str(tmp_path)}))


@pytest.mark.skipif(not (ISOLATED.is_file() and os.access(ISOLATED, os.X_OK)),
                    reason="needs deploy/playground/isolated to run (unshare and ip; a loopback-only network namespace)")
def test_development_on_0_0_0_0_really_serves(tmp_path: Path) -> None:
    """The real process on 0.0.0.0, inside a network namespace that has only loopback (nothing is exposed)."""
    if subprocess.run([str(ISOLATED), "true"], capture_output=True).returncode != 0:
        pytest.skip("deploy/playground/isolated cannot make a network namespace here (unshare needs user namespaces)")
    port = free_port()
    script = (f'"{sys.executable}" -m bot serve --host 0.0.0.0 --port {port} & pid=$!; '
              f'for i in $(seq 100); do "{sys.executable}" -c "import urllib.request as u; '
              f"u.urlopen('http://127.0.0.1:{port}/healthz', timeout=2)\" 2>/dev/null && ok=1 && break; sleep 0.2; done; "
              'kill $pid; wait $pid; [ -n "$ok" ] && echo HEALTHY')
    done = subprocess.run([str(ISOLATED), "bash", "-c", script], capture_output=True, text=True, cwd=ROOT,
                          env=cli_env(tmp_path, SHARESAFE_ENV="development"), timeout=90)
    assert "HEALTHY" in done.stdout, done.stdout + done.stderr
    assert "ShareSafe listening on 0.0.0.0:" in done.stderr and "authentication is OFF" in done.stderr


# ---- Secure by default: which tenants -------------------------------------------------------------------------

def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"APP_ID": APP_ID, "APP_PASSWORD": APP_PASSWORD, "SHARESAFE_RECORD_KEYS": new_key(), "SHARESAFE_CHAIN_KEYS": new_key(),
            "SHARESAFE_DATA_DIR": str(tmp_path / "data"), **extra}


def other_tenants_activity(service_url: str) -> dict[str, Any]:
    activity = message_activity(service_url, text="hello", conversation_id="a:outsider", user_id="29:outsider")
    activity["channelData"] = {"tenant": {"id": "other-tenant-9c1d"}}
    activity["conversation"]["tenantId"] = "other-tenant-9c1d"
    return activity


async def test_a_single_tenant_bot_serves_only_its_own_tenant_by_default(
        tmp_path: Path, connector: FakeConnector, signing_keys: OpenIdServer, sdk: str,
        caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env(production(tmp_path, APP_TYPE="SingleTenant", APP_TENANTID=TENANT_ID, SHARESAFE_SDK=sdk))
    assert settings.ALLOWED_TENANTS == (TENANT_ID,)
    with caplog.at_level(logging.INFO):
        app = app_module.create_app(settings, credentials_factory=outbound_credentials(sdk))
    assert "only the app's own tenant (APP_TENANTID)" in caplog.text
    assert TENANT_ID not in caplog.text
    token = channel_token(TRUSTED, KID, connector.url)
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        http.fake_connector = connector
        status, sent = await say(http, PRAC, "hello", headers=bearer(token))
        assert status == 201 and len(sent) == 1
        response = await http.post("/api/messages", json=other_tenants_activity(connector.url), headers=bearer(token))
        assert response.status == 403 and await response.json() == {"error": "tenant not allowed"}
    assert len(connector.activities) == 1


def test_a_multi_tenant_production_bot_without_an_allow_list_refuses_to_start(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", str(free_port())], capture_output=True,
                          text=True, env=cli_env(tmp_path, **production(tmp_path, APP_TYPE="MultiTenant")),
                          cwd=ROOT, timeout=60)
    assert done.returncode == 2, done.stderr
    assert ("Configuration error: SHARESAFE_ENV is production and APP_TYPE is MultiTenant, but "
            "SHARESAFE_ALLOWED_TENANTS is not set") in done.stderr
    assert "or to * to accept every tenant on purpose" in done.stderr
    assert APP_PASSWORD not in done.stderr and "listening" not in done.stderr


async def test_star_accepts_every_tenant_and_says_so_at_start(
        tmp_path: Path, connector: FakeConnector, signing_keys: OpenIdServer, sdk: str,
        caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env(production(tmp_path, SHARESAFE_ALLOWED_TENANTS="*", SHARESAFE_SDK=sdk))
    app = app_module.create_app(settings, credentials_factory=outbound_credentials(sdk))
    assert "SHARESAFE_ALLOWED_TENANTS is *: activities from any Microsoft 365 tenant are accepted" in caplog.text
    token = channel_token(TRUSTED, KID, connector.url)
    async with TestClient(TestServer(app, host="127.0.0.1")) as http:
        http.fake_connector = connector
        response = await http.post("/api/messages", json=other_tenants_activity(connector.url), headers=bearer(token))
        assert response.status == 201
    assert len(connector.activities) == 1
    with pytest.raises(SettingsError, match="either \\* \\(any tenant\\) or a list of tenant ids"):
        Settings.from_env(production(tmp_path, SHARESAFE_ALLOWED_TENANTS=f"*,{TENANT_ID}"))
