#!/usr/bin/env bash
# Measures the resident memory of the published agent (deploy/arm64/publish.sh: Native AOT; --jit the trimmed
# ReadyToRun build) running 4 simulated cells in real time (deploy/sample/simulation-4cells.json, SpeedFactor 1)
# against a Mosquitto of its own: VmRSS from /proc/PID/status, sampled every 5 s after a warm-up. See
# deploy/README.md, "Raspberry Pi build".
#   deploy/arm64/rss.sh [--rid linux-x64|linux-arm64] [--warmup S] [--seconds S] [--limit MB] [--no-publish]
#                       [--artifact DIR] [--tls] [--jit] [--empty]
# linux-x64 (default) runs natively; linux-arm64 runs under qemu-aarch64-static, whose own memory (translated code,
# emulator state) is counted too, so that figure is for information only. --limit fails when the peak is above it.
# --tls: the agent talks TLS to the broker (throw-away CA), as a production gateway does; that loads OpenSSL's TLS.
# --artifact measures another publish folder (default out/edgegw-agent-<rid>, published first unless --no-publish).
# DOTNET_* variables set by the caller reach the agent (to try runtime settings without a rebuild).
# --jit: the trimmed ReadyToRun build (publish.sh --jit, into out/jit/). --empty: instead of the agent, an empty worker
# with the agent's host and build settings (deploy/arm64/empty-worker/, into out/empty/; AOT, or --jit), no broker.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=rss.sh
source deploy/arm64/lib.sh

rid=linux-x64
warmup=90
seconds=60
limit=""
publish=1
artifact=""
tls=""
jit=""
empty=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rid="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --no-publish) publish=""; shift ;;
    --artifact) artifact="$2"; publish=""; shift 2 ;;
    --tls) tls=tls; shift ;;
    --jit) jit=jit; shift ;;
    --empty) empty=empty; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "$script: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

packages=(mosquitto mosquitto-clients)
[ -z "$tls" ] || packages+=(openssl)
[ "$rid" != linux-arm64 ] || packages+=(qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64)
ensure_packages "${packages[@]}"

exe=edgegw-agent
[ -z "$empty" ] || exe=edgegw-empty-worker
if [ -z "$artifact" ]; then
  if [ -n "$empty" ]; then
    artifact="out/empty/$rid${jit:+-jit}"
    if [ -n "$publish" ] || [ ! -x "$artifact/$exe" ]; then
      rm -rf "$artifact"
      if [ -n "$jit" ]; then
        dotnet publish deploy/arm64/empty-worker/EmptyWorker.csproj -c Release -r "$rid" --self-contained \
          -p:PublishTrimmed=true -o "$artifact" -nologo -clp:NoSummary -v:q
      else
        # The toolchain of publish.sh's Native AOT build.
        if [ "$rid" = linux-arm64 ]; then
          ensure_packages clang llvm zlib1g-dev binutils-aarch64-linux-gnu libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64
        else
          ensure_packages clang llvm zlib1g-dev
        fi
        dotnet publish deploy/arm64/empty-worker/EmptyWorker.csproj -c Release -r "$rid" -p:PublishAot=true \
          -o "$artifact" -nologo -clp:NoSummary -v:q
      fi
    fi
  else
    artifact="out/${jit:+jit/}edgegw-agent-$rid"
    if [ -n "$publish" ] || [ ! -x "$artifact/$exe" ]; then
      deploy/arm64/publish.sh ${jit:+--jit -o out/jit} "$rid"
    fi
  fi
fi
[ -x "$artifact/$exe" ] || { echo "$script: FAIL: no $exe at $artifact/$exe" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-rss-XXXXXX")
agent_pid=""
broker_pid=""
cleanup() {
  [ -z "$agent_pid" ] || { kill -TERM "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; }
  [ -z "$broker_pid" ] || { kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
agent_tls=()
if [ -n "$tls" ]; then
  make_test_ca "$work"
  agent_tls=(--Agent:Mqtt:Tls=true --Agent:Mqtt:CaFile="$work/ca.crt")
fi
start_broker "$work" "$tls"
export_unit_dotnet_env

runner=()
[ "$rid" != linux-arm64 ] || runner=(qemu-aarch64-static)
if [ -n "$empty" ]; then
  "${runner[@]}" "$artifact/$exe" >"$work/agent.log" 2>&1 &
else
  # Monday 06:00 in Amsterdam: the first shift starts, so all four cells work while we measure.
  "${runner[@]}" "$artifact/$exe" --config deploy/sample/simulation-4cells.json \
    --Agent:Source=Simulator --Agent:SpeedFactor=1 --Agent:SimulationStart=2026-03-23T05:00:00Z \
    --Agent:Outbox:Directory="$work/outbox" --Agent:StatusFile="$work/status.json" \
    --Agent:Mqtt:Host=localhost --Agent:Mqtt:Port="$broker_port" "${agent_tls[@]}" --Agent:GatewayId=gw-rss \
    >"$work/agent.log" 2>&1 &
fi
agent_pid=$!
echo "$script: $rid $exe ($artifact) pid $agent_pid${runner:+ (under ${runner[0]})}, broker port $broker_port${tls:+ (TLS)}; warm-up $warmup s, then $seconds s of samples"
sleep "$warmup"

peak=0 peak_line="" samples=()
for _ in $(seq 1 $(( (seconds + 4) / 5 ))); do
  if ! kill -0 "$agent_pid" 2>/dev/null; then
    echo "$script: FAIL: the agent exited during the measurement; its log:" >&2
    tail -20 "$work/agent.log" >&2
    exit 1
  fi
  read -r rss anon file shmem < <(rss_of "$agent_pid")
  samples+=("$rss")
  if [ "$rss" -gt "$peak" ]; then
    peak=$rss
    peak_line="anon $((anon / 1024)) MB, file $((file / 1024)) MB, shmem $((shmem / 1024)) MB"
  fi
  sleep 5
done

records=$(sed -n 's/^ *"records": *\([0-9]*\).*/\1/p' "$work/status.json" 2>/dev/null || true)
connected=$(grep -o '"connected": *true' "$work/status.json" 2>/dev/null || true)
awk -v rid="$rid${empty:+ empty worker}" -v tls="${tls:+ with TLS}" -v peak="$peak" -v detail="$peak_line" -v s="${samples[*]}" 'BEGIN {
  printf "rss.sh: %s VmRSS samples (MB):", rid; n = split(s, a, " "); for (i = 1; i <= n; i++) printf " %.1f", a[i] / 1024; print ""
  printf "rss.sh: %s%s peak VmRSS %.1f MB (%s)\n", rid, tls, peak / 1024, detail }'
[ -n "$empty" ] || echo "$script: the status file reports ${records:-?} window records${connected:+ and a broker connection}"
if [ -n "$empty" ]; then
  :
elif [ -z "$connected" ]; then
  echo "$script: FAIL: the agent is not connected to the broker, so the figure means little; its log:" >&2
  tail -20 "$work/agent.log" >&2
  exit 1
fi
if [ -n "$limit" ] && [ "$peak" -gt $((limit * 1024)) ]; then
  echo "$script: FAIL: peak VmRSS $((peak / 1024)) MB is above the limit of $limit MB" >&2
  exit 1
fi
