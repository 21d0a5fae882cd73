namespace KmodGuard.Linux.Audit.Records;

/// <summary>Why a record could not be parsed. The record is counted and reported; the stream goes on.</summary>
internal enum AuditParseError
{
    None,

    /// <summary>A log line without <c>type=</c>.</summary>
    MissingType,

    /// <summary><c>type=</c> names no known record type.</summary>
    UnknownTypeName,

    /// <summary>No <c>audit(</c> header where one must be.</summary>
    MissingHeader,

    /// <summary>The <c>sec.msec</c> part is not a number.</summary>
    BadTimestamp,

    /// <summary>The serial is missing, not a number, or larger than 32 bits.</summary>
    BadSerial,

    /// <summary>The header is not closed by <c>)</c>.</summary>
    UnterminatedHeader,

    /// <summary>Longer than any record the kernel or auditd writes.</summary>
    TooLong,

    /// <summary>
    /// AUDIT_REPLACE, the kernel's binary probe of the registered daemon (a u32 pid, which auditd logs as
    /// <c>type=UNKNOWN[1329] msg=?</c>): not a text record, ignored rather than counted as malformed.
    /// </summary>
    BinaryRecord,
}
