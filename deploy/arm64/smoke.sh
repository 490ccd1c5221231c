#!/usr/bin/env bash
# Smoke test of the Raspberry Pi build on this x86 machine: publishes the agent for linux-arm64 (deploy/arm64/publish.sh:
# Native AOT, cross-compiled), runs that very artifact under qemu-aarch64-static with the simulator (4 cells, 3600 × real time) against
# a Mosquitto of its own, and succeeds only if
#   - KPI records of all 4 cells reach the broker, each cell's with increasing seq, within the timeout;
#   - SIGTERM stops the agent with exit code 0 and it leaves its retained status "offline" on the broker.
#   deploy/arm64/smoke.sh [--no-publish] [--artifact DIR] [--timeout S] [--records N]
# Installs what it needs when missing (arm64 architecture, qemu-user-static, the arm64 libraries, Mosquitto). The work
# folder is removed on success and kept (path printed) on failure. Called by tests/run.sh; see deploy/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=smoke.sh
source deploy/arm64/lib.sh

artifact=""
publish=1
timeout=300
want=5
while [ $# -gt 0 ]; do
  case "$1" in
    --no-publish) publish=""; shift ;;
    --artifact) artifact="$2"; publish=""; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --records) want="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "$script: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
fail() {
  echo "$script: FAIL: $*" >&2
  if [ -n "${work:-}" ]; then
    echo "$script: --- agent log (last 25 lines) ---" >&2
    tail -25 "$work/agent.log" >&2 2>/dev/null || true
    echo "$script: --- broker log (last 10 lines) ---" >&2
    tail -10 "$work/mosquitto.log" >&2 2>/dev/null || true
    echo "$script: work folder kept: $work" >&2
    keep=1
  fi
  exit 1
}

ensure_packages qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64 mosquitto mosquitto-clients

if [ -z "$artifact" ]; then
  artifact=out/edgegw-agent-linux-arm64
  if [ -n "$publish" ] || [ ! -x "$artifact/edgegw-agent" ]; then
    deploy/arm64/publish.sh linux-arm64
  fi
fi
[ -x "$artifact/edgegw-agent" ] || fail "no agent at $artifact/edgegw-agent"
# ELF e_machine 0xb7 = AArch64: this is the Raspberry Pi artifact, not an x64 one by mistake.
[ "$(od -An -tx1 -j18 -N2 "$artifact/edgegw-agent" | tr -d ' \n')" = b700 ] || fail "$artifact/edgegw-agent is not an arm64 executable"

work=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-smoke-XXXXXX")
keep=""
agent_pid="" sub_pid="" broker_pid=""
cleanup() {
  local pid
  for pid in $agent_pid $sub_pid $broker_pid; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

start_broker "$work" || fail "no broker"
export_unit_dotnet_env
site=sme-0042
gateway=gw-smoke-arm64
mosquitto_sub -h 127.0.0.1 -p "$broker_port" -q 1 -v -t "edgegw/v1/$site/#" >"$work/messages.txt" 2>"$work/sub.log" &
sub_pid=$!

# No ingest here confirms the records (src/docs/payloads-and-topics.md, "Delivery confirmations"): a long confirmation timeout keeps the
# agent from sending them again while this test reads them, so every cell's seq must only increase.
qemu-aarch64-static "$artifact/edgegw-agent" --config deploy/sample/simulation-4cells.json \
  --Agent:Mqtt:ConfirmTimeout=01:00:00 --Agent:Source=Simulator --Agent:SpeedFactor=3600 --Agent:SimulationStart=2026-03-23T05:00:00Z \
  --Agent:Outbox:Directory="$work/outbox" --Agent:StatusFile="$work/status.json" \
  --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port="$broker_port" --Agent:GatewayId="$gateway" >"$work/agent.log" 2>&1 &
agent_pid=$!
launched=$(date +%s)
echo "$script: arm64 agent under qemu-aarch64-static (pid $agent_pid), broker 127.0.0.1:$broker_port; waiting up to $timeout s for $want KPI records from each of 4 cells"

# Per cell: KPI records seen, first and last seq, and whether a seq ever failed to increase. A batch message (topic
# .../batch/<gateway>, src/docs/payloads-and-topics.md "Batches") holds several records, each with its own topic and payload.
summarise() {
  awk 'function record(topic, text,   level) {
         split(topic, level, "/"); if (level[5] != "kpi") return
         if (!match(text, /"seq":[0-9]+/)) return
         seq = substr(text, RSTART + 6, RLENGTH - 6) + 0; cell = level[4]
         if (cell in last && seq <= last[cell]) { bad[cell]++ }
         if (!(cell in first)) first[cell] = seq
         last[cell] = seq; n[cell]++
       }
       $1 ~ /\/kpi\// { record($1, $0) }
       $1 ~ /\/batch\// {
         parts = split($0, part, /\{"topic":"/)
         for (i = 2; i <= parts; i++) { topic = part[i]; sub(/".*/, "", topic); record(topic, part[i]) }
       }
       END { for (c in n) printf "%s %d %d %d %d\n", c, n[c], first[c], last[c], bad[c] + 0 }' "$work/messages.txt" | sort
}

first_record=""
while :; do
  kill -0 "$agent_pid" 2>/dev/null || { wait "$agent_pid" && code=0 || code=$?; fail "the agent exited early (exit code $code)"; }
  summary=$(summarise)
  [ -n "$first_record" ] || [ -z "$summary" ] || first_record=$(( $(date +%s) - launched ))
  if awk -v want="$want" '$5 > 0 { bad = 1 } $2 >= want { ok++ } END { exit !(ok == 4 && !bad) }' <<<"$summary"; then
    break
  fi
  if awk '$5 > 0 { found = 1 } END { exit !found }' <<<"$summary"; then
    fail "seq did not increase for a cell (cell, records, first seq, last seq, decreases):"$'\n'"$summary"
  fi
  [ $(( $(date +%s) - launched )) -lt "$timeout" ] || fail "no $want KPI records from each of the 4 cells within $timeout s; seen (cell, records, first seq, last seq, decreases):"$'\n'"${summary:-nothing}"
  sleep 1
done
records_after=$(( $(date +%s) - launched ))
echo "$script: KPI records from all 4 cells after $records_after s (first record after ${first_record:-?} s); cell, records, first seq, last seq:"
awk '{ printf "  %s %d records, seq %d..%d\n", $1, $2, $3, $4 }' <<<"$summary"

kill -TERM "$agent_pid"
deadline=$(( $(date +%s) + 60 ))
while kill -0 "$agent_pid" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the agent did not stop within 60 s of SIGTERM"
  sleep 0.5
done
if wait "$agent_pid"; then code=0; else code=$?; fi
agent_pid=""
[ "$code" -eq 0 ] || fail "the agent exited with code $code after SIGTERM (expected 0)"

# The retained status as a new subscriber sees it: the clean shutdown's "offline".
status=$(mosquitto_sub -h 127.0.0.1 -p "$broker_port" -C 1 -W 10 -t "edgegw/v1/$site/status/$gateway" 2>/dev/null || true)
grep -q '"status":"offline"' <<<"$status" || fail "the retained status on edgegw/v1/$site/status/$gateway is not offline: '${status:-nothing}'"
grep -q "status/$gateway .*\"status\":\"online\"" "$work/messages.txt" || fail "no online (birth) status was published"
echo "$script: SIGTERM: exit code 0, retained status offline"
echo "$script: PASS in $(( $(date +%s) - started )) s ($(du -sm "$artifact" | cut -f1) MB arm64 artifact $artifact)"
