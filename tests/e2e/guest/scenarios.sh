# The e2e scenarios (issue 4, "Proof on a real kernel"). Each one runs with or without the agent; the host's tests
# assert the kernel's side always and the agent's decision records when the agent ran.
DUMMY=/lib/modules/$KVER/kernel/drivers/net/dummy.ko
TEST_MODULES=/e2e/modules

cleanup_dummy() { is_loaded dummy && rmmod dummy; true; }

scenario_boot() {
  begin boot
  obs release "$KVER"
  obs tainted "$(cat /proc/sys/kernel/tainted)"
  obs module_support "$([ -e /proc/modules ] && echo yes || echo no)"
  obs agent_present "$(has_agent && echo yes || echo no)"
  obs agent_runs "$(agent_can_run && echo yes || echo no)"
  modules start
  end
}

# The module tools are run by path (/bin/insmod, a link to busybox), so they are exec'd as kmod's are on a server: the
# agent's exec watch on the tool then gives the file from the command line even when the loader exits before its
# descriptor can be read (which, on this emulated CPU, it usually does). Bare applet names run inside the shell's
# fork with no exec at all: the memory-buffer and rmmod scenarios keep that form.
scenario_insmod_signed() {
  begin insmod-signed
  run insmod_rc /bin/insmod "$DUMMY"
  agent_wait '"kmodguard.module.name":"dummy"' 5000
  agent_running && sleep 1
  modules after
  run rmmod_rc rmmod dummy
  agent_wait '"kmodguard.operation":"unload"' 5000
  end
}

scenario_modprobe_signed() {
  begin modprobe-signed
  run modprobe_rc /bin/modprobe dummy
  agent_wait '"kmodguard.module.name":"dummy"' 5000
  agent_running && sleep 1
  modules after
  run modprobe_remove_rc /bin/modprobe -r dummy
  agent_wait '"kmodguard.operation":"unload"' 5000
  end
}

scenario_rmmod_names() {
  begin rmmod-names
  insmod "$DUMMY"
  agent_wait '"kmodguard.operation":"load"' 5000
  run rmmod_rc rmmod dummy
  # delete_module takes any name: the kernel audits it, hex-encoded because of the space, before looking it up.
  run rmmod_space_rc rmmod "evil mod"
  agent_wait '"kmodguard.module.name":"evil mod"' 5000
  modules after
  end
}

scenario_enforce_tmp() {
  begin enforce-tmp
  cp "$DUMMY" /tmp/dummy.ko
  kmsg_mark "insmod /tmp/dummy.ko"
  run insmod_rc /bin/insmod /tmp/dummy.ko
  wait_gone dummy 3000
  obs gone "$(is_loaded dummy && echo no || echo yes)"
  agent_wait '"kmodguard.action":"unloaded"' 5000
  modules after
  cleanup_dummy
  end
}

scenario_tampered() {
  begin tampered
  run insmod_rc /bin/insmod "$TEST_MODULES/dummy-tampered.ko"
  agent_wait 'dummy-tampered.ko' 5000
  modules after
  cleanup_dummy
  end
}

scenario_unsigned() {
  begin unsigned
  run insmod_rc /bin/insmod "$TEST_MODULES/dummy-unsigned.ko"
  obs taint_after_load "$(cat /sys/module/dummy/taint 2>/dev/null || echo -)"
  agent_wait 'dummy-unsigned.ko' 5000
  wait_gone dummy 3000
  modules after
  obs kernel_tainted "$(cat /proc/sys/kernel/tainted)"
  cleanup_dummy
  end
}

scenario_memory_buffer() {
  begin memory-buffer
  # busybox insmod hands a .ko.xz to finit_module, which refuses it (ENOEXEC), then decompresses it itself and
  # calls init_module with the bytes: the kernel never sees a file.
  run insmod_rc insmod "$TEST_MODULES/dummy.ko.xz"
  agent_wait '"kmodguard.linux.syscall":"init_module"' 5000
  modules after
  cleanup_dummy
  end
}

scenario_persistence() {
  begin persistence
  echo dummy > /etc/modules-load.d/x.conf
  obs written "$(cat /etc/modules-load.d/x.conf)"
  agent_wait '/etc/modules-load.d/x.conf' 5000
  end
}

scenario_monitor_tmp() {
  begin monitor-tmp
  cp "$DUMMY" /tmp/dummy.ko
  run insmod_rc /bin/insmod /tmp/dummy.ko
  agent_wait '"kmodguard.module.name":"dummy"' 5000
  agent_running && sleep 1
  modules after
  cleanup_dummy
  end
}

# Last, after the unsigned copy has tainted the kernel (E) and gone: the signed dummy is loaded, the taint is not
# explained by any loaded module, and the kernel log (read from /dev/kmsg) says which module caused it.
scenario_inventory() {
  begin inventory
  insmod "$DUMMY"
  if has_agent; then
    "$AGENT" inventory --json > /run/inventory.json 2>/run/inventory.err
    obs inventory_rc $?
    tr -d '\n' < /run/inventory.json | sed 's/^/@@E2E obs inventory inventory_json /' >&3
    echo >&3
    sed 's/^/inventory stderr: /' /run/inventory.err
  fi
  cleanup_dummy
  end
}

run_scenarios() {
  emit boot "release=$KVER" "agent=$(has_agent && echo yes || echo no)" "agent_runs=$(agent_can_run && echo yes || echo no)"
  scenario_boot
  agent_start enforce
  scenario_insmod_signed
  scenario_modprobe_signed
  scenario_rmmod_names
  scenario_enforce_tmp
  scenario_tampered
  scenario_unsigned
  scenario_memory_buffer
  scenario_persistence
  agent_stop
  agent_start monitor
  scenario_monitor_tmp
  agent_stop
  scenario_inventory
}
