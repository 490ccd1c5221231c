#!/usr/bin/env bash
# Runs every test of EdgeGateway. Installs what the tests need first (Debian packages), so it works on a
# fresh Debian 12 machine that has only the .NET 10 SDK. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: tzdata (IANA time zones for the shift calendar), influxdb (a real influxd: tests/EdgeGateway.TestSupport/Services/InfluxDb.cs),
# mosquitto with mosquitto-clients (mosquitto_passwd) and openssl (test certificates): a real broker, tests/EdgeGateway.TestSupport/Services/MosquittoBroker.cs.
# chromium: the evaluation report and the dashboard rendered headless (tests/EdgeGateway.Cli.Tests/EvaluateCommandTests.cs,
# tests/EdgeGateway.Dashboard.Tests/PageRenderingTests.cs).
# qemu-user-static and the arm64 libraries: the Raspberry Pi build's smoke test (deploy/arm64/smoke.sh, below).
# lintian, python3 and adduser: the Debian package's test (deploy/debian/test.sh, below).
# clang, llvm, zlib1g-dev and for linux-arm64 binutils-aarch64-linux-gnu with the arm64 C runtime and zlib: the agent's Native
# AOT build (deploy/arm64/publish.sh installs the same when missing).
packages=(tzdata influxdb mosquitto mosquitto-clients openssl chromium qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64
  lintian python3 adduser clang llvm zlib1g-dev binutils-aarch64-linux-gnu libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "tests/run.sh: installing ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# The outbox and folder tests mount small tmpfs file systems to fill them or make them read-only
# (tests/EdgeGateway.TestSupport/SmallFileSystem.cs): they need root, as CI has; as another user they fail, saying mount failed.
dotnet test EdgeGateway.sln -c Release "$@"

# The Raspberry Pi build: the linux-arm64 agent (Native AOT, cross-compiled), published here, runs under qemu with the
# simulator and must deliver all 4 cells' records to a local broker and stop cleanly (deploy/README.md).
deploy/arm64/smoke.sh

# The Debian package (deploy/README.md, "Debian package"): builds the amd64 package, installs, upgrades with a
# non-empty outbox, removes and purges it on this machine (root), then builds the arm64 package and runs its programs
# under qemu.
deploy/debian/test.sh
