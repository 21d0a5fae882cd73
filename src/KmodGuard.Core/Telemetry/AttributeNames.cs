namespace KmodGuard.Core.Telemetry;

/// <summary>
/// Keys of a decision record. These are a public contract (docs/telemetry.md): OpenTelemetry semantic-convention
/// names where one exists (with the convention's type), ECS <c>threat.*</c> for ATT&amp;CK, <c>kmodguard.*</c>
/// otherwise — never a made-up name inside a semantic-convention namespace. Console JSON and OTLP use exactly these keys.
/// </summary>
public static class AttributeNames
{
    public const string Verdict = "kmodguard.verdict";
    public const string Action = "kmodguard.action";
    public const string ActionError = "kmodguard.action.error";
    public const string Mode = "kmodguard.mode";
    public const string Severity = "kmodguard.severity";
    public const string RuleId = "kmodguard.rule.id";
    public const string RuleDescription = "kmodguard.rule.description";
    public const string RuleAction = "kmodguard.rule.action";
    public const string Reason = "kmodguard.reason";
    public const string PolicySha256 = "kmodguard.policy.sha256";
    public const string Operation = "kmodguard.operation";
    public const string ActivityId = "kmodguard.activity.id";
    public const string Update = "kmodguard.update";

    public const string ModuleName = "kmodguard.module.name";
    public const string ModuleSha256 = "kmodguard.module.sha256";
    public const string ModuleVersion = "kmodguard.module.version";
    public const string ModuleLicense = "kmodguard.module.license";
    public const string ModuleVermagic = "kmodguard.module.vermagic";
    public const string ModuleSrcVersion = "kmodguard.module.srcversion";
    public const string ModuleInTree = "kmodguard.module.intree";
    public const string ModuleRetpoline = "kmodguard.module.retpoline";
    public const string ModuleDepends = "kmodguard.module.depends";
    public const string ModuleAuthor = "kmodguard.module.author";
    public const string ModuleDescription = "kmodguard.module.description";
    public const string SignatureStatus = "kmodguard.signature.status";
    public const string SignatureSigner = "kmodguard.signature.signer";
    public const string SignatureKeyId = "kmodguard.signature.key_id";
    public const string SignatureHashAlgorithm = "kmodguard.signature.hash_algorithm";
    public const string FileUnresolvedReason = "kmodguard.file.unresolved_reason";
    public const string FilePath = "file.path";
    public const string FileSize = "file.size";

    public const string ProcessPid = "process.pid";
    public const string ProcessParentPid = "process.parent_pid";
    public const string ProcessExecutablePath = "process.executable.path";
    public const string ProcessExecutableName = "process.executable.name";
    /// <summary>The kernel's short name (Linux comm); semantic conventions have no attribute for it.</summary>
    public const string ProcessName = "kmodguard.process.name";
    public const string ProcessCommandLine = "process.command_line";
    public const string ProcessCommandArgs = "process.command_args";
    public const string ProcessWorkingDirectory = "process.working_directory";
    public const string ProcessParentExecutablePath = "kmodguard.process.parent.executable.path";
    public const string ProcessAncestors = "kmodguard.process.ancestors";
    /// <summary>The loader's real uid, as a string: the semantic conventions, ECS and OCSF all type user ids as strings.</summary>
    public const string UserId = "user.id";
    public const string UserName = "user.name";
    public const string ProcessUserId = "process.user.id";
    public const string ProcessUserName = "process.user.name";

    public const string InContainer = "kmodguard.container";
    public const string ContainerId = "container.id";
    public const string ContainerRuntime = "container.runtime.name";

    public const string ThreatFramework = "threat.framework";
    public const string ThreatTechniqueId = "threat.technique.id";
    public const string OsType = "os.type";

    public const string LinuxSyscall = "kmodguard.linux.syscall";
    public const string LinuxSyscallNumber = "kmodguard.linux.syscall.number";
    public const string LinuxSyscallArgs = "kmodguard.linux.syscall.args";
    public const string LinuxArch = "kmodguard.linux.arch";
    public const string LinuxSuccess = "kmodguard.linux.success";
    public const string LinuxExit = "kmodguard.linux.exit";
    public const string LinuxErrno = "kmodguard.linux.errno";
    public const string LinuxAuditSerial = "kmodguard.linux.audit.serial";
    public const string LinuxAuditKey = "kmodguard.linux.audit.key";
    public const string LinuxAuid = "kmodguard.linux.auid";
    public const string LinuxAuidName = "kmodguard.linux.auid.name";
    public const string LinuxSession = "kmodguard.linux.session";
    public const string LinuxTty = "kmodguard.linux.tty";

    public const string MacEventType = "kmodguard.macos.event_type";
    public const string MacMessageVersion = "kmodguard.macos.message_version";
    public const string MacSequenceNumber = "kmodguard.macos.seq_num";
    public const string MacGlobalSequenceNumber = "kmodguard.macos.global_seq_num";
    public const string MacSigningId = "kmodguard.macos.signing_id";
    public const string MacTeamId = "kmodguard.macos.team_id";
    public const string MacCdHash = "kmodguard.macos.cdhash";
    public const string MacPlatformBinary = "kmodguard.macos.platform_binary";

    public const string KernelMessages = "kmodguard.kernel.messages";
    public const string KernelTaint = "kmodguard.kernel.taint";
    public const string Unresolved = "kmodguard.unresolved";
}
