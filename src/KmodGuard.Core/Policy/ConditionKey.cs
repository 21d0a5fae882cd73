namespace KmodGuard.Core.Policy;

/// <summary>The facts a rule condition can test. Names are the policy language's keys.</summary>
public enum ConditionKey
{
    Platform,
    Operation,
    ModuleName,
    FilePath,
    FileSha256,
    Signature,
    Signer,
    ProcessName,
    ProcessExecutable,
    ProcessParentExecutable,
    UserName,
    UserId,
    Container,
    ProcessTeamId,
    ProcessSigningId,
    ProcessPlatformBinary,
}

/// <summary>How a condition's values are written and compared.</summary>
internal enum ConditionValueKind
{
    /// <summary>Exact strings or globs.</summary>
    Pattern,

    /// <summary>64 hex digits, compared case-insensitively.</summary>
    Sha256,

    /// <summary>One of a fixed set of words.</summary>
    Word,

    /// <summary>Non-negative integers.</summary>
    Integer,

    /// <summary>A single true or false.</summary>
    Boolean,
}

/// <summary>The policy language's spelling and typing of each <see cref="ConditionKey"/>.</summary>
internal static class ConditionKeys
{
    internal sealed record Info(ConditionKey Key, string Name, ConditionValueKind Kind, string[]? Words = null);

    internal static readonly string[] PlatformWords = ["linux", "macos"];
    internal static readonly string[] OperationWords = ["load", "unload", "persistence_change"];
    internal static readonly string[] SignatureWords = ["signed-trusted", "signed-untrusted", "invalid", "unsigned", "unknown"];

    internal static readonly Info[] All =
    [
        new(ConditionKey.Platform, "platform", ConditionValueKind.Word, PlatformWords),
        new(ConditionKey.Operation, "operation", ConditionValueKind.Word, OperationWords),
        new(ConditionKey.ModuleName, "module.name", ConditionValueKind.Pattern),
        new(ConditionKey.FilePath, "file.path", ConditionValueKind.Pattern),
        new(ConditionKey.FileSha256, "file.sha256", ConditionValueKind.Sha256),
        new(ConditionKey.Signature, "signature", ConditionValueKind.Word, SignatureWords),
        new(ConditionKey.Signer, "signer", ConditionValueKind.Pattern),
        new(ConditionKey.ProcessName, "process.name", ConditionValueKind.Pattern),
        new(ConditionKey.ProcessExecutable, "process.executable", ConditionValueKind.Pattern),
        new(ConditionKey.ProcessParentExecutable, "process.parent.executable", ConditionValueKind.Pattern),
        new(ConditionKey.UserName, "user.name", ConditionValueKind.Pattern),
        new(ConditionKey.UserId, "user.id", ConditionValueKind.Integer),
        new(ConditionKey.Container, "container", ConditionValueKind.Boolean),
        new(ConditionKey.ProcessTeamId, "process.team_id", ConditionValueKind.Pattern),
        new(ConditionKey.ProcessSigningId, "process.signing_id", ConditionValueKind.Pattern),
        new(ConditionKey.ProcessPlatformBinary, "process.platform_binary", ConditionValueKind.Boolean),
    ];

    private static readonly Dictionary<string, Info> ByName = All.ToDictionary(i => i.Name, StringComparer.Ordinal);

    internal static bool TryGet(string name, out Info info) => ByName.TryGetValue(name, out info!);

    internal static Info Get(ConditionKey key) => All[(int)key];

    internal static string NameOf(ConditionKey key) => All[(int)key].Name;
}
