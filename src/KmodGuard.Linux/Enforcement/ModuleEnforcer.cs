using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Linux.Inventory;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Linux.Enforcement;

/// <summary>
/// Linux enforcement of a deny verdict in enforce mode. The kernel has already run the module's init by the time the
/// audit event arrives (there is no pre-load veto through audit), so a denied load that succeeded is unloaded with
/// delete_module(name, O_NONBLOCK); a rule with <c>kill_loader: true</c> also SIGKILLs the loader. Monitor mode and
/// allow verdicts pass through unchanged (the policy has already recorded <c>would_deny</c>).
/// </summary>
/// <remarks>
/// The outcome in <see cref="Decision.Action"/>: <c>unload_failed</c> (with the errno) whenever a needed unload failed;
/// otherwise <c>killed_loader</c> when the loader was killed, <c>unloaded</c> when the module was removed, and
/// <c>none</c> when there was nothing to act on (the kernel itself refused the load, or an unload/persistence change).
/// A failed kill is recorded in <see cref="Decision.ActionError"/> as "kill: ESRCH" etc.
/// </remarks>
internal sealed class ModuleEnforcer(
    PolicyHolder policy,
    IModuleSyscalls syscalls,
    SysModuleReader sysModule,
    UnloadRetry? retry = null,
    Action<TimeSpan>? sleep = null,
    TimeProvider? time = null) : IEnforcer
{
    private readonly UnloadRetry _retry = retry ?? UnloadRetry.Default;
    private readonly Action<TimeSpan> _sleep = sleep ?? Thread.Sleep;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Decision Enforce(ModuleActivity activity, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Mode != PolicyMode.Enforce || decision.Verdict != Verdict.Deny)
        {
            return decision;
        }

        string? killError = null;
        bool killed = KillLoaderRequested(decision) && TryKillLoader(activity.Process, out killError);
        if (activity.Operation != ModuleOperation.Load || !LoadSucceeded(activity))
        {
            return decision with { Action = killed ? EnforcementAction.KilledLoader : EnforcementAction.None, ActionError = killError };
        }

        string? unloadError = Unload(activity.Module.Name);
        return decision with
        {
            Action = unloadError is not null ? EnforcementAction.UnloadFailed : killed ? EnforcementAction.KilledLoader : EnforcementAction.Unloaded,
            ActionError = unloadError ?? killError,
        };
    }

    /// <summary>A load the kernel refused has nothing to unload; one whose outcome is unknown (found at start) is tried.</summary>
    private static bool LoadSucceeded(ModuleActivity activity) => activity.Source switch
    {
        LinuxAuditSource { Success: false } => false,
        KernelLogSource { LoadRefused: true } => false,
        _ => true,
    };

    private bool KillLoaderRequested(Decision decision)
    {
        // Look the rule up in the policy in force; after a reload a vanished rule asks for nothing.
        foreach (RuleDefinition rule in policy.Current.Rules)
        {
            if (rule.Id == decision.RuleId)
            {
                return rule.KillLoader;
            }
        }

        return false;
    }

    private bool TryKillLoader(LoaderProcess loader, out string? error)
    {
        if (loader.Pid is not int pid || pid <= 1 || pid == Environment.ProcessId)
        {
            error = loader.Pid is null ? "kill: loader pid unknown" : $"kill: refused for pid {loader.Pid}";
            return false;
        }

        // The loader has often exited by now and its pid may be reused: only kill the same executable.
        if (loader.ExecutablePath is { } expected && syscalls.ExecutableOf(pid) is { } actual && actual != expected)
        {
            error = $"kill: pid {pid} now runs {actual}, not the loader";
            return false;
        }

        int errno = syscalls.Kill(pid, LibC.SigKill);
        error = errno == 0 ? null : $"kill: {Errno.Name(errno)}";
        return errno == 0;
    }

    /// <summary>Null when unloaded, else the errno name (or why no call was made).</summary>
    private string? Unload(string? name)
    {
        if (name is null || !ModuleName.IsValid(name))
        {
            return name is null ? "module name unknown" : "module name is not valid";
        }

        DateTimeOffset deadline = _time.GetUtcNow() + _retry.Budget;
        TimeSpan delay = _retry.FirstDelay;
        while (true)
        {
            int errno = syscalls.DeleteModule(name, LibC.ONonBlock);
            if (errno == 0)
            {
                return null;
            }

            bool initialising = (errno is Errno.EBUSY or Errno.EAGAIN) && sysModule.ReadInitState(name) == "coming";
            if (!initialising || _time.GetUtcNow() + delay > deadline)
            {
                return Errno.Name(errno);
            }

            _sleep(delay);
            delay *= 2;
        }
    }
}
