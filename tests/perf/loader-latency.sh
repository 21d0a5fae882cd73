#!/usr/bin/env bash
# Decision latency for loaders that exit at once (issue: Linux enforcement, performance): RATE finit_module calls per
# second for SECONDS, each from a fresh process that opens a real module file, calls finit_module and exits. By the
# time the agent handles the event neither the process nor its descriptor is in /proc; the decision must still be
# recorded within 5 ms p99, whatever enrichment then completes later as an update record. Needs root, the published
# agent and the native test programs:
#   ./build.sh loadtest (runs this after the flood harness)   or   tests/perf/loader-latency.sh RATE SECONDS
set -euo pipefail

RATE=${1:-200}
DURATION=${2:-15}
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
MODULE=$ROOT/tests/fixtures/modules/crc7_6.1.0-56-cloud-amd64.ko

require_harness "loader latency harness"

WORK=$(mktemp -d /tmp/kmodguard-loaders.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$MODULE" "$WORK/crc7.ko"

echo "== loaders that exit at once: $RATE finit_module/s for $DURATION s, each from a fresh process"
agent_run "$WORK" | tee "$WORK/records.jsonl" | "$LATENCY" >"$WORK/latency.txt" &
AGENT_PID=$(agent_started "$WORK")
sleep 1
echo "generator: $("$MODTEST" loaders "$RATE" "$DURATION" "$WORK/crc7.ko")"
sleep 3 # updates for enrichment that outlived its budget
kill -TERM "$AGENT_PID"
wait
echo "agent    : $(cat "$WORK/latency.txt") (decision records; update records not counted)"
echo "agent    : update_records=$(grep -c '"kmodguard.update":true' "$WORK/records.jsonl" || true)" \
  "with_sha256=$(grep -v '"kmodguard.update":true' "$WORK/records.jsonl" | grep -c '"kmodguard.module.sha256"' || true)"
