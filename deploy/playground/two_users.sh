#!/usr/bin/env bash
# Three Teams users in three Agents Playgrounds on one bot: Megan and Nestor (DSLs) register with a
# join code, Alex (a teacher) asks for advice, Megan acknowledges, Alex is told, and Nestor's card
# (and Megan's, and Alex's "Sent" card) shows it in place. Screenshots go to $SHOTS.
#   deploy/playground/isolated deploy/playground/two_users.sh      (see run.sh for the one-off installs)
set -euo pipefail
# Job control: each background job is its own process group, so the trap stops npx's children too.
set -m
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
PG=${PG:-/tmp/playground}
export SHOTS=${SHOTS:-$PWD}
data=$(mktemp -d)
# The README's virtualenv when there is one (the bot's packages are there, not in the system Python).
py="$repo/.venv/bin/python"; [[ -x $py ]] || py=python3
(cd "$repo" && SHARESAFE_DATA_DIR="$data" SHARESAFE_DIRECTORY="$here/directory.example.yaml" \
  SHARESAFE_JOIN_CODE_OAKFIELD=oakfield-2026 "$py" -m bot serve --port 3978 >"$SHOTS/bot.log" 2>&1) &
pids=($!)
for who in practitioner:56150 dsl:56151 dsl2:56152; do
  (cd "$here/${who%%:*}" && TEAMSAPPTESTER_BROWSER=none "$PG/node_modules/.bin/agentsplayground" --disable-telemetry \
    -p "${who##*:}" --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams >"$SHOTS/${who%%:*}.log" 2>&1) &
  pids+=($!)
done
trap 'for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done; rm -rf "$data" "$here"/*/devTools' EXIT
for port in 56150 56151 56152; do
  for _ in $(seq 60); do python3 -c "import urllib.request; urllib.request.urlopen('http://localhost:$port/')" 2>/dev/null && break; sleep 0.5; done
done
NODE_PATH="$PG/node_modules" node "$here/two_users.js"
