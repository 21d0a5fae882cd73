using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Tests.Shared;
using static KmodGuard.Linux.Tests.Modules.ModuleFixtures;

namespace KmodGuard.Linux.Tests.Modules.Inspection;

/// <summary>
/// The inspector agrees with the openssl command line, the tool the kernel build signs modules with
/// (scripts/sign-file: CMS, detached, no attributes, no certificates).
/// </summary>
public sealed class OpenSslAgreementTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-openssl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData(Crc7, Debian61Cert, true)]
    [InlineData(PciPfStub, Debian61Cert, true)]
    [InlineData(Crc7Tampered, Debian61Cert, false)]
    [InlineData(Crc7Xz, Debian612Cert, true)]
    [InlineData(RationalXz, Debian612Cert, true)]
    public void Openssl_cms_verify_gives_the_same_answer(string module, string certificate, bool verifies)
    {
        SkipWithoutOpenSsl();
        using TrustedCertificates trusted = Trust(certificate);
        ModuleInspection inspection = new ModuleInspector(trusted).Inspect(PathOf(module));
        Assert.Equal(verifies ? SignatureStatus.SignedTrusted : SignatureStatus.Invalid, inspection.Signature.Status);

        byte[] image = inspection.Compression is ModuleCompression.None ? Bytes(module) : Run("xz", "-dc", PathOf(module)).Bytes;
        int sigLen = (image[^32] << 24) | (image[^31] << 16) | (image[^30] << 8) | image[^29];
        int bodyLength = image.Length - 28 - 12 - sigLen;
        string body = Write("body", image[..bodyLength]);
        string p7 = Write("p7", image[bodyLength..(bodyLength + sigLen)]);
        (int code, _, string stderr) = Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7, "-content", body,
            "-certfile", PathOf(certificate), "-nointern", "-noverify", "-out", "/dev/null");
        Assert.True(verifies == (code == 0), stderr);
    }

    [SkippableFact]
    public void A_module_signed_by_openssl_like_sign_file_does_is_signed_trusted()
    {
        SkipWithoutOpenSsl();
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using X509Certificate2 cert = ModuleSigning.CreateCertificate("openssl test key", key);
        string certPem = Write("cert.pem", System.Text.Encoding.ASCII.GetBytes(cert.ExportCertificatePem()));
        string keyPem = Write("key.pem", System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        byte[] payload = Bytes(Crc7Unsigned);
        string body = Write("body", payload);
        string p7 = Path.Combine(_dir, "openssl.p7");
        (int code, _, string stderr) = Run("openssl", "cms", "-sign", "-in", body, "-signer", certPem, "-inkey", keyPem,
            "-binary", "-noattr", "-nocerts", "-nosmimecap", "-outform", "DER", "-md", "sha256", "-out", p7);
        Assert.True(code == 0, stderr);

        using TrustedCertificates trusted = TrustedCertificates.Load([certPem]);
        ModuleSignature s = new ModuleInspector(trusted).Inspect(ModuleSigning.Append(payload, File.ReadAllBytes(p7))).Signature;
        Assert.Equal(SignatureStatus.SignedTrusted, s.Status);
        Assert.Equal("openssl test key", s.Signer);
        Assert.Equal(cert.SerialNumber.ToLowerInvariant(), s.KeyId);
    }

    private static void SkipWithoutOpenSsl() =>
        Skip.If(!File.Exists("/usr/bin/openssl") || !File.Exists("/usr/bin/xz"), "needs the openssl and xz command line tools");

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, byte[] Bytes, string Error) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        var output = new MemoryStream();
        Task<string> error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.BaseStream.CopyTo(output);
        p.WaitForExit();
        return (p.ExitCode, output.ToArray(), error.Result);
    }
}
