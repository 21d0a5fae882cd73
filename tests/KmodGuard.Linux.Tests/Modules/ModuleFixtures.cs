using KmodGuard.Linux.Modules.Inspection;

namespace KmodGuard.Linux.Tests.Modules;

/// <summary>The signed Debian modules and build certificates in tests/fixtures/modules (provenance in its README).</summary>
internal static class ModuleFixtures
{
    public const string Crc7 = "crc7_6.1.0-56-cloud-amd64.ko";
    public const string Cordic = "cordic_6.1.0-56-cloud-amd64.ko";
    public const string EmU32 = "em_u32_6.1.0-56-cloud-amd64.ko";
    public const string PciPfStub = "pci-pf-stub_6.1.0-56-cloud-amd64.ko";
    public const string Crc7Tampered = "crc7_6.1.0-56-cloud-amd64_TAMPERED.ko";
    public const string Crc7Unsigned = "crc7_6.1.0-56-cloud-amd64_UNSIGNED.ko";
    public const string Crc7Xz = "crc7_6.12.117+deb12-cloud-amd64.ko.xz";
    public const string RationalXz = "rational_6.12.117+deb12-cloud-amd64.ko.xz";
    public const string Crc7Zst = "crc7_6.12.117+deb12-cloud-amd64.ko.zst";
    public const string Crc7Gz = "crc7_6.12.117+deb12-cloud-amd64.ko.gz";
    public const string Debian61Cert = "debian-6.1.0-56-cloud-amd64-build-key.pem";
    public const string Debian612Cert = "debian-6.12.117+deb12-cloud-amd64-build-key.pem";

    public static readonly string[] Signed61 = [Crc7, Cordic, EmU32, PciPfStub];
    public static readonly string[] Signed612 = [Crc7Xz, RationalXz, Crc7Zst, Crc7Gz];

    public static string FixtureDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "modules");

    public static string PathOf(string name) => Path.Combine(FixtureDirectory, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static TrustedCertificates Trust(params string[] certificates) => TrustedCertificates.Load(certificates.Select(PathOf));
}
