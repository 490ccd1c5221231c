#!/usr/bin/env bash
# Publishes the agent self-contained and trimmed, one folder per runtime, and prints each folder's size.
#   deploy/arm64/publish.sh [-o DIR] [RID …]      RIDs: linux-arm64 (default), linux-x64; "all" = both
# Output: DIR/edgegw-agent-<rid>/ (DIR defaults to out/, which git ignores). Trim warnings fail the publish
# (TreatWarningsAsErrors); see deploy/README.md, "Raspberry Pi build".
set -euo pipefail
cd "$(dirname "$0")/../.."

out=out
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    all) rids+=(linux-arm64 linux-x64); shift ;;
    linux-*) rids+=("$1"); shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64)

for rid in "${rids[@]}"; do
  dir="$out/edgegw-agent-$rid"
  rm -rf "$dir"
  echo "publish.sh: $rid -> $dir"
  dotnet publish src/EdgeGateway.Agent/EdgeGateway.Agent.csproj -c Release -r "$rid" --self-contained \
    -p:PublishTrimmed=true -o "$dir" -nologo -clp:NoSummary -v:q
  bytes=$(du -sb "$dir" | cut -f1)
  packed=$(tar -czf - -C "$dir" . | wc -c)
  files=$(find "$dir" -type f | wc -l)
  awk -v rid="$rid" -v b="$bytes" -v f="$files" -v p="$packed" \
    'BEGIN { printf "publish.sh: %s: %.1f MB on disk in %d files, %.1f MB as .tar.gz\n", rid, b / 1048576, f, p / 1048576 }'
done
