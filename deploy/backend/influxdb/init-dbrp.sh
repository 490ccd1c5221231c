#!/bin/bash
# Runs once, after the influxdb:2 image's first-start setup (org, bucket "edgegw", admin token): maps the bucket to the
# InfluxDB 1.x database/retention policy edgegw/autogen, so that InfluxQL (Grafana, `edgegw report`) reads it through
# the v1 compatibility API (/query).
set -euo pipefail
influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db edgegw \
  --rp autogen \
  --default
