namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>A configured trusted certificate path is missing or holds no certificate; the message names the path.</summary>
internal sealed class TrustedCertificatesException(string message, Exception? inner = null) : Exception(message, inner);
