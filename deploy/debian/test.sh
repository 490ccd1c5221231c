#!/usr/bin/env bash
# Tests the Debian package on this machine (root, Debian 12; systemd need not run). INSTALLS edgegw system-wide and
# purges it at the end: run it on a CI or test machine, not on a gateway.
#   deploy/debian/test.sh [--version X.Y.Z] [--no-arm64]
#   1. builds edgegw_X.Y.Z_amd64.deb (lintian clean) and X.Y.(Z+1) from the same binaries;
#   2. dpkg -i (timed): files, owners and modes, the conffile, user edgegw in groups gpio and i2c, `edgegw --version`,
#      `edgegw-agent --version`, `edgegw config validate` of the installed config run as user edgegw;
#   3. runs the installed agent as edgegw (simulator, no broker reachable) until its outbox holds records, SIGTERM;
#   4. edits the config, upgrades: records (counted frame by frame) and files byte for byte kept, the edit kept;
#   5. remove: programs gone, outbox and config kept; purge: state and config gone, the user stays;
#   6. builds edgegw_X.Y.Z_arm64.deb (lintian clean) and runs its edgegw, edgegw-agent --version and the CLI's config
#      validate under qemu-aarch64-static, and cli-check.sh of its CLI under qemu; prints its size.
# Step 2 also runs deploy/debian/cli-check.sh on the installed CLI: the trimmed build against the untrimmed one.
# What it cannot exercise without a running systemd (the maintainer scripts skip it, as debhelper's do): the unit
# being started, restarted on upgrade and stopped on remove. Called by tests/run.sh; see deploy/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=test.sh
source deploy/arm64/lib.sh

version=1.0.0 arm64=1
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --no-arm64) arm64=""; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "$script: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "$script: must run as root (it installs the package)" >&2; exit 2; }
next="${version%.*}.$(( ${version##*.} + 1 ))"

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-debtest-XXXXXX")
agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ]; then kill -KILL "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
  dpkg --purge edgegw >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$script: FAIL: $*" >&2; tail -20 "$work/agent.log" >&2 2>/dev/null || true; exit 1; }
check() { local what="$1"; shift; "$@" || fail "$what"; }
# owner:group mode of a path, as stat prints them (mode in octal)
owner_mode() { stat -c '%U:%G %a' "$1"; }
expect_owner_mode() { local got; got=$(owner_mode "$1"); [ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"; }

ensure_packages lintian python3 adduser
# A leftover of an interrupted run would hide what a fresh install does.
dpkg --purge edgegw >/dev/null 2>&1 || true
if getent passwd edgegw >/dev/null; then
  echo "$script: note: user edgegw exists already (an earlier run; purge keeps it): its creation is not tested this time"
fi

# 1. Packages
deploy/debian/build.sh --arch amd64 --version "$version" --out "$work" --lintian
deploy/debian/build.sh --arch amd64 --version "$next" --out "$work" --published out/deb-linux-x64 --lintian
deb1="$work/edgegw_${version}_amd64.deb" deb2="$work/edgegw_${next}_amd64.deb"

# 2. Install
t0=$(date +%s%N)
dpkg -i "$deb1" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i $deb1"; }
install_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "$script: dpkg -i edgegw_${version}_amd64.deb: ${install_ms} ms"
[ "$(dpkg-query -W -f='${Status} ${Version}' edgegw)" = "install ok installed $version" ] || fail "edgegw $version is not installed"
expect_owner_mode /usr/lib/edgegw/agent/edgegw-agent "root:root 755"
expect_owner_mode /usr/lib/edgegw/cli/edgegw "root:root 755"
# The agent is one native executable (Native AOT): no .NET runtime beside it.
[ ! -e /usr/lib/edgegw/agent/libcoreclr.so ] || fail "the packaged agent carries a .NET runtime (libcoreclr.so): not the Native AOT build"
expect_owner_mode /usr/lib/edgegw/agent/libSystem.IO.Ports.Native.so "root:root 644"
[ "$(readlink /usr/bin/edgegw)" = ../lib/edgegw/cli/edgegw ] || fail "/usr/bin/edgegw is not the CLI's link"
[ "$(readlink /usr/bin/edgegw-agent)" = ../lib/edgegw/agent/edgegw-agent ] || fail "/usr/bin/edgegw-agent is not the agent's link"
expect_owner_mode /lib/systemd/system/edgegw.service "root:root 644"
grep -qx 'ExecStart=/usr/lib/edgegw/agent/edgegw-agent --config /etc/edgegw/edgegw.json' /lib/systemd/system/edgegw.service ||
  fail "the unit does not start the packaged agent"
expect_owner_mode /etc/edgegw/edgegw.json "root:edgegw 640"
expect_owner_mode /var/lib/edgegw "edgegw:edgegw 750"
dpkg-query -W -f='${Conffiles}\n' edgegw | grep -q '^ /etc/edgegw/edgegw.json ' || fail "/etc/edgegw/edgegw.json is not a conffile"
uid=$(id -u edgegw)
[ "$uid" -lt 1000 ] || fail "edgegw is not a system user (uid $uid)"
[ "$(getent passwd edgegw | cut -d: -f7)" = /usr/sbin/nologin ] || fail "edgegw has a login shell"
groups=" $(id -nG edgegw) "
for group in edgegw gpio i2c; do
  [[ "$groups" == *" $group "* ]] || fail "edgegw is not in group $group (groups:$groups)"
done
echo "$script: installed: files, owners and modes, conffile, system user edgegw (uid $uid) in groups$groups"

cli_version=$(edgegw --version) || fail "edgegw --version"
[[ "$cli_version" == "$version"* ]] || fail "edgegw --version says '$cli_version', expected $version"
agent_version=$(edgegw-agent --version) || fail "edgegw-agent --version"
[[ "$agent_version" == *"$version"* ]] || fail "edgegw-agent --version says '$agent_version', expected $version"
# As the service user: the config's mode must let it read the file.
validate=$(runuser -u edgegw -- edgegw config validate --config /etc/edgegw/edgegw.json) ||
  { ls -la /var/lib/edgegw /var/lib/edgegw/outbox >&2 || true; id edgegw >&2; fail "edgegw config validate of the installed config: $validate"; }
echo "$script: edgegw --version $cli_version; edgegw-agent --version $agent_version; config validate: $validate"
edgegw --help | grep -q 'config' || fail "edgegw --help does not list its commands"
# The installed (trimmed) CLI prints and writes what its untrimmed build does, command by command.
deploy/debian/cli-check.sh /usr/lib/edgegw/cli/edgegw >"$work/cli-check.log" 2>&1 || { cat "$work/cli-check.log" >&2; fail "cli-check.sh of the installed edgegw"; }
echo "$script: $(tail -1 "$work/cli-check.log")"

# 3. A non-empty outbox: the installed agent as the service runs it (user edgegw, the unit's outbox folder), from the
# simulator, with no broker listening (port 1 on loopback), so every record stays in the outbox.
export_unit_dotnet_env
chmod 755 "$work"
cp deploy/sample/simulation.json "$work/simulation.json"
chmod 644 "$work/simulation.json"
# setpriv execs the agent itself (runuser would stay its parent and end it with the session on SIGTERM).
setpriv --reuid=edgegw --regid=edgegw --init-groups -- /usr/bin/edgegw-agent --config "$work/simulation.json" --Agent:Source=Simulator --Agent:SpeedFactor=3600 \
  --Agent:SimulationStart=2026-03-23T05:00:00Z --Agent:Mqtt:Host=127.0.0.1 --Agent:Mqtt:Port=1 \
  --Agent:Outbox:Directory=/var/lib/edgegw/outbox --Agent:StatusFile=/var/lib/edgegw/test-status.json >"$work/agent.log" 2>&1 &
agent_pid=$!
outbox=/var/lib/edgegw/outbox
deadline=$(( $(date +%s) + 120 ))
while :; do
  kill -0 "$agent_pid" 2>/dev/null || fail "the agent exited early"
  if [ -d "$outbox" ] && read -r n _ < <(deploy/debian/outbox-count.py "$outbox" 2>/dev/null) && [ "$n" -ge 20 ]; then break; fi
  [ "$(date +%s)" -lt "$deadline" ] || fail "fewer than 20 records in $outbox after 120 s"
  sleep 1
done
kill -TERM "$agent_pid"
if wait "$agent_pid"; then code=0; else code=$?; fi
agent_pid=""
[ "$code" -eq 0 ] || fail "the agent exited with code $code after SIGTERM"
rm -f /var/lib/edgegw/test-status.json
before=$(deploy/debian/outbox-count.py "$outbox") || fail "the outbox cannot be read"
(cd "$outbox" && find . -type f ! -name lock -exec sha256sum {} + | sort -k2) >"$work/outbox.before"
echo "$script: outbox after SIGTERM: $before (records, first seq, last seq) in $(wc -l <"$work/outbox.before") files"

# 4. Upgrade with an edited config
sed -i 's/"Site": "site-unset"/"Site": "sme-upgrade-test"/' /etc/edgegw/edgegw.json
t0=$(date +%s%N)
dpkg -i "$deb2" >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log" >&2; fail "dpkg -i $deb2 (upgrade)"; }
echo "$script: upgrade to $next: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
[ "$(dpkg-query -W -f='${Version}' edgegw)" = "$next" ] || fail "edgegw $next is not installed after the upgrade"
grep -q '"Site": "sme-upgrade-test"' /etc/edgegw/edgegw.json || fail "the upgrade replaced the edited config"
[ ! -e /etc/edgegw/edgegw.json.dpkg-new ] && [ ! -e /etc/edgegw/edgegw.json.dpkg-old ] || fail "the upgrade left a .dpkg-new/.dpkg-old config"
after=$(deploy/debian/outbox-count.py "$outbox") || fail "the outbox cannot be read after the upgrade"
[ "$after" = "$before" ] || fail "the outbox holds '$after' after the upgrade, '$before' before"
diff <(cd "$outbox" && find . -type f ! -name lock -exec sha256sum {} + | sort -k2) "$work/outbox.before" >/dev/null ||
  fail "the outbox's files changed in the upgrade"
expect_owner_mode /var/lib/edgegw "edgegw:edgegw 750"
runuser -u edgegw -- edgegw config validate --config /etc/edgegw/edgegw.json >/dev/null || fail "config validate after the upgrade"
echo "$script: upgrade: records kept ($after), files byte for byte, edited config kept"

# 5. Remove, purge
dpkg -r edgegw >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg -r edgegw"; }
[ ! -e /usr/lib/edgegw ] && [ ! -e /usr/bin/edgegw ] && [ ! -e /lib/systemd/system/edgegw.service ] || fail "remove left programs behind"
[ "$(deploy/debian/outbox-count.py "$outbox")" = "$before" ] || fail "remove lost outbox records"
[ -f /etc/edgegw/edgegw.json ] || fail "remove deleted the config"
dpkg -P edgegw >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg -P edgegw"; }
[ ! -e /var/lib/edgegw ] || fail "purge left /var/lib/edgegw"
[ ! -e /etc/edgegw ] || fail "purge left /etc/edgegw"
getent passwd edgegw >/dev/null || fail "purge deleted the user edgegw (it keeps it, deploy/README.md)"
echo "$script: remove kept the outbox and config; purge deleted them"

# 6. arm64
if [ -n "$arm64" ]; then
  ensure_packages qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64
  deploy/debian/build.sh --arch arm64 --version "$version" --out "$work" --lintian
  deb="$work/edgegw_${version}_arm64.deb"
  dpkg-deb -x "$deb" "$work/arm64"
  cli="$work/arm64/usr/lib/edgegw/cli/edgegw" agent="$work/arm64/usr/lib/edgegw/agent/edgegw-agent"
  for exe in "$cli" "$agent"; do
    [ "$(od -An -tx1 -j18 -N2 "$exe" | tr -d ' \n')" = b700 ] || fail "$exe is not an arm64 executable"
  done
  v=$(qemu-aarch64-static "$cli" --version) && [[ "$v" == "$version"* ]] || fail "arm64 edgegw --version: '${v:-}'"
  v=$(qemu-aarch64-static "$agent" --version) && [[ "$v" == *"$version"* ]] || fail "arm64 edgegw-agent --version: '${v:-}'"
  qemu-aarch64-static "$cli" config validate --config "$work/arm64/etc/edgegw/edgegw.json" >/dev/null ||
    fail "arm64 edgegw config validate of the shipped config"
  t0=$(date +%s)
  # One more try when a command crashed under the emulator (a .NET runtime "Fatal error" with an access violation,
  # seen twice on a loaded machine and never natively or when run again: deploy/README.md, "Raspberry Pi build").
  # A difference without such a crash is never retried, and the crash is printed either way.
  if ! deploy/debian/cli-check.sh "$cli" --runner qemu-aarch64-static >"$work/cli-check-arm64.log" 2>&1; then
    grep -q "Fatal error" "$work/cli-check-arm64.log" ||
      { cat "$work/cli-check-arm64.log" >&2; fail "cli-check.sh of the arm64 edgegw under qemu"; }
    echo "$script: arm64 under qemu: the runtime crashed in a command (below); running cli-check.sh once more" >&2
    grep -B2 -A6 "Fatal error" "$work/cli-check-arm64.log" | head -20 >&2
    deploy/debian/cli-check.sh "$cli" --runner qemu-aarch64-static >"$work/cli-check-arm64.log" 2>&1 ||
      { cat "$work/cli-check-arm64.log" >&2; fail "cli-check.sh of the arm64 edgegw under qemu (second run)"; }
  fi
  echo "$script: arm64 under qemu: $(tail -1 "$work/cli-check-arm64.log") ($(( $(date +%s) - t0 )) s)"
  bytes=$(stat -c %s "$deb")
  awk -v b="$bytes" 'BEGIN { printf "test.sh: arm64: edgegw, edgegw-agent --version and config validate run under qemu; .deb %.1f MB\n", b / 1048576 }'
fi
echo "$script: PASS in $(( $(date +%s) - started )) s"
