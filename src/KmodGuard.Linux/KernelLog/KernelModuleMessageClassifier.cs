using KmodGuard.Linux.Inventory;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// Recognises the kernel's module messages by their fixed wording and extracts the module name. Only records from the
/// kernel facility count: anything a process writes to /dev/kmsg arrives with another facility, so a forged
/// "x: module verification failed" line is ignored.
/// </summary>
internal static class KernelModuleMessageClassifier
{
    private const string SignatureMissingText = ": module verification failed: signature and/or required key missing - tainting kernel";
    private const string OutOfTreeText = ": loading out-of-tree module taints kernel.";
    private const string StagingText = ": module is from the staging directory";
    private const string TaintedSuffix = ": kernel tainted.";
    private const string LicensePrefix = ": module license ";
    private const string LicenseSuffix = " taints kernel.";
    private const string VersionMagicText = ": version magic '";
    private const string SymbolVersionText = ": disagrees about version of symbol ";
    private const string NoSymbolVersionText = ": no symbol version for ";
    private const string UnknownSymbolText = ": Unknown symbol ";

    /// <param name="bootTime">Wall-clock time of boot, to date the record (see <see cref="KmsgFollower.BootTime"/>).</param>
    public static KernelModuleMessage? Classify(KmsgRecord record, DateTimeOffset bootTime)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.FromKernel)
        {
            return null;
        }

        string text = record.Message;
        (KernelModuleMessageKind Kind, string? Name)? match = Match(text);
        return match is { } m ? new KernelModuleMessage(m.Kind, m.Name, text, record.Sequence, record.SinceBoot, bootTime + record.SinceBoot) : null;
    }

    private static (KernelModuleMessageKind, string?)? Match(string text)
    {
        if (text.StartsWith("Loading of ", StringComparison.Ordinal) && text.EndsWith(" is rejected", StringComparison.Ordinal))
        {
            return (KernelModuleMessageKind.SignatureRejected, null);
        }

        if (text.StartsWith("Invalid ELF header magic", StringComparison.Ordinal))
        {
            return (KernelModuleMessageKind.InvalidElf, null);
        }

        if (text.StartsWith("Lockdown: ", StringComparison.Ordinal) && text.Contains("module loading is restricted", StringComparison.Ordinal))
        {
            return (KernelModuleMessageKind.LockdownRejected, null);
        }

        if (text.StartsWith("Module ", StringComparison.Ordinal) && text.EndsWith(" is blacklisted", StringComparison.Ordinal))
        {
            string name = text["Module ".Length..^" is blacklisted".Length];
            return ModuleName.IsValid(name) ? (KernelModuleMessageKind.Blacklisted, name) : null;
        }

        // The rest start "<module>: ".
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || !ModuleName.IsValid(text.AsSpan(0, colon)))
        {
            return null;
        }

        string module = text[..colon];
        ReadOnlySpan<char> rest = text.AsSpan(colon);
        KernelModuleMessageKind? kind =
            rest.SequenceEqual(SignatureMissingText) ? KernelModuleMessageKind.SignatureMissing
            : rest.SequenceEqual(OutOfTreeText) ? KernelModuleMessageKind.OutOfTree
            : rest.StartsWith(StagingText, StringComparison.Ordinal) ? KernelModuleMessageKind.Staging
            : rest.StartsWith(LicensePrefix, StringComparison.Ordinal) && rest.EndsWith(LicenseSuffix, StringComparison.Ordinal) ? KernelModuleMessageKind.LicenseTaint
            : rest.StartsWith(VersionMagicText, StringComparison.Ordinal) && rest.Contains("' should be '", StringComparison.Ordinal) ? KernelModuleMessageKind.VersionMagic
            : rest.StartsWith(SymbolVersionText, StringComparison.Ordinal) || rest.StartsWith(NoSymbolVersionText, StringComparison.Ordinal) ? KernelModuleMessageKind.SymbolVersion
            : rest.StartsWith(UnknownSymbolText, StringComparison.Ordinal) ? KernelModuleMessageKind.UnknownSymbol
            : rest.EndsWith(TaintedSuffix, StringComparison.Ordinal) ? KernelModuleMessageKind.ForcedLoad
            : null;
        return kind is { } k ? (k, module) : null;
    }
}
