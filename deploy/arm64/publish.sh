#!/usr/bin/env bash
# Publishes the agent, one folder per runtime, and prints each folder's size. Native AOT by default: one native
# executable (ILC, linked with clang; linux-arm64 cross-compiled against the Debian arm64 multiarch libraries), no .NET
# runtime and no JIT. --jit publishes the previous build instead: self-contained, trimmed, ReadyToRun.
#   deploy/arm64/publish.sh [--jit] [-o DIR] [-p:Property=Value …] [RID …]   RIDs: linux-arm64 (default), linux-x64; "all" = both
# Output: DIR/edgegw-agent-<rid>/ (DIR defaults to out/, which git ignores), without debug symbols (.dbg, .pdb). Trim
# and AOT warnings fail the publish (TreatWarningsAsErrors); installs the native toolchain's Debian packages when
# missing. See deploy/README.md, "Raspberry Pi build".
set -euo pipefail
cd "$(dirname "$0")/../.."
script=publish.sh
source deploy/arm64/lib.sh

out=out
rids=()
jit=""
props=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    --jit) jit=1; shift ;;
    -p:*) props+=("$1"); shift ;;
    all) rids+=(linux-arm64 linux-x64); shift ;;
    linux-*) rids+=("$1"); shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64)

if [ -z "$jit" ]; then
  # The C toolchain Native AOT links with (https://aka.ms/nativeaot-prerequisites): clang as the driver, GNU ld, llvm-objcopy
  # to split the symbols off; for linux-arm64 on x64 the cross binutils and the arm64 C runtime and zlib (multiarch).
  toolchain=(clang llvm zlib1g-dev)
  if printf '%s\n' "${rids[@]}" | grep -qx linux-arm64 && [ "$(uname -m)" != aarch64 ]; then
    toolchain+=(binutils-aarch64-linux-gnu libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64)
  fi
  ensure_packages "${toolchain[@]}"
fi

for rid in "${rids[@]}"; do
  dir="$out/edgegw-agent-$rid"
  rm -rf "$dir"
  if [ -n "$jit" ]; then
    echo "publish.sh: $rid (trimmed, ReadyToRun) -> $dir"
    dotnet publish src/EdgeGateway.Agent/EdgeGateway.Agent.csproj -c Release -r "$rid" --self-contained \
      -p:PublishTrimmed=true "${props[@]}" -o "$dir" -nologo -clp:NoSummary -v:q
  else
    echo "publish.sh: $rid (Native AOT) -> $dir"
    dotnet publish src/EdgeGateway.Agent/EdgeGateway.Agent.csproj -c Release -r "$rid" \
      -p:PublishAot=true "${props[@]}" -o "$dir" -nologo -clp:NoSummary -v:q
  fi
  # No debug symbols on the device (the .dbg of an AOT build is twice the executable).
  find "$dir" \( -name '*.dbg' -o -name '*.pdb' \) -delete
  bytes=$(du -sb "$dir" | cut -f1)
  packed=$(tar -czf - -C "$dir" . | wc -c)
  files=$(find "$dir" -type f | wc -l)
  awk -v rid="$rid" -v b="$bytes" -v f="$files" -v p="$packed" \
    'BEGIN { printf "publish.sh: %s: %.1f MB on disk in %d files, %.1f MB as .tar.gz\n", rid, b / 1048576, f, p / 1048576 }'
done
