using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Tests.Shared;
using static KmodGuard.Linux.Tests.Modules.ModuleFixtures;

namespace KmodGuard.Linux.Tests.Modules.Inspection;

/// <summary>
/// The direct digest check (the fast path for kernel-shaped signatures) and SignedCms.CheckSignature must agree;
/// messages of other shapes must reach SignedCms.
/// </summary>
public sealed class VerificationPathAgreementTests : IDisposable
{
    private readonly TrustedCertificates _debian = Trust(Debian61Cert, Debian612Cert);

    public void Dispose() => _debian.Dispose();

    [Fact]
    public void Both_paths_agree_on_randomly_corrupted_signed_modules()
    {
        byte[][] modules = [Bytes(Crc7), Bytes(Cordic), Decompressed(Crc7Xz), Decompressed(RationalXz)];
        Gen.Select(Gen.Int[0, modules.Length - 1], Gen.Int[0, 100_000].Array[0, 3], Gen.Byte.Array[1, 3], Gen.Bool)
            .Sample((which, offsets, values, inSignature) =>
            {
                byte[] m = (byte[])modules[which].Clone();
                Assert.True(AppendedSignature.TryFind(m, out AppendedSignature block, out _));
                for (int k = 0; k < offsets.Length; k++)
                {
                    int at = inSignature ? block.SignatureOffset + (offsets[k] % block.SignatureLength) : offsets[k] % block.PayloadLength;
                    m[at] = values[k % values.Length];
                }

                var cms = new SignedCms(new ContentInfo([]), detached: true);
                try
                {
                    cms.Decode(m.AsSpan(block.SignatureOffset, block.SignatureLength));
                }
                catch (CryptographicException)
                {
                    return; // unparsable: neither path runs
                }

                if (cms.SignerInfos.Count == 0 || _debian.Find(cms.SignerInfos[0].SignerIdentifier) is not { } key)
                {
                    return;
                }

                ReadOnlyMemory<byte> payload = m.AsMemory(0, block.PayloadLength);
                bool? direct = ModuleSignatureVerifier.VerifyDirectly(cms.SignerInfos[0], payload.Span, default, key);
                bool viaSignedCms = ModuleSignatureVerifier.VerifyWithSignedCms(payload, m.AsSpan(block.SignatureOffset, block.SignatureLength), key) is null;
                if (direct is bool d)
                {
                    Assert.Equal(viaSignedCms, d);
                }
            }, iter: 300);
    }

    [Fact]
    public void Kernel_shaped_signatures_take_the_direct_path()
    {
        byte[] m = Bytes(Crc7);
        Assert.True(AppendedSignature.TryFind(m, out AppendedSignature block, out _));
        var cms = new SignedCms(new ContentInfo([]), detached: true);
        cms.Decode(m.AsSpan(block.SignatureOffset, block.SignatureLength));
        Assert.True(ModuleSignatureVerifier.VerifyDirectly(cms.SignerInfos[0], m.AsSpan(0, block.PayloadLength), default, _debian.Find(cms.SignerInfos[0].SignerIdentifier)!));
    }

    [Fact]
    public void A_signature_with_signed_attributes_is_checked_by_signed_cms()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using X509Certificate2 cert = ModuleSigning.CreateCertificate("attributes key", key);
        byte[] payload = Bytes(Crc7Unsigned);
        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, cert) { IncludeOption = X509IncludeOption.None };
        signer.SignedAttributes.Add(new Pkcs9SigningTime());
        cms.ComputeSignature(signer, silent: true);
        byte[] module = ModuleSigning.Append(payload, cms.Encode());
        using TrustedCertificates trusted = TrustWritten(cert);

        Assert.Equal(SignatureStatus.SignedTrusted, new ModuleInspector(trusted).Inspect(module).Signature.Status);
        byte[] tampered = (byte[])module.Clone();
        tampered[100] ^= 1;
        Assert.Equal(SignatureStatus.Invalid, new ModuleInspector(trusted).Inspect(tampered).Signature.Status);
    }

    [Fact]
    public void An_rsa_pss_signature_is_checked_by_signed_cms()
    {
        using RSA key = RSA.Create(2048);
        using X509Certificate2 cert = ModuleSigning.CreateCertificate("pss key", key);
        byte[] payload = Bytes(Crc7Unsigned);
        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, cert, key, RSASignaturePadding.Pss) { IncludeOption = X509IncludeOption.None }, silent: true);
        byte[] module = ModuleSigning.Append(payload, cms.Encode());
        using TrustedCertificates trusted = TrustWritten(cert);

        Assert.Equal(SignatureStatus.SignedTrusted, new ModuleInspector(trusted).Inspect(module).Signature.Status);
    }

    private static byte[] Decompressed(string fixture)
    {
        using var input = new MemoryStream(Bytes(fixture));
        using var xz = new SharpCompress.Compressors.Xz.XZStream(input);
        using var output = new MemoryStream();
        xz.CopyTo(output);
        return output.ToArray();
    }

    private static TrustedCertificates TrustWritten(X509Certificate2 cert)
    {
        string path = Path.Combine(Path.GetTempPath(), $"kmodguard-{Guid.NewGuid():n}.pem");
        File.WriteAllText(path, cert.ExportCertificatePem());
        try
        {
            return TrustedCertificates.Load([path]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
