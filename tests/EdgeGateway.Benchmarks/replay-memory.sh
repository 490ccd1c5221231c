#!/usr/bin/env bash
# Replays a long trace through `edgegw replay` and prints its peak memory (max RSS) and wall time.
#
#   tests/EdgeGateway.Benchmarks/replay-memory.sh [LINES]
#
# LINES event lines (default 10 000 000, ~360 MB; at one event every 100 ms that is 11.6 days of one cell) are
# generated for the sample config by `EdgeGateway.Benchmarks make-trace` (the same steady-state mix as the
# engine benchmark) into a temporary file, replayed with 1-minute windows as JSON into /dev/null under
# /usr/bin/time -v, and deleted again. Replay streams the trace, so its memory must not grow with the trace:
# the run fails (exit 1) when max RSS exceeds RSS_BUDGET_MB (default 100).
# Needs the .NET 10 SDK and GNU time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/../.."

lines="${1:-10000000}"
budget_mb="${RSS_BUDGET_MB:-100}"
cli=src/EdgeGateway.Cli/bin/Release/net10.0/edgegw.dll
generator=tests/EdgeGateway.Benchmarks/bin/Release/net10.0/EdgeGateway.Benchmarks.dll

dotnet build src/EdgeGateway.Cli -c Release -nologo -v quiet -clp:NoSummary
dotnet build tests/EdgeGateway.Benchmarks -c Release -nologo -v quiet -clp:NoSummary

trace="$(mktemp "${TMPDIR:-/tmp}/edgegw-trace.XXXXXX.csv")"
timing="$(mktemp "${TMPDIR:-/tmp}/edgegw-time.XXXXXX.txt")"
trap 'rm -f "$trace" "$timing"' EXIT

echo "replay-memory: generating $lines lines into $trace"
dotnet "$generator" make-trace "$trace" "$lines"
echo "replay-memory: trace is $(du -h "$trace" | cut -f1)"

/usr/bin/time -v -o "$timing" \
  dotnet "$cli" replay --config deploy/sample/edgegw.json --trace "$trace" --window 1m --format json > /dev/null

rss_kb="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$timing")"
wall="$(awk -F': ' '/Elapsed \(wall clock\) time/ { print $2 }' "$timing")"
rss_mb=$(( (rss_kb + 1023) / 1024 ))
echo "replay-memory: $lines lines, max RSS $rss_mb MB ($rss_kb KiB), wall time $wall (m:ss)"

if [ "$rss_mb" -gt "$budget_mb" ]; then
  echo "replay-memory: max RSS $rss_mb MB is over the budget of $budget_mb MB" >&2
  exit 1
fi
