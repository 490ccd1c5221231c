# Helpers shared by deploy/arm64/smoke.sh and rss.sh (sourced, not run).

# Installs the Debian packages named when any is missing (adds the arm64 architecture first when a ':arm64' package
# is asked for); `apt-get update` runs at most once per script.
ensure_packages() {
  local missing=() package sudo=""
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "$script: adding the arm64 architecture (dpkg --add-architecture arm64)"
    $sudo dpkg --add-architecture arm64
    apt_updated=""
  fi
  echo "$script: installing ${missing[*]}"
  if [ -z "${apt_updated:-}" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Starts a Mosquitto of its own on a free loopback port, in folder $1; sets broker_port and broker_pid. With
# "tls" as $2 the listener speaks TLS with a throw-away CA made by make_test_ca in $1 (host name localhost).
# A random port is tried until one binds (no port scanner needed); ready when a client can publish.
start_broker() {
  local dir="$1" tls="${2:-}" attempt waited client_tls=()
  if [ -n "$tls" ]; then
    client_tls=(--cafile "$dir/ca.crt")
  fi
  for attempt in $(seq 1 20); do
    broker_port=$((20000 + RANDOM % 40000))
    {
      printf 'listener %s 127.0.0.1\n' "$broker_port"
      [ -z "$tls" ] || printf 'cafile %s\ncertfile %s\nkeyfile %s\n' "$dir/ca.crt" "$dir/broker.crt" "$dir/broker.key"
      printf 'allow_anonymous true\npersistence false\nset_tcp_nodelay true\n'
    } >"$dir/mosquitto.conf"
    mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
    broker_pid=$!
    for waited in $(seq 1 50); do
      if mosquitto_pub -h localhost -p "$broker_port" "${client_tls[@]}" -t edgegw-probe -n 2>/dev/null; then
        return 0
      fi
      kill -0 "$broker_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  done
  echo "$script: FAIL: no Mosquitto could listen on a loopback port; last log:" >&2
  cat "$dir/mosquitto.log" >&2
  return 1
}

# A throw-away CA and a broker certificate for localhost / 127.0.0.1 in folder $1 (EC P-256, valid 2 days). The files
# are made readable for Mosquitto, which drops root to its own user.
make_test_ca() {
  local dir="$1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=edgegw-test-ca \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$dir/broker.key" -out "$dir/broker.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/broker.ext"
  openssl x509 -req -in "$dir/broker.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/broker.ext" -out "$dir/broker.crt" 2>/dev/null
  chmod 755 "$dir"
  chmod 644 "$dir/broker.key" "$dir/broker.crt" "$dir/ca.crt"
}

# Resident set size of process $1 in kB: "VmRSS RssAnon RssFile RssShmem" (zeros when it is gone).
rss_of() {
  awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = $2 }
       END { printf "%d %d %d %d\n", v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' "/proc/$1/status" 2>/dev/null ||
    echo "0 0 0 0"
}

# Exports the unit's DOTNET_* settings (its Environment=DOTNET_… lines), so that the agent runs here as the service
# runs it on the gateway; a variable the caller set already wins. Prints them, one line.
export_unit_dotnet_env() {
  local line name shown=()
  while IFS= read -r line; do
    line=${line#Environment=}
    name=${line%%=*}
    [ -n "${!name+set}" ] || export "$line"
    shown+=("$name=${!name}")
  done < <(grep -E '^Environment=DOTNET_[A-Za-z0-9_]+=' deploy/systemd/edgegw.service)
  [ ${#shown[@]} -eq 0 ] || echo "$script: runtime settings of deploy/systemd/edgegw.service: ${shown[*]}"
}
