namespace KmodGuard.Linux.KernelLog;

/// <summary>The kernel's own verdicts about a module, as it prints them (kernel/module/main.c, signing.c, version.c).</summary>
internal enum KernelModuleMessageKind
{
    /// <summary>"X: module verification failed: signature and/or required key missing - tainting kernel" (loaded, taint E).</summary>
    SignatureMissing,

    /// <summary>"Loading of unsigned module is rejected" and kin (signature enforcement refused it; no module name).</summary>
    SignatureRejected,

    /// <summary>"Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown.7" (names the process).</summary>
    LockdownRejected,

    /// <summary>"X: loading out-of-tree module taints kernel." (taint O).</summary>
    OutOfTree,

    /// <summary>"X: module license 'Y' taints kernel." (taint P).</summary>
    LicenseTaint,

    /// <summary>"X: module is from the staging directory, ..." (taint C).</summary>
    Staging,

    /// <summary>"X: Y: kernel tainted." (a forced load, taint F).</summary>
    ForcedLoad,

    /// <summary>"Module X is blacklisted" (refused).</summary>
    Blacklisted,

    /// <summary>"X: version magic 'A' should be 'B'" (built for another kernel; refused).</summary>
    VersionMagic,

    /// <summary>"X: disagrees about version of symbol Y" / "X: no symbol version for Y" (modversions mismatch; refused).</summary>
    SymbolVersion,

    /// <summary>"X: Unknown symbol Y (err -2)" (refused).</summary>
    UnknownSymbol,

    /// <summary>"Invalid ELF header magic: != \x7fELF" (not a module at all; no module name).</summary>
    InvalidElf,
}
