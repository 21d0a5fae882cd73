#!/usr/bin/env python3
# Runs a command under the seccomp filter systemd builds from a unit's SystemCallFilter=, SystemCallErrorNumber=,
# RestrictAddressFamilies= and MemoryDenyWriteExecute=yes: a test-only emulation, so the binary's fit with the
# unit's sandbox is checked without a running systemd. Needs python3-seccomp (libseccomp) and root or no_new_privs.
#
# usage: sandbox.py SYSCALLS_FILE ERRNO FAMILIES -- COMMAND [ARGS...]
#   SYSCALLS_FILE  allowed system call names, one a line (the unit's filter, expanded by systemd-analyze)
#   ERRNO          what a refused call returns (SystemCallErrorNumber=), e.g. EPERM
#   FAMILIES       allowed socket families as numbers, comma-separated (RestrictAddressFamilies=)
import errno
import os
import sys

import seccomp

PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000


def main(argv):
    split = argv.index("--")
    syscalls_file, error_name, families = argv[1:split]
    command = argv[split + 1:]
    refused = seccomp.ERRNO(getattr(errno, error_name))
    allowed = {line.strip() for line in open(syscalls_file) if line.strip()}

    f = seccomp.SyscallFilter(defaction=refused)
    conditional = {"mmap", "mprotect", "pkey_mprotect", "shmat", "socket"}
    for name in sorted(allowed - conditional):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError):
            pass  # a name this libseccomp or architecture does not know
    # MemoryDenyWriteExecute=yes: no mapping both writable and executable, no making memory executable later.
    if "mmap" in allowed:
        f.add_rule(seccomp.ALLOW, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, 0))
        f.add_rule(seccomp.ALLOW, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_WRITE, 0))
    for name in ("mprotect", "pkey_mprotect"):
        if name in allowed:
            f.add_rule(seccomp.ALLOW, name, seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, 0))
    if "shmat" in allowed:
        f.add_rule(seccomp.ALLOW, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, 0))
    # RestrictAddressFamilies=: socket() only for the listed families.
    if "socket" in allowed:
        for family in (int(x) for x in families.split(",") if x):
            f.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, family))
    f.load()
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv)
