#!/usr/bin/env bash
# Boots the guest prepared by prepare-guest.sh under qemu (TCG: no KVM needed) and waits for it to power off.
#
#   tests/e2e/boot-guest.sh DIR [TIMEOUT_SECONDS]
#
# DIR/console.log gets the serial console (kernel log, command output); DIR/results.log the scenario results
# ("@@E2E ..." lines from the guest's second serial port).
set -euo pipefail
DIR=$1
TIMEOUT=${2:-300}
# shellcheck disable=SC1091
. "$DIR/guest.env"
rm -f "$DIR/console.log" "$DIR/results.log"
# -nodefaults: no network card, VGA or option ROMs to probe; the two serial ports are all the guest needs.
exec timeout --kill-after=10 "$TIMEOUT" qemu-system-x86_64 \
  -nodefaults -no-user-config -accel tcg -cpu max -smp 1 -m 1024 -display none -no-reboot \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 audit=1 panic=-1 quiet" \
  -serial "file:$DIR/console.log" -serial "file:$DIR/results.log"
