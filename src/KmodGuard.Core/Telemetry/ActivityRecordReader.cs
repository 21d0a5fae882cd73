using System.Globalization;
using System.Text.Json;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// Reads a <see cref="ModuleActivity"/> back from a JSON object that uses the decision record's keys —
/// so a line of <c>kmodguard run</c> or <c>replay</c> output can be fed to <c>policy explain</c>.
/// Decision keys (verdict, rule, ...) are ignored.
/// </summary>
public static class ActivityRecordReader
{
    public static ModuleActivity Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("expected a JSON object with decision record keys (os.type, kmodguard.operation, kmodguard.module.name, ...)");
        }

        Platform platform = Str(root, AttributeNames.OsType) switch
        {
            null or "linux" => Platform.Linux,
            "darwin" or "macos" => Platform.MacOS,
            var other => throw new FormatException($"'{AttributeNames.OsType}': expected linux or darwin, got '{other}'"),
        };
        string operationWord = Str(root, AttributeNames.Operation) ?? "load";
        if (!Words.TryParse(operationWord, out ModuleOperation operation))
        {
            throw new FormatException($"'{AttributeNames.Operation}': expected load, unload or persistence_change, got '{operationWord}'");
        }

        SignatureStatus signature = SignatureStatus.Unknown;
        if (Str(root, AttributeNames.SignatureStatus) is { } sig && !Words.TryParse(sig, out signature))
        {
            throw new FormatException($"'{AttributeNames.SignatureStatus}': expected signed-trusted, signed-untrusted, invalid, unsigned or unknown, got '{sig}'");
        }

        string? filePath = Str(root, AttributeNames.FilePath);
        bool? inContainer = Bool(root, AttributeNames.InContainer);
        string? containerId = Str(root, AttributeNames.ContainerId);
        string? parentExe = Str(root, AttributeNames.ProcessParentExecutablePath);
        DateTimeOffset? time = root.TryGetProperty("timestamp", out JsonElement t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out DateTimeOffset ts) ? ts : null;

        return new ModuleActivity
        {
            Id = Str(root, AttributeNames.ActivityId),
            Platform = platform,
            Operation = operation,
            EventTime = time,
            ReceiveTime = time ?? DateTimeOffset.UtcNow,
            ChangedPath = operation == ModuleOperation.PersistenceChange ? filePath : null,
            Container = inContainer is bool c ? new ContainerContext(c, containerId, Str(root, AttributeNames.ContainerRuntime))
                : containerId is not null ? ContainerContext.Container(containerId, Str(root, AttributeNames.ContainerRuntime)) : null,
            Module = new ModuleFacts
            {
                Name = Str(root, AttributeNames.ModuleName),
                FilePath = operation == ModuleOperation.PersistenceChange ? null : filePath,
                Sha256 = Str(root, AttributeNames.ModuleSha256),
                Size = Int(root, AttributeNames.FileSize),
                SignatureStatus = signature,
                Signer = Str(root, AttributeNames.SignatureSigner),
                KeyId = Str(root, AttributeNames.SignatureKeyId),
                HashAlgorithm = Str(root, AttributeNames.SignatureHashAlgorithm),
            },
            Process = new LoaderProcess
            {
                Pid = (int?)Int(root, AttributeNames.ProcessPid),
                ParentPid = (int?)Int(root, AttributeNames.ProcessParentPid),
                ExecutablePath = Str(root, AttributeNames.ProcessExecutablePath),
                Name = Str(root, AttributeNames.ProcessName),
                CommandLine = Str(root, AttributeNames.ProcessCommandLine),
                WorkingDirectory = Str(root, AttributeNames.ProcessWorkingDirectory),
                UserId = (int?)IntOrNumericString(root, AttributeNames.UserId),
                UserName = Str(root, AttributeNames.UserName),
                EffectiveUserId = (int?)Int(root, AttributeNames.ProcessUserId),
                EffectiveUserName = Str(root, AttributeNames.ProcessUserName),
                AuditUserId = (int?)Int(root, AttributeNames.LinuxAuid),
                SessionId = Int(root, AttributeNames.LinuxSession),
                Tty = Str(root, AttributeNames.LinuxTty),
                Ancestors = parentExe is null ? null : [new AncestorProcess(0, parentExe, null)],
                SigningId = Str(root, AttributeNames.MacSigningId),
                TeamId = Str(root, AttributeNames.MacTeamId),
                CdHash = Str(root, AttributeNames.MacCdHash),
                PlatformBinary = Bool(root, AttributeNames.MacPlatformBinary),
            },
        };
    }

    private static string? Str(JsonElement o, string key) => o.TryGetProperty(key, out JsonElement e) ? e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null => null,
        _ => throw new FormatException($"'{key}' must be a string"),
    }
    : null;

    private static long? Int(JsonElement o, string key) => o.TryGetProperty(key, out JsonElement e) ? e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt64(out long v) => v,
        JsonValueKind.Null => null,
        _ => throw new FormatException($"'{key}' must be an integer"),
    }
    : null;

    /// <summary>user.id is a string in the schema; older lines carried a number.</summary>
    private static long? IntOrNumericString(JsonElement o, string key) =>
        o.TryGetProperty(key, out JsonElement e) && e.ValueKind == JsonValueKind.String
            ? long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : throw new FormatException($"'{key}' must be a decimal user id")
            : Int(o, key);

    private static bool? Bool(JsonElement o, string key) => o.TryGetProperty(key, out JsonElement e) ? e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new FormatException($"'{key}' must be true or false"),
    }
    : null;
}
