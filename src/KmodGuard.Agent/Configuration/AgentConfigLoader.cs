using System.Text;
using KmodGuard.Core.Policy;

namespace KmodGuard.Agent.Configuration;

/// <summary>Reads kmodguard.yaml. All or nothing: a file with any error is refused as a whole.</summary>
internal static class AgentConfigLoader
{
    /// <summary>A configuration is a page of settings; anything this large is a mistake, refused unread.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// The settings in <paramref name="path"/>, or the defaults (with a null <see cref="AgentConfig.Source"/>) when
    /// the file does not exist. Throws <see cref="AgentConfigException"/> for anything else that is wrong with it.
    /// </summary>
    public static AgentConfig LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                if (Directory.Exists(path))
                {
                    throw Failure(path, "is a directory, not a configuration file");
                }

                return AgentConfig.Default;
            }

            if (info.Length > MaxBytes)
            {
                throw Failure(path, $"the file is {info.Length} bytes; a configuration is limited to {MaxBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, $"cannot read the configuration: {e.Message}");
        }

        return Load(bytes, path);
    }

    public static AgentConfig Load(byte[] document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(document);
        }
        catch (DecoderFallbackException)
        {
            throw Failure(source, "the configuration is not valid UTF-8");
        }

        var errors = new List<PolicyError>();
        AgentConfig? config = AgentConfigParser.Parse(text.TrimStart('\uFEFF'), source, errors);
        return config ?? throw new AgentConfigException(errors);
    }

    private static AgentConfigException Failure(string source, string message) => new([new PolicyError(source, 1, 1, message)]);
}
