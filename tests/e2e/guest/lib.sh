# Helpers for the e2e scenarios (busybox ash). Protocol on the results port, one line each:
#   @@E2E boot KEY=VALUE...            @@E2E begin SCENARIO            @@E2E end SCENARIO
#   @@E2E obs SCENARIO KEY VALUE...    @@E2E modules SCENARIO LABEL LINE   (one per /proc/modules line; "-" when none)
#   @@E2E kmsg SCENARIO TEXT           (kernel log lines printed during the scenario)
#   @@E2E record SCENARIO JSON         (agent decision records written during the scenario)
#   @@E2E done
exec 3>/dev/ttyS1

KVER=$(uname -r)
AGENT=/usr/bin/kmodguard
AGENT_OUT=/run/agent.jsonl
AGENT_PID=
SCENARIO=
RECORDS_SEEN=0

# The agent's command line. Its configuration is /etc/kmodguard/kmodguard.yaml (written by prepare-guest.sh);
# agent_start copies the policy for the mode into place first.
agent_command() { echo "$AGENT run"; }

has_agent() { [ -x "$AGENT" ]; }

# "kmodguard run" exists in this build (the agent part of the scenarios switches on with it).
agent_can_run() { has_agent && "$AGENT" run --help 2>/dev/null | grep -q "kmodguard run"; }

emit() { echo "@@E2E $*" >&3; }

obs() { emit obs "$SCENARIO" "$@"; }

begin() {
  SCENARIO=$1
  dmesg -c >/dev/null
  RECORDS_SEEN=$(agent_lines)
  emit begin "$SCENARIO"
}

end() {
  agent_settle
  dmesg | sed "s/^/@@E2E kmsg $SCENARIO /" >&3
  agent_new_records | sed "s/^/@@E2E record $SCENARIO /" >&3
  emit end "$SCENARIO"
}

# Runs a command, prints its output on the console and records its exit code as KEY.
run() {
  local key=$1; shift
  echo "+ $*"
  "$@"
  obs "$key" $?
}

modules() {
  local label=$1
  if grep -q . /proc/modules; then
    sed "s/^/@@E2E modules $SCENARIO $label /" /proc/modules >&3
  else
    emit modules "$SCENARIO" "$label" -
  fi
}

is_loaded() { grep -q "^$1 " /proc/modules; }

# A line in the kernel log: its timestamp (µs since boot) times what the scenario does.
kmsg_mark() { echo "kmodguard-e2e: $*" > /dev/kmsg; }

agent_running() { [ -n "$AGENT_PID" ]; }

# With the agent running, waits up to $2 ms for module $1 to leave /proc/modules and marks the kernel time.
wait_gone() {
  agent_running || return 0
  local i=0
  while is_loaded "$1" && [ $i -lt "$2" ]; do usleep 2000; i=$((i + 2)); done
  kmsg_mark "gone-check $1 $(is_loaded "$1" && echo present || echo gone)"
}

agent_lines() { if [ -f $AGENT_OUT ]; then wc -l < $AGENT_OUT; else echo 0; fi; }

agent_new_records() { [ -f $AGENT_OUT ] && tail -n +$((RECORDS_SEEN + 1)) $AGENT_OUT; }

# Waits up to $2 ms for a new decision record containing the fixed string $1.
agent_wait() {
  agent_running || return 1
  local i=0
  while [ $i -lt "$2" ]; do
    agent_new_records | grep -qF -- "$1" && return 0
    usleep 20000; i=$((i + 20))
  done
  obs agent_wait_timeout "$1"
  return 1
}

# Lets the agent finish writing what the scenario caused: no new line for 300 ms (5 s at most).
agent_settle() {
  agent_running || return 0
  local last=-1 now i=0
  while [ $i -lt 5000 ]; do
    now=$(agent_lines)
    [ "$now" = "$last" ] && return 0
    last=$now
    usleep 300000; i=$((i + 300))
  done
}

# Starts the agent with policy-$1.yaml, as scenario "agent-$1", and waits until it decides: probes with rmmod of a
# module that does not exist until the agent records that unload (its audit rules are in place from then on).
agent_start() {
  agent_can_run || return 0
  cp "/etc/kmodguard/policy-$1.yaml" /etc/kmodguard/policy.yaml
  : > $AGENT_OUT
  begin "agent-$1"
  $(agent_command) >>$AGENT_OUT 2>/run/agent.err &
  AGENT_PID=$!
  local i=0
  while [ $i -lt 100 ]; do
    rmmod "kmodguard_e2e_probe_$i" 2>/dev/null
    if grep -qF "kmodguard_e2e_probe_" $AGENT_OUT; then
      obs agent_ready "$i"
      end
      return 0
    fi
    kill -0 "$AGENT_PID" 2>/dev/null || break
    usleep 200000; i=$((i + 1))
  done
  obs agent_failed "$1"
  sed "s/^/@@E2E obs $SCENARIO agent_stderr /" /run/agent.err >&3
  agent_stop
  end
}

agent_stop() {
  agent_running || return 0
  kill -TERM "$AGENT_PID" 2>/dev/null
  local i=0
  while kill -0 "$AGENT_PID" 2>/dev/null && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
  kill -KILL "$AGENT_PID" 2>/dev/null
  wait "$AGENT_PID" 2>/dev/null
  AGENT_PID=
}
