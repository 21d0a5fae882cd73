# Shared by the live harnesses (live-load.sh, loader-latency.sh): where the programs are, what a run needs, and the
# agent started as both run it. Sourced, not run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AGENT=${AGENT:-$ROOT/artifacts/publish/kmodguard}
MODTEST=$ROOT/artifacts/native/linux/kmodguard-modtest
LATENCY=$ROOT/artifacts/native/linux/decision-latency

# require_harness NAME: the published agent, the native test programs and root, or a clear message and exit 2.
require_harness() {
  local f
  for f in "$AGENT" "$MODTEST" "$LATENCY"; do
    [ -x "$f" ] || { echo "missing $f: run ./build.sh loadtest (it builds and publishes first)" >&2; exit 2; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "the $1 needs root" >&2; exit 2; }
}

# agent_run WORK: the agent in the foreground on the built-in policy, its files under WORK, its log in WORK/agent.err;
# decision records on stdout.
agent_run() {
  "$AGENT" run --config "$1/absent.yaml" --policy "$1/absent-policy.yaml" --state-dir "$1/state" \
    --status-socket "$1/status.sock" 2>"$1/agent.err"
}

# agent_started WORK: waits (up to 10 s) until the agent says it started, then prints its pid.
agent_started() {
  for _ in $(seq 100); do grep -q "started in" "$1/agent.err" 2>/dev/null && break; sleep 0.1; done
  pgrep -n -x kmodguard
}
