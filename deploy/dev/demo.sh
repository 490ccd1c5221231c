#!/usr/bin/env bash
# The EdgeGateway demo, from a fresh Debian 12 machine with the .NET 10 SDK:
#   deploy/dev/demo.sh [DIR]
# brings up Mosquitto and InfluxDB (deploy/dev/stack.sh, data in DIR or a new temporary folder), builds the agent, the
# ingest and the CLI, and runs one gateway with the four simulated cells of deploy/sample/demo.json through twelve
# simulated weeks (2 March - 25 May 2026) in about a minute: two cells get an investment on 13 April, two are controls.
# The records go agent -> outbox -> MQTT -> ingest -> InfluxDB; at the end the demo reads the weekly KPIs per cell back
# from InfluxDB. The stack stays up for queries; `deploy/dev/stack.sh down DIR` stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly config=deploy/sample/demo.json
readonly from=2026-03-02T00:00:00Z
readonly to=2026-05-25T00:00:00Z
# Simulated seconds per real second: the 12 weeks (7 257 600 s) take about a minute.
readonly speed=120000
readonly bin=bin/Release/net10.0

dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/edgegw-demo.XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
started=$SECONDS
agent_pid="" ingest_pid=""

say() { echo "demo: $*"; }

fail() {
  echo "demo: $*" >&2
  exit 1
}

# The demo's own processes end with it (the stack stays up).
cleanup() {
  local pid
  for pid in $agent_pid $ingest_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT

# The site's time zone comes from tzdata, which minimal Debian images lack.
if ! dpkg-query -W -f='${Status}' tzdata 2>/dev/null | grep -q "install ok installed"; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing tzdata"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tzdata >/dev/null
fi

deploy/dev/stack.sh up "$dir" >"$dir/stack-up.log" || { cat "$dir/stack-up.log"; fail "the stack did not come up"; }
# shellcheck disable=SC1091
. "$dir/stack.env"
say "Mosquitto on 127.0.0.1:$MQTT_PORT, InfluxDB on $INFLUX_URL (database $INFLUX_DATABASE), folder $dir"

say "building the agent, the ingest and the CLI (Release)"
for project in src/EdgeGateway.Cli src/EdgeGateway.Ingest; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; fail "the build of $project failed"; }
done
edgegw=(dotnet "src/EdgeGateway.Cli/$bin/edgegw.dll")

influx_count() {
  curl -sG "$INFLUX_URL/query" --data-urlencode "db=$INFLUX_DATABASE" --data-urlencode "q=SELECT count(\"$2\") FROM \"$1\"" |
    grep -o '[0-9]*\]\]' | tr -d ']' || echo 0
}

# The agent's status document (edgegw status --json), empty when the agent is not running; field NAME of it.
agent_status() { "${edgegw[@]}" status --json --status-file "$dir/agent-status.json" 2>/dev/null || true; }
field() { sed -n "s/^ *\"$1\": \([0-9]*\).*/\1/p" <<<"$2" | head -n 1; }

cat >"$dir/ingest.json" <<EOF
{
  "Ingest": {
    "Mqtt": { "Host": "127.0.0.1", "Port": $MQTT_PORT, "ClientId": "edgegw-demo-ingest" },
    "Influx": { "Version": 1, "Url": "$INFLUX_URL", "Database": "$INFLUX_DATABASE" },
    "DeadLetterDirectory": "$dir/dead-letters"
  }
}
EOF
dotnet "src/EdgeGateway.Ingest/$bin/edgegw-ingest.dll" --config "$dir/ingest.json" >"$dir/ingest.log" 2>&1 &
ingest_pid=$!
deadline=$((SECONDS + 60))
until grep -q "Ingest ready" "$dir/ingest.log"; do
  kill -0 "$ingest_pid" 2>/dev/null || { tail -n 20 "$dir/ingest.log"; fail "the ingest exited"; }
  [ $SECONDS -lt $deadline ] || { tail -n 20 "$dir/ingest.log"; fail "the ingest did not say 'Ingest ready' within 60 s"; }
  sleep 0.2
done
say "ingest ready (log $dir/ingest.log)"

rm -rf "$dir/outbox"
agent_start=$SECONDS
dotnet "src/EdgeGateway.Agent/$bin/edgegw-agent.dll" --config "$config" \
  --Agent:GatewayId=demo-gw --Agent:Source=Simulator --Agent:SpeedFactor=$speed \
  --Agent:SimulationStart=$from --Agent:SimulationEnd=$to --Agent:Windows:0=shift --Agent:Windows:1=day \
  --Agent:Outbox:Directory="$dir/outbox" --Agent:StatusFile="$dir/agent-status.json" \
  --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port="$MQTT_PORT" >"$dir/agent.log" 2>&1 &
agent_pid=$!
say "agent running: 4 cells of $config, $from to $to at $speed x (log $dir/agent.log)"

# Progress every 2 s until the simulation has reached its end (the source ends there and the last windows close).
from_s=$(date -u -d "$from" +%s)
to_s=$(date -u -d "$to" +%s)
until grep -q "signal source ended" "$dir/agent.log"; do
  kill -0 "$agent_pid" 2>/dev/null || { tail -n 20 "$dir/agent.log"; fail "the agent exited"; }
  kill -0 "$ingest_pid" 2>/dev/null || { tail -n 20 "$dir/ingest.log"; fail "the ingest exited"; }
  [ $((SECONDS - agent_start)) -lt 600 ] || fail "the simulation did not end within 10 minutes"
  sleep 2
  simulated=$((from_s + (SECONDS - agent_start) * speed))
  [ "$simulated" -le "$to_s" ] || simulated=$to_s
  status="$(agent_status)"
  printf 'demo: %4d s  simulated %s  records computed %6s  waiting in outbox %5s  in InfluxDB %6s\n' \
    $((SECONDS - agent_start)) "$(date -u -d "@$simulated" +%Y-%m-%d)" "$(field records "$status")" "$(field depth "$status")" "$(influx_count kpi run_s)"
done

# Everything the agent computed leaves its outbox before it stops.
records="$(sed -n 's/.*signal source ended; \([0-9]*\) window records.*/\1/p' "$dir/agent.log")"
deadline=$((SECONDS + 120))
while status="$(agent_status)"; [ "$(field records "$status")" != "$records" ] || [ "$(field depth "$status")" != 0 ]; do
  [ $SECONDS -lt $deadline ] || fail "the agent's outbox did not drain within 120 s ($(field depth "$status") records waiting)"
  sleep 0.5
done
kill -TERM "$agent_pid"
wait "$agent_pid" || true
agent_pid=""
say "simulation done: $records window records computed and delivered to the broker; agent stopped"

# ...and the ingest has written every one of them (a re-delivered record overwrites itself: count = records).
deadline=$((SECONDS + 60))
until [ "$(influx_count kpi run_s)" = "$records" ]; do
  [ $SECONDS -lt $deadline ] || fail "InfluxDB holds $(influx_count kpi run_s) of $records records after 60 s (ingest log $dir/ingest.log)"
  sleep 0.5
done
kill -TERM "$ingest_pid"
wait "$ingest_pid" || true
ingest_pid=""
say "InfluxDB holds all $records KPI records and $(influx_count state state) state changes; ingest stopped"
echo

"${edgegw[@]}" report --influx-url "$INFLUX_URL" --database "$INFLUX_DATABASE" --from "${from%%T*}" --to "${to%%T*}"

cat <<EOF

lathe-1 and press-1 got their investment on 2026-04-13 (14 days of ramp-up; lathe-1 also runs unattended at
night from then on); lathe-2 and press-2 are the controls. Demo took $((SECONDS - started)) s.

Query the data (InfluxQL over HTTP; the schema is in src/README.md, "InfluxDB schema"):
  curl -sG $INFLUX_URL/query --data-urlencode db=$INFLUX_DATABASE --data-urlencode "q=SELECT sum(\"good\") FROM \"kpi\" WHERE \"window\" = 'day' GROUP BY time(1w, 4d), \"cell\""
  dotnet src/EdgeGateway.Cli/$bin/edgegw.dll report --influx-url $INFLUX_URL --site sme-0117
Watch the broker:   mosquitto_sub -p $MQTT_PORT -t 'edgegw/v1/#' -v
Stop everything:    deploy/dev/stack.sh down $dir      (then rm -rf $dir)
EOF
