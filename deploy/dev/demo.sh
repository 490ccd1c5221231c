#!/usr/bin/env bash
# The EdgeGateway demo, from a fresh Debian 12 machine with the .NET 10 SDK:
#   deploy/dev/demo.sh [DIR]
# brings up Mosquitto and InfluxDB (deploy/dev/stack.sh, data in DIR or a new temporary folder), builds the agent, the
# ingest and the CLI, and runs a simulated voucher programme through twelve weeks (2 March - 25 May 2026) in about a
# minute: six sites, one gateway (agent process) each, with the two cells of deploy/sample/demo/SITE.json; six cells
# get an investment with go-live dates staggered from 23 March to 27 April, six are controls
# (deploy/sample/demo/register.csv). The records go agent -> outbox -> MQTT -> ingest -> InfluxDB; at the end the demo
# reads the weekly KPIs per cell back from InfluxDB and writes the programme's evaluation (edgegw evaluate: report.html,
# JSON, CSV) into DIR/evaluation. Last it starts the programme dashboard (edgegw-dashboard, config and demo users in
# DIR/dashboard) and prints its URL and logins. The stack and the dashboard stay up; `deploy/dev/stack.sh down DIR` stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."

readonly programme=deploy/sample/demo
readonly register=$programme/register.csv
readonly from=2026-03-02T00:00:00Z
readonly to=2026-05-25T00:00:00Z
# Simulated seconds per real second: the 12 weeks (7 257 600 s) take about a minute.
readonly speed=120000
readonly bin=bin/Release/net10.0

dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/edgegw-demo.XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
started=$SECONDS
ingest_pid=""
declare -A agent_pid=() records=()

# One gateway per site config, in name order.
sites=()
for config in "$programme"/*.json; do
  sites+=("$(basename "$config" .json)")
done
readonly sites

say() { echo "demo: $*"; }

fail() {
  echo "demo: $*" >&2
  exit 1
}

# The demo's own processes end with it (the stack stays up).
cleanup() {
  local pid
  for pid in "${agent_pid[@]}" $ingest_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${agent_pid[@]}" $ingest_pid; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# The sites' time zone comes from tzdata, which minimal Debian images lack.
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

say "building the agent, the ingest, the CLI and the dashboard (Release)"
for project in src/EdgeGateway.Cli src/EdgeGateway.Ingest src/EdgeGateway.Dashboard; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; fail "the build of $project failed"; }
done
edgegw=(dotnet "src/EdgeGateway.Cli/$bin/edgegw.dll")

influx_count() {
  curl -sG "$INFLUX_URL/query" --data-urlencode "db=$INFLUX_DATABASE" --data-urlencode "q=SELECT count(\"$2\") FROM \"$1\"" |
    grep -o '[0-9]*\]\]' | tr -d ']' || echo 0
}

# Field NAME of agent SITE's status file (the document `edgegw status --json` shows, replaced every 2 s; read directly
# because starting the CLI six times every two seconds would take a core of this machine); empty before the first.
field() { sed -n "s/^ *\"$2\": \([0-9]*\).*/\1/p" "$dir/agents/$1/status.json" 2>/dev/null | head -n 1; }
sum_field() {
  local site total=0 value
  for site in "${sites[@]}"; do
    value="$(field "$site" "$1")"
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

agent_log() { echo "$dir/agents/$1/agent.log"; }
source_ended() { grep -q "signal source ended" "$(agent_log "$1")"; }

# Every demo process must stay up until the demo stops it.
check_running() {
  local site
  kill -0 "$ingest_pid" 2>/dev/null || { tail -n 20 "$dir/ingest.log"; fail "the ingest exited (log $dir/ingest.log)"; }
  for site in "${sites[@]}"; do
    kill -0 "${agent_pid[$site]}" 2>/dev/null || { tail -n 20 "$(agent_log "$site")"; fail "the agent of $site exited (log $(agent_log "$site"))"; }
  done
}

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

# One agent per site, as in the field: its own config, gateway id, outbox, status file and seed (the site's number,
# so that `edgegw simulate --config $programme/sme-0117.json --seed 117 …` gives this site's ground truth).
rm -rf "$dir/agents"
agent_start=$SECONDS
for site in "${sites[@]}"; do
  mkdir -p "$dir/agents/$site"
  dotnet "src/EdgeGateway.Agent/$bin/edgegw-agent.dll" --config "$programme/$site.json" \
    --Agent:GatewayId=gw-1 --Agent:Source=Simulator --Agent:SpeedFactor=$speed --Agent:SimulationSeed=$((10#${site##*-})) \
    --Agent:SimulationStart=$from --Agent:SimulationEnd=$to --Agent:Windows:0=shift --Agent:Windows:1=day \
    --Agent:Outbox:Directory="$dir/agents/$site/outbox" --Agent:StatusFile="$dir/agents/$site/status.json" \
    --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port="$MQTT_PORT" >"$(agent_log "$site")" 2>&1 &
  agent_pid[$site]=$!
done
say "${#sites[@]} agents running (${sites[*]}; configs $programme/SITE.json, logs $dir/agents/SITE/agent.log)"
say "12 cells, $from to $to at $speed x"

# Progress every 2 s until every site's simulation has reached its end (the source ends there and the last windows
# close).
from_s=$(date -u -d "$from" +%s)
to_s=$(date -u -d "$to" +%s)
while :; do
  ended=0
  for site in "${sites[@]}"; do
    if source_ended "$site"; then ended=$((ended + 1)); fi
  done
  [ "$ended" -lt ${#sites[@]} ] || break
  check_running
  [ $((SECONDS - agent_start)) -lt 600 ] || fail "the simulation did not end within 10 minutes"
  sleep 2
  simulated=$((from_s + (SECONDS - agent_start) * speed))
  [ "$simulated" -le "$to_s" ] || simulated=$to_s
  printf 'demo: %4d s  simulated %s  sites done %d/%d  records computed %5s  waiting in outbox %5s  in InfluxDB %5s\n' \
    $((SECONDS - agent_start)) "$(date -u -d "@$simulated" +%Y-%m-%d)" "$ended" ${#sites[@]} "$(sum_field records)" \
    "$(sum_field depth)" "$(influx_count kpi run_s)"
done

# Everything each agent computed leaves its outbox before it stops.
total=0
for site in "${sites[@]}"; do
  records[$site]="$(sed -n 's/.*signal source ended; \([0-9]*\) window records.*/\1/p' "$(agent_log "$site")")"
  total=$((total + records[$site]))
done
deadline=$((SECONDS + 120))
for site in "${sites[@]}"; do
  until [ "$(field "$site" records)" = "${records[$site]}" ] && [ "$(field "$site" depth)" = 0 ]; do
    check_running
    [ $SECONDS -lt $deadline ] || fail "the outbox of $site did not drain within 120 s ($(field "$site" depth) records waiting)"
    sleep 0.5
  done
done
for site in "${sites[@]}"; do
  kill -TERM "${agent_pid[$site]}"
done
for site in "${sites[@]}"; do
  wait "${agent_pid[$site]}" || true
  unset "agent_pid[$site]"
done
say "simulation done: $total window records computed by ${#sites[@]} agents and delivered to the broker; agents stopped"

# ...and the ingest has written every one of them (a re-delivered record overwrites itself: count = records).
deadline=$((SECONDS + 60))
until [ "$(influx_count kpi run_s)" = "$total" ]; do
  kill -0 "$ingest_pid" 2>/dev/null || { tail -n 20 "$dir/ingest.log"; fail "the ingest exited (log $dir/ingest.log)"; }
  [ $SECONDS -lt $deadline ] || fail "InfluxDB holds $(influx_count kpi run_s) of $total records after 60 s (ingest log $dir/ingest.log)"
  sleep 0.5
done
kill -TERM "$ingest_pid"
wait "$ingest_pid" || true
ingest_pid=""
say "InfluxDB holds all $total KPI records and $(influx_count state state) state changes; ingest stopped"
echo

"${edgegw[@]}" report --influx-url "$INFLUX_URL" --database "$INFLUX_DATABASE" --from "${from%%T*}" --to "${to%%T*}"
echo

say "evaluating the programme ($register) from InfluxDB"
"${edgegw[@]}" evaluate --register "$register" --from "${from%%T*}" --to "${to%%T*}" --out "$dir/evaluation" \
  --influx-url "$INFLUX_URL" --database "$INFLUX_DATABASE" \
  --title "Demo voucher programme 2026 (simulated): 6 sites, 12 cells" || fail "edgegw evaluate failed"

# The programme dashboard on a free loopback port, with a demo evaluator and a demo SME of site sme-0117; it stays up with
# the stack (its pid in DIR/dashboard/dashboard.pid, which `deploy/dev/stack.sh down DIR` stops).
mkdir -p "$dir/dashboard"
dashboard_port=""
for _ in $(seq 1 100); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then dashboard_port=$candidate; break; fi
done
[ -n "$dashboard_port" ] || fail "no free loopback port for the dashboard"
cat >"$dir/dashboard/dashboard.json" <<EOF
{
  "Dashboard": {
    "Urls": "http://127.0.0.1:$dashboard_port",
    "InfluxUrl": "$INFLUX_URL",
    "Database": "$INFLUX_DATABASE",
    "Register": "$PWD/$register",
    "Users": "users.json",
    "KeysDirectory": "keys",
    "From": "${from%%T*}",
    "To": "${to%%T*}",
    "Title": "Demo voucher programme 2026 (simulated)"
  }
}
EOF
dashboard=(dotnet "src/EdgeGateway.Dashboard/$bin/edgegw-dashboard.dll" --config "$dir/dashboard/dashboard.json")
rm -f "$dir/dashboard/users.json"
echo "demo-evaluator" | "${dashboard[@]}" user add evaluator --role evaluator >/dev/null || fail "could not create the demo evaluator"
echo "demo-sme-0117" | "${dashboard[@]}" user add sme-0117 --role sme --site sme-0117 >/dev/null || fail "could not create the demo SME user"
nohup "${dashboard[@]}" >"$dir/dashboard/dashboard.log" 2>&1 &
echo $! >"$dir/dashboard/dashboard.pid"
deadline=$((SECONDS + 60))
until grep -q "ready on" "$dir/dashboard/dashboard.log"; do
  kill -0 "$(cat "$dir/dashboard/dashboard.pid")" 2>/dev/null || { tail -n 20 "$dir/dashboard/dashboard.log"; fail "the dashboard exited (log $dir/dashboard/dashboard.log)"; }
  [ $SECONDS -lt $deadline ] || fail "the dashboard did not say 'ready on' within 60 s (log $dir/dashboard/dashboard.log)"
  sleep 0.2
done

cat <<EOF

The register ($register) says which cells got a voucher: one cell per site, going live on 23 March, 6, 13
(two sites), 20 and 27 April 2026 with 14 days of ramp-up (the three lathes among them also run unattended at night from then on);
the other six cells are the controls. Demo took $((SECONDS - started)) s.

Open the dashboard: http://127.0.0.1:$dashboard_port/   (stays up; log $dir/dashboard/dashboard.log)
  evaluator (the whole programme):  user evaluator  password demo-evaluator
  SME (site sme-0117 only):         user sme-0117   password demo-sme-0117
  more users: echo PASSWORD | ${dashboard[*]} user add NAME --role evaluator|sme|admin [--site SITE]
Open the report:    $dir/evaluation/report.html   (self-contained: any browser, e.g. xdg-open or file:// URL)
The same numbers:   $dir/evaluation/{evaluation.json,effects.csv,event_time.csv,cells.csv}
Query the data (InfluxQL over HTTP; the schema is in src/docs/influxdb-schema.md):
  curl -sG $INFLUX_URL/query --data-urlencode db=$INFLUX_DATABASE --data-urlencode "q=SELECT sum(\"good\") FROM \"kpi\" WHERE \"window\" = 'day' GROUP BY time(1w, 4d), \"site\", \"cell\""
  dotnet src/EdgeGateway.Cli/$bin/edgegw.dll report --influx-url $INFLUX_URL --site sme-0117 --from ${from%%T*}
Watch the broker:   mosquitto_sub -p $MQTT_PORT -t 'edgegw/v1/#' -v
Stop everything:    deploy/dev/stack.sh down $dir      (the dashboard too; then rm -rf $dir)
EOF
