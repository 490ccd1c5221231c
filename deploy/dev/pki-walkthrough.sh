#!/usr/bin/env bash
# The certificate walk-through of deploy/README.md ("Broker") as a new user runs it, timed: from `edgegw pki init` to
# the broker accepting a gateway — the real agent (simulated cells of deploy/sample/demo/sme-0117.json) with its
# generated certificate, on a Mosquitto running the generated config and ACL on loopback. Needs the CLI and the agent
# built (`dotnet build -c Release src/EdgeGateway.Cli src/EdgeGateway.Agent`) and mosquitto installed.
#   deploy/dev/pki-walkthrough.sh [DIR]     # DIR: a new temporary folder by default; kept afterwards
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:-$(mktemp -d /tmp/edgegw-pki-walkthrough.XXXXXX)}"
mkdir -p "$dir"
bin=bin/Release/net10.0
edgegw() { dotnet "src/EdgeGateway.Cli/$bin/edgegw.dll" "$@"; }
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 40000)); while port_in_use "$port"; do port=$((20000 + RANDOM % 40000)); done
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
start=$(date +%s.%N)
step() { printf '%6.2f s  %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$*"; }

# 1. The programme CA and the identities (deploy/README.md, "Broker"; src/docs/cli.md, "edgegw pki").
edgegw pki init --dir "$dir/pki" >/dev/null; step "pki init"
edgegw pki issue broker --dir "$dir/pki" --host 127.0.0.1 --host localhost >/dev/null; step "issue broker"
edgegw pki issue ingest --dir "$dir/pki" >/dev/null; step "issue ingest"
edgegw pki issue monitor --dir "$dir/pki" >/dev/null; step "issue monitor"
edgegw pki issue gateway --dir "$dir/pki" --site sme-0117 --gateway gw-1 >/dev/null; step "issue gateway sme-0117.gw-1"

# 2. The broker's folder for the fleet, and Mosquitto on it (here as the user running this, logging to the folder;
#    on a broker: copy the folder to /etc/mosquitto/edgegw, chown mosquitto, and use its mosquitto.conf).
edgegw pki broker-config --dir "$dir/pki" --fleet deploy/mosquitto/fleet.csv --out "$dir/broker" --port "$port" --bind 127.0.0.1 \
  --broker-dir "$dir/broker" --persistence-dir "$dir/broker/" >/dev/null; step "broker-config"
{ echo "user $(id -un)"; echo "log_dest file $dir/broker/mosquitto.log"; echo "connection_messages true"; cat "$dir/broker/mosquitto.conf"; } >"$dir/run.conf"
"$mosquitto" -c "$dir/run.conf" >"$dir/mosquitto.out" 2>&1 & pids+=($!)
until port_in_use "$port"; do sleep 0.05; done; step "mosquitto listening on 127.0.0.1:$port"

# A watcher with the monitor's certificate (read-only) sees what the gateway gets through.
mosquitto_sub -h 127.0.0.1 -p "$port" --cafile "$dir/pki/ca.crt" --cert "$dir/pki/issued/monitor.crt" --key "$dir/pki/issued/monitor.key" \
  -V mqttv5 -q 1 -t 'edgegw/v1/#' -v >"$dir/monitor.txt" 2>&1 & pids+=($!)

# 3. The gateway: its config points at the broker with TLS, the CA and its own certificate and key.
mkdir -p "$dir/gateway"
dotnet "src/EdgeGateway.Agent/$bin/edgegw-agent.dll" --config deploy/sample/demo/sme-0117.json \
  --Agent:GatewayId=gw-1 --Agent:Source=Simulator --Agent:SpeedFactor=600 \
  --Agent:Outbox:Directory="$dir/gateway/outbox" --Agent:StatusFile="$dir/gateway/status.json" \
  --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port="$port" --Agent:Mqtt:Tls=true --Agent:Mqtt:CaFile="$dir/pki/ca.crt" \
  --Agent:Mqtt:ClientCertFile="$dir/pki/issued/sme-0117.gw-1.crt" --Agent:Mqtt:ClientKeyFile="$dir/pki/issued/sme-0117.gw-1.key" \
  >"$dir/gateway/agent.log" 2>&1 & pids+=($!)
until grep -q "New client connected .* as sme-0117.gw-1 " "$dir/broker/mosquitto.log" 2>/dev/null; do sleep 0.05; done
step "gateway connection accepted (client id and user sme-0117.gw-1)"

# 4. Still connected a few seconds on, its records and status seen by the monitor: the ACL lets the agent do all it
#    does (Mosquitto 2.0.11 closes the connection of a client whose QoS 1 publish it denies).
sleep 5
if grep -q "sme-0117.gw-1 disconnected\|Client sme-0117.gw-1 closed" "$dir/broker/mosquitto.log"; then
  echo "the broker dropped the gateway:"; tail "$dir/broker/mosquitto.log"; exit 1
fi
grep -q "Connected to the broker" "$dir/gateway/agent.log" || { echo "the agent did not say it connected"; tail "$dir/gateway/agent.log"; exit 1; }
seen=$(grep -c "^edgegw/v1/sme-0117/" "$dir/monitor.txt" || true)
[ "$seen" -gt 0 ] || { echo "the monitor saw nothing of the gateway"; cat "$dir/monitor.txt"; exit 1; }
echo "ok: the agent stayed connected 5 s; the monitor saw $seen of its messages ($(cut -d' ' -f1 "$dir/monitor.txt" | sort -u | tr '\n' ' ')); files in $dir"
