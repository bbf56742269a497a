#!/usr/bin/env bash
# Run the container image's steps without a container engine, to check the Dockerfile's recipe:
#   1. build stage:   a fresh virtual environment, `pip install --no-cache-dir -r requirements.txt`
#   2. runtime stage: copy exactly what the Dockerfile's final stage COPYs into an empty folder
#   3. start the Dockerfile's CMD there as a non-root user (nobody, when this script runs as root)
#   4. run the Dockerfile's HEALTHCHECK command until it passes (GET /healthz), then GET /readyz
#   5. stop the server
# The CMD, the HEALTHCHECK and the COPY lines are read from the Dockerfile itself, so this checks
# what the image will really do. When ../shared/tools/isolated is available, steps 3-5 run in a
# loopback-only network namespace, so the CMD's --host 0.0.0.0 exposes nothing; otherwise the
# server is bound to 127.0.0.1 instead.
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
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
chmod 755 "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
say() { printf 'check_image_steps: %s\n' "$*"; }

# Read the final stage of the Dockerfile: what it copies, its CMD and its HEALTHCHECK command.
python3 - "$dockerfile" >"$work/recipe" <<'PY'
import json, re, shlex, sys
text = open(sys.argv[1], encoding="utf-8").read()
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
for word, rest in final:
    if word == "COPY":
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
  say "build stage: fresh venv from $base_python ($("$base_python" -V 2>&1)), pip install --no-cache-dir -r requirements.txt"
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
isolated=$repo/../shared/tools/isolated
port=3978
if [[ -x $isolated ]] && "$isolated" true 2>/dev/null; then
  runner=("$isolated")
  say "running the CMD in a loopback-only network namespace"
else
  runner=()
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cmd_json=$(python3 -c 'import json, sys; print(json.dumps(["127.0.0.1" if a == "0.0.0.0" else a for a in json.loads(sys.argv[1])]))' "$cmd_json")
  say "no network namespace available: binding 127.0.0.1:$port instead of 0.0.0.0"
fi

cat >"$work/run.sh" <<'SH'
#!/usr/bin/env bash
set -uo pipefail
cd "$WORK/app"
export PATH="$WORK/bin:$PATH" HOME="$WORK" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
export HOST=0.0.0.0 PORT SHARESAFE_DATA_DIR="$WORK/data"
unset APP_ID APP_PASSWORD REDIS_URL SHARESAFE_ENV
exec_json='import json, os, sys; a = json.loads(sys.argv[1]); os.execvp(a[0], a)'
# shellcheck disable=SC2086
$AS_USER python -c "$exec_json" "$CMD_JSON" >"$WORK/server.log" 2>&1 &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
}
trap stop EXIT
healthy=""
for _ in $(seq 60); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "server exited before it was healthy:"; cat "$WORK/server.log"; exit 1
  fi
  if $AS_USER python -c "$exec_json" "$HEALTH_JSON" 2>/dev/null; then healthy=yes; break; fi
  sleep 0.5
done
if [[ -z $healthy ]]; then echo "HEALTHCHECK never passed:"; cat "$WORK/server.log"; exit 1; fi
echo "check_image_steps: HEALTHCHECK passed (GET /healthz on port $PORT)"
uid=$(awk '/^Uid:/{print $2}' "/proc/$pid/status")
echo "check_image_steps: server runs as uid $uid"
if [[ -n $AS_USER && $uid -eq 0 ]]; then echo "server runs as root"; exit 1; fi
ready=$($AS_USER python -c 'import os, urllib.request; print(urllib.request.urlopen("http://127.0.0.1:" + os.environ["PORT"] + "/readyz", timeout=4).read().decode())')
echo "check_image_steps: GET /readyz -> $ready"
stop
trap - EXIT
echo "check_image_steps: server stopped"
SH
chmod 755 "$work/run.sh"

WORK=$work PORT=$port AS_USER=$as_user CMD_JSON=$cmd_json HEALTH_JSON=$health_json \
  "${runner[@]}" bash "$work/run.sh"
say "OK"
