#!/usr/bin/env bash
# See ShareSafe as a Teams user does, in the Microsoft 365 Agents Playground, fully offline.
# The Playground and Chromium try to reach Microsoft hosts, so the bot, the Playground and the
# browser all run inside one loopback-only network namespace (deploy/playground/isolated, in this repository).
#
#   npm install --prefix "$PG" @microsoft/m365agentsplayground playwright-core   (once)
#   apt-get install -y chromium                                                   (once)
#   deploy/playground/isolated deploy/playground/run.sh '[{"click":"Can I share this information?","shot":"q1"}]'
#
# Steps (JSON): {"type": "text"} types a message, {"click": "Button label"} presses a card button,
# {"fill": {"selector": "...", "text": "..."}} fills a card's text box; "shot": "name" saves name.png
# in $SHOTS (default: the current directory). With no steps it screenshots the welcome card.
set -euo pipefail
# Job control: each background job is its own process group, so the trap stops npx's children too.
set -m
repo=$(cd "$(dirname "$0")/../.." && pwd)
PG=${PG:-/tmp/playground}
export SHOTS=${SHOTS:-$PWD}
data=$(mktemp -d)
# The README's virtualenv when there is one (the bot's packages are there, not in the system Python).
py="$repo/.venv/bin/python"; [[ -x $py ]] || py=python3
(cd "$repo" && SHARESAFE_DATA_DIR="$data" "$py" -m bot serve --port 3978 >"$SHOTS/bot.log" 2>&1) &
bot=$!
(cd "$PG" && TEAMSAPPTESTER_BROWSER=none npx agentsplayground --disable-telemetry \
  --app-endpoint http://127.0.0.1:3978/api/messages --channel-id msteams >"$SHOTS/playground.log" 2>&1) &
pg=$!
trap 'kill -- -$pg -$bot 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 60); do python3 -c 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:56150/")' 2>/dev/null && break; sleep 0.5; done
NODE_PATH="$PG/node_modules" node "$(dirname "$0")/drive.js" "${1:-[]}"
