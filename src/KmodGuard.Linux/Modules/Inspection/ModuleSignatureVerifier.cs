using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// Checks the appended PKCS#7 signature of an (uncompressed) module image the way the kernel does: the signer must
/// name a key in the trusted set (otherwise signed-untrusted, the kernel's ENOKEY) and the signature over the payload
/// must verify with that key (otherwise invalid, the kernel's EKEYREJECTED / EBADMSG). No chain is built.
/// </summary>
internal static class ModuleSignatureVerifier
{
    public static ModuleSignature Verify(ReadOnlyMemory<byte> module, TrustedCertificates trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (!AppendedSignature.TryFind(module.Span, out AppendedSignature block, out string? problem))
        {
            return problem is null ? ModuleSignature.Unsigned : ModuleSignature.Invalid(problem);
        }

        // The signature is detached: SignedCms hashes the content it is given, so it gets the payload.
        var cms = new SignedCms(new ContentInfo(module[..block.PayloadLength].ToArray()), detached: true);
        try
        {
            cms.Decode(module.Span.Slice(block.SignatureOffset, block.SignatureLength));
        }
        catch (CryptographicException e)
        {
            return ModuleSignature.Invalid($"PKCS#7 signature does not parse: {e.Message}");
        }

        if (cms.SignerInfos.Count == 0)
        {
            return ModuleSignature.Invalid("PKCS#7 signature has no signer");
        }

        SignerInfo signer = cms.SignerInfos[0];
        var signature = new ModuleSignature(SignatureStatus.SignedUntrusted)
        {
            Signer = SignerName(signer.SignerIdentifier),
            KeyId = KeyIdOf(signer.SignerIdentifier),
            HashAlgorithm = HashName(signer.DigestAlgorithm),
        };

        if (trusted.Find(signer.SignerIdentifier) is not { } key)
        {
            return signature with { Detail = $"no trusted certificate for signer '{signature.Signer ?? "?"}', key {signature.KeyId ?? "?"}" };
        }

        try
        {
            signer.CheckSignature(key, verifySignatureOnly: true);
            return signature with { Status = SignatureStatus.SignedTrusted, Signer = signature.Signer ?? key[0].GetNameInfo(X509NameType.SimpleName, forIssuer: false) };
        }
        catch (CryptographicException e)
        {
            return signature with { Status = SignatureStatus.Invalid, Detail = $"signature does not verify with the trusted certificate '{key[0].Subject}': {e.Message}" };
        }
    }

    /// <summary>The issuer CN, as modinfo prints it; the issuer string is .NET's own rendering, so it parses back.</summary>
    private static string? SignerName(SubjectIdentifier id)
    {
        if (id.Value is not X509IssuerSerial issuerSerial)
        {
            return null;
        }

        try
        {
            foreach (X500RelativeDistinguishedName rdn in new X500DistinguishedName(issuerSerial.IssuerName).EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3")
                {
                    return rdn.GetSingleElementValue();
                }
            }
        }
        catch (CryptographicException)
        {
            // No usable CN; the key id still identifies the signer.
        }

        return null;
    }

    private static string? KeyIdOf(SubjectIdentifier id) => id.Value switch
    {
        X509IssuerSerial issuerSerial => issuerSerial.SerialNumber.ToLowerInvariant(),
        string subjectKeyId => subjectKeyId.ToLowerInvariant(),
        _ => null,
    };

    private static string HashName(Oid algorithm) => algorithm.Value switch
    {
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        "2.16.840.1.101.3.4.2.4" => "sha224",
        "2.16.840.1.101.3.4.2.8" => "sha3-256",
        "2.16.840.1.101.3.4.2.9" => "sha3-384",
        "2.16.840.1.101.3.4.2.10" => "sha3-512",
        "1.3.14.3.2.26" => "sha1",
        _ => algorithm.Value ?? "unknown",
    };
}
