#!/usr/bin/env bash
# Checks deploy/systemd/edgegw.service without a running systemd (a container, a CI machine):
#   1. `systemd-analyze verify` against a scratch root holding the unit, a stand-in /usr/lib/edgegw/agent/edgegw-agent and the
#      host's unit files;
#   2. `systemd-analyze security --offline` (the exposure score);
#   3. the unit's SystemCallFilter=: runs the published agent (out/edgegw-agent-linux-x64, publish.sh, first when missing)
#      with the simulator against a local Mosquitto under the same allow-list — the @groups expanded by
#      `systemd-analyze syscall-filter` — with kill-on-violation, and requires records, a command taken on its control
#      socket (src/docs/agent.md), SIGTERM and exit code 0.
#   deploy/systemd/verify.sh [UNIT-FILE]
# Installs gcc, libseccomp-dev and Mosquitto when missing. x64 only: on the Pi the same groups name the arm64 calls.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=verify.sh
source deploy/arm64/lib.sh
unit=${1:-deploy/systemd/edgegw.service}

ensure_packages systemd gcc libc6-dev libseccomp-dev mosquitto mosquitto-clients python3
work=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-unit-XXXXXX")
agent_pid="" broker_pid=""
cleanup() {
  local pid
  for pid in $agent_pid $broker_pid; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$script: FAIL: $*" >&2; exit 1; }

# 1 and 2: a scratch root, so that the unit's ExecStart exists and nothing is installed on this machine.
root="$work/root"
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/edgegw/agent" "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp /etc/passwd /etc/group "$root/etc/"
printf '#!/bin/sh\n' >"$root/usr/lib/edgegw/agent/edgegw-agent"
chmod +x "$root/usr/lib/edgegw/agent/edgegw-agent"
cp "$unit" "$root/etc/systemd/system/edgegw.service"
systemd-analyze verify --root="$root" edgegw.service || fail "systemd-analyze verify reports problems (above)"
echo "$script: systemd-analyze verify: no problems"
systemd-analyze security --offline=true --root="$root" edgegw.service 2>&1 | tail -1

# 3: the allow-list of the unit's SystemCallFilter= lines, groups expanded.
expand() {
  local entry
  for entry in "$@"; do
    case "$entry" in
      @*) expand $(systemd-analyze syscall-filter "$entry" | sed 's/#.*//' | awk -v g="$entry" 'NF && $1 != g { print $1 }') ;;
      *) echo "$entry" ;;
    esac
  done
}
filters=$(sed -n 's/^SystemCallFilter=//p' "$unit")
[ -n "$filters" ] || fail "$unit has no SystemCallFilter="
expand $filters | sort -u >"$work/allowed.txt"

cat >"$work/run-filtered.c" <<'C'
// run-filtered LIST command…: exec the command under a seccomp allow-list (one system call name a line); any other
// call kills the process with SIGSYS, so a missing entry cannot hide behind an EPERM the program tolerates.
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc < 3) return 2;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    FILE *list = fopen(argv[1], "r");
    char name[128];
    while (list && fscanf(list, "%127s", name) == 1) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr != __NR_SCMP_ERROR) seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    }
    if (!list || seccomp_load(ctx) != 0) { perror("run-filtered"); return 2; }
    execvp(argv[2], argv + 2);
    perror("execvp");
    return 2;
}
C
gcc -O2 -o "$work/run-filtered" "$work/run-filtered.c" -lseccomp

artifact=out/edgegw-agent-linux-x64
[ -x "$artifact/edgegw-agent" ] || deploy/arm64/publish.sh linux-x64
start_broker "$work"
"$work/run-filtered" "$work/allowed.txt" "$artifact/edgegw-agent" --config deploy/sample/simulation-4cells.json \
  --Agent:Source=Simulator --Agent:SpeedFactor=3600 --Agent:SimulationStart=2026-03-23T05:00:00Z \
  --Agent:Outbox:Directory="$work/outbox" --Agent:StatusFile="$work/status.json" --Agent:ControlSocket="$work/control.sock" \
  --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port="$broker_port" --Agent:GatewayId=gw-unit >"$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 120); do
  kill -0 "$agent_pid" 2>/dev/null || break
  grep -q '"connected": *true' "$work/status.json" 2>/dev/null && grep -q '"depth": *0' "$work/status.json" &&
    ! grep -q '"next_seq": *1,' "$work/status.json" && break
  sleep 1
done
kill -0 "$agent_pid" 2>/dev/null || { wait "$agent_pid" && code=0 || code=$?; tail -5 "$work/agent.log" >&2; fail "the agent died under the filter (exit code $code; 159 = SIGSYS, a call outside the list)"; }
grep -q '"connected": *true' "$work/status.json" || fail "the agent did not deliver to the broker under the filter"
# The control socket (accept, read, reply, and the calendar file it writes) under the same filter.
reply=$(python3 - "$work/control.sock" <<'PY'
import socket, sys
client = socket.socket(socket.AF_UNIX)
client.settimeout(10)
client.connect(sys.argv[1])
client.sendall(b'{"id":1,"command":"closure","from":"2026-12-24","to":"2026-12-26"}\n')
print(client.makefile().readline().strip())
PY
) || fail "the agent's control socket did not answer under the filter"
case "$reply" in *'"ok":true'*) ;; *) fail "the agent's control socket refused a closure under the filter: $reply" ;; esac
kill -TERM "$agent_pid"
if wait "$agent_pid"; then code=0; else code=$?; fi
agent_pid=""
[ "$code" -eq 0 ] || fail "the agent exited with code $code after SIGTERM under the filter (159 = SIGSYS)"
echo "$script: SystemCallFilter: the agent delivered records, took a command on its control socket and stopped with exit code 0 under $(wc -l <"$work/allowed.txt") allowed calls"
