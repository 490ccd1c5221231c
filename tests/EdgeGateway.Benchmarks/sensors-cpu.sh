#!/usr/bin/env bash
# CPU and allocations of the hardware source in real time (SensorCpuMeasurement): 4 current transformers at 100 Hz and
# 8 digital inputs on simulated chips, run on the system clock for SECONDS (default 60) after a 5 s warm-up, once with
# the source and once without it (the harness alone). Add "extras" for an INA219, a BME280 and an ADXL345 as well.
# Usage: tests/EdgeGateway.Benchmarks/sensors-cpu.sh [SECONDS] [extras]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- sensors-cpu "${1:-60}" ${2:-}
