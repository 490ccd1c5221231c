#!/usr/bin/env bash
# Opening a full outbox (OutboxOpenBenchmark) with the disk read as slowly as a Raspberry Pi's SD card: the benchmark
# runs in a blkio cgroup (cgroup v1) that throttles reads of the outbox's disk to 20 MB/s and 1500 reads/s; the page
# cache is dropped before every open, so every byte opened comes through the throttle. Needs root. The build runs
# first, unthrottled. Writes (filling the outbox) are not throttled.
# Usage: sudo tests/EdgeGateway.Benchmarks/outbox-open-sd.sh [MIB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release tests/EdgeGateway.Benchmarks >/dev/null
cgroup=/sys/fs/cgroup/blkio/edgegw-outbox-open-sd
folder=$(mktemp -d "${TMPDIR:-/tmp}/edgegw-outbox-open-XXXXXX")
trap 'rm -rf "$folder"; echo $$ > /sys/fs/cgroup/blkio/cgroup.procs; rmdir "$cgroup" 2>/dev/null || true' EXIT
device=$(stat -c '%d' "$folder")
device="$((device >> 8)):$((device & 255))"
mkdir -p "$cgroup"
echo "$device 20971520" > "$cgroup/blkio.throttle.read_bps_device"
echo "$device 1500" > "$cgroup/blkio.throttle.read_iops_device"
echo $$ > "$cgroup/cgroup.procs"
echo "reads of device $device throttled to 20 MB/s and 1500 reads/s"
dotnet run -c Release --no-build --project tests/EdgeGateway.Benchmarks -- outbox-open "${1:-512}" "${2:-5}" --dir="$folder"
