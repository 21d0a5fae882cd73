using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// One trusted certificate with its public key parsed once (parsing costs more than a verification).
/// Verification is serialised per key: .NET does not promise that one RSA/ECDsa instance is safe for
/// concurrent use, and a verification takes well under a millisecond.
/// </summary>
internal sealed class TrustedKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly Lock _lock = new();

    public TrustedKey(X509Certificate2 certificate)
    {
        Certificate = certificate;
        AsCollection = new X509Certificate2Collection(certificate);
        _rsa = certificate.GetRSAPublicKey();
        _ecdsa = _rsa is null ? certificate.GetECDsaPublicKey() : null;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate alone, as SignedCms's extra store: verification cannot pick another configured certificate.</summary>
    public X509Certificate2Collection AsCollection { get; }

    /// <summary>Verifies a signature over a digest; null when this key is not of the kind the signature needs.</summary>
    public bool? VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, HashAlgorithmName hash, bool ecdsaSignature)
    {
        lock (_lock)
        {
            return (ecdsaSignature, _rsa, _ecdsa) switch
            {
                (false, { } rsa, _) => rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1),
                (true, _, { } ecdsa) => ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence),
                _ => null,
            };
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
        Certificate.Dispose();
    }
}
