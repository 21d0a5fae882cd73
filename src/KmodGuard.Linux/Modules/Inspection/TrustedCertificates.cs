using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// The certificates whose keys KmodGuard accepts for module signatures (configuration <c>trusted_certificates:</c>,
/// CLI <c>--trusted-certificate</c>): the kernel's model is "the key is in the keyring", so a certificate is trusted
/// as it is, without a chain or validity check. Loaded and parsed once, then shared by every inspection.
/// </summary>
internal sealed class TrustedCertificates : IDisposable
{
    /// <summary>File names taken from a configured directory; anything else there (a README) is ignored.</summary>
    private static readonly string[] DirectoryExtensions = [".pem", ".crt", ".cer", ".der"];

    private readonly List<TrustedKey> _keys = [];
    private readonly Dictionary<(string Issuer, string Serial), TrustedKey> _byIssuerSerial = [];
    private readonly Dictionary<string, TrustedKey> _bySubjectKeyId = new(StringComparer.OrdinalIgnoreCase);

    private TrustedCertificates(List<X509Certificate2> certificates)
    {
        Certificates = certificates;
        foreach (X509Certificate2 cert in certificates)
        {
            var key = new TrustedKey(cert);
            _keys.Add(key);
            _byIssuerSerial.TryAdd((cert.Issuer, cert.SerialNumber), key);
            if (cert.Extensions[Oids.SubjectKeyIdentifier] is X509SubjectKeyIdentifierExtension ski && ski.SubjectKeyIdentifier is { } id)
            {
                _bySubjectKeyId.TryAdd(id, key);
            }
        }
    }

    public static TrustedCertificates None { get; } = new([]);

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>
    /// Loads PEM (one or more certificates) or DER files, and the *.pem, *.crt, *.cer, *.der files of directories.
    /// A missing path or a file that holds no certificate is a configuration error: <see cref="TrustedCertificatesException"/>.
    /// </summary>
    public static TrustedCertificates Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var certificates = new List<X509Certificate2>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (string file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
                {
                    if (DirectoryExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                    {
                        certificates.AddRange(LoadFile(file));
                    }
                }
            }
            else
            {
                certificates.AddRange(LoadFile(path));
            }
        }

        return new TrustedCertificates(certificates);
    }

    /// <summary>The configured certificate a CMS signer names (issuer and serial, or subject key id); null when none matches.</summary>
    public TrustedKey? Find(SubjectIdentifier signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.Value switch
        {
            X509IssuerSerial issuerSerial when _byIssuerSerial.TryGetValue((issuerSerial.IssuerName, issuerSerial.SerialNumber), out var c) => c,
            string subjectKeyId when signer.Type == SubjectIdentifierType.SubjectKeyIdentifier && _bySubjectKeyId.TryGetValue(subjectKeyId, out var c) => c,
            _ => null,
        };
    }

    public void Dispose()
    {
        foreach (TrustedKey key in _keys)
        {
            key.Dispose();
        }
    }

    private static List<X509Certificate2> LoadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrustedCertificatesException($"{path}: cannot read trusted certificate: {e.Message}", e);
        }

        try
        {
            if (bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0)
            {
                var pem = new X509Certificate2Collection();
                pem.ImportFromPem(Encoding.ASCII.GetString(bytes));
                return pem.Count > 0
                    ? [.. pem]
                    : throw new TrustedCertificatesException($"{path}: no CERTIFICATE block in the PEM file");
            }

            return [X509CertificateLoader.LoadCertificate(bytes)];
        }
        catch (CryptographicException e)
        {
            throw new TrustedCertificatesException($"{path}: not an X.509 certificate (PEM or DER): {e.Message}", e);
        }
    }

    private static class Oids
    {
        public const string SubjectKeyIdentifier = "2.5.29.14";
    }
}
