namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// Audit architecture identifiers (<c>AUDIT_ARCH_*</c>: the ELF machine plus 64-bit and little-endian flags), as the
/// kernel writes them in <c>arch=</c> and as rules carry them in the arch field.
/// </summary>
internal static class AuditArch
{
    public const uint X8664 = 0xC000003E;
    public const uint I386 = 0x40000003;
    public const uint Aarch64 = 0xC00000B7;
    public const uint Arm = 0x40000028;
    public const uint ArmBigEndian = 0x00000028;
    public const uint Ppc64 = 0x80000015;
    public const uint Ppc64Le = 0xC0000015;
    public const uint Ppc = 0x00000014;
    public const uint S390X = 0x80000016;
    public const uint S390 = 0x00000016;
    public const uint Riscv64 = 0xC00000F3;

    /// <summary>Set in 64-bit architecture identifiers (<c>__AUDIT_ARCH_64BIT</c>).</summary>
    public const uint Is64BitFlag = 0x80000000;

    /// <summary>The name ausearch -i and auditctl use for an architecture, or null for one KmodGuard does not know.</summary>
    public static string? NameOf(uint arch) => arch switch
    {
        X8664 => "x86_64",
        I386 => "i386",
        Aarch64 => "aarch64",
        Arm => "arm",
        ArmBigEndian => "armeb",
        Ppc64 => "ppc64",
        Ppc64Le => "ppc64le",
        Ppc => "ppc",
        S390X => "s390x",
        S390 => "s390",
        Riscv64 => "riscv64",
        _ => null,
    };

    /// <summary>
    /// Machine names auditctl 3.0.9 accepts in <c>-F arch=</c> (its machine table: no riscv), mapped to the identifier.
    /// </summary>
    public static uint? FromMachineName(string name) => name switch
    {
        "i386" or "i486" or "i586" or "i686" => I386,
        "x86_64" => X8664,
        "ppc64" => Ppc64,
        "ppc64le" => Ppc64Le,
        "ppc" => Ppc,
        "s390x" => S390X,
        "s390" => S390,
        "arm" or "armeb" or "armv5tejl" or "armv5tel" or "armv6l" or "armv7l" => Arm,
        "aarch64" or "armv8l" => Aarch64,
        _ => null,
    };

    /// <summary>Whether auditctl 3.0.9 knows the architecture (it lists unknown ones as <c>0x...</c>).</summary>
    public static bool IsKnownToAuditctl(uint arch) => arch is I386 or X8664 or Ppc64 or Ppc64Le or Ppc or S390X or S390 or Arm or Aarch64;

    /// <summary>The 32-bit compat architecture auditctl means by <c>b32</c> on a 64-bit machine (null when there is none).</summary>
    public static uint? CompatOf(uint arch) => arch switch
    {
        X8664 => I386,
        Ppc64 => Ppc,
        S390X => S390,
        Aarch64 => Arm,
        _ => null,
    };

    /// <summary>The architecture of the machine KmodGuard runs on, in audit terms (x86_64 when unknown).</summary>
    public static uint OfThisMachine() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X86 => I386,
        System.Runtime.InteropServices.Architecture.Arm64 => Aarch64,
        System.Runtime.InteropServices.Architecture.Arm => Arm,
        System.Runtime.InteropServices.Architecture.Ppc64le => Ppc64Le,
        System.Runtime.InteropServices.Architecture.S390x => S390X,
        System.Runtime.InteropServices.Architecture.RiscV64 => Riscv64,
        _ => X8664,
    };
}
