#!/usr/bin/env bash
# A local development stack: Mosquitto and InfluxDB 1.x (the Debian packages) on loopback, without systemd.
#
#   deploy/dev/stack.sh up [DIR] [--mqtt-port N] [--influx-port N]   install when missing, configure, start, wait
#   deploy/dev/stack.sh status [DIR]                                   what runs where
#   deploy/dev/stack.sh down [DIR]                                     stop (SIGTERM, SIGKILL after 10 s), the demo's dashboard too; data stays
#
# DIR holds configs, data, logs and stack.env (pids and ports). Without DIR, `up` makes a temporary folder and
# remembers it, so that `status` and `down` find it again. Ports are free ones unless given.
set -euo pipefail

readonly packages=(mosquitto mosquitto-clients influxdb curl)
readonly database=edgegw
readonly ready_timeout_s=20
readonly stop_timeout_s=10
remembered="${TMPDIR:-/tmp}/edgegw-stack-$(id -u).dir"
readonly remembered

say() { echo "stack: $*"; }
fail() { echo "stack: $*" >&2; exit 1; }

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

install_missing() {
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# /usr/sbin is often not on a user's PATH.
program() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || fail "'$1' is not installed"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A loopback port nobody listens on, other than the ones given.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    case " $* " in *" $port "*) continue ;; esac
    port_in_use "$port" || { echo "$port"; return; }
  done
  fail "no free loopback port found"
}

# The folder to work on: the argument, else the remembered one (status, down) or a new temporary one (up).
resolve_dir() {
  local given="$1" create="$2"
  if [ -n "$given" ]; then
    mkdir -p "$given"
    (cd "$given" && pwd)
  elif [ -f "$remembered" ] && [ -d "$(cat "$remembered")" ]; then
    cat "$remembered"
  elif [ "$create" = yes ]; then
    mktemp -d "${TMPDIR:-/tmp}/edgegw-stack.XXXXXX"
  else
    fail "no stack folder given and none remembered in $remembered"
  fi
}

# Whether pid $1 runs and is program $2 (a pid may have been reused since stack.env was written).
runs() {
  local pid="$1" name="$2"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"
}

load_env() {
  [ -f "$1/stack.env" ] || fail "$1 holds no stack (no stack.env): start one with '$0 up $1'"
  # shellcheck disable=SC1091
  . "$1/stack.env"
}

write_configs() {
  local dir="$1"
  mkdir -p "$dir/mosquitto" "$dir/influxdb/meta" "$dir/influxdb/data" "$dir/influxdb/wal"
  cat >"$dir/mosquitto/mosquitto.conf" <<EOF
# EdgeGateway development broker (deploy/dev/stack.sh): loopback only, anonymous clients.
user $(id -un)
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
# An MQTTnet QoS 1 subscriber under load stalls without it (measured).
set_tcp_nodelay true
max_queued_messages 0
persistence true
persistence_location $dir/mosquitto/
log_dest file $dir/mosquitto/mosquitto.log
log_type error
log_type warning
log_type notice
EOF
  cat >"$dir/influxdb/influxdb.conf" <<EOF
# EdgeGateway development database (deploy/dev/stack.sh): InfluxDB 1.x on loopback, no authentication.
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$dir/influxdb/meta"
[data]
  dir = "$dir/influxdb/data"
  wal-dir = "$dir/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
[logging]
  level = "warn"
EOF
}

write_env() {
  cat >"$1/stack.env" <<EOF
# deploy/dev/stack.sh: the stack in this folder
STACK_DIR=$1
MQTT_PORT=$MQTT_PORT
MOSQUITTO_PID=$MOSQUITTO_PID
INFLUX_PORT=$INFLUX_PORT
INFLUX_RPC_PORT=$INFLUX_RPC_PORT
INFLUX_PID=$INFLUX_PID
INFLUX_URL=http://127.0.0.1:$INFLUX_PORT
INFLUX_DATABASE=$database
EOF
}

# Waits until "$@" succeeds, or process $1... fails: returns 1 when the pid died or the time ran out.
wait_until() {
  local pid="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + ready_timeout_s))
  until "$@"; do
    kill -0 "$pid" 2>/dev/null || { echo "stack: $what exited while starting" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "stack: $what not ready within $ready_timeout_s s" >&2; return 1; }
    sleep 0.1
  done
}

broker_ready() { "$(program mosquitto_pub)" -h 127.0.0.1 -p "$MQTT_PORT" -i edgegw-stack-probe -t edgegw/dev/probe -n -q 1 2>/dev/null; }

influx_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$INFLUX_PORT/ping")" = 204 ]; }

start_mosquitto() {
  local dir="$1"
  : >"$dir/mosquitto/mosquitto.log"
  nohup "$(program mosquitto)" -c "$dir/mosquitto/mosquitto.conf" >>"$dir/mosquitto/console.log" 2>&1 &
  MOSQUITTO_PID=$!
  wait_until "$MOSQUITTO_PID" "mosquitto on port $MQTT_PORT" broker_ready || { tail -n 5 "$dir/mosquitto/mosquitto.log" "$dir/mosquitto/console.log" >&2; return 1; }
}

start_influxd() {
  local dir="$1"
  nohup "$(program influxd)" run -config "$dir/influxdb/influxdb.conf" >>"$dir/influxdb/influxd.log" 2>&1 &
  INFLUX_PID=$!
  wait_until "$INFLUX_PID" "influxd on port $INFLUX_PORT" influx_ready || { tail -n 5 "$dir/influxdb/influxd.log" >&2; return 1; }
  curl -sf -o /dev/null -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode "q=CREATE DATABASE $database" ||
    fail "influxd did not create the database $database"
}

# SIGTERM, then SIGKILL after the timeout.
stop_process() {
  local pid="$1" name="$2" label="$3"
  if ! runs "$pid" "$name"; then
    say "$label was not running"
    return
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + stop_timeout_s))
  while runs "$pid" "$name" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  if runs "$pid" "$name"; then
    kill -KILL "$pid"
    for _ in $(seq 1 20); do runs "$pid" "$name" || break; sleep 0.1; done
    say "$label (pid $pid) did not stop within $stop_timeout_s s of SIGTERM: killed"
  else
    say "$label (pid $pid) stopped"
  fi
}

print_usage_hints() {
  cat <<EOF
stack: up in $STACK_DIR
  MQTT broker   mqtt://127.0.0.1:$MQTT_PORT (anonymous)     mosquitto_sub -p $MQTT_PORT -t 'edgegw/v1/#' -v
  InfluxDB 1.x  http://127.0.0.1:$INFLUX_PORT, database $database
                curl -sG http://127.0.0.1:$INFLUX_PORT/query --data-urlencode db=$database --data-urlencode 'q=SHOW MEASUREMENTS'
  ports, pids   $STACK_DIR/stack.env       logs  $STACK_DIR/mosquitto, $STACK_DIR/influxdb
  stop          $0 down $STACK_DIR
EOF
}

cmd_up() {
  local given="" mqtt_port="" influx_port=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --mqtt-port) mqtt_port="${2:?--mqtt-port needs a number}"; shift 2 ;;
      --influx-port) influx_port="${2:?--influx-port needs a number}"; shift 2 ;;
      -*) usage ;;
      *) [ -z "$given" ] || usage; given="$1"; shift ;;
    esac
  done

  install_missing
  local dir
  dir="$(resolve_dir "$given" yes)"
  [ -n "$given" ] || echo "$dir" >"$remembered"
  if [ -f "$dir/stack.env" ]; then
    load_env "$dir"
    if runs "$MOSQUITTO_PID" mosquitto && runs "$INFLUX_PID" influxd; then
      say "already running"
      print_usage_hints
      return
    fi
    # A stopped stack starts again on its old ports (and data) unless told otherwise.
    mqtt_port="${mqtt_port:-$MQTT_PORT}"
    influx_port="${influx_port:-$INFLUX_PORT}"
    INFLUX_RPC_PORT_OLD="$INFLUX_RPC_PORT"
  fi

  MQTT_PORT="${mqtt_port:-$(free_port)}"
  INFLUX_PORT="${influx_port:-$(free_port "$MQTT_PORT")}"
  INFLUX_RPC_PORT="${INFLUX_RPC_PORT_OLD:-$(free_port "$MQTT_PORT" "$INFLUX_PORT")}"
  for port in "$MQTT_PORT" "$INFLUX_PORT" "$INFLUX_RPC_PORT"; do
    ! port_in_use "$port" || fail "port $port on 127.0.0.1 is in use"
  done
  if [ "$INFLUX_PORT" = "$INFLUX_RPC_PORT" ] || [ "$MQTT_PORT" = "$INFLUX_PORT" ] || [ "$MQTT_PORT" = "$INFLUX_RPC_PORT" ]; then
    fail "the ports must differ: mqtt $MQTT_PORT, influx $INFLUX_PORT, influx rpc $INFLUX_RPC_PORT"
  fi

  STACK_DIR="$dir"
  MOSQUITTO_PID="" INFLUX_PID=""
  write_configs "$dir"
  if ! start_mosquitto "$dir" || ! start_influxd "$dir"; then
    write_env "$dir"
    cmd_down "$dir" >/dev/null
    fail "the stack did not come up (logs in $dir)"
  fi
  write_env "$dir"
  print_usage_hints
}

cmd_status() {
  [ $# -le 1 ] || usage
  local dir
  dir="$(resolve_dir "${1:-}" no)"
  load_env "$dir"
  local broker="stopped" influx="stopped" code=0
  if runs "$MOSQUITTO_PID" mosquitto; then broker="running (pid $MOSQUITTO_PID)"; else code=3; fi
  if runs "$INFLUX_PID" influxd; then
    influx="running (pid $INFLUX_PID)"
    influx_ready || influx="$influx, but /ping does not answer 204"
  else code=3; fi
  echo "stack in $dir"
  echo "  mosquitto  127.0.0.1:$MQTT_PORT  $broker"
  echo "  influxd    127.0.0.1:$INFLUX_PORT  $influx"
  return $code
}

cmd_down() {
  [ $# -le 1 ] || usage
  local dir
  dir="$(resolve_dir "${1:-}" no)"
  load_env "$dir"
  # The demo's dashboard (deploy/dev/demo.sh) runs with the stack and stops with it.
  if [ -f "$dir/dashboard/dashboard.pid" ]; then
    stop_process "$(cat "$dir/dashboard/dashboard.pid")" edgegw-dashboard "edgegw-dashboard"
    rm -f "$dir/dashboard/dashboard.pid"
  fi
  stop_process "$MOSQUITTO_PID" mosquitto "mosquitto"
  stop_process "$INFLUX_PID" influxd "influxd"
  say "down; data kept in $dir (delete it with: rm -rf $dir)"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) usage ;;
esac
