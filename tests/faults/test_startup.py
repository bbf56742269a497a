"""Start-up as a real process: production without the records signing key refuses to start; an
IPv4-mapped loopback HOST is listened on as loopback instead of dying with a traceback."""

from __future__ import annotations

import urllib.request

from state.encryption import new_key
from tests.faults.cli import bot_env, run_cli
from tests.faults.workers import Worker


def test_production_refuses_to_start_without_the_signing_key(tmp_path):
    result = run_cli("serve", env=bot_env(APP_ID="app", APP_PASSWORD="pw", APP_TYPE="SingleTenant", APP_TENANTID="t",
                                          SHARESAFE_RECORD_KEYS=new_key(), SHARESAFE_DATA_DIR=str(tmp_path)), timeout=30)
    assert result.returncode == 2
    assert "Configuration error" in result.stderr and "SHARESAFE_CHAIN_KEYS is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_ipv4_mapped_loopback_host_is_served_on_loopback(tmp_path):
    worker = Worker({"HOST": "::ffff:127.0.0.1", "SHARESAFE_DATA_DIR": str(tmp_path)})
    try:
        with urllib.request.urlopen(worker.url + "/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        output = worker.stop()
    assert "Traceback" not in output
