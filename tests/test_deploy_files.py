"""The deployment files: container image recipe, compose file with Redis, Azure Bicep, deploy guide.

No container engine or Bicep compiler runs here, so these tests read the files: the Dockerfile's
stages, the compose file as YAML, and main.bicep through a Bicep parser (pycep). The image's steps
themselves are run by deploy/docker/check_image_steps.sh (set SHARESAFE_CHECK_IMAGE=1 to run it
from this suite: it makes a fresh venv and installs requirements.txt, so it needs the package index).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.redis_server import NO_REDIS

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "deploy" / "docker"
AZURE = ROOT / "deploy" / "azure"
DOCS = ROOT / "docs" / "deploy.md"
COPIED_PACKAGES = ("bot", "dialogs", "state")
HEALTHZ_PY = "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3978') + '/healthz', timeout=4)"
BUILD_TOOLS = re.compile(r"\b(build-essential|gcc|g\+\+|make|clang|cargo|rustc|apt-get|apk|curl|wget)\b")


# --- Dockerfile --------------------------------------------------------------------------------------

def dockerfile_stages() -> tuple[dict[str, str], list[dict[str, Any]]]:
    """(ARG defaults before the first FROM, stages as {'from', 'name', 'steps': [(INSTRUCTION, args)]})."""
    lines, buf = [], ""
    for raw in (DOCKER / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not buf and raw.lstrip().startswith("#"):
            continue
        stripped = raw.rstrip()
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += raw
        if buf.strip():
            lines.append(buf.strip())
        buf = ""
    args: dict[str, str] = {}
    stages: list[dict[str, Any]] = []
    for line in lines:
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            parts = rest.split()
            image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append({"from": image, "name": name, "steps": []})
        elif not stages:
            if word == "ARG" and "=" in rest:
                key, _, value = rest.partition("=")
                args[key.strip()] = value.strip()
        else:
            stages[-1]["steps"].append((word, rest.strip()))
    return args, stages


def final_stage() -> dict[str, Any]:
    return dockerfile_stages()[1][-1]


def steps(stage: dict[str, Any], word: str) -> list[str]:
    return [rest for w, rest in stage["steps"] if w == word]


def test_image_is_multi_stage_on_a_pinned_python_311_slim() -> None:
    _args, stages = dockerfile_stages()
    assert len(stages) >= 2
    # One Python release on one Debian release: a rebuild cannot move to another by surprise.
    assert all(re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", s["from"]) for s in stages), \
        [s["from"] for s in stages]
    assert len({s["from"] for s in stages}) == 1
    build, runtime = stages[0], stages[-1]
    assert build["name"] and runtime["name"] and build["name"] != runtime["name"]
    assert any("pip install --no-cache-dir -r" in r and "requirements.txt" in r for r in steps(build, "RUN"))


def test_final_stage_has_no_build_tools() -> None:
    stage = final_stage()
    for run in steps(stage, "RUN"):
        assert not BUILD_TOOLS.search(run), f"build tool in the final stage: {run}"
        assert "pip install" not in run
    build_name = dockerfile_stages()[1][0]["name"]
    assert any(c.startswith(f"--from={build_name} /opt/venv") for c in steps(stage, "COPY"))


def test_final_stage_copies_the_code_and_runs_as_non_root() -> None:
    stage = final_stage()
    copied = {shlex.split(c)[0].rstrip("/") for c in steps(stage, "COPY") if not c.startswith("--from")}
    assert copied == set(COPIED_PACKAGES)
    users = steps(stage, "USER")
    assert users, "no USER: the bot would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    order = [w for w, _ in stage["steps"]]
    assert max(i for i, w in enumerate(order) if w == "COPY") < max(i for i, w in enumerate(order) if w == "USER")
    assert any("useradd" in r and f"--uid {user}" in r for r in steps(stage, "RUN"))


def test_healthcheck_expose_and_cmd() -> None:
    stage = final_stage()
    (health,) = steps(stage, "HEALTHCHECK")
    command = json.loads(health[health.index("CMD") + 3:].strip())
    assert command == ["python", "-c", HEALTHZ_PY]
    assert "curl" not in health and "wget" not in health
    assert steps(stage, "EXPOSE") == ["3978"]
    assert json.loads(steps(stage, "CMD")[-1]) == ["python", "-m", "bot", "serve", "--host", "0.0.0.0"]


def test_healthcheck_code_works_against_a_real_server() -> None:
    """The HEALTHCHECK's Python succeeds on 200 and fails on an error status or nothing listening."""
    import http.server
    import socket
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        status = 200

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(Handler.status if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = dict(os.environ, PORT=str(port))
    try:
        assert subprocess.run([sys.executable, "-c", HEALTHZ_PY], env=env, timeout=20).returncode == 0
        Handler.status = 503
        assert subprocess.run([sys.executable, "-c", HEALTHZ_PY], env=env, timeout=20,
                              capture_output=True).returncode != 0
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    closed = subprocess.run([sys.executable, "-c", HEALTHZ_PY], env=dict(os.environ, PORT=str(free)),
                            timeout=20, capture_output=True)
    assert closed.returncode != 0


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_image_holds_every_package_the_code_imports() -> None:
    """Code in bot/, dialogs/ and state/ imports only the stdlib, those packages, and installed ones."""
    repo_top = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = {}
    for package in COPIED_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for name in _top_level_imports(path):
                if name in sys.stdlib_module_names or name in COPIED_PACKAGES or name == "__future__":
                    continue
                if name in repo_top:  # e.g. tests/ or bench/: not in the image
                    missing[f"{path.relative_to(ROOT)}"] = name
    assert missing == {}


def test_dockerignore_admits_only_what_the_image_copies() -> None:
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules[0] == "*", "start from nothing, so secrets and data never reach the build context"
    admitted = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert admitted == set(COPIED_PACKAGES) | {"requirements.txt"}


# --- compose -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def _redis_command(compose: dict[str, Any]) -> list[str]:
    command = compose["services"]["redis"]["command"]
    return [str(a) for a in (command if isinstance(command, list) else shlex.split(command))]


def test_compose_redis_is_pinned_durable_and_password_protected(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    assert re.fullmatch(r"redis:7\.\d+\.\d+(-[a-z]+)?", str(redis["image"])), "pin one Redis release"
    args = _redis_command(compose)
    assert args[:2] == ["docker-entrypoint.sh", "redis-server"]  # the image's own entrypoint still drops root
    assert args[args.index("--appendonly") + 1] == "yes"
    assert args[args.index("--appendfsync") + 1] == "always"
    assert "ports" not in redis, "Redis must not be published outside the compose network"
    # The password is a secret file, handed over by redis-start.sh: never a command-line argument or
    # an environment variable (both show in `docker inspect`).
    assert redis["secrets"] == ["redis_password"]
    assert compose["secrets"]["redis_password"] == {"environment": "REDIS_PASSWORD"}
    assert "REDIS_PASSWORD:?" in (DOCKER / "compose.yaml").read_text(), "compose must stop when it is unset"
    entry = redis["entrypoint"]
    (mount,) = [m for m in redis["volumes"] if m.endswith(":ro") and entry[-1] in m]
    assert (DOCKER / mount.split(":")[0]).resolve() == (DOCKER / "redis-start.sh").resolve()
    shown = json.dumps({k: redis.get(k) for k in ("entrypoint", "command", "environment", "healthcheck")})
    assert "requirepass" not in shown and "REDIS_PASSWORD" not in shown
    assert "/run/secrets/redis_password" in json.dumps(redis["healthcheck"])


@pytest.mark.skipif(not shutil.which("redis-server"), reason=NO_REDIS)
def test_redis_start_script_sets_the_password_out_of_sight(tmp_path: Path) -> None:
    """redis-start.sh with the compose command on a real redis-server: the password works, is required,
    and is neither in the process's command line nor its environment; the bot's settings reach it."""
    import socket

    import redis as redis_py

    from bot.config import Settings

    secret = tmp_path / "redis_password"
    password = "0f3a9c" * 6
    secret.write_text(password + "\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = _redis_command(yaml.safe_load((DOCKER / "compose.yaml").read_text()))[1:]  # no image entrypoint here
    args += ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", "", "--daemonize", "no",
             "--logfile", str(tmp_path / "redis.log")]
    env = {**os.environ, "REDIS_PASSWORD_FILE": str(secret)}
    env.pop("REDISCLI_AUTH", None)
    proc = subprocess.Popen(["sh", str(DOCKER / "redis-start.sh"), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        client = redis_py.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=2)
        for _ in range(100):
            try:
                assert client.ping()
                break
            except redis_py.ConnectionError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                time.sleep(0.1)
        else:
            pytest.fail("redis-server never answered")
        assert client.config_get("appendfsync") == {"appendfsync": "always"}
        with pytest.raises(redis_py.AuthenticationError):
            redis_py.Redis(host="127.0.0.1", port=port, socket_timeout=2).ping()
        proc_dir = Path(f"/proc/{proc.pid}")  # exec'd: the shell became redis-server
        assert password.encode() not in (proc_dir / "cmdline").read_bytes()
        assert password.encode() not in (proc_dir / "environ").read_bytes()
        # The bot, configured as compose configures it, reaches the same server with the same secret.
        settings = Settings.from_env({"REDIS_URL": f"redis://127.0.0.1:{port}/0", "REDIS_PASSWORD_FILE": str(secret)})
        assert redis_py.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        assert password not in repr(settings)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("content,message", [("", "letters and digits only"), ("has space", "letters and digits only")])
def test_redis_start_script_refuses_a_missing_or_odd_password(tmp_path: Path, content: str, message: str) -> None:
    secret = tmp_path / "redis_password"
    secret.write_text(content)
    for env in ({"REDIS_PASSWORD_FILE": str(secret)}, {"REDIS_PASSWORD_FILE": str(tmp_path / "missing")}):
        done = subprocess.run(["sh", str(DOCKER / "redis-start.sh"), "true"], env={**os.environ, **env},
                              capture_output=True, text=True, timeout=20)
        assert done.returncode == 1
        assert ("cannot read" if "missing" in env["REDIS_PASSWORD_FILE"] else message) in done.stderr


def test_compose_redis_data_is_on_a_named_volume(compose: dict[str, Any]) -> None:
    mounts = compose["services"]["redis"]["volumes"]
    named = [m.split(":")[0] for m in mounts if isinstance(m, str) and m.split(":")[1] == "/data"]
    assert named and not named[0].startswith((".", "/"))
    assert named[0] in compose["volumes"]


def test_compose_healthchecks(compose: dict[str, Any]) -> None:
    redis_check = compose["services"]["redis"]["healthcheck"]["test"]
    assert "redis-cli" in " ".join(redis_check) and "PONG" in " ".join(redis_check)
    assert compose["services"]["bot"]["healthcheck"]["test"] == ["CMD", "python", "-c", HEALTHZ_PY]


def test_compose_bot_settings(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    env = bot["environment"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"  # no password in it: that is the secret file
    assert env["REDIS_PASSWORD_FILE"] == "/run/secrets/redis_password" and bot["secrets"] == ["redis_password"]
    for name in ("APP_ID", "APP_PASSWORD", "APP_TYPE", "APP_TENANTID"):
        assert str(env[name]).startswith("${" + name), f"{name} must come from the environment"
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    build = bot["build"]
    assert (DOCKER / build["context"] / build["dockerfile"]).resolve() == (DOCKER / "Dockerfile").resolve()
    assert (DOCKER / build["context"]).resolve() == ROOT


def test_compose_holds_no_secret_values(compose: dict[str, Any]) -> None:
    for service in compose["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|KEY|AUTH", name):
                assert str(value).startswith(("${", "/run/secrets/")), f"{name} has a literal value"
        # The Redis password reaches no container's environment or command line (`docker inspect`).
        assert "REDIS_PASSWORD}" not in json.dumps({k: service.get(k) for k in ("environment", "command")})


# --- Azure Bicep ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bicep() -> dict[str, Any]:
    from pycep import BicepParser

    return BicepParser().parse(file_path=AZURE / "main.bicep")


def _resources(bicep: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    found = []
    for res in bicep["resources"].values():
        if res["type"] == rtype:
            config = res["config"]
            found.append(config.get("config", config) if "condition" in config else config)
    return found


def _decorators(param: dict[str, Any]) -> set[str]:
    return {d["type"] for d in param["decorators"]}


def test_bicep_azure_bot_is_single_tenant_with_the_teams_channel(bicep: dict[str, Any]) -> None:
    (bot,) = _resources(bicep, "Microsoft.BotService/botServices")
    props = bot["properties"]
    assert props["msaAppType"] == "SingleTenant"
    assert props["msaAppId"] == "botAppId" and "botAppId" in bicep["parameters"]
    assert props["msaAppTenantId"] == "botTenantId" and "botTenantId" in bicep["parameters"]
    assert re.fullmatch(r"https://\$\{app\.properties\.configuration\.ingress\.fqdn\}/api/messages", props["endpoint"])
    (channel,) = _resources(bicep, "Microsoft.BotService/botServices/channels")
    assert channel["name"] == "MsTeamsChannel" and channel["properties"]["channelName"] == "MsTeamsChannel"
    assert channel["properties"]["properties"]["isEnabled"] is True
    assert channel["parent"] == "bot"


def test_bicep_container_app_is_https_only_on_3978(bicep: dict[str, Any]) -> None:
    (app,) = _resources(bicep, "Microsoft.App/containerApps")
    ingress = app["properties"]["configuration"]["ingress"]
    assert ingress["external"] is True and ingress["allowInsecure"] is False
    assert bicep["variables"][ingress["targetPort"]]["value"] == 3978
    (container,) = app["properties"]["template"]["containers"]
    probes = {p["type"]: p["httpGet"]["path"] for p in container["probes"]}
    assert probes["Liveness"] == "/healthz" and probes["Readiness"] == "/readyz"
    scale = app["properties"]["template"]["scale"]
    assert scale["rules"][0]["http"]["metadata"]["concurrentRequests"]


def test_bicep_secrets_come_from_key_vault(bicep: dict[str, Any]) -> None:
    assert "secure" in _decorators(bicep["parameters"]["botAppPassword"])
    assert "secure" in _decorators(bicep["parameters"]["extraSecretSettings"])
    assert "secure" in _decorators(bicep["parameters"]["directoryYaml"])
    assert "secure" in _decorators(bicep["parameters"]["recordKeys"])
    assert bicep["parameters"]["recordKeys"].get("default") is None, "the record keys are required"
    assert "secure" in _decorators(bicep["parameters"]["metricsToken"])
    secrets = {s["name"]: s for s in bicep["variables"]["baseSecrets"]["value"]}
    assert set(secrets) == {"app-password", "redis-url", "record-keys", "chain-keys"}
    assert all("keyVaultUrl" in s and "value" not in s for s in secrets.values())
    env = {e["name"]: e for e in bicep["variables"]["baseEnv"]["value"]}
    assert env["APP_PASSWORD"] == {"name": "APP_PASSWORD", "secretRef": "app-password"}
    assert env["REDIS_URL"] == {"name": "REDIS_URL", "secretRef": "redis-url"}
    assert env["SHARESAFE_RECORD_KEYS"] == {"name": "SHARESAFE_RECORD_KEYS", "secretRef": "record-keys"}
    assert env["SHARESAFE_CHAIN_KEYS"] == {"name": "SHARESAFE_CHAIN_KEYS", "secretRef": "chain-keys"}
    assert "secure" in _decorators(bicep["parameters"]["chainKeys"])
    assert bicep["parameters"]["chainKeys"].get("default") is None, "the chain keys are required"
    vault_secrets = {r["name"]: r for r in _resources(bicep, "Microsoft.KeyVault/vaults/secrets")}
    assert vault_secrets["record-keys"]["properties"]["value"] == "recordKeys"
    assert vault_secrets["metrics-token"]["properties"]["value"] == "metricsToken"
    assert env["APP_TYPE"]["value"] == "SingleTenant" and env["SHARESAFE_ENV"]["value"] == "production"
    (vault,) = _resources(bicep, "Microsoft.KeyVault/vaults")
    assert vault["properties"]["enableRbacAuthorization"] is True
    assert vault["properties"]["enablePurgeProtection"] is True
    text = (AZURE / "main.bicep").read_text()
    assert "4633458b-17de-408a-b874-0445c86b69e6" in text  # Key Vault Secrets User for the app's identity
    assert "rediss://" in text and "redis.properties.sslPort" in text


def test_bicep_runs_the_bot_as_production_demands(bicep: dict[str, Any]) -> None:
    """Everything the bot refuses to start without in production, and its secure defaults, are set."""
    env = {e["name"]: e for e in bicep["variables"]["baseEnv"]["value"]}
    assert env["SHARESAFE_ALLOWED_TENANTS"]["value"] == "botTenantId" == env["APP_TENANTID"]["value"]
    assert {"APP_ID", "APP_PASSWORD", "APP_TENANTID", "SHARESAFE_RECORD_KEYS", "SHARESAFE_CHAIN_KEYS"} <= set(env)
    # The metrics token reaches the bot only when given (else /metrics stays off), and from Key Vault.
    (metrics_secret,) = [r for r in bicep["resources"].values() if r["type"] == "Microsoft.KeyVault/vaults/secrets"
                         and r["config"].get("condition") == "useMetricsToken"]
    assert metrics_secret["config"]["config"]["name"] == "metrics-token"
    optional = json.dumps(bicep["variables"]["optionalEnv"])
    assert "SHARESAFE_METRICS_TOKEN" in optional and "metrics-token" in optional and "useMetricsToken" in optional
    text = (AZURE / "main.bicep").read_text()
    assert re.search(r"secrets: concat\(baseSecrets, metricsSecrets,", text)
    # The walk-through passes the record key as its own secure parameter, as the template now asks.
    step3 = DOCS.read_text(encoding="utf-8").split("## Step 3")[1].split("## Step 4")[0]
    assert step3.count('-p recordKeys="$RECORD_KEY"') == 2  # what-if and create
    assert '\\"SHARESAFE_RECORD_KEYS\\"' not in step3 and '\\"SHARESAFE_ALLOWED_TENANTS\\"' not in step3


def test_bicep_redis_firewall_rules_are_available(bicep: dict[str, Any]) -> None:
    (fw,) = [r for r in bicep["resources"].values() if r["type"] == "Microsoft.Cache/redis/firewallRules"]
    assert fw["config"]["loop_type"]["detail"] == {"item_name": "rule", "array_name": "redisFirewallRules"}
    assert fw["config"]["config"]["parent"] == "redis"
    assert bicep["parameters"]["redisFirewallRules"]["type"] == "array"
    assert bicep["parameters"]["redisFirewallRules"]["default"] == []


def test_bicep_redis_is_tls_only_and_never_evicts(bicep: dict[str, Any]) -> None:
    (redis,) = _resources(bicep, "Microsoft.Cache/redis")
    props = redis["properties"]
    assert props["enableNonSslPort"] is False
    assert props["minimumTlsVersion"] == "1.2"
    assert props["sku"]["name"] == "redisSkuName"
    assert bicep["parameters"]["redisSkuName"]["default"] == "Premium"
    config = props["redisConfiguration"]["operator"]["operands"]
    assert config["condition"] == "aofEnabled"
    assert config["true_value"]["'aof-backup-enabled'"] == "true"
    for branch in ("true_value", "false_value"):
        assert config[branch]["'maxmemory-policy'"] == "noeviction"
    assert re.search(r"var aofEnabled = redisAofPersistence && redisSkuName == 'Premium'",
                     (AZURE / "main.bicep").read_text())


def test_bicep_log_analytics_is_optional(bicep: dict[str, Any]) -> None:
    (logs,) = [r for r in bicep["resources"].values() if r["type"] == "Microsoft.OperationalInsights/workspaces"]
    assert logs["config"]["condition"] == "enableLogAnalytics"
    assert bicep["parameters"]["enableLogAnalytics"]["type"] == "bool"


BICEP_FUNCTIONS = {"environment", "resourceGroup", "subscription", "tenant", "deployment", "concat", "json",
                   "string", "take", "toLower", "replace", "uniqueString", "guid", "empty", "items",
                   "uriComponent", "subscriptionResourceId", "listKeys"}


def _bicep_code(text: str) -> str:
    """The Bicep source without comments, each string replaced by the expressions interpolated in it."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif text.startswith("'''", i):
            i = text.index("'''", i + 3) + 3
            out.append(" ")
        elif text[i] == "'":
            j, body = i + 1, []
            while text[j] != "'":
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith("${", j):
                    depth, k = 1, j + 2
                    while depth:
                        depth += {"{": 1, "}": -1}.get(text[k], 0)
                        k += 1
                    body.append(" " + _bicep_code(text[j + 2:k - 1]) + " ")
                    j = k
                    continue
                j += 1
            out.append(" ".join(body) or " ")
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def test_bicep_symbols_are_declared_and_do_not_shadow_functions(bicep: dict[str, Any]) -> None:
    declared = set(bicep["parameters"]) | set(bicep["variables"]) | set(bicep["resources"])
    assert not declared & BICEP_FUNCTIONS, "a symbol named like a function hides that function"
    code = _bicep_code((AZURE / "main.bicep").read_text())
    used = set(re.findall(r"\b([A-Za-z_]\w*)\.(?:properties|id|name|listKeys)\b", code))
    loop_variables = set(re.findall(r"\[for (\w+) in\b", code))
    assert used <= declared | loop_variables, used - declared
    for name in bicep["parameters"]:
        assert len(re.findall(rf"\b{name}\b", code)) >= 2, f"parameter {name} is never used"


def test_parameters_example_matches_the_bicep(bicep: dict[str, Any]) -> None:
    example = json.loads((AZURE / "main.parameters.example.json").read_text())
    given = set(example["parameters"])
    params = bicep["parameters"]
    assert given <= set(params), given - set(params)
    secure = {n for n, p in params.items() if "secure" in _decorators(p)}
    assert not given & secure, "secrets never go in a parameters file"
    required = {n for n, p in params.items() if p.get("default") is None and n not in secure}
    assert required <= given, required - given


# --- the guide and the script ----------------------------------------------------------------------------

def _config_table_variables() -> set[str]:
    doc = ast.get_docstring(ast.parse((ROOT / "bot" / "config.py").read_text()))
    return {m.group(1) for m in re.finditer(r"^\|\s*([A-Z][A-Z0-9_]+)", doc or "", re.M)}


def test_deploy_guide_covers_every_setting() -> None:
    from bot.channels.teams import app_package as teams_package

    text = DOCS.read_text(encoding="utf-8")
    wanted = {"APP_ID", "APP_PASSWORD", "APP_TYPE", "APP_TENANTID", "REDIS_URL", "SHARESAFE_DATA_DIR",
              "SHARESAFE_PACK", "SHARESAFE_DIRECTORY", "SHARESAFE_ENV", "PORT", "HOST", "CONVERSATION_IDLE_TTL",
              "REDIS_PASSWORD"}
    wanted |= _config_table_variables() | set(teams_package.KNOWN)
    missing = sorted(v for v in wanted if not re.search(rf"`{v}[`<]", text))
    assert missing == [], f"docs/deploy.md does not describe {missing}"
    for phrase in ("appendfsync always", "appendonly yes", "python -m bot teams-package", "main.bicep",
                   "sticky", "backup", "rotat"):
        assert phrase in text, phrase


ADMIN = "admin-docs-1"
DOC_COMMAND = re.compile(r"\bpython3? -m bot\b(.*)")
# Where a command line stops: a shell operator, a redirection or a comment.
SHELL_END = re.compile(r"\s(?:&&|\|\||\||;|>|2>|#)|\)\s*$")


def guide_bot_commands(path: Path = DOCS) -> list[tuple[str, list[str]]]:
    """Every `python -m bot ...` in the guide's code blocks and inline code: (as written, argv)."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", prose.replace("\n", " "))
    found = []
    for chunk in blocks + spans:
        for line in chunk.replace("\\\n", " ").splitlines():
            match = DOC_COMMAND.search(line)
            if not match:
                continue
            rest = SHELL_END.split(match.group(1))[0]
            rest = re.sub(r"<[^>]+>", ADMIN, rest)  # <your user id> and the like
            rest = re.sub(r"\$\([^)]*\)", "2026-01-01", rest)  # $(date +%F)
            found.append((match.group(0).strip(), shlex.split(rest)))
    return found


def test_every_command_in_the_guide_parses_with_the_real_command_line() -> None:
    from bot.cli.main import parse_args

    commands = guide_bot_commands()
    named = {" ".join(argv[:2]) for _, argv in commands}
    assert {"records export", "records verify", "records purge", "records new-key"} <= named, named
    assert any(argv[:1] == ["teams-package"] for _, argv in commands)
    for written, argv in commands:
        try:
            parse_args(argv)
        except SystemExit as exc:
            pytest.fail(f"docs/deploy.md: `{written}` is rejected by python -m bot (exit {exc.code})")


def test_every_records_command_in_the_guide_runs(tmp_path: Path) -> None:
    """The administrator's commands, run as written against a real (empty) store: none exits 2."""
    (tmp_path / "directory.yaml").write_text(f"admins: [{ADMIN}]\norganisations: {{}}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHARESAFE_", "APP_", "REDIS_", "LOG_"))}
    env.update({"PYTHONPATH": str(ROOT), "SHARESAFE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path),
                "SHARESAFE_DIRECTORY": str(tmp_path / "directory.yaml"), "SHARESAFE_RETENTION_DAYS": "3650"})
    ran = 0
    for written, argv in guide_bot_commands():
        if argv[:1] != ["records"]:
            continue
        done = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, f"docs/deploy.md: `{written}` exits {done.returncode}: {done.stderr[-500:]}"
        ran += 1
    assert ran >= 4
    assert list(tmp_path.glob("records-*.jsonl")), "the backup export wrote its file"


def test_check_image_steps_script_is_valid_bash() -> None:
    script = DOCKER / "check_image_steps.sh"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0


@pytest.mark.skipif(os.environ.get("SHARESAFE_CHECK_IMAGE") != "1",
                    reason="set SHARESAFE_CHECK_IMAGE=1 to build a fresh venv and run the image's steps")
def test_image_steps_run_without_a_container_engine() -> None:
    done = subprocess.run([str(DOCKER / "check_image_steps.sh")], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "HEALTHCHECK passed" in done.stdout and "check_image_steps: OK" in done.stdout
    assert "ENV SHARESAFE_ENV=production" in done.stdout
    assert "without credentials the CMD refuses to start: exit 2" in done.stdout
    for line in ("readyz -> 200", "messages -> 401", "metrics -> 404", "no secret in the server's output"):
        assert f"check_image_steps: {line}" in done.stdout, line
