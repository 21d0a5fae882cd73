using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>The value of each condition key in an activity, as the policy sees it. Null means unknown.</summary>
internal static class ActivityFields
{
    internal static string? GetString(ModuleActivity a, ConditionKey key) => key switch
    {
        ConditionKey.ModuleName => a.Module.Name,
        ConditionKey.FilePath => a.EffectiveFilePath,
        ConditionKey.FileSha256 => a.Module.Sha256,
        ConditionKey.Signer => a.Module.Signer,
        ConditionKey.ProcessName => a.Process.Name,
        ConditionKey.ProcessExecutable => a.Process.ExecutablePath,
        ConditionKey.ProcessParentExecutable => a.Process.ParentExecutablePath,
        ConditionKey.UserName => a.Process.UserName,
        ConditionKey.ProcessTeamId => a.Process.TeamId,
        ConditionKey.ProcessSigningId => a.Process.SigningId,
        _ => null,
    };

    internal static bool? GetBoolean(ModuleActivity a, ConditionKey key) => key switch
    {
        ConditionKey.Container => a.Container?.InContainer,
        ConditionKey.ProcessPlatformBinary => a.Process.PlatformBinary,
        _ => null,
    };

    /// <summary>The activity's word for a word-valued key, as an index into that key's word list.</summary>
    internal static int GetWordIndex(ModuleActivity a, ConditionKey key) => key switch
    {
        ConditionKey.Platform => a.Platform == Platform.Linux ? 0 : 1,
        ConditionKey.Operation => a.Operation switch
        {
            ModuleOperation.Load => 0,
            ModuleOperation.Unload => 1,
            _ => 2,
        },
        ConditionKey.Signature => a.Module.SignatureStatus switch
        {
            SignatureStatus.SignedTrusted => 0,
            SignatureStatus.SignedUntrusted => 1,
            SignatureStatus.Invalid => 2,
            SignatureStatus.Unsigned => 3,
            _ => 4,
        },
        _ => -1,
    };

    /// <summary>user.id is the loader's real uid.</summary>
    internal static int? GetInteger(ModuleActivity a, ConditionKey key) =>
        key == ConditionKey.UserId ? a.Process.UserId : null;

    /// <summary>The text shown for a key in explanations; null when unknown.</summary>
    internal static string? Describe(ModuleActivity a, ConditionKey key) => ConditionKeys.Get(key).Kind switch
    {
        ConditionValueKind.Word => ConditionKeys.Get(key).Words![GetWordIndex(a, key)],
        ConditionValueKind.Integer => GetInteger(a, key)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ConditionValueKind.Boolean => GetBoolean(a, key) switch
        {
            true => "true",
            false => "false",
            null => null,
        },
        _ => GetString(a, key),
    };
}
