using System.Globalization;
using KmodGuard.Core.Attack;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// The one definition of a decision record's attributes: which key carries which fact, with which type.
/// Unknown facts are omitted, never written as defaults. Every encoding (console JSON, OTLP) goes through here.
/// </summary>
public static class DecisionAttributes
{
    /// <summary>The OpenTelemetry event name (LogRecord event_name) of a decision record.</summary>
    public const string EventName = "kmodguard.module.decision";

    public static void Write<TWriter>(ModuleActivity activity, Decision decision, ref TWriter w)
        where TWriter : IAttributeWriter
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(decision);

        w.Write(AttributeNames.Verdict, Words.Of(decision.Verdict));
        w.Write(AttributeNames.Action, Words.Of(decision.Action));
        Optional(ref w, AttributeNames.ActionError, decision.ActionError);
        w.Write(AttributeNames.Mode, Words.Of(decision.Mode));
        w.Write(AttributeNames.Severity, Words.Of(decision.Severity));
        Optional(ref w, AttributeNames.RuleId, decision.RuleId);
        Optional(ref w, AttributeNames.RuleDescription, decision.RuleDescription);
        if (decision.RuleAction is RuleAction ra)
        {
            w.Write(AttributeNames.RuleAction, Words.Of(ra));
        }

        w.Write(AttributeNames.Reason, decision.Reason);
        Optional(ref w, AttributeNames.PolicySha256, decision.PolicyHash);
        w.Write(AttributeNames.Operation, Words.Of(activity.Operation));
        Optional(ref w, AttributeNames.ActivityId, activity.Id);
        if (decision.IsUpdate)
        {
            w.Write(AttributeNames.Update, true);
        }

        WriteModule(activity, ref w);
        WriteProcess(activity.Process, ref w);

        if (activity.Container is { } c)
        {
            w.Write(AttributeNames.InContainer, c.InContainer);
            Optional(ref w, AttributeNames.ContainerId, c.Id);
            Optional(ref w, AttributeNames.ContainerRuntime, c.Runtime);
        }

        w.Write(AttributeNames.ThreatFramework, AttackTechniques.Framework);
        w.Write(AttributeNames.ThreatTechniqueId, decision.Techniques);
        w.Write(AttributeNames.OsType, Words.OsTypeOf(activity.Platform));

        switch (activity.Source)
        {
            case LinuxAuditSource s:
                Optional(ref w, AttributeNames.LinuxSyscall, s.SyscallName);
                Optional(ref w, AttributeNames.LinuxSyscallNumber, s.SyscallNumber);
                if (s.Arguments is { Count: > 0 } args)
                {
                    // As auditd shows them (a0..a3, hex): the fd and flags of finit_module, the length of init_module's
                    // image, delete_module's flags (O_TRUNC: a forced unload).
                    w.Write(AttributeNames.LinuxSyscallArgs, args.Select(a => "0x" + a.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                }

                Optional(ref w, AttributeNames.LinuxArch, s.Arch);
                Optional(ref w, AttributeNames.LinuxSuccess, s.Success);
                Optional(ref w, AttributeNames.LinuxExit, s.Exit);
                Optional(ref w, AttributeNames.LinuxErrno, s.Errno);
                Optional(ref w, AttributeNames.LinuxAuditSerial, (long?)s.Serial);
                Optional(ref w, AttributeNames.LinuxAuditKey, s.Key);
                break;
            case MacEndpointSecuritySource s:
                w.Write(AttributeNames.MacEventType, Words.Of(s.EventType));
                w.Write(AttributeNames.MacMessageVersion, s.MessageVersion);
                Optional(ref w, AttributeNames.MacSequenceNumber, (long?)s.SequenceNumber);
                Optional(ref w, AttributeNames.MacGlobalSequenceNumber, (long?)s.GlobalSequenceNumber);
                break;
        }

        Optional(ref w, AttributeNames.KernelMessages, activity.KernelMessages);
        Optional(ref w, AttributeNames.KernelTaint, activity.TaintFlags);
        Optional(ref w, AttributeNames.Unresolved, activity.Unresolved);
    }

    private static void WriteModule<TWriter>(ModuleActivity activity, ref TWriter w)
        where TWriter : IAttributeWriter
    {
        ModuleFacts m = activity.Module;
        Optional(ref w, AttributeNames.ModuleName, m.Name);
        Optional(ref w, AttributeNames.ModuleSha256, m.Sha256);
        Optional(ref w, AttributeNames.FilePath, activity.EffectiveFilePath);
        Optional(ref w, AttributeNames.FileSize, m.Size);
        Optional(ref w, AttributeNames.FileUnresolvedReason, m.FileUnresolvedReason);
        if (activity.Operation != ModuleOperation.PersistenceChange)
        {
            w.Write(AttributeNames.SignatureStatus, Words.Of(m.SignatureStatus));
        }

        Optional(ref w, AttributeNames.SignatureSigner, m.Signer);
        Optional(ref w, AttributeNames.SignatureKeyId, m.KeyId);
        Optional(ref w, AttributeNames.SignatureHashAlgorithm, m.HashAlgorithm);
        if (m.ModInfo is { } mi)
        {
            Optional(ref w, AttributeNames.ModuleVersion, mi.Version);
            Optional(ref w, AttributeNames.ModuleLicense, mi.License);
            Optional(ref w, AttributeNames.ModuleVermagic, mi.Vermagic);
            Optional(ref w, AttributeNames.ModuleSrcVersion, mi.SrcVersion);
            Optional(ref w, AttributeNames.ModuleInTree, mi.InTree);
            Optional(ref w, AttributeNames.ModuleRetpoline, mi.Retpoline);
            Optional(ref w, AttributeNames.ModuleDepends, mi.Depends);
            Optional(ref w, AttributeNames.ModuleAuthor, mi.Author);
            Optional(ref w, AttributeNames.ModuleDescription, mi.Description);
        }
    }

    private static void WriteProcess<TWriter>(LoaderProcess p, ref TWriter w)
        where TWriter : IAttributeWriter
    {
        Optional(ref w, AttributeNames.ProcessPid, p.Pid);
        Optional(ref w, AttributeNames.ProcessParentPid, p.ParentPid);
        Optional(ref w, AttributeNames.ProcessExecutablePath, p.ExecutablePath);
        Optional(ref w, AttributeNames.ProcessExecutableName, p.ExecutablePath is { } exe ? Path.GetFileName(exe) : null);
        Optional(ref w, AttributeNames.ProcessName, p.Name);
        Optional(ref w, AttributeNames.ProcessCommandLine, p.CommandLine);
        Optional(ref w, AttributeNames.ProcessCommandArgs, p.Arguments);
        Optional(ref w, AttributeNames.ProcessWorkingDirectory, p.WorkingDirectory);
        Optional(ref w, AttributeNames.ProcessParentExecutablePath, p.ParentExecutablePath);
        if (p.Ancestors is { Count: > 0 } ancestors)
        {
            w.Write(AttributeNames.ProcessAncestors, ancestors.Select(a => $"{a.Pid}:{a.ExecutablePath ?? "?"}").ToArray());
        }

        Optional(ref w, AttributeNames.UserId, p.UserId?.ToString(CultureInfo.InvariantCulture));
        Optional(ref w, AttributeNames.UserName, p.UserName);
        Optional(ref w, AttributeNames.ProcessUserId, p.EffectiveUserId);
        Optional(ref w, AttributeNames.ProcessUserName, p.EffectiveUserName);
        Optional(ref w, AttributeNames.LinuxAuid, p.AuditUserId);
        Optional(ref w, AttributeNames.LinuxAuidName, p.AuditUserName);
        Optional(ref w, AttributeNames.LinuxSession, p.SessionId);
        Optional(ref w, AttributeNames.LinuxTty, p.Tty);
        Optional(ref w, AttributeNames.MacSigningId, p.SigningId);
        Optional(ref w, AttributeNames.MacTeamId, p.TeamId);
        Optional(ref w, AttributeNames.MacCdHash, p.CdHash);
        Optional(ref w, AttributeNames.MacPlatformBinary, p.PlatformBinary);
    }

    private static void Optional<TWriter>(ref TWriter w, string key, string? value)
        where TWriter : IAttributeWriter
    {
        if (value is not null)
        {
            w.Write(key, value);
        }
    }

    private static void Optional<TWriter>(ref TWriter w, string key, long? value)
        where TWriter : IAttributeWriter
    {
        if (value is long v)
        {
            w.Write(key, v);
        }
    }

    private static void Optional<TWriter>(ref TWriter w, string key, bool? value)
        where TWriter : IAttributeWriter
    {
        if (value is bool v)
        {
            w.Write(key, v);
        }
    }

    private static void Optional<TWriter>(ref TWriter w, string key, IReadOnlyList<string>? values)
        where TWriter : IAttributeWriter
    {
        if (values is not null)
        {
            w.Write(key, values);
        }
    }
}
