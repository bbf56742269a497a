#!/usr/bin/env bash
# Run the container image's steps without a container engine, to check the Dockerfile's recipe:
#   1. build stage:   a fresh virtual environment, `pip install --no-cache-dir -r requirements.txt`
#   2. runtime stage: copy exactly what the Dockerfile's final stage COPYs into an empty folder
#   3. with only the final stage's ENV (SHARESAFE_ENV=production, HOST=0.0.0.0, the data in /data),
#      as `docker run IMAGE` would: the CMD must refuse to start (exit code 2, "APP_ID is not set")
#   4. with test credentials as an operator passes them (APP_ID, APP_PASSWORD, SingleTenant,
#      SHARESAFE_ALLOWED_TENANTS, and SHARESAFE_RECORD_KEYS made by the image's own
#      `python -m bot records new-key`), start the CMD as a non-root user (nobody, when this script
#      runs as root)
#   5. run the Dockerfile's HEALTHCHECK until it passes (GET /healthz); then GET /readyz must be
#      ready, POST /api/messages without a token must get 401, GET /metrics must be 404 (no token
#      set), the store must be in the data folder, and no secret may be in the server's output
#   6. stop the server
# The CMD, the HEALTHCHECK, the ENV and the COPY lines are read from the Dockerfile itself, so this
# checks what the image will really do. The server gets no other environment (`env -i`); only the
# image's paths are mapped into the scratch folder (/opt/venv/bin, /app, /data). When
# deploy/playground/isolated works here, steps 3-6 run in a loopback-only network namespace, so the
# CMD's --host 0.0.0.0 exposes nothing and nothing can reach Microsoft; otherwise the server is
# bound to 127.0.0.1 instead.
#
# Usage: deploy/docker/check_image_steps.sh [--base-python PY] [--python PYTHON]
#   --base-python PY  interpreter to build the venv from (default: the first Python 3.11 that the
#                     non-root user can run: /usr/local/bin/python3.11 as in python:3.11-slim, then
#                     /usr/bin/python3.11, then python3.11 and python3 on PATH)
#   --python PYTHON   skip step 1 and use an interpreter that already has requirements.txt installed
#                     (it must be runnable by the non-root user)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dockerfile=$repo/deploy/docker/Dockerfile
python_bin=""
base_python=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --python) python_bin=$2; shift 2 ;;
    --base-python) base_python=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
chmod 755 "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
say() { printf 'check_image_steps: %s\n' "$*"; }

# Read the final stage of the Dockerfile: what it copies, its ENV, its CMD and its HEALTHCHECK command.
python3 - "$dockerfile" "$work" >"$work/recipe" <<'PY'
import json, re, shlex, sys
text = open(sys.argv[1], encoding="utf-8").read()
work = sys.argv[2]
# The image's own paths, as this script lays them out in the scratch folder.
IMAGE_PATHS = {"/opt/venv/bin": f"{work}/bin", "/app": f"{work}/app", "/data": f"{work}/data"}
# PATH as python:3.11-slim sets it, for an ENV line that extends $PATH.
BASE_ENV = {"PATH": "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"}
lines, buf = [], ""
for raw in text.splitlines():
    if not buf and raw.lstrip().startswith("#"):
        continue
    buf += raw.rstrip()[:-1] + " " if raw.rstrip().endswith("\\") else raw
    if not raw.rstrip().endswith("\\"):
        if buf.strip():
            lines.append(buf.strip())
        buf = ""
stages, current = [], None
for line in lines:
    word, _, rest = line.partition(" ")
    if word.upper() == "FROM":
        current = []
        stages.append(current)
    elif current is not None:
        current.append((word.upper(), rest.strip()))
final = stages[-1]
base_image = re.search(r"^ARG PYTHON_IMAGE=(\S+)", text, re.M)
print("BASE", base_image.group(1) if base_image else "?", sep="\t")
env = dict(BASE_ENV)
for word, rest in final:
    if word == "ENV":
        tokens = shlex.split(rest)
        pairs = ([t.partition("=")[::2] for t in tokens] if "=" in tokens[0]
                 else [(tokens[0], " ".join(tokens[1:]))])  # the old `ENV NAME value` form
        for name, value in pairs:
            value = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), value)
            mapped = ":".join(next((v + part[len(k):] for k, v in IMAGE_PATHS.items()
                                    if part == k or part.startswith(k + "/")), part) for part in value.split(":"))
            env[name] = mapped
            print("ENV", name, mapped, value, sep="\t")
    elif word == "COPY":
        args = [a for a in shlex.split(rest) if not a.startswith("--")]
        if any(a.startswith("--from") for a in shlex.split(rest)):
            continue
        *sources, dest = args
        for src in sources:
            print("COPY", src.rstrip("/"), dest.rstrip("/"), sep="\t")
    elif word == "CMD":
        print("CMD", json.dumps(json.loads(rest)), sep="\t")
    elif word == "HEALTHCHECK":
        cmd = re.search(r"\bCMD\s+(\[.*\])\s*$", rest)
        print("HEALTH", json.dumps(json.loads(cmd.group(1))), sep="\t")
PY
cmd_json=$(awk -F'\t' '$1=="CMD"{print $2}' "$work/recipe")
# The final stage's ENV (a later value of a name wins, as in the image).
image_env=()
while IFS=$'\t' read -r kind name mapped shown; do
  [[ $kind == ENV ]] || continue
  image_env+=("$name=$mapped")
  [[ $mapped == "$shown" ]] && say "ENV $name=$shown" || say "ENV $name=$shown (here: $mapped)"
done <"$work/recipe"
grep -q $'^ENV\tSHARESAFE_ENV\tproduction\t' "$work/recipe" \
  || { echo "the Dockerfile's final stage does not set SHARESAFE_ENV=production" >&2; exit 1; }
health_json=$(awk -F'\t' '$1=="HEALTH"{print $2}' "$work/recipe")
[[ -n $cmd_json && -n $health_json ]] || { echo "Dockerfile has no CMD or HEALTHCHECK CMD" >&2; exit 1; }

# The server runs as nobody when this script runs as root (as the image runs as an unprivileged uid).
as_user=""
if [[ $(id -u) -eq 0 ]]; then
  command -v setpriv >/dev/null || { echo "setpriv (util-linux) is needed to drop root" >&2; exit 1; }
  as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
runnable() { $as_user "$1" -c 'import venv' >/dev/null 2>&1; }

# 1. Build stage.
if [[ -z $python_bin ]]; then
  if [[ -z $base_python ]]; then
    for candidate in /usr/local/bin/python3.11 /usr/bin/python3.11 "$(command -v python3.11 || true)" "$(command -v python3 || true)"; do
      if [[ -n $candidate && -x $candidate ]] && runnable "$candidate"; then base_python=$candidate; break; fi
    done
    [[ -n $base_python ]] || { echo "no Python the non-root user can run: give --base-python" >&2; exit 1; }
  fi
  say "build stage: fresh venv from $base_python ($("$base_python" -V 2>&1); the image's base is $(awk -F'\t' '$1=="BASE"{print $2}' "$work/recipe")), pip install --no-cache-dir -r requirements.txt"
  "$base_python" -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir -r "$repo/requirements.txt"
  python_bin=$work/venv/bin/python
else
  runnable "$python_bin" || { echo "$python_bin cannot be run by the non-root user (uid 65534)" >&2; exit 1; }
  say "build stage skipped: using $python_bin"
fi
# The CMD and HEALTHCHECK say `python`: make that name this interpreter, as PATH=/opt/venv/bin does.
# (A small wrapper, not a symlink: Python finds its venv from the path it is started by.)
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec %q "$@"\n' "$(command -v "$python_bin")" >"$work/bin/python"
chmod 755 "$work/bin/python"

# 2. Runtime stage: only what the final stage copies (less what .dockerignore leaves out).
mkdir -p "$work/app" "$work/data"
while IFS=$'\t' read -r kind src dest; do
  [[ $kind == COPY ]] || continue
  mkdir -p "$work/app/$dest"
  cp -R "$repo/$src/." "$work/app/$dest/"
  say "copied $src/ -> $dest/"
done <"$work/recipe"
find "$work/app" \( -name __pycache__ -o -name .pytest_cache -o -name .hypothesis \) -prune -exec rm -rf {} +
find "$work/app" -name '*.pyc' -delete
chmod -R a+rX "$work/app"

# 3-5 run in one script, so that the server and the health check share one network namespace.
[[ -z $as_user ]] || chown 65534:65534 "$work/data"
isolated=$repo/deploy/playground/isolated
port=3978
if [[ -x $isolated ]] && "$isolated" true 2>/dev/null; then
  runner=("$isolated")
  say "running the CMD in a loopback-only network namespace"
else
  runner=()
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cmd_json=$(python3 -c 'import json, sys; print(json.dumps(["127.0.0.1" if a == "0.0.0.0" else a for a in json.loads(sys.argv[1])]))' "$cmd_json")
  for i in "${!image_env[@]}"; do
    case ${image_env[$i]} in HOST=*) image_env[$i]=HOST=127.0.0.1 ;; PORT=*) image_env[$i]=PORT=$port ;; esac
  done
  say "no network namespace available: binding 127.0.0.1:$port instead of 0.0.0.0"
fi
printf '%s\0' "${image_env[@]}" >"$work/image.env"   # NUL-separated: values may hold anything

cat >"$work/probe.py" <<'PY'
"""GET /readyz, POST /api/messages without a token, GET /metrics: one line each, `name status body`."""
import json, os, sys, urllib.error, urllib.request

base = "http://127.0.0.1:" + os.environ["PORT"]
tenant = sys.argv[1]
activity = {"type": "message", "id": "check-image-1", "text": "hello", "channelId": "msteams",
            "serviceUrl": "https://smba.trafficmanager.net/uk/", "from": {"id": "29:check-image"},
            "recipient": {"id": "28:sharesafe"}, "conversation": {"id": "a:check-image", "tenantId": tenant},
            "channelData": {"tenant": {"id": tenant}}}
for name, method, path, body in [("readyz", "GET", "/readyz", None), ("messages", "POST", "/api/messages", activity),
                                 ("metrics", "GET", "/metrics", None)]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={} if body is None else {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read().decode()
    print(name, status, " ".join(text.split())[:200])
PY

cat >"$work/run.sh" <<'SH'
#!/usr/bin/env bash
set -uo pipefail
cd "$WORK/app"
mapfile -d '' -t image_env <"$WORK/image.env"
exec_json='import json, os, sys; a = json.loads(sys.argv[1]); os.execvp(a[0], a)'
say() { printf 'check_image_steps: %s\n' "$*"; }
fail() { printf 'check_image_steps: FAILED: %s\n' "$*"; exit 1; }
# As `docker run IMAGE`: the image's ENV and its user's HOME, nothing from this shell.
in_image() { env -i "${image_env[@]}" HOME=/nonexistent "$@"; }

# 3. No credentials: production must refuse before it listens.
# shellcheck disable=SC2086
in_image timeout 60 $AS_USER python -c "$exec_json" "$CMD_JSON" >"$WORK/refused.log" 2>&1
code=$?
[[ $code -eq 2 ]] || { cat "$WORK/refused.log"; fail "without credentials the CMD exited with $code, not 2"; }
grep -q "^Configuration error: SHARESAFE_ENV is production but APP_ID is not set" "$WORK/refused.log" \
  || { cat "$WORK/refused.log"; fail "the refusal does not say that APP_ID is not set"; }
! grep -q "listening" "$WORK/refused.log" || fail "it listened before refusing"
say "without credentials the CMD refuses to start: exit 2, \"$(grep -o '^Configuration error: [^:]*' "$WORK/refused.log")\""

# 4. Test credentials, as an operator passes them; the record key from the image's own CLI.
# shellcheck disable=SC2086
key=$(in_image $AS_USER python -m bot records new-key) || fail "python -m bot records new-key failed"
app_id=$(in_image python -c 'import uuid; print(uuid.uuid4())')
tenant=$(in_image python -c 'import uuid; print(uuid.uuid4())')
password=$(in_image python -c 'import secrets; print(secrets.token_urlsafe(24))')
say "python -m bot records new-key made a record key; starting the CMD with APP_ID, APP_PASSWORD, SingleTenant, SHARESAFE_ALLOWED_TENANTS and SHARESAFE_RECORD_KEYS"
# shellcheck disable=SC2086
env -i "${image_env[@]}" HOME=/nonexistent APP_ID="$app_id" APP_PASSWORD="$password" APP_TYPE=SingleTenant \
  APP_TENANTID="$tenant" SHARESAFE_ALLOWED_TENANTS="$tenant" SHARESAFE_RECORD_KEYS="$key" SHARESAFE_CHAIN_KEYS="$key" \
  $AS_USER python -c "$exec_json" "$CMD_JSON" >"$WORK/server.log" 2>&1 &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
}
trap stop EXIT

# 5. The HEALTHCHECK, then what an operator and Azure Bot Service see.
healthy=""
for _ in $(seq 60); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "server exited before it was healthy:"; cat "$WORK/server.log"; exit 1
  fi
  # shellcheck disable=SC2086
  if in_image $AS_USER python -c "$exec_json" "$HEALTH_JSON" 2>/dev/null; then healthy=yes; break; fi
  sleep 0.5
done
if [[ -z $healthy ]]; then echo "HEALTHCHECK never passed:"; cat "$WORK/server.log"; exit 1; fi
say "HEALTHCHECK passed (GET /healthz on port $PORT)"
uid=$(awk '/^Uid:/{print $2}' "/proc/$pid/status")
say "server runs as uid $uid"
if [[ -n $AS_USER && $uid -eq 0 ]]; then fail "server runs as root"; fi
# shellcheck disable=SC2086
probe=$(in_image $AS_USER python "$WORK/probe.py" "$tenant") || fail "the probe failed: $probe"
while read -r name status body; do
  say "$name -> $status $body"
  case $name:$status in
    readyz:200 | messages:401 | metrics:404) ;;
    *) cat "$WORK/server.log"; fail "$name answered $status" ;;
  esac
done <<<"$probe"
[[ $probe == *'"ready"'* && $probe == *'"sqlite"'* ]] || fail "/readyz is not ready on the SQLite store"
stored=$(cd "$WORK/data" && ls -A)
[[ -n $stored ]] || fail "nothing was stored in the data folder (the image's /data)"
say "the store is in the image's data folder: $(echo "$stored" | tr '\n' ' ')"
if grep -qF -e "$password" -e "$key" "$WORK/server.log"; then fail "a secret appears in the server's output"; fi
say "no secret in the server's output ($(wc -l <"$WORK/server.log") lines)"
stop
trap - EXIT
say "server stopped"
SH
chmod 755 "$work/run.sh"
chmod 644 "$work/probe.py"

WORK=$work PORT=$port AS_USER=$as_user CMD_JSON=$cmd_json HEALTH_JSON=$health_json \
  "${runner[@]}" bash "$work/run.sh"
say "OK"
