#!/usr/bin/env bash
# Live load harness (issue: Linux audit client, performance): module syscalls at RATE per second for SECONDS,
# followed by (1) the NativeAOT kmodguard agent and then (2) Debian's auditd with the same rules and kernel settings,
# one after the other in the same run. Needs root, the published agent and the native test programs:
#   ./build.sh loadtest [RATE] [SECONDS]        (or: tests/perf/live-load.sh RATE SECONDS)
# Reports per reader: syscalls issued, decisions/records, kernel lost delta, serial gaps and socket overflows (agent),
# CPU seconds used and % of one core, CPU ms per 1,000 events, peak and idle RSS, and for the agent the latency from
# each syscall (its time travels in the syscall's a2) to its decision record arriving on the agent's stdout.
set -euo pipefail

RATE=${1:-20000}
DURATION=${2:-30}
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
HZ=$(getconf CLK_TCK)

require_harness "live load harness"
command -v auditctl >/dev/null || { echo "needs auditctl/auditd (Debian package auditd)" >&2; exit 2; }
if [ "$(auditctl -s | awk '$1=="pid"{print $2}')" != "0" ]; then
  echo "an audit daemon is already registered; stop it first" >&2
  exit 2
fi

WORK=$(mktemp -d /tmp/kmodguard-load.XXXXXX)
ORIGINAL=$(auditctl -s)
restore() {
  auditctl -D -k kmodguard >/dev/null 2>&1 || true
  auditctl -b "$(awk '$1=="backlog_limit"{print $2}' <<<"$ORIGINAL")" >/dev/null 2>&1 || true
  auditctl --backlog_wait_time "$(awk '$1=="backlog_wait_time"{print $2}' <<<"$ORIGINAL")" >/dev/null 2>&1 || true
  auditctl -e "$(awk '$1=="enabled"{print $2}' <<<"$ORIGINAL")" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap restore EXIT

lost() { auditctl -s | awk '$1=="lost"{print $2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk -v k="$2" '$1==k":"{print $2}' "/proc/$1/status"; }
report() { # name events ticks lost seconds
  awk -v n="$1" -v e="$2" -v t="$3" -v hz="$HZ" -v l="$4" -v s="$5" 'BEGIN {
    cpu = t / hz; printf "%-8s events=%d kernel_lost=%d cpu_s=%.2f core_pct=%.1f cpu_ms_per_1000=%.2f\n", n, e, l, cpu, 100 * cpu / s, (e > 0 ? 1000 * cpu * 1000 / e : 0) }'
}

echo "== live load: $RATE module syscalls/s for $DURATION s (delete_module, ENOSYS on kernels without module support)"

# --- 1. kmodguard -------------------------------------------------------------------------------
agent_run "$WORK" | "$LATENCY" >"$WORK/latency.txt" &
AGENT_PID=$(agent_started "$WORK")
sleep 2
IDLE_RSS=$(rss_kb "$AGENT_PID" VmRSS)
L0=$(lost); T0=$(ticks "$AGENT_PID")
FLOOD=$("$MODTEST" flood "$RATE" "$DURATION" delete)
sleep 3 # let the agent drain
L1=$(lost); T1=$(ticks "$AGENT_PID"); PEAK_RSS=$(rss_kb "$AGENT_PID" VmHWM)
kill -TERM "$AGENT_PID"
wait
CALLS=$(sed -n 's/.*calls=\([0-9]*\).*/\1/p' <<<"$FLOOD")
echo "generator: $FLOOD"
echo "agent    : $(cat "$WORK/latency.txt")"
echo "agent    : rss_idle_kb=$IDLE_RSS rss_peak_kb=$PEAK_RSS lost_reports: $(grep -c 'events were lost' "$WORK/agent.err" || true) $(grep -o '[0-9]* [a-z_]* events were lost' "$WORK/agent.err" | tr '\n' ';' || true)"
report kmodguard "$CALLS" $((T1 - T0)) $((L1 - L0)) "$DURATION"

# --- 2. auditd, same rules and kernel settings ---------------------------------------------------
mkdir -p "$WORK/auditd/plugins.d"
cat >"$WORK/auditd/auditd.conf" <<EOF
local_events = yes
write_logs = yes
log_file = $WORK/auditd/audit.log
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 1024
num_logs = 2
priority_boost = 4
name_format = NONE
max_log_file_action = ROTATE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
q_depth = 2000
overflow_action = IGNORE
max_restarts = 0
plugin_dir = $WORK/auditd/plugins.d
end_of_event_timeout = 2
EOF
auditd -n -c "$WORK/auditd" &
AUDITD_PID=$!
for _ in $(seq 100); do [ "$(auditctl -s | awk '$1=="pid"{print $2}')" = "$AUDITD_PID" ] && break; sleep 0.1; done
auditctl -b 8192 >/dev/null; auditctl --backlog_wait_time 0 >/dev/null
"$AGENT" rules print | while read -r rule; do eval "auditctl $rule" >/dev/null; done
sleep 2
L0=$(lost); T0=$(ticks "$AUDITD_PID")
FLOOD=$("$MODTEST" flood "$RATE" "$DURATION" delete)
sleep 3
L1=$(lost); T1=$(ticks "$AUDITD_PID")
kill -TERM "$AUDITD_PID"; wait "$AUDITD_PID" || true
CALLS=$(sed -n 's/.*calls=\([0-9]*\).*/\1/p' <<<"$FLOOD")
LOGGED=$(grep -c 'type=SYSCALL.*key="kmodguard"' "$WORK/auditd/audit.log" || true)
echo "generator: $FLOOD"
echo "auditd   : syscall records logged=$LOGGED"
report auditd "$CALLS" $((T1 - T0)) $((L1 - L0)) "$DURATION"
