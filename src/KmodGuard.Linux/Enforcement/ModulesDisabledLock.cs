using KmodGuard.Core.Decisions;
using KmodGuard.Core.Policy.Compiled;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Linux.Enforcement;

/// <summary>
/// The policy option <c>lock_after_baseline: true</c>: once the start-up baseline is taken, write 1 to
/// /proc/sys/kernel/modules_disabled. From then on the kernel refuses every module load AND unload until reboot —
/// irreversible, so it happens only in enforce mode and is logged loudly either way.
/// </summary>
internal sealed partial class ModulesDisabledLock(string path, ILogger logger)
{
    public LockResult EngageIfRequested(CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.Definition.LockAfterBaseline)
        {
            return new LockResult(LockOutcome.NotRequested, "lock_after_baseline is off");
        }

        string? current = KernelAttribute.Read(path);
        LockResult result = current switch
        {
            null => new LockResult(LockOutcome.NotSupported, $"{path} is missing: this kernel has no loadable-module support, nothing to lock"),
            "1" => new LockResult(LockOutcome.AlreadyLocked, "module loading was already disabled (modules_disabled=1)"),
            _ when policy.Mode != PolicyMode.Enforce => new LockResult(LockOutcome.WouldLock, "monitor mode: would write 1 to modules_disabled (no module loads or unloads until reboot); nothing changed"),
            _ => Write(),
        };

        if (result.Outcome is LockOutcome.Locked or LockOutcome.WouldLock)
        {
            LogLock(logger, result.Message);
        }
        else if (result.Outcome == LockOutcome.Failed)
        {
            LogLockFailed(logger, result.Message);
        }

        return result;
    }

    private LockResult Write()
    {
        try
        {
            File.WriteAllText(path, "1\n");
            return new LockResult(LockOutcome.Locked, $"LOCKED module loading: wrote 1 to {path}; the kernel now refuses every module load and unload until reboot");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LockResult(LockOutcome.Failed, $"could not lock module loading through {path}: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "lock_after_baseline: {Message}")]
    private static partial void LogLock(ILogger logger, string message);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "lock_after_baseline: {Message}")]
    private static partial void LogLockFailed(ILogger logger, string message);
}
