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
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AGENT=${AGENT:-$ROOT/artifacts/publish/kmodguard}
MODTEST=$ROOT/artifacts/native/linux/kmodguard-modtest
LATENCY=$ROOT/artifacts/native/linux/decision-latency
MODULE=$ROOT/tests/fixtures/modules/crc7_6.1.0-56-cloud-amd64.ko

for f in "$AGENT" "$MODTEST" "$LATENCY"; do
  [ -x "$f" ] || { echo "missing $f: run ./build.sh loadtest (it builds and publishes first)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "the loader latency harness needs root" >&2; exit 2; }

WORK=$(mktemp -d /tmp/kmodguard-loaders.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$MODULE" "$WORK/crc7.ko"

echo "== loaders that exit at once: $RATE finit_module/s for $DURATION s, each from a fresh process"
"$AGENT" run --config "$WORK/absent.yaml" --policy "$WORK/absent-policy.yaml" --state-dir "$WORK/state" \
  --status-socket "$WORK/status.sock" 2>"$WORK/agent.err" | tee "$WORK/records.jsonl" | "$LATENCY" >"$WORK/latency.txt" &
for _ in $(seq 100); do grep -q "started in" "$WORK/agent.err" 2>/dev/null && break; sleep 0.1; done
AGENT_PID=$(pgrep -n -x kmodguard)
sleep 1
echo "generator: $("$MODTEST" loaders "$RATE" "$DURATION" "$WORK/crc7.ko")"
sleep 3 # updates for enrichment that outlived its budget
kill -TERM "$AGENT_PID"
wait
echo "agent    : $(cat "$WORK/latency.txt") (decision records; update records not counted)"
echo "agent    : update_records=$(grep -c '"kmodguard.update":true' "$WORK/records.jsonl" || true)" \
  "with_sha256=$(grep -v '"kmodguard.update":true' "$WORK/records.jsonl" | grep -c '"kmodguard.module.sha256"' || true)"
