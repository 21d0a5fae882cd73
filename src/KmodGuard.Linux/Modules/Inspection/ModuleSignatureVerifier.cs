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
/// <para>
/// SignedCms parses the message. For the shape kernel signing produces (no signed attributes, RSA PKCS#1 v1.5 or
/// ECDSA) the signature is checked directly against the payload digest, which the inspector already has from hashing
/// the file; anything else (signed attributes, PSS, unusual algorithm pairs) goes through SignedCms.CheckSignature.
/// Both paths are tested to agree.
/// </para>
/// </summary>
internal static class ModuleSignatureVerifier
{
    /// <param name="module">The uncompressed module image.</param>
    /// <param name="trusted">The configured certificates.</param>
    /// <param name="payloadSha256">SHA-256 of the signed payload if the caller computed it already; empty otherwise.</param>
    public static ModuleSignature Verify(ReadOnlyMemory<byte> module, TrustedCertificates trusted, ReadOnlySpan<byte> payloadSha256 = default)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (!AppendedSignature.TryFind(module.Span, out AppendedSignature block, out string? problem))
        {
            return problem is null ? ModuleSignature.Unsigned : ModuleSignature.Invalid(problem);
        }

        ReadOnlySpan<byte> pkcs7 = module.Span.Slice(block.SignatureOffset, block.SignatureLength);
        var cms = new SignedCms(new ContentInfo([]), detached: true);
        try
        {
            cms.Decode(pkcs7);
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

        ReadOnlyMemory<byte> payload = module[..block.PayloadLength];
        string? failure = VerifyDirectly(signer, payload.Span, payloadSha256, key) switch
        {
            true => null,
            false => "signature does not match the module",
            null => VerifyWithSignedCms(payload, pkcs7, key),
        };

        return failure is null
            ? signature with { Status = SignatureStatus.SignedTrusted, Signer = signature.Signer ?? key.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) }
            : signature with { Status = SignatureStatus.Invalid, Detail = $"signature does not verify with the trusted certificate '{key.Certificate.Subject}': {failure}" };
    }

    /// <summary>SignedCms's own check over a copy of the payload: null when it verifies, else why not.</summary>
    internal static string? VerifyWithSignedCms(ReadOnlyMemory<byte> payload, ReadOnlySpan<byte> pkcs7, TrustedKey key)
    {
        var cms = new SignedCms(new ContentInfo(payload.ToArray()), detached: true);
        try
        {
            cms.Decode(pkcs7);
            cms.SignerInfos[0].CheckSignature(key.AsCollection, verifySignatureOnly: true);
            return null;
        }
        catch (CryptographicException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The kernel's signature shape checked against the payload digest: true or false, or null when the message
    /// has another shape and SignedCms must decide.
    /// </summary>
    internal static bool? VerifyDirectly(SignerInfo signer, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> payloadSha256, TrustedKey key)
    {
        if (signer.SignedAttributes.Count > 0 || DigestOf(signer.DigestAlgorithm) is not { } hash)
        {
            return null;
        }

        // The signature algorithm must be plain RSA or ECDSA, or name the same digest as the signer info does.
        (bool Ecdsa, HashAlgorithmName? Named)? shape = signer.SignatureAlgorithm.Value switch
        {
            "1.2.840.113549.1.1.1" => (false, null),
            "1.2.840.113549.1.1.11" => (false, HashAlgorithmName.SHA256),
            "1.2.840.113549.1.1.12" => (false, HashAlgorithmName.SHA384),
            "1.2.840.113549.1.1.13" => (false, HashAlgorithmName.SHA512),
            "1.2.840.10045.2.1" => (true, null),
            "1.2.840.10045.4.3.2" => (true, HashAlgorithmName.SHA256),
            "1.2.840.10045.4.3.3" => (true, HashAlgorithmName.SHA384),
            "1.2.840.10045.4.3.4" => (true, HashAlgorithmName.SHA512),
            _ => null,
        };
        if (shape is not { } s || (s.Named is { } named && named != hash))
        {
            return null;
        }

        ReadOnlySpan<byte> digest = hash == HashAlgorithmName.SHA256 && payloadSha256.Length == 32
            ? payloadSha256
            : CryptographicOperations.HashData(hash, payload);
        return key.VerifyHash(digest, signer.GetSignature(), hash, s.Ecdsa);
    }

    private static HashAlgorithmName? DigestOf(Oid algorithm) => algorithm.Value switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

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
