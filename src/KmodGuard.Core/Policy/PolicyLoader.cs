using System.Security.Cryptography;
using System.Text;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Core.Policy;

/// <summary>Loads and compiles policy documents (YAML, or JSON as a subset of YAML). All or nothing.</summary>
public static class PolicyLoader
{
    /// <summary>Policies larger than this are refused unread: no real policy comes near it.</summary>
    public const long MaxPolicyBytes = 64L * 1024 * 1024;

    public static CompiledPolicy LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxPolicyBytes)
            {
                throw Failure(path, $"the file is {info.Length} bytes; policies are limited to {MaxPolicyBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, $"cannot read the policy: {e.Message}");
        }

        return Load(bytes, path);
    }

    public static CompiledPolicy Load(byte[] document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(document);
        }
        catch (DecoderFallbackException)
        {
            throw Failure(source, "the policy is not valid UTF-8");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var errors = new List<PolicyError>();
        PolicyDefinition? definition = PolicyParser.Parse(text, source, errors);
        if (definition is null || errors.Count > 0)
        {
            throw new PolicyLoadException(errors);
        }

        return new CompiledPolicy(definition, source, Convert.ToHexStringLower(SHA256.HashData(document)));
    }

    public static CompiledPolicy Load(string document, string source) => Load(Encoding.UTF8.GetBytes(document), source);

    private static PolicyLoadException Failure(string source, string message) => new([new PolicyError(source, 1, 1, message)]);
}
