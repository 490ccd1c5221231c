#!/usr/bin/env bash
# Checks a published (trimmed, self-contained) edgegw against the build it was made from: every command's help, and
# the commands that need no hardware — replay, simulate, calibrate, config validate and init, sensors scan, report and
# evaluate against a real InfluxDB with a small made-up programme — must print the same output, write the same files
# and exit with the same code; the PKI steps (init to broker-config) the same exit codes, masked output and file names. Trimming removes what it believes unused; this is how we know it removed nothing a
# command needs (src/EdgeGateway.Cli/EdgeGateway.Cli.csproj, deploy/README.md "Debian package").
#
#   deploy/debian/cli-check.sh PUBLISHED_EDGEGW [--runner CMD] [--no-influx]
#
# --runner runs the published binary through CMD (qemu-aarch64-static for the arm64 build); --no-influx leaves out
# report and evaluate (they start InfluxDB through deploy/dev/stack.sh). The reference is
# `dotnet src/EdgeGateway.Cli/bin/Release/net10.0/edgegw.dll` (built when missing). Exit 0 when all agree.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=cli-check.sh
published="" runner="" influx=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runner) runner="$2"; shift 2 ;;
    --no-influx) influx=""; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "$script: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) published="$1"; shift ;;
  esac
done
[ -n "$published" ] || { echo "$script: name the published edgegw (see --help)" >&2; exit 2; }
[ -x "$published" ] || { echo "$script: $published is not an executable" >&2; exit 2; }
published=$(realpath "$published")
reference_dll="$PWD/src/EdgeGateway.Cli/bin/Release/net10.0/edgegw.dll"
[ -f "$reference_dll" ] || dotnet build src/EdgeGateway.Cli -c Release -nologo -clp:NoSummary -v:q
repo=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-clicheck-XXXXXX")
stack=""
cleanup() {
  [ -z "$stack" ] || deploy/dev/stack.sh down "$stack" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

checked=0 differing=0
# check NAME ARGS...: runs both in their own folder (ARGS relative to it; {repo} is the repository), compares stdout,
# the exit code and every file written; stderr too, unless NAME ends in ~ (progress lines with timings).
check() {
  local name="$1"; shift
  local side args=()
  for arg in "$@"; do args+=("${arg//\{repo\}/$repo}"); done
  for side in reference published; do
    mkdir -p "$work/$side/$checked"
    (
      cd "$work/$side/$checked"
      set +e
      if [ "$side" = reference ]; then dotnet "$reference_dll" "${args[@]}" >../$checked.out 2>../$checked.err </dev/null
      else $runner "$published" "${args[@]}" >../$checked.out 2>../$checked.err </dev/null; fi
      echo $? >../$checked.exit
    )
  done
  local what=(out exit) problem=""
  [[ "$name" == *~ ]] || what+=(err)
  for part in "${what[@]}"; do
    cmp -s "$work/reference/$checked.$part" "$work/published/$checked.$part" || problem+=" $part"
  done
  diff -r "$work/reference/$checked" "$work/published/$checked" >/dev/null || problem+=" files"
  if [ -n "$problem" ]; then
    differing=$((differing + 1))
    echo "$script: DIFFERS ($problem ) edgegw $*" >&2
    for part in out err; do
      diff "$work/reference/$checked.$part" "$work/published/$checked.$part" | head -8 | sed 's/^/    /' >&2 || true
    done
  else
    echo "$script: same   edgegw $* (exit $(cat "$work/reference/$checked.exit"))"
  fi
  checked=$((checked + 1))
}

sample={repo}/deploy/sample
for command in "" replay simulate calibrate status report evaluate sensors "sensors scan" "sensors watch" record doctor \
    config "config init" "config validate" pki "pki init" "pki issue" "pki issue broker" "pki issue ingest" \
    "pki issue monitor" "pki issue gateway" "pki issue operator" "pki revoke" "pki crl" "pki list" "pki broker-config" \
    reason article calendar "calendar close" "calendar extra-shift"; do
  # shellcheck disable=SC2086 # the command's words
  check help $command --help
done

# The remote commands without an agent: the socket is missing (exit 1, says so), or the arguments are (exit 2).
check control-missing reason --cell cell-1 --code waiting_material --socket "$work/no-agent.sock"
check control-missing article --cell cell-1 --article A-100 --socket "$work/no-agent.sock"
check control-missing calendar close --from 2026-12-24 --to 2026-12-26 --socket "$work/no-agent.sock"
check control-missing calendar extra-shift --from 2026-12-19T06:00 --to 2026-12-19T14:00 --socket "$work/no-agent.sock"
check control-arguments reason --cell cell-1

check replay replay --config $sample/edgegw.json --trace $sample/sample-trace.csv --window day
check replay replay --config $sample/edgegw.json --trace $sample/sample-trace.csv --window shift --format json
check replay replay --config $sample/edgegw.json --trace $sample/sample-trace.csv --window 1m
check replay-error replay --config $sample/edgegw.json --trace {repo}/README.md
check simulate simulate --config $sample/simulation.json --from 2026-03-02 --to 2026-03-05 --seed 7 --trace trace.csv \
  --truth truth.json --windows total,day,shift,1m
# Reasons, articles and closures: a week of the context sample (context lines in its trace, their truth). The
# window records are larger with them: the arm64 JIT under qemu once read a List<WindowRecord> wrongly (Core Kpi/Buckets.cs).
check simulate-context simulate --config $sample/simulation-context.json --from 2026-03-02 --to 2026-03-09 --seed 7 --trace trace.csv \
  --truth truth.json --windows total,day,shift,1m
check validate config validate --config $sample/edgegw.json
check validate config validate --config $sample/edgegw.json --json
printf '{ "EdgeGateway": { "Site": "Bad Site", "Cells": [ { "Id": "c1" } ] }, "Agent": { "Nope": 1 } }\n' >"$work/broken.json"
check validate-broken config validate --config "$work/broken.json"
check init config init --non-interactive --out edgegw.json --set site=sme-0042 --set gateway=gw-1 --set time-zone=Europe/Berlin \
  --set tls=n --set broker=broker.example
check sensors-scan sensors scan --config $sample/edgegw.json

# Calibrate on the power of a simulated trace.
dotnet "$reference_dll" simulate --config "$repo/deploy/sample/simulation.json" --from 2026-03-02 --to 2026-03-03 --seed 3 \
  --trace "$work/power.csv" --truth "$work/power-truth.json" --windows total >/dev/null
check calibrate calibrate --config $sample/simulation.json --trace "$work/power.csv"

# The PKI: keys, serials and dates differ by nature, so each side runs the same steps in its own folder and what is
# compared is every step's exit code and stdout with serials and dates masked, and the names of the files written.
pki_steps() { # RUN...: the command to run edgegw
  local step
  printf 'site,gateway,cells\nsme-0042,gw-1,cell-1;cell-2\nsme-0117,gw-1,lathe-1\n' >fleet.csv
  printf 'secret passphrase\n' >passphrase
  for step in "pki init --dir pki --passphrase-file passphrase" \
      "pki issue broker --dir pki --host broker.example --host 127.0.0.1 --passphrase-file passphrase" \
      "pki issue ingest --dir pki --passphrase-file passphrase" "pki issue monitor --dir pki --passphrase-file passphrase" \
      "pki issue gateway --dir pki --site sme-0042 --gateway gw-1 --passphrase-file passphrase" \
      "pki issue gateway --dir pki --site sme-0117 --gateway gw-1 --passphrase-file passphrase" \
      "pki issue operator --dir pki --site sme-0117 --name tablet-1 --passphrase-file passphrase" \
      "pki revoke --dir pki sme-0117.gw-1" "pki crl --dir pki --passphrase-file passphrase" "pki list --dir pki" \
      "pki broker-config --dir pki --fleet fleet.csv --out broker" "pki init --dir pki"; do
    # shellcheck disable=SC2086 # the step's words
    set +e; "$@" $step >out 2>err; echo "exit $? $step"; set -e
    sed -E "s|$PWD|DIR|g; s/[0-9A-F]{16,}/SERIAL/g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?/DATE/g" out err
  done
  find . -type f ! -name out ! -name err | sort
}
for side in reference published; do
  mkdir -p "$work/pki-$side"
  if [ "$side" = reference ]; then (cd "$work/pki-$side" && pki_steps dotnet "$reference_dll") >"$work/pki-$side.txt"
  else (cd "$work/pki-$side" && pki_steps $runner "$published") >"$work/pki-$side.txt"; fi
done
if diff "$work/pki-reference.txt" "$work/pki-published.txt" >"$work/pki.diff"; then
  echo "$script: same   edgegw pki: init, issue broker/ingest/monitor/gateway/operator, revoke, crl, list, broker-config, init again ($(grep -c '^exit 0' "$work/pki-reference.txt") of 12 steps exit 0)"
else
  differing=$((differing + 1))
  echo "$script: DIFFERS edgegw pki steps:" >&2
  head -20 "$work/pki.diff" | sed 's/^/    /' >&2
fi
checked=$((checked + 1))
grep -q '^exit 2 pki init --dir pki$' "$work/pki-reference.txt" && [ "$(grep -c '^exit 0' "$work/pki-reference.txt")" -eq 11 ] ||
  { echo "$script: the reference's pki steps did not go as expected:" >&2; cat "$work/pki-reference.txt" >&2; exit 1; }

if [ -n "$influx" ]; then
  # Day records of four one-cell sites over six weeks; two sites' cells go live on 16 March (deterministic numbers).
  stack="$work/stack"
  deploy/dev/stack.sh up "$stack" >/dev/null
  # shellcheck disable=SC1091 # written by stack.sh up
  source "$stack/stack.env"
  awk 'BEGIN {
    start = 1772409600; # 2026-03-02T00:00:00Z
    for (s = 1; s <= 4; s++) for (d = 0; d < 42; d++) {
      treated = (s <= 2 && d >= 14);
      x = ((s * 7919 + d * 104729) % 1000) / 1000;
      run = 40000 + 8000 * x + (treated ? 6000 : 0); down = 9000 - 4000 * x - (treated ? 3000 : 0);
      setup = 3000; idle = 28800 - run - down - setup; if (idle < 0) idle = 0;
      produced = int(run / 30 * (0.85 + 0.1 * x)); scrap = int(produced * (0.03 - 0.01 * x)); good = produced - scrap;
      printf "kpi,cell=cell-%d,site=sme-%04d,window=day run_s=%d,setup_s=%d,down_s=%d,idle_s=%d,window_s=86400,", s, s, run, setup, down, idle;
      printf "produced=%di,good=%di,scrap=%di,unattended_good=0i,kwh=%.2f,ideal_cycle_s=30,coverage=1 %d000\n", produced, good, scrap, run / 400, start + d * 86400;
    }
  }' >"$work/days.lp"
  curl -sf -XPOST "$INFLUX_URL/write?db=$INFLUX_DATABASE&precision=ms" --data-binary @"$work/days.lp" ||
    { echo "$script: could not write the day records to $INFLUX_URL" >&2; exit 1; }
  printf 'site,cell,treated,go_live,ramp_up_days\nsme-0001,cell-1,true,2026-03-16,0\nsme-0002,cell-2,true,2026-03-16,0\nsme-0003,cell-3,false,,\nsme-0004,cell-4,false,,\n' >"$work/register.csv"
  check report report --influx-url "$INFLUX_URL" --from 2026-03-02 --to 2026-04-13
  check report-site report --influx-url "$INFLUX_URL" --site sme-0002 --from 2026-03-02
  check evaluate~ evaluate --influx-url "$INFLUX_URL" --register "$work/register.csv" --from 2026-03-02 --to 2026-04-13 --out out \
    --bootstrap 199
fi

[ -z "$influx" ] || grep -q "sme-0002" "$work/reference/$((checked - 2)).out" || { echo "$script: report printed no week of sme-0002" >&2; exit 1; }
[ -z "$influx" ] || [ -s "$work/reference/$((checked - 1))/out/evaluation.json" ] || { echo "$script: evaluate wrote no evaluation.json" >&2; exit 1; }
echo "$script: $checked command lines, $differing differing"
[ "$differing" -eq 0 ]
